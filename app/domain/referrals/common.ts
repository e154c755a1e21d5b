// Referrals: shared types and helpers of the parts below. (index.ts says how referrals work.)
import { createHmac } from "node:crypto";
import type { Tx } from "../../db-types";
import type { Deps } from "../deps";
import { findShop, type ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";

export const DAY_MS = 86_400_000;

export type ReferralStatus = "pending" | "held_for_review" | "approved" | "rewarded" | "rejected" | "cancelled";

export type Decision = {
  status: ReferralStatus;
  by: "system" | "merchant";
  /** The merchant's staff member, when `by` is merchant. */
  actor?: string;
  at: string;
  note?: string;
};

/** For work that keeps contact details or IPs: a keyed hash, never the value itself. */
export interface ReferralDeps extends Deps {
  fingerprint: (value: string) => string;
}

/**
 * The keyed hash for contact details and IPs. An IP hashes as `ip:<addressKey>` (an IPv6
 * address by its /64), the same value the App Proxy computes for a shopper (proxy.server.ts),
 * so visits, claims and orders compare.
 */
export function contactHasher(secret: string): (value: string) => string {
  return (value) => createHmac("sha256", secret).update(value).digest("hex").slice(0, 32);
}

export async function enabledShop(db: Tx, shopDomain: string): Promise<ShopRecord> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  if (!shop.settings.referral.enabled) throw new KembaliError("NOT_FOUND", "This shop has no referral program");
  return shop;
}
