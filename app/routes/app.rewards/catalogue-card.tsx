import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, Text } from "@shopify/polaris";
import type { RewardType } from "~/domain/rewards/rewards";
import { formatMoney } from "../../../common/money";
import { useT } from "~/components/use-t";
import { MONEY_TYPES } from "./money-types";

export interface CatalogueReward {
  id: string;
  name: string;
  type: RewardType;
  pointsCost: number;
  value: number;
  minimumSubtotal: number | null;
  validityDays: number | null;
  active: boolean;
  redemptions: number;
}

/** The shop's rewards: what each costs and is worth, whether it is on offer, and how often it was redeemed. */
export function CatalogueCard({ rewards, currency }: { rewards: CatalogueReward[]; currency: string }) {
  const { t, n, intl } = useT();
  const money = (amount: number) => formatMoney({ amount, currency }, intl);
  const value = (r: CatalogueReward) => {
    if (MONEY_TYPES.includes(r.type)) return money(r.value);
    if (r.type === "percentage") return new Intl.NumberFormat(intl, { style: "percent" }).format(r.value / 100);
    return "—";
  };
  const conditions = (r: CatalogueReward) =>
    [
      r.minimumSubtotal ? t("rewards.detail.minimum", { amount: money(r.minimumSubtotal) }) : null,
      r.validityDays ? t("rewards.detail.validity", { days: n.format(r.validityDays) }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("rewards.catalogue")}
        </Text>
        {rewards.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("rewards.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text", "numeric", "text"]}
            headings={[
              t("rewards.col.name"),
              t("rewards.col.type"),
              t("rewards.col.cost"),
              t("rewards.col.value"),
              t("rewards.col.status"),
              t("rewards.col.redemptions"),
              "",
            ]}
            rows={rewards.map((r) => [
              <BlockStack key={`${r.id}-name`} gap="050">
                <Text as="span" fontWeight="semibold">
                  {r.name}
                </Text>
                {conditions(r) ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {conditions(r)}
                  </Text>
                ) : null}
              </BlockStack>,
              t(`reward.type.${r.type}`),
              n.format(r.pointsCost),
              value(r),
              <Badge key={`${r.id}-status`} tone={r.active ? "success" : undefined}>
                {r.active ? t("rewards.active") : t("rewards.inactive")}
              </Badge>,
              n.format(r.redemptions),
              <Form key={`${r.id}-toggle`} method="post">
                <input type="hidden" name="intent" value="toggle" />
                <input type="hidden" name="rewardId" value={r.id} />
                <input type="hidden" name="active" value={String(!r.active)} />
                <Button submit size="slim" tone={r.active ? "critical" : undefined}>
                  {r.active ? t("rewards.deactivate") : t("rewards.activate")}
                </Button>
              </Form>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
