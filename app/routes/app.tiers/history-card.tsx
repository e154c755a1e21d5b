import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { TierVersionView } from "~/admin/program";
import { useT } from "~/components/use-t";

/** Every saved version of the tiers, newest first. */
export function TierHistoryCard({ versions, summary }: { versions: TierVersionView[]; summary: (v: TierVersionView) => string }) {
  const { t, dateTime } = useT();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("tiers.history")}
        </Text>
        {versions.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("tiers.history.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["numeric", "text", "text", "text"]}
            headings={[t("tiers.col.version"), t("tiers.col.saved"), t("tiers.col.rule"), t("tiers.col.tiers")]}
            rows={versions.map((v) => [
              String(v.version),
              dateTime.format(new Date(v.createdAt)),
              `${t(`tiers.basis.${v.basis}`)} · ${t(`tiers.period.${v.period}`)}`,
              summary(v),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
