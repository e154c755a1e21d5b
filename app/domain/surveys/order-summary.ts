// What the post-purchase surfaces show about one order (common/survey-api.ts OrderSummary),
// apart from the survey: a member's points for it from the ledger, a guest's claim figure.
// Who may ask about which order is decision 035.
import type { OrderSummary } from "../../../common/survey-api";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { findShop } from "../shop/shops";
import { assertInProgram } from "../shop/holdout";
import { pointsForOrder } from "../earning/earning";

/** A guest may ask about an order without a customer only this long after it was placed. */
export const GUEST_ORDER_HOURS = 24;

const ORDER_ID = /^\d{1,20}$/;

/** The same answer for an order that does not exist and one that is someone else's: nothing leaks. */
const notFound = () => new KembaliError("NOT_FOUND", "No such order for this shopper");

export type OrderPoints = Pick<OrderSummary, "order" | "claim">;

/**
 * A member (their numeric customer id, from a verified token) sees their own order's points:
 * what the ledger holds for it, net of refunds and cancellation, pending or not. A guest sees
 * only a recent order without a customer, and only the points an account would have earned at
 * the program's base rate (claim); never the order's contents.
 */
export async function orderPoints(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  shopifyCustomerId: string | null,
  shopifyOrderId: string,
): Promise<OrderPoints> {
  if (!ORDER_ID.test(shopifyOrderId)) throw new KembaliError("BAD_INPUT", "order must be Shopify's numeric order id");
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw notFound();
  const order = await deps.db.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId } },
    select: {
      customerId: true,
      customer: { select: { shopifyCustomerId: true } },
      subtotalMinor: true,
      currency: true,
      orderedAt: true,
      cancelledAt: true,
    },
  });
  if (!order) throw notFound();

  if (shopifyCustomerId === null) {
    const age = deps.clock().getTime() - order.orderedAt.getTime();
    if (order.customerId !== null || age > GUEST_ORDER_HOURS * 3_600_000 || age < -3_600_000) throw notFound();
    // Only in the shop's currency (another one would earn nothing either, app/domain/earning/orders.ts).
    const points =
      order.cancelledAt || order.currency !== shop.currency ? 0 : pointsForOrder({ subtotal: Number(order.subtotalMinor) }, shop.settings);
    return { order: null, claim: points > 0 ? { points } : null };
  }

  if (order.customer?.shopifyCustomerId !== shopifyCustomerId) throw notFound();
  await assertInProgram(deps.db, shop, shopifyCustomerId);
  const earn = await deps.db.pointsEntry.findUnique({
    where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey: `earn:order:${shopifyOrderId}` } },
    select: { points: true, pending: true, availableAt: true, customerId: true },
  });
  if (!earn || earn.customerId !== order.customerId) {
    return { order: { id: shopifyOrderId, points: 0, pending: false, availableAt: null }, claim: null };
  }
  const reversed = await deps.db.pointsEntry.aggregate({
    where: { shopId: shop.id, kind: "reverse", sourceId: shopifyOrderId, customerId: earn.customerId },
    _sum: { points: true },
  });
  const points = Math.max(0, earn.points + (reversed._sum.points ?? 0));
  const pending = earn.pending && points > 0;
  return {
    order: { id: shopifyOrderId, points, pending, availableAt: pending && earn.availableAt ? earn.availableAt.toISOString() : null },
    claim: null,
  };
}
