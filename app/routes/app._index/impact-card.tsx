import { BlockStack, Card, DataTable, Layout, Text } from "@shopify/polaris";
import { impactMessages, type ImpactReport } from "~/domain/analytics/impact";
import { useDashboardFormat } from "./format";

/** Members against non-members and the holdout group over the period, and what that says. */
export function ImpactCard({ impact, currency }: { impact: ImpactReport; currency: string }) {
  const { t, n, d2, money, show } = useDashboardFormat(currency);
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("dash.section.impact")}
          </Text>
          <Text as="p" tone="subdued">
            {t("dash.impact.help")}
          </Text>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={[t("dash.impact.group"), t("dash.seg.customers"), t("dash.repeat"), t("dash.impact.revenuePerCustomer")]}
            rows={(["members", "nonMembers", "holdout"] as const).map((g) => {
              const group = impact.groups[g];
              return [
                t(`impact.group.${g}`),
                n.format(group.customers),
                show("percent", group.repeatPurchaseRate),
                show("money", group.revenuePerCustomerMinor),
              ];
            })}
          />
          <BlockStack gap="100">
            {impactMessages(impact, money).map((m) => (
              <Text as="p" key={m.key} fontWeight={m.key.startsWith("impact.verdict") ? "semibold" : "regular"}>
                {t(m.key, Object.fromEntries(Object.entries(m.vars).map(([k, v]) => [k, typeof v === "number" ? d2.format(v) : v])))}
              </Text>
            ))}
          </BlockStack>
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
