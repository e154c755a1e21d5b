import { BlockStack, Card, DataTable, Layout, Text } from "@shopify/polaris";
import { SEGMENTS, type SegmentsReport } from "~/domain/analytics/segments";
import type { MessageKey } from "~/i18n";
import { useDashboardFormat } from "./format";

/** Customers by segment, their share of customers and revenue, and the top customers' share of revenue. */
export function SegmentsCard({ segments, currency }: { segments: SegmentsReport; currency: string }) {
  const { t, n, money, show } = useDashboardFormat(currency);
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("dash.section.segments")}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={[t("dash.seg.segment"), t("dash.seg.customers"), t("dash.seg.share"), t("dash.seg.revenue")]}
            rows={SEGMENTS.map((s) => {
              const seg = segments.segments[s];
              const share = segments.customers ? (seg.customers / segments.customers) * 100 : null;
              return [t(`segment.${s}` as MessageKey), n.format(seg.customers), show("percent", share), money(seg.revenueMinor)];
            })}
          />
          <Text as="p" tone="subdued">
            {segments.pareto.sharePercent === null
              ? t("dash.pareto.none")
              : t("dash.pareto", {
                  count: n.format(segments.pareto.topCustomers),
                  share: show("percent", segments.pareto.sharePercent),
                })}
          </Text>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
