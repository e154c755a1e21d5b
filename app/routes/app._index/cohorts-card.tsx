import { BlockStack, Box, Card, DataTable, Layout, Text } from "@shopify/polaris";
import type { CohortReport } from "~/domain/analytics/cohorts";
import { useDashboardFormat } from "./format";

/** Each month's new customers and the share of them who ordered again in each following month. */
export function CohortsCard({ cohorts, currency }: { cohorts: CohortReport; currency: string }) {
  const { t, n, d2, monthName } = useDashboardFormat(currency);
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("dash.section.cohorts")}
          </Text>
          <Box overflowX="scroll">
            <DataTable
              columnContentTypes={["text", "numeric", ...cohorts.cohorts.map(() => "numeric" as const)]}
              headings={[
                t("dash.cohort.month"),
                t("dash.cohort.size"),
                ...cohorts.cohorts.map((_, k) => t("dash.cohort.offset", { n: k + 1 })),
              ]}
              rows={cohorts.cohorts.map((c) => [
                monthName.format(new Date(`${c.month}-01T00:00:00Z`)),
                n.format(c.customers),
                ...c.retained.map((v) => (v === null ? "" : `${d2.format(v)}%`)),
              ])}
            />
          </Box>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
