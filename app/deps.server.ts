// The domain's dependencies, built once for the whole app: the database, the clock, the
// transaction, the Shopify port and the log. Routes, webhooks, proxy calls and background work
// pass these (or `shopDeps(shop)`, with the shop's Admin API) to the domain.
import prisma, { transaction } from "./db.server";
import { config } from "./config.server";
import { log } from "./log.server";
import { movableClock, realClock } from "./clock.server";
import { shopifyFor, useLocalStoreStandIn } from "./shopify/shopify-for.server";
import { demoStandIn } from "./demo/shopify-stand-in";
import { contactHasher } from "./domain/referrals";
import type { Clock, Log, ShopifyFor, TxDeps, Tx } from "./domain/deps";
import type { ShopifyAdmin } from "./shopify/admin/port";

// The demo shop's Shopify stand-in is demo code: handed in here, never imported by the port.
if (config.mode === "demo") useLocalStoreStandIn(demoStandIn);

/** Demo mode's clock, which time travel (the demo.clock route) moves; null outside demo mode. */
export const demoClock = config.mode === "demo" ? movableClock() : null;

export const clock: Clock = demoClock?.now ?? realClock;

export interface AppDeps extends TxDeps {
  log: Log;
  shopifyFor: ShopifyFor;
  /** Keyed hashes of shoppers' contact details (referral fraud checks). */
  fingerprint: (value: string) => string;
}

export const appDeps: AppDeps = {
  db: prisma,
  clock,
  transaction: transaction(prisma),
  log,
  shopifyFor,
  fingerprint: contactHasher(config.apiSecret),
};

/** appDeps inside a transaction (`db` is the transaction's client). */
export const txDeps = (tx: Tx): AppDeps => ({ ...appDeps, db: tx });

/** appDeps with the shop's Admin API, for domain calls that talk to Shopify. */
export async function shopDeps(shop: string): Promise<AppDeps & { shopify: ShopifyAdmin }> {
  return { ...appDeps, shopify: await shopifyFor(shop) };
}
