import { Badge, BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { RecommendationsPage } from "~/admin/recommendations";
import { useT } from "~/components/use-t";

function Stat({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <div id={id}>{children}</div>
    </BlockStack>
  );
}

const LISTS_TONE = { current: "success", pending: "attention", never: undefined } as const;

/** How it's doing: what the lists learned from, how many products have their own, and whether the store is up to date. */
export function OverviewCard({ overview, minOrders }: { overview: RecommendationsPage["overview"]; minOrders: number }) {
  const { t, n, dateTime } = useT();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("recs.overview")}
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <Stat label={t("recs.overview.orders")} id="recs-orders">
            <Text as="p" variant="headingLg">
              {n.format(overview.baskets)}
            </Text>
          </Stat>
          <Stat label={t("recs.overview.products")} id="recs-products">
            <Text as="p" variant="headingLg">
              {n.format(overview.productsWithLists)}
            </Text>
          </Stat>
          <Stat label={t("recs.overview.fitted")} id="recs-fitted">
            <Text as="p">{overview.fittedAt ? dateTime.format(new Date(overview.fittedAt)) : t("recs.overview.fitted.never")}</Text>
          </Stat>
          <Stat label={t("recs.overview.lists")} id="recs-lists">
            <Badge tone={LISTS_TONE[overview.lists]}>{t(`recs.overview.lists.${overview.lists}`)}</Badge>
          </Stat>
        </InlineGrid>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("recs.overview.help", { count: minOrders })}
        </Text>
      </BlockStack>
    </Card>
  );
}
