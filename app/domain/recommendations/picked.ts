// "Picked for you": a logged-in shopper's recommendations from their own paid orders, for the
// storefront panel's lazy card (GET /apps/kembali/picked). Their newest paid, not cancelled
// orders become a weighted history query (recent purchases lead), answered from the stored
// neighbour rows; what the merchant excluded, what is unavailable and what the app knows too
// little about to show (no title or handle yet) is never returned. A shopper without paid
// orders gets nothing rather than best sellers: the card says "picked for you", and the
// product and cart blocks already show best sellers (docs/storefront.md).
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { readSettings } from "../earning/program";
import { productPoints } from "../earning/earning";
import { historyQuery } from "./model";
import { storedRecommendations } from "./stored";
import type { ProductFactsById } from "../earning/product-facts";
// The answer's shape is the storefront's contract with the card (types only).
import type { PickedAnswer } from "../../../widget/src/contract";

export type { PickedAnswer, PickedProduct } from "../../../widget/src/contract";

/** Orders read per shopper, newest first. */
export const PICKED_ORDERS = 10;
/** Products the card shows at most. */
export const PICKED_LIMIT = 4;
/** Rankings asked for at most, each without the products the one before could not show. */
const PICKED_ROUNDS = 4;

type PickedDeps = Pick<Deps, "db"> & {
  /** Products' tags and collections when the program has rules on them (empty map otherwise). */
  productFacts: (settings: ReturnType<typeof readSettings>, productIds: string[]) => Promise<ProductFactsById>;
};

export async function pickedForShopper(deps: PickedDeps, shopDomain: string, shopifyCustomerId: string): Promise<PickedAnswer> {
  const { db } = deps;
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, currency: true, settings: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const none: PickedAnswer = { currency: shop.currency, products: [] };
  const customer = await db.customer.findFirst({ where: { shopId: shop.id, shopifyCustomerId }, select: { id: true } });
  if (!customer) return none;
  const orders = await db.order.findMany({
    where: { shopId: shop.id, customerId: customer.id, paidAt: { not: null }, cancelledAt: null },
    orderBy: [{ paidAt: "desc" }, { id: "desc" }],
    take: PICKED_ORDERS,
    select: { lines: { select: { productId: true } } },
  });
  const history = orders.map((o) => o.lines.flatMap((l) => (l.productId ? [l.productId] : [])));
  if (history.every((o) => o.length === 0)) return none;

  // Products that cannot be shown (excluded, unavailable, no Product row with a title and a
  // handle yet) are skipped: the ranking is asked again without the ones seen, so a shop with
  // thousands of unavailable products never reads them all for one card.
  const items = historyQuery(history);
  const skipped = new Set<string>();
  let shown: Array<Awaited<ReturnType<typeof showable>>[number]> = [];
  for (let round = 0; round < PICKED_ROUNDS; round++) {
    const asked = PICKED_LIMIT * 3;
    const ids = (await storedRecommendations(deps, shop.id, { items, exclude: [...skipped], limit: asked })).map((r) => r.item);
    const byId = new Map((await showable(db, shop.id, ids)).map((r) => [r.productId, r]));
    shown = ids.flatMap((id) => byId.get(id) ?? []).slice(0, PICKED_LIMIT);
    if (shown.length === PICKED_LIMIT || ids.length < asked) break;
    for (const id of ids) if (!byId.has(id)) skipped.add(id);
  }
  if (shown.length === 0) return none;

  const settings = readSettings(shop.settings, shop.currency);
  // Shopify not answering costs the points line, not the card.
  const facts = await deps
    .productFacts(
      settings,
      shown.map((p) => p.productId),
    )
    .catch(() => null);
  return {
    currency: shop.currency,
    products: shown.map((p) => {
      const price = p.priceMinor === null ? null : Number(p.priceMinor);
      const fact = facts?.get(p.productId);
      const points =
        facts === null
          ? null
          : productPoints(price ?? 0, { productTags: fact?.tags ?? [], collectionIds: fact?.collectionIds ?? [] }, settings);
      return {
        id: p.productId,
        title: p.title!,
        url: `/products/${encodeURIComponent(p.handle!)}?kembali_rec=picked`,
        imageUrl: p.imageUrl,
        imageAlt: p.imageAlt,
        price,
        points,
      };
    }),
  };
}

/** The Product rows among `ids` that may be shown: not excluded, available, with a title and a handle. */
function showable(db: Deps["db"], shopId: string, ids: string[]) {
  return db.product.findMany({
    where: { shopId, productId: { in: ids }, excluded: false, available: true, title: { not: null }, handle: { not: null } },
  });
}
