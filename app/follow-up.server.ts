// The one place where an event's follow-up runs, after its transaction has committed: the work
// that talks to Shopify (domain/order-events.ts says what is needed). Outside the transaction on
// purpose: nothing slow runs while it holds its locks, and a failure here is retried by the
// background sweeps, never undoes the event.
import prisma, { transaction } from "./db.server";
import { systemClock } from "./domain/deps";
import type { FollowUp } from "./domain/order-events";
import { evaluateTierForOrder } from "./domain/tiers";
import { shopifyFor } from "./shopify/admin.server";

export async function runFollowUp(shop: string, followUp: FollowUp): Promise<void> {
  if (followUp.tier) {
    const deps = { db: prisma, clock: systemClock, transaction: transaction(prisma), shopify: await shopifyFor(shop) };
    await evaluateTierForOrder(deps, shop, followUp.tier.shopifyOrderId, followUp.tier.reason);
  }
}
