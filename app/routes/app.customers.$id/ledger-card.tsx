import { Badge, Banner, BlockStack, Card, DataTable, Link, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { MemberAudit } from "~/admin/members";
import { EntryReason } from "~/components/entry-reason";
import { useT } from "~/components/use-t";

/** Text that wraps inside its cell: Polaris' data table keeps every cell on one line. */
function Wrap({ children, min = "8rem" }: { children: ReactNode; min?: string }) {
  return <div style={{ whiteSpace: "normal", minWidth: min, overflowWrap: "anywhere" }}>{children}</div>;
}

/** "Why this balance": every ledger entry, oldest first, with the running total and the order it came from. */
export function LedgerCard({ data }: { data: Pick<MemberAudit, "entries" | "inactivityExpiresAt"> }) {
  const { t, n, dateTime, day } = useT();
  const signed = (p: number) => (p > 0 ? "+" : "") + n.format(p);
  const source = (e: MemberAudit["entries"][number]) =>
    e.order ? (
      // The order's page in the Shopify admin, outside the app's frame.
      <Link url={e.order.url} target="_top" accessibilityLabel={t("member.source.order.label", { id: e.order.id })}>
        {t("member.source.order")}
      </Link>
    ) : e.source.startsWith("admin:") ? (
      // The request id behind a manual adjustment means nothing to the merchant.
      t("member.source.admin")
    ) : (
      e.source
    );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("member.ledger")}
        </Text>
        {data.inactivityExpiresAt ? (
          <Banner tone="warning">{t("member.inactivity", { date: day.format(new Date(data.inactivityExpiresAt)) })}</Banner>
        ) : null}
        {data.entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("member.ledger.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "text", "text", "text"]}
            headings={[
              <Wrap key="date" min="5rem">
                {t("home.col.date")}
              </Wrap>,
              t("home.col.kind"),
              t("home.col.points"),
              <Wrap key="total" min="4rem">
                {t("member.col.total")}
              </Wrap>,
              t("home.col.reason"),
              t("member.col.source"),
              t("member.col.lot"),
            ]}
            rows={data.entries.map((e) => [
              <Wrap key={`${e.id}-at`} min="5rem">
                {dateTime.format(new Date(e.at))}
              </Wrap>,
              <Badge key={e.id} tone={e.points >= 0 ? "success" : "attention"}>
                {t(`entry.${e.kind}`)}
              </Badge>,
              signed(e.points),
              n.format(e.runningTotal),
              <Wrap key={`${e.id}-why`} min="10rem">
                <EntryReason label={e.label} />
              </Wrap>,
              <Wrap key={`${e.id}-source`} min="5rem">
                {source(e)}
              </Wrap>,
              <Wrap key={`${e.id}-lot`}>
                {e.lot
                  ? [
                      t("member.lot.remaining", { points: n.format(e.lot.remaining) }),
                      e.lot.pending && e.lot.availableAt
                        ? t("member.lot.pendingUntil", { date: day.format(new Date(e.lot.availableAt)) })
                        : null,
                      e.lot.expiresAt ? t("member.lot.expires", { date: day.format(new Date(e.lot.expiresAt)) }) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")
                  : ""}
              </Wrap>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
