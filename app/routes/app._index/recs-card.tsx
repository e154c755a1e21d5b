import { BlockStack, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import type { RecsPerformance } from "~/domain/recommendations/performance";
import { Figure } from "~/components/figure";
import { useDashboardFormat } from "./format";

/** The period's recommendation figures: what the pixel reported, and the signed orders that held a recommended product. */
export function RecsCard({ recs, currency }: { recs: RecsPerformance; currency: string }) {
  const { t, n, money } = useDashboardFormat(currency);
  return (
    <Layout.Section>
      <BlockStack gap="300">
        <Text as="h2" variant="headingLg">
          {t("dash.section.recs")}
        </Text>
        {recs.reported ? (
          <>
            <Text as="p" tone="subdued">
              {t("dash.recs.help")}
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <Figure label={t("dash.recs.clicks")} value={n.format(recs.clicks)} />
              <Figure label={t("dash.recs.addToCarts")} value={n.format(recs.addToCarts)} />
              <Figure label={t("dash.recs.orders")} value={n.format(recs.orders)} help={t("dash.recs.orders.help")} />
              <Figure label={t("dash.recs.revenue")} value={money(recs.revenueMinor)} help={t("dash.recs.revenue.help")} />
            </InlineGrid>
            <Card>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={[t("dash.recs.surface"), t("dash.recs.clicks"), t("dash.recs.addToCarts")]}
                rows={recs.bySurface.map((s) => [t(`dash.recs.surface.${s.surface}`), n.format(s.clicks), n.format(s.addToCarts)])}
              />
            </Card>
          </>
        ) : (
          <Card>
            <Text as="p" tone="subdued">
              {t(recs.pixelConnected ? "dash.recs.empty" : "dash.recs.connecting")}
            </Text>
          </Card>
        )}
      </BlockStack>
    </Layout.Section>
  );
}
