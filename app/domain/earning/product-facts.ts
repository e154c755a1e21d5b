// Products' tags and collections for an order's lines, asked of Shopify only when the shop's
// program has rules on them. Called before a transaction (never inside one: it is network).
import type { ShopifyAdmin } from "../../shopify/admin/port";
import type { ProgramSettings } from "./program";
import { needsProductFacts } from "./program";
import type { OrderLine } from "./earning";
import type { ShopifyFor, Tx } from "../deps";
import { findShop, type ShopRecord } from "../shop/shops";

export type ProductFactsById = Map<string, { tags: string[]; collectionIds: string[] }>;

export async function productFactsIfNeeded(
  settings: ProgramSettings | null,
  productIds: Array<string | null>,
  shopify: () => Promise<ShopifyAdmin>,
): Promise<ProductFactsById> {
  const facts: ProductFactsById = new Map();
  const ids = [...new Set(productIds.filter((id): id is string => !!id))];
  if (!settings || ids.length === 0 || !needsProductFacts(settings)) return facts;
  for (const p of await (await shopify()).productFacts(ids)) facts.set(p.productId, { tags: p.tags, collectionIds: p.collectionIds });
  return facts;
}

/** An order's lines as the earning rules read them, with each product's tags and collections. */
export function earningLines(
  lines: Array<{ productId?: string | null; quantity: number; price: number }>,
  products: ProductFactsById,
): OrderLine[] {
  return lines.map((l) => ({
    productId: l.productId ?? null,
    quantity: l.quantity,
    price: l.price,
    productTags: (l.productId && products.get(l.productId)?.tags) || [],
    collectionIds: (l.productId && products.get(l.productId)?.collectionIds) || [],
  }));
}

export interface ShopAndProductFacts {
  shop: ShopRecord | null;
  products: ProductFactsById;
}

/**
 * Before an order's transaction: the shop (null before its first contact), read once for the
 * whole webhook, and productFactsIfNeeded under its stored program (none yet: no facts needed).
 */
export async function shopAndProductFacts(
  deps: { db: Tx; shopifyFor: ShopifyFor },
  shopDomain: string,
  productIds: Array<string | null>,
): Promise<ShopAndProductFacts> {
  const shop = await findShop(deps.db, shopDomain);
  return { shop, products: await productFactsIfNeeded(shop?.settings ?? null, productIds, () => deps.shopifyFor(shopDomain)) };
}
