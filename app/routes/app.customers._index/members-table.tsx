import { Badge, Card, IndexTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { MemberFilterOptions, MemberPage } from "~/admin/members";
import type { Segment } from "~/domain/analytics/segments";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

const SEGMENT_TONE: Record<Segment, "info" | "success" | "attention" | "warning" | undefined> = {
  new: "info",
  active: "success",
  loyal: "success",
  at_risk: "warning",
  lapsed: undefined,
};

/** One page of members, with links to the next page and back to the first. */
export function MembersTable({
  data,
}: {
  data: MemberPage & Pick<MemberFilterOptions, "filters" | "tiers"> & { query: string; cursor: string | null };
}) {
  const { query, cursor, members, nextCursor, filters, tiers } = data;
  const { t, n, day } = useT();
  // The list's state lives in the URL: search, filters and page, so a filtered list can be shared.
  const current = {
    ...(query ? { q: query } : {}),
    ...(filters.segment ? { segment: filters.segment } : {}),
    ...(filters.tier ? { tier: filters.tier } : {}),
  };
  const search = (more: Record<string, string>) => `?${new URLSearchParams({ ...current, ...more })}`;
  const filtered = Boolean(filters.segment || filters.tier);
  const tierNames = new Map(tiers.map((tier) => [tier.key, tier.name]));
  const segmentName = (s: string) => t(`segment.${s}` as MessageKey);

  return (
    <Card padding="0">
      <IndexTable
        selectable={false}
        resourceName={{
          singular: t("customers.resource.one"),
          plural: t("customers.resource.many"),
        }}
        itemCount={members.length}
        emptyState={
          <Card>
            <Text as="p" tone="subdued">
              {filtered ? t("customers.filter.empty") : query ? t("customers.empty") : t("customers.none")}
            </Text>
          </Card>
        }
        headings={[
          { title: t("customers.col.customer") },
          { title: t("customers.col.email") },
          { title: t("customers.col.segment") },
          { title: t("customers.col.tier") },
          { title: t("customers.col.balance"), alignment: "end" },
          { title: t("customers.col.pending"), alignment: "end" },
          { title: t("customers.col.orders"), alignment: "end" },
          { title: t("customers.col.lastActivity") },
        ]}
        pagination={{
          hasNext: nextCursor !== null,
          nextURL: nextCursor ? search({ cursor: nextCursor }) : undefined,
          hasPrevious: !!cursor,
          previousURL: cursor ? search({}) : undefined,
          previousTooltip: t("customers.firstPage"),
        }}
      >
        {members.map((m, index) => {
          const name = [m.firstName, m.lastName].filter(Boolean).join(" ") || t("customers.unnamed", { id: m.shopifyCustomerId });
          return (
            <IndexTable.Row id={m.shopifyCustomerId} key={m.shopifyCustomerId} position={index}>
              <IndexTable.Cell>
                <InlineStack gap="200" blockAlign="center">
                  <Link url={`/app/customers/${encodeURIComponent(m.shopifyCustomerId)}`} removeUnderline>
                    {name}
                  </Link>
                  {m.redacted ? <Badge>{t("customers.redacted")}</Badge> : null}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{m.email ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>
                {m.segment ? (
                  <Badge tone={SEGMENT_TONE[m.segment]}>{segmentName(m.segment)}</Badge>
                ) : (
                  <Text as="span" tone="subdued">
                    {t("customers.filter.noSegment")}
                  </Text>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                {m.tier ? (
                  <Badge tone="magic">{tierNames.get(m.tier) ?? m.tier}</Badge>
                ) : (
                  <Text as="span" tone="subdued">
                    —
                  </Text>
                )}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {n.format(m.balance)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric tone={m.pending ? undefined : "subdued"}>
                  {n.format(m.pending)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {n.format(m.orders)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{m.lastActivityAt ? day.format(new Date(m.lastActivityAt)) : "—"}</IndexTable.Cell>
            </IndexTable.Row>
          );
        })}
      </IndexTable>
    </Card>
  );
}
