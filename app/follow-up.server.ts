// The one place where an event's follow-up runs, after its transaction has committed: the work
// that talks to Shopify (domain/earning/events.ts says what is needed). Outside the transaction on
// purpose: nothing slow runs while it holds its locks, and a failure here is retried by the
// background sweeps, never undoes the event.
import { shopDeps } from "./deps.server";
import type { FollowUp } from "./domain/earning/events";
import { evaluateTierForOrder, syncTierChanges } from "./domain/tiers";

export async function runFollowUp(shop: string, followUp: FollowUp): Promise<void> {
  if (followUp.tier) {
    await evaluateTierForOrder(await shopDeps(shop), shop, followUp.tier.shopifyOrderId, followUp.tier.reason);
  }
  if (followUp.tierSync) {
    const { shopId, customerId, stateVersion } = followUp.tierSync;
    await syncTierChanges(await shopDeps(shop), shopId, [customerId], stateVersion);
  }
}
