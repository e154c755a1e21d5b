// Best sellers: what the "Customers also bought" block shows until co-purchase
// recommendations exist (and for products without any). Ranked from the app's own paid
// orders and written to the shop's kembali.best_sellers metafield, which the block's Liquid
// reads, so the storefront needs no JavaScript and no call to the app.
import type { Deps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { shopList } from "./lists";
import { readProductIds, refreshProducts, showableProducts } from "./products";

/** Sales counted: orders placed in the last 90 days. */
export const BEST_SELLER_DAYS = 90;
/** Products kept in the metafield: the block shows at most 8, and never the product on the page. */
export const BEST_SELLERS_KEPT = 12;

const DAY_MS = 86_400_000;

/** One product's sales in the window, as the query sums them. */
export interface ProductSales {
  productId: string | null;
  /** Units sold. */
  quantity: number;
  /** Order lines it was on (about the number of orders). */
  lines: number;
}

/** The window of orders that count: [now − 90 days, now]. */
export function bestSellerWindow(now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - BEST_SELLER_DAYS * DAY_MS), to: now };
}

/**
 * Product ids, best first: most units sold; on a tie the one on more orders; then the lower
 * (older) product id, so the same sales always give the same list. Lines without a product
 * (custom items) and products with no units sold are left out.
 */
export function rankBestSellers(sales: ProductSales[], limit = BEST_SELLERS_KEPT): string[] {
  return sales
    .filter((s): s is ProductSales & { productId: string } => s.productId !== null && /^\d+$/.test(s.productId) && s.quantity > 0)
    .sort((a, b) => b.quantity - a.quantity || b.lines - a.lines || compareIds(a.productId, b.productId))
    .slice(0, limit)
    .map((s) => s.productId);
}

/** Numeric ids as numbers, without losing precision on 64-bit ids. */
function compareIds(a: string, b: string): number {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** The shop's best sellers now: one grouped query over its paid, not cancelled orders in the window. */
export async function bestSellers(deps: Pick<Deps, "db" | "clock">, shopId: string, limit = BEST_SELLERS_KEPT): Promise<string[]> {
  const { from, to } = bestSellerWindow(deps.clock());
  const groups = await deps.db.orderLine.groupBy({
    by: ["productId"],
    where: {
      productId: { not: null },
      order: { shopId, orderedAt: { gte: from, lte: to }, paidAt: { not: null }, cancelledAt: null },
    },
    _sum: { quantity: true },
    _count: { _all: true },
  });
  return rankBestSellers(
    groups.map((g) => ({ productId: g.productId, quantity: Number(g._sum.quantity ?? 0), lines: g._count._all })),
    limit,
  );
}

export type BestSellersOutcome = "written" | "unchanged" | "skipped";

/**
 * Writes the shop's list (best sellers, then the merchant's picks where best sellers run short)
 * to Shopify when it differs from what was last written (Shop.bestSellersWritten), then
 * remembers it. A failed write leaves the memory as it was, so the next run tries again.
 * Only products that can be shown are written: read from Shopify within a day, still there,
 * can be bought, and not excluded by the merchant (Shopify refuses a reference to a product
 * that no longer exists).
 */
export async function refreshBestSellers(
  deps: Pick<Deps, "db" | "clock"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> },
  shopDomain: string,
): Promise<{ outcome: BestSellersOutcome; productIds: string[] }> {
  const shop = await deps.db.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, uninstalledAt: true, bestSellersWritten: true },
  });
  if (!shop || shop.uninstalledAt) return { outcome: "skipped", productIds: [] };
  const [ranked, state] = await Promise.all([
    bestSellers(deps, shop.id),
    deps.db.recsState.findUnique({ where: { shopId: shop.id }, select: { picks: true } }),
  ]);
  const picks = readProductIds(state?.picks);
  const candidates = [...new Set([...ranked, ...picks])];
  // Never written and nothing to show: there is no metafield to write or remove.
  if (shop.bestSellersWritten === null && candidates.length === 0) return { outcome: "unchanged", productIds: [] };
  if (candidates.length > 0) await refreshProducts(deps, shopDomain, { only: candidates });
  const showable = await showableProducts(deps.db, shop.id, candidates);
  const productIds = shopList({ bestSellers: ranked, picks, showable: (id) => showable.has(id), limit: BEST_SELLERS_KEPT });
  const remembered = JSON.stringify(productIds);
  if (shop.bestSellersWritten === remembered) return { outcome: "unchanged", productIds };
  if (shop.bestSellersWritten === null && productIds.length === 0) return { outcome: "unchanged", productIds };

  const shopify = await deps.shopifyFor(shopDomain);
  await shopify.setBestSellers(productIds);
  await deps.db.shop.update({ where: { id: shop.id }, data: { bestSellersWritten: remembered } });
  return { outcome: "written", productIds };
}
