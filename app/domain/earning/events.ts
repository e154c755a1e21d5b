// What happens when Shopify says an order was paid, refunded or cancelled: one domain call per
// event, run inside the webhook's transaction. Each does the earning (or its reversal) and the
// referral's part, and reports the follow-up that talks to Shopify after the commit (the
// customer's tier, and with it the tier and balance metafields), which the server runs from
// one place (app/follow-up.server.ts). Nothing here talks to the network.
import type { Deps } from "../deps";
import { ensureShop, type ShopRecord } from "../shop/shops";
import { recordCancellation, recordPaid, recordRefund, type PaidOrder, type PaidOrderResult, type RefundInput } from "./orders";
import { attributeOrder, cancelReferralForOrder, type ReferralDeps, type ReferralView } from "../referrals";
import type { ProductFactsById } from "./product-facts";
import { evaluateTierInTransaction, type TierChangeReason } from "../tiers";

/** Work after the commit, talking to Shopify. A failure there never undoes the event. */
export interface FollowUp {
  /** Re-evaluate the tier of this order's customer and write it (tag, tier and balance metafields). */
  tier: { shopifyOrderId: string; reason: TierChangeReason } | null;
  /** The customer's tier changed in the transaction: write it to Shopify (tag, tier and balance metafields). */
  tierSync?: { shopId: string; customerId: string; stateVersion?: number } | null;
}

export interface EventOutcome<R> {
  result: R;
  followUp: FollowUp;
}

export interface OrderPaidResult extends PaidOrderResult {
  referral: ReferralView | null;
}

/**
 * orders/paid: points for the order, referral attribution (the friend's first paid order), the
 * customer's tier under the program read for the points, then the recommendation counts. `shop`
 * is the shop as read before the transaction, when it was. Every row is read once and passed on.
 */
export async function onOrderPaid(
  deps: ReferralDeps,
  shopDomain: string,
  order: PaidOrder,
  { products, shop }: { products?: ProductFactsById; shop?: ShopRecord | null } = {},
): Promise<EventOutcome<OrderPaidResult>> {
  const paid = await recordPaid(deps, shopDomain, order, { products, shop });
  const { customer, tierPrograms, purchases } = paid;
  const referral = await attributeOrder(deps, shopDomain, order, paid);
  const tierChanged =
    customer && tierPrograms?.current
      ? await evaluateTierInTransaction(
          deps.db,
          paid.shop.id,
          customer,
          { ...tierPrograms, current: tierPrograms.current },
          "order",
          deps.clock(),
          purchases,
        )
      : false;
  await paid.countForRecommendations();
  const tierSync = tierChanged && customer ? { shopId: paid.shop.id, customerId: customer.id, stateVersion: paid.shop.stateVersion } : null;
  // No program read (a held-out customer, a backfill): the evaluation after the commit decides, as for refunds.
  const tier = customer && tierPrograms === undefined ? { shopifyOrderId: order.shopifyOrderId, reason: "order" as const } : null;
  return { result: { ...paid.result, referral }, followUp: { tier, tierSync } };
}

/**
 * refunds/create: the refund is kept and the order's points reversed; a refund inside the hold
 * window cancels the friend's referral (when nothing qualifying is left). A refund can be the
 * first event Kembali sees from a shop: `currency` (from the refund, when it says) is then the
 * shop's, and `refund` is read in the shop's currency.
 */
export async function onRefund(
  deps: Deps,
  shopDomain: string,
  currency: string | null,
  refund: (shopCurrency: string) => RefundInput,
): Promise<EventOutcome<{ referralCancelled: boolean }>> {
  const shop = await ensureShop(deps.db, shopDomain, currency ?? undefined);
  const input = refund(shop.currency);
  await recordRefund(deps, shopDomain, input);
  const referralCancelled = await cancelReferralForOrder(deps, shopDomain, input.shopifyOrderId);
  return { result: { referralCancelled }, followUp: { tier: { shopifyOrderId: input.shopifyOrderId, reason: "refund" } } };
}

/** orders/cancelled: the order is marked (kept if this came first), its points reversed, its referral cancelled. */
export async function onCancellation(
  deps: Deps,
  shopDomain: string,
  order: PaidOrder,
  cancelledAt: Date,
): Promise<EventOutcome<{ referralCancelled: boolean }>> {
  await recordCancellation(deps, shopDomain, order, cancelledAt);
  const referralCancelled = await cancelReferralForOrder(deps, shopDomain, order.shopifyOrderId);
  return { result: { referralCancelled }, followUp: { tier: { shopifyOrderId: order.shopifyOrderId, reason: "cancellation" } } };
}

/** True for what onOrderPaid, onRefund and onCancellation return. */
export function hasFollowUp(value: unknown): value is EventOutcome<unknown> {
  return typeof value === "object" && value !== null && "followUp" in value;
}
