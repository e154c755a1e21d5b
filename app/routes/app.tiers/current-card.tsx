import { Badge, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import type { TierVersionView } from "~/admin/program";
import { NO_TIER } from "~/domain/tiers/rules";
import { useT } from "~/components/use-t";

/** The tiers in force: each tier's threshold, multiplier, benefits and members, and who has no tier. */
export function CurrentTiersCard({
  current,
  members,
  threshold,
}: {
  current: TierVersionView | null;
  members: Record<string, number>;
  threshold: (basis: string, amount: number) => string;
}) {
  const { t, n, dateTime } = useT();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("tiers.current")}
          </Text>
          {current ? <Badge>{t("tiers.version", { version: String(current.version) })}</Badge> : null}
        </InlineStack>
        {current ? (
          <>
            <Text as="p" tone="subdued">
              {t("tiers.current.rule", {
                basis: t(`tiers.basis.${current.basis}`),
                period: t(`tiers.period.${current.period}`),
                date: dateTime.format(new Date(current.createdAt)),
              })}
            </Text>
            <DataTable
              columnContentTypes={["text", "text", "numeric", "text", "numeric"]}
              headings={[
                t("tiers.col.tier"),
                t("tiers.col.threshold"),
                t("tiers.col.multiplier"),
                t("tiers.col.benefits"),
                t("tiers.col.members"),
              ]}
              rows={current.tiers.map((tier) => [
                tier.name,
                threshold(current.basis, tier.threshold),
                `×${n.format(tier.earnMultiplier)}`,
                [
                  tier.freeShippingReward ? t("tiers.field.freeShipping") : null,
                  tier.exclusiveRewardIds.length ? t("tiers.exclusive", { count: n.format(tier.exclusiveRewardIds.length) }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ") || "—",
                n.format(members[tier.key] ?? 0),
              ])}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              {t("tiers.current.noTier", { count: n.format(members[NO_TIER] ?? 0) })}
            </Text>
          </>
        ) : (
          <Text as="p" tone="subdued">
            {t("tiers.current.none")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
