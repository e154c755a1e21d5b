import { Banner, BlockStack, Button, Card, Text } from "@shopify/polaris";
import type { ProductChoice } from "~/admin/recommendations";
import type { MessageKey } from "~/i18n";
import { OrderedProducts, ProductSearch } from "~/components/product-search";
import { useT } from "~/components/use-t";
import { useChoiceSubmit } from "./submit";

/** The shop-wide picks, in order: add from a search, remove, move up or down. Each change is saved at once. */
export function PicksCard({ picks, max, error }: { picks: ProductChoice[]; max: number; error: MessageKey | null }) {
  const { t } = useT();
  const send = useChoiceSubmit();
  const ids = picks.map((p) => p.productId);
  const save = (next: string[]) => send("picks", { picks: next });
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("recs.picks")}
          </Text>
          <Text as="p" tone="subdued">
            {t("recs.picks.help", { max })}
          </Text>
        </BlockStack>
        {error ? <Banner tone="critical">{t(error)}</Banner> : null}
        <div id="recs-picks">
          <OrderedProducts products={picks} empty={t("recs.picks.empty")} onChange={save} />
        </div>
        <ProductSearch
          id="recs-picks-search"
          actions={(p) => (
            <Button
              size="slim"
              disabled={p.excluded || ids.includes(p.productId) || ids.length >= max}
              onClick={() => save([...ids, p.productId])}
            >
              {t("recs.picks.add")}
            </Button>
          )}
        />
      </BlockStack>
    </Card>
  );
}
