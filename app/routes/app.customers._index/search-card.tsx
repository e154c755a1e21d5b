import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { useRef, useState } from "react";
import { BlockStack, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { MemberFilterOptions } from "~/admin/members";
import { NO_SEGMENT, SEGMENTS } from "~/domain/analytics/segments";
import { NO_TIER } from "~/domain/tiers/rules";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

/** The search box and the segment and tier filters; the list's state lives in the URL. */
export function SearchCard({
  query,
  filters,
  tiers,
  segmentsAsOf,
}: Pick<MemberFilterOptions, "filters" | "tiers" | "segmentsAsOf"> & { query: string }) {
  const navigation = useNavigation();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const { t, locale, timeZone } = useT();
  const [q, setQ] = useState(query);
  const dateTime = new Intl.DateTimeFormat(intlLocale(locale), {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  });
  const filtered = Boolean(filters.segment || filters.tier);
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
  );
}
