import { Badge, BlockStack, Card, DataTable, Layout, Text } from "@shopify/polaris";
import type { ProgramOverview } from "~/admin/overview";
import type { MessageKey } from "~/i18n";
import { EntryReason } from "~/components/entry-reason";
import { useDashboardFormat } from "./format";

/** The latest points entries across the shop. */
export function RecentCard({ recent, currency }: { recent: ProgramOverview["recent"]; currency: string }) {
  const { t, n, date } = useDashboardFormat(currency);
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("home.recent")}
          </Text>
          {recent.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("home.recent.empty")}
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
              headings={[t("home.col.date"), t("home.col.kind"), t("home.col.points"), t("home.col.balance"), t("home.col.reason")]}
              rows={recent.map((e) => [
                date.format(new Date(e.at)),
                <Badge key={e.id} tone={e.points >= 0 ? "success" : "attention"}>
                  {t(`entry.${e.kind}` as MessageKey)}
                </Badge>,
                (e.points > 0 ? "+" : "") + n.format(e.points),
                n.format(e.balanceAfter),
                <EntryReason key={`${e.id}-why`} label={e.label} />,
              ])}
            />
          )}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
