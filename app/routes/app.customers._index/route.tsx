import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useRef, useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { memberFilterOptions, searchMembers } from "~/admin/members";
import { NO_SEGMENT, SEGMENTS, type Segment } from "~/domain/analytics/segments";
import { NO_TIER } from "~/domain/tiers/rules";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

export const meta = adminMeta("customers.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").slice(0, 200);
  try {
    const options = await memberFilterOptions({ db: prisma }, shop, {
      segment: params.get("segment"),
      tier: params.get("tier"),
    });
    const page = await searchMembers({ db: prisma }, shop, {
      query,
      cursor: params.get("cursor"),
      ...options.filters,
    });
    return { query, cursor: params.get("cursor"), ...options, ...page };
  } catch (error) {
    throw errorResponse(error);
  }
}

const SEGMENT_TONE: Record<Segment, "info" | "success" | "attention" | "warning" | undefined> = {
  new: "info",
  active: "success",
  loyal: "success",
  at_risk: "warning",
  lapsed: undefined,
};

export default function Customers() {
  const { query, cursor, members, nextCursor, filters, ignored, tiers, segmentsAsOf } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const { t, locale } = useT();
  const [q, setQ] = useState(query);
  const n = new Intl.NumberFormat(intlLocale(locale));
  const date = new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: "medium",
    timeZone: "UTC",
  });
  const dateTime = new Intl.DateTimeFormat(intlLocale(locale), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  });
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
  // Changing a filter applies it at once (with the search as typed), back to the first page.
  const applyFilter = (name: "segment" | "tier", value: string) => {
    if (!form.current) return;
    const data = new FormData(form.current);
    data.set(name, value);
    for (const key of ["q", "segment", "tier"]) if (!data.get(key) || data.get(key) === "all") data.delete(key);
    submit(data, { method: "get" });
  };

  return (
    <Page title={t("customers.title")}>
      <BlockStack gap="400">
        <Card>
          <Form method="get" ref={form}>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="end" wrap={false}>
                <div style={{ flexGrow: 1 }}>
                  <TextField
                    label={t("customers.search")}
                    name="q"
                    value={q}
                    onChange={setQ}
                    placeholder={t("customers.search.placeholder")}
                    autoComplete="off"
                    clearButton
                    onClearButtonClick={() => setQ("")}
                  />
                </div>
                <Button submit loading={navigation.state === "loading" && navigation.location?.pathname === "/app/customers"}>
                  {t("customers.search.submit")}
                </Button>
              </InlineStack>
              <InlineStack gap="300" blockAlign="end">
                <Select
                  label={t("customers.filter.segment")}
                  name="segment"
                  value={filters.segment ?? "all"}
                  onChange={(value) => applyFilter("segment", value)}
                  options={[
                    { label: t("customers.filter.all"), value: "all" },
                    ...SEGMENTS.map((s) => ({
                      label: segmentName(s),
                      value: s,
                    })),
                    {
                      label: t("customers.filter.noSegment"),
                      value: NO_SEGMENT,
                    },
                  ]}
                />
                <Select
                  label={t("customers.filter.tier")}
                  name="tier"
                  value={filters.tier ?? "all"}
                  onChange={(value) => applyFilter("tier", value)}
                  options={[
                    { label: t("customers.filter.all"), value: "all" },
                    ...tiers.map((tier) => ({
                      label: tier.name,
                      value: tier.key,
                    })),
                    { label: t("customers.filter.noTier"), value: NO_TIER },
                  ]}
                />
                {filtered ? (
                  <Button variant="plain" url={`?${new URLSearchParams(query ? { q: query } : {})}`}>
                    {t("customers.filter.clear")}
                  </Button>
                ) : null}
              </InlineStack>
              <Text as="p" tone="subdued">
                {segmentsAsOf
                  ? t("customers.filter.asOf", {
                      date: dateTime.format(new Date(segmentsAsOf)),
                    })
                  : t("customers.filter.notYet")}
              </Text>
            </BlockStack>
          </Form>
        </Card>
        {ignored.length > 0 ? <Banner tone="warning">{t("customers.filter.ignored")}</Banner> : null}
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
                  <IndexTable.Cell>{m.lastActivityAt ? date.format(new Date(m.lastActivityAt)) : "—"}</IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
