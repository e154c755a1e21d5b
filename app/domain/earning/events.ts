// What happens when Shopify says an order was paid, refunded or cancelled: one domain call per
// event, run inside the webhook's transaction. Each does the earning (or its reversal) and the
// referral's part, and reports the follow-up that talks to Shopify after the commit (the
// customer's tier, and with it the tier and balance metafields), which the server runs from
// one place (app/follow-up.server.ts). Nothing here talks to the network.
import type { Deps } from "../deps";
import { ensureShop } from "../shop/shops";
import { recordCancellation, recordPaidOrder, recordRefund, type PaidOrder, type PaidOrderResult, type RefundInput } from "./orders";
import { attributeOrder, cancelReferralForOrder, type ReferralDeps, type ReferralView } from "../referrals";
import type { ProductFactsById } from "./product-facts";
import type { TierChangeReason } from "../tiers";

/** Work after the commit, talking to Shopify. A failure there never undoes the event. */
export interface FollowUp {
  /** Re-evaluate the tier of this order's customer and write it (tag, tier and balance metafields). */
  tier: { shopifyOrderId: string; reason: TierChangeReason } | null;
}

export interface EventOutcome<R> {
  result: R;
  followUp: FollowUp;
}

export interface OrderPaidResult extends PaidOrderResult {
  referral: ReferralView | null;
}

/** orders/paid: points for the order, then referral attribution (the friend's first paid order). */
export async function onOrderPaid(
  deps: ReferralDeps,
  shopDomain: string,
  order: PaidOrder,
  { products }: { products?: ProductFactsById } = {},
): Promise<EventOutcome<OrderPaidResult>> {
  const earned = await recordPaidOrder(deps, shopDomain, order, { products });
  const referral = await attributeOrder(deps, shopDomain, order);
  return { result: { ...earned, referral }, followUp: { tier: { shopifyOrderId: order.shopifyOrderId, reason: "order" } } };
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
