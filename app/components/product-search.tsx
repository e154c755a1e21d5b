import { useEffect, useRef, useState, type ReactNode } from "react";
import { useFetcher, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Text, TextField, Thumbnail } from "@shopify/polaris";
import type { ProductChoice } from "~/admin/recommendations";
import { useT } from "~/components/use-t";

const SEARCH_URL = "/app/recommendations/products";

/** One product as the merchant knows it: thumbnail, title (as text), and why it may not be shown. */
export function ProductLine({ product, children }: { product: ProductChoice; children?: ReactNode }) {
  const { t } = useT();
  const title = product.title || t("recs.product.untitled", { id: product.productId });
  return (
    <InlineStack align="space-between" blockAlign="center" gap="300" wrap={false}>
      <InlineStack gap="300" blockAlign="center" wrap={false}>
        {product.imageUrl ? (
          <Thumbnail size="small" source={product.imageUrl} alt={product.imageAlt || title} />
        ) : (
          <Box minWidth="40px" minHeight="40px" background="bg-surface-secondary" borderRadius="200" />
        )}
        <BlockStack gap="100">
          <Text as="span" fontWeight="semibold">
            {title}
          </Text>
          {!product.available || product.excluded ? (
            <InlineStack gap="100">
              {!product.available ? <Badge tone="warning">{t("recs.product.unavailable")}</Badge> : null}
              {product.excluded ? <Badge tone="critical">{t("recs.product.excluded")}</Badge> : null}
            </InlineStack>
          ) : null}
        </BlockStack>
      </InlineStack>
      {children ? (
        <InlineStack gap="200" wrap={false}>
          {children}
        </InlineStack>
      ) : null}
    </InlineStack>
  );
}

/** A bordered box per product, with its actions beside it. */
export function ProductRows({ products, actions }: { products: ProductChoice[]; actions?: (p: ProductChoice, i: number) => ReactNode }) {
  return (
    <BlockStack gap="200">
      {products.map((p, i) => (
        <Box key={p.productId} padding="200" borderWidth="025" borderColor="border" borderRadius="200">
          <ProductLine product={p}>{actions?.(p, i)}</ProductLine>
        </Box>
      ))}
    </BlockStack>
  );
}

/**
 * An ordered list of products the merchant arranges (picks, one product's pins): move up or
 * down and remove, each giving the new order of ids; `empty` when there is none.
 */
export function OrderedProducts({
  products,
  empty,
  onChange,
}: {
  products: ProductChoice[];
  empty: string;
  onChange: (ids: string[]) => void;
}) {
  const { t } = useT();
  const ids = products.map((p) => p.productId);
  const moved = (from: number, to: number) => {
    const next = [...ids];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    return next;
  };
  if (products.length === 0)
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  return (
    <ProductRows
      products={products}
      actions={(_, i) => (
        <>
          <Button size="slim" disabled={i === 0} onClick={() => onChange(moved(i, i - 1))}>
            {t("recs.product.up")}
          </Button>
          <Button size="slim" disabled={i === ids.length - 1} onClick={() => onChange(moved(i, i + 1))}>
            {t("recs.product.down")}
          </Button>
          <Button size="slim" tone="critical" variant="plain" onClick={() => onChange(ids.filter((_, j) => j !== i))}>
            {t("recs.product.remove")}
          </Button>
        </>
      )}
    />
  );
}

/**
 * Search this shop's products by title as the merchant types (a short pause first), and show
 * each match with the actions the caller gives.
 */
export function ProductSearch({ id, actions }: { id: string; actions: (p: ProductChoice) => ReactNode }) {
  const { t } = useT();
  const fetcher = useFetcher<{ query: string; products: ProductChoice[] }>();
  const [query, setQuery] = useState("");
  const { load } = fetcher;
  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    const timer = setTimeout(() => load(`${SEARCH_URL}?q=${encodeURIComponent(q)}`), 250);
    return () => clearTimeout(timer);
  }, [query, load]);
  // A change saved on the page (an exclusion, a pick) may change what the matches show: search again.
  const navigation = useNavigation();
  const busy = useRef(false);
  useEffect(() => {
    if (navigation.state !== "idle") busy.current = true;
    else if (busy.current) {
      busy.current = false;
      if (query.trim()) load(`${SEARCH_URL}?q=${encodeURIComponent(query.trim())}`);
    }
  }, [navigation.state, query, load]);
  const shown = query.trim() && fetcher.data?.query === query.trim() ? fetcher.data.products : null;
  return (
    <BlockStack gap="300">
      <TextField
        id={id}
        label={t("recs.search.label")}
        placeholder={t("recs.search.placeholder")}
        helpText={t("recs.search.help")}
        value={query}
        onChange={setQuery}
        autoComplete="off"
        clearButton
        onClearButtonClick={() => setQuery("")}
      />
      {shown === null ? null : shown.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("recs.search.none", { query: query.trim() })}
        </Text>
      ) : (
        <div id={`${id}-results`}>
          <ProductRows products={shown} actions={actions} />
        </div>
      )}
    </BlockStack>
  );
}
