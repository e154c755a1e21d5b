import { useState } from "react";
import { Banner, BlockStack, Button, Card, Divider, Text } from "@shopify/polaris";
import type { ProductChoice, RecommendationsPage } from "~/admin/recommendations";
import type { MessageKey } from "~/i18n";
import { ProductRows, ProductSearch } from "~/components/product-search";
import { useT } from "~/components/use-t";
import { useChoiceSubmit } from "./submit";
import { PinsEditor } from "./pins-editor";

/** Search a product to exclude or include it, or to pin products on its page; the excluded products and the pins so far. */
export function ProductsCard({
  excluded,
  pinned,
  listLength,
  error,
}: {
  excluded: ProductChoice[];
  pinned: RecommendationsPage["pinned"];
  listLength: number;
  error: MessageKey | null;
}) {
  const { t } = useT();
  const send = useChoiceSubmit();
  const [editing, setEditing] = useState<ProductChoice | null>(null);
  const exclude = (p: ProductChoice, value: boolean) => send("exclude", { productId: p.productId, excluded: String(value) });
  const actions = (p: ProductChoice) => (
    <>
      <Button size="slim" onClick={() => exclude(p, !p.excluded)}>
        {p.excluded ? t("recs.products.include") : t("recs.products.exclude")}
      </Button>
      <Button size="slim" onClick={() => setEditing(p)}>
        {t("recs.products.pin")}
      </Button>
    </>
  );
  const titles = (pins: ProductChoice[]) => pins.map((p) => p.title || t("recs.product.untitled", { id: p.productId })).join(", ");
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("recs.products")}
          </Text>
          <Text as="p" tone="subdued">
            {t("recs.products.help")}
          </Text>
        </BlockStack>
        {error ? <Banner tone="critical">{t(error)}</Banner> : null}
        <ProductSearch id="recs-products-search" actions={actions} />
        {editing ? (
          <PinsEditor
            product={editing}
            pins={pinned.find((p) => p.productId === editing.productId)?.pins ?? []}
            max={listLength}
            onClose={() => setEditing(null)}
          />
        ) : null}
        <Divider />
        <BlockStack gap="200" id="recs-excluded">
          <Text as="h3" variant="headingSm">
            {t("recs.products.excluded")}
          </Text>
          {excluded.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("recs.products.excluded.empty")}
            </Text>
          ) : (
            <ProductRows
              products={excluded}
              actions={(p) => (
                <Button size="slim" onClick={() => exclude(p, false)}>
                  {t("recs.products.include")}
                </Button>
              )}
            />
          )}
        </BlockStack>
        <BlockStack gap="200" id="recs-pinned">
          <Text as="h3" variant="headingSm">
            {t("recs.products.pinned")}
          </Text>
          {pinned.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("recs.products.pinned.empty")}
            </Text>
          ) : (
            pinned.map((p) => (
              <BlockStack key={p.productId} gap="100">
                <ProductRows
                  products={[p]}
                  actions={() => (
                    <Button size="slim" onClick={() => setEditing(p)}>
                      {t("recs.products.pin")}
                    </Button>
                  )}
                />
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("recs.products.pinned.first", { products: titles(p.pins) })}
                </Text>
              </BlockStack>
            ))
          )}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
