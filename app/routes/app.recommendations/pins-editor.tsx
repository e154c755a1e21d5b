import { BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import type { ProductChoice } from "~/admin/recommendations";
import { OrderedProducts, ProductSearch } from "~/components/product-search";
import { useT } from "~/components/use-t";
import { useChoiceSubmit } from "./submit";

/** One product's pinned products, in order: add from a search, remove, move. Each change is saved at once. */
export function PinsEditor({
  product,
  pins,
  max,
  onClose,
}: {
  product: ProductChoice;
  pins: ProductChoice[];
  /** The list length: pins never exceed it. */
  max: number;
  onClose: () => void;
}) {
  const { t } = useT();
  const send = useChoiceSubmit();
  const ids = pins.map((p) => p.productId);
  const save = (next: string[]) => send("pins", { productId: product.productId, pinned: next });
  const title = product.title || t("recs.product.untitled", { id: product.productId });
  return (
    <Box padding="400" borderWidth="025" borderColor="border-emphasis" borderRadius="200" id="recs-pins-editor">
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {t("recs.pins.title", { product: title })}
          </Text>
          <Button size="slim" onClick={onClose}>
            {t("recs.pins.close")}
          </Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("recs.pins.help", { max })}
        </Text>
        <OrderedProducts products={pins} empty={t("recs.pins.empty")} onChange={save} />
        <ProductSearch
          id="recs-pins-search"
          actions={(p) => (
            <Button
              size="slim"
              disabled={p.excluded || p.productId === product.productId || ids.includes(p.productId) || ids.length >= max}
              onClick={() => save([...ids, p.productId])}
            >
              {t("recs.pins.add")}
            </Button>
          )}
        />
      </BlockStack>
    </Box>
  );
}
