// When an order was fulfilled (orders/fulfilled): the storefront survey card asks about an order
// the shop's delayDays after it. The first fulfilment time Shopify reports is kept; a replay or
// a later event changes nothing.
import type { Deps } from "../deps";

/** Sets the order's fulfilment time once; false when the app does not know the order (not paid yet, or another shop's). */
export async function recordFulfilment(deps: Pick<Deps, "db">, shopDomain: string, shopifyOrderId: string, at: Date): Promise<boolean> {
  const { count } = await deps.db.order.updateMany({
    where: { shop: { domain: shopDomain }, shopifyOrderId, fulfilledAt: null },
    data: { fulfilledAt: at },
  });
  if (count > 0) return true;
  const known = await deps.db.order.findFirst({ where: { shop: { domain: shopDomain }, shopifyOrderId }, select: { id: true } });
  return known !== null;
}
