import { BlockStack, Card, InlineGrid, Layout, Text } from "@shopify/polaris";
import type { ReferralFunnel } from "~/admin/referrals";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

/** The referral funnel: visits, claims, orders, rewards, rejections and cancellations. */
export function FunnelSection({ funnel: counts }: { funnel: ReferralFunnel }) {
  const { t, n } = useT();
  const funnel: Array<[MessageKey, number]> = [
    ["referrals.funnel.visits", counts.visits],
    ["referrals.funnel.claimed", counts.claimed],
    ["referrals.funnel.orders", counts.orders],
    ["referrals.funnel.rewarded", counts.rewarded],
    ["referrals.funnel.rejected", counts.rejected],
    ["referrals.funnel.cancelled", counts.cancelled],
  ];
  return (
    <Layout.Section>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("referrals.funnel")}
        </Text>
        <InlineGrid columns={{ xs: 2, sm: 3, lg: 6 }} gap="300">
          {funnel.map(([label, value]) => (
            <Card key={label}>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm" tone="subdued">
                  {t(label)}
                </Text>
                <Text as="p" variant="headingXl">
                  {n.format(value)}
                </Text>
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
      </BlockStack>
    </Layout.Section>
  );
}
