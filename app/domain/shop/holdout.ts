// The holdout: a share of customers the merchant keeps out of the program, so its effect
// can be measured against customers it never touched (analytics/impact.ts). Each customer's
// group is decided once, when Kembali first sees them, and recorded on their row
// (docs/decisions/010-holdout-groups.md):
// - bucket = sha256(salt, shop, Shopify customer id) → 0..9999, the same on every server and
//   every replay; held out when bucket < share × 100;
// - raising the share only affects customers seen from then on: nobody already in the
//   program is taken out of it;
// - lowering it lets in the held-out customers above the new boundary (holdoutReleasedAt),
//   and turning it off lets everyone in. Released customers are left out of the comparison.
// Guests cannot be assigned (no identity): they see what the program offers, as before.
import { createHash } from "node:crypto";
import type { Tx } from "../../db-types";
import { KembaliError } from "../errors";
import { HOLDOUT_BUCKETS, holdoutBoundary } from "./holdout-share";
import { findShop, type ShopRecord } from "./shops";

/** The customer's bucket, 0..9999: uniform, stable, unguessable without the shop's salt. */
export function holdoutBucket(salt: string, shopDomain: string, shopifyCustomerId: string): number {
  const digest = createHash("sha256").update(`${salt}\n${shopDomain}\n${shopifyCustomerId}`).digest();
  return digest.readUInt32BE(0) % HOLDOUT_BUCKETS;
}

export interface HoldoutAssignment {
  holdout: boolean;
  holdoutBucket: number | null;
}

/** The holdout fields of a customer row created now (first sight). No holdout on: not assigned. */
export function firstSight(shop: Pick<ShopRecord, "domain" | "settings">, shopifyCustomerId: string): HoldoutAssignment {
  const { share, salt } = shop.settings.holdout;
  if (share === 0 || !salt) return { holdout: false, holdoutBucket: null };
  const bucket = holdoutBucket(salt, shop.domain, shopifyCustomerId);
  return { holdout: bucket < holdoutBoundary(share), holdoutBucket: bucket };
}

/**
 * Whether a logged-in shopper is kept out of the program: what their row says, or for a
 * shopper not seen yet, what first sight will decide (so the answer never changes later).
 */
export async function isHeldOut(db: Tx, shop: ShopRecord, shopifyCustomerId: string): Promise<boolean> {
  const row = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: { holdout: true },
  });
  return row ? row.holdout : firstSight(shop, shopifyCustomerId).holdout;
}

/** Storefront calls: a held-out shopper gets NOT_IN_PROGRAM (403); guests and members pass. */
export async function assertInProgram(db: Tx, shop: ShopRecord, shopifyCustomerId: string | null): Promise<void> {
  if (shopifyCustomerId && (await isHeldOut(db, shop, shopifyCustomerId))) {
    throw new KembaliError("NOT_IN_PROGRAM", "This customer is in the shop's holdout group");
  }
}

/** assertInProgram by shop domain, for the App Proxy routes (an unknown shop is left to them). */
export async function refuseHeldOut(db: Tx, shopDomain: string, shopifyCustomerId: string | null): Promise<void> {
  if (!shopifyCustomerId) return;
  const shop = await findShop(db, shopDomain);
  if (shop) await assertInProgram(db, shop, shopifyCustomerId);
}
