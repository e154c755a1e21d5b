// After an order, refund or cancellation has committed: re-evaluate the customer's VIP tier and
// write a change to Shopify (tag and metafield). Outside the webhook's transaction on purpose.
import prisma, { transaction } from "../db.server";
import { systemClock } from "../domain/deps";
import { evaluateTierForOrder, type TierChangeReason } from "../domain/tiers";
import { shopifyFor } from "./admin.server";

export async function evaluateTierAfter(shop: string, shopifyOrderId: string, reason: TierChangeReason) {
  const deps = { db: prisma, clock: systemClock, transaction: transaction(prisma), shopify: await shopifyFor(shop) };
  return evaluateTierForOrder(deps, shop, shopifyOrderId, reason);
}
