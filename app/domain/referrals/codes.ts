// Referrals: the member's code and link. (index.ts says how referrals work.)
import { randomInt } from "node:crypto";
import type { Tx } from "../../db-types";
import type { Deps } from "../deps";
import { findShop, type ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { CODE_ALPHABET, CODE_LENGTH, normaliseCode } from "./rules";
import { enabledShop } from "./common";
import { memberRow } from "../members/member-row";

export interface ReferralLink {
  code: string;
  url: string;
}

export function referralUrl(shopDomain: string, code: string): string {
  return `https://${shopDomain}/?ref=${code}`;
}

function randomCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/**
 * The member's code and link, created on first ask. Call it with the root client, not inside
 * a transaction: a code taken by someone else a moment ago is retried with another.
 */
export async function referralFor(deps: Deps, shopDomain: string, shopifyCustomerId: string): Promise<ReferralLink> {
  const shop = await enabledShop(deps.db, shopDomain);
  const customer = await memberRow(deps.db, shop, shopifyCustomerId);
  const link = (code: string) => ({ code, url: referralUrl(shop.domain, code) });
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await deps.db.referralCode.findUnique({ where: { customerId: customer.id } });
    if (existing) return link(existing.code);
    try {
      const created = await deps.db.referralCode.create({
        data: { shopId: shop.id, customerId: customer.id, code: randomCode(), createdAt: deps.clock() },
      });
      return link(created.code);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error("Could not find a free referral code");
}

/** The member's link and code; `checkout`: the code is also a Shopify discount code friends can type at checkout. */
export interface StorefrontReferralLink extends ReferralLink {
  checkout: boolean;
}

/** Kembali's discount for the code exists and is on (a pending one is being brought in line with a new reward). */
function typeableAtCheckout(row: { discountStatus: string; discountId: string | null }): boolean {
  return row.discountId !== null && (row.discountStatus === "active" || row.discountStatus === "pending");
}

/** For the storefront state: the member's link and what the program offers (null when it is off). */
export async function storefrontReferral(
  deps: Deps,
  shopDomain: string,
  shopifyCustomerId: string | null,
): Promise<{
  referral: StorefrontReferralLink | null;
  program: { referrerPoints: number; friendReward: ShopRecord["settings"]["referral"]["friendReward"] } | null;
}> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop?.settings.referral.enabled) return { referral: null, program: null };
  const { referrerPoints, friendReward } = shop.settings.referral;
  let referral: StorefrontReferralLink | null = null;
  if (shopifyCustomerId) {
    // The widget asks on every open: read the code, and only create it (a write) the first time.
    // Its Shopify discount is made by the background sync, never here.
    const existing = await deps.db.referralCode.findFirst({
      where: { shopId: shop.id, customer: { shopifyCustomerId } },
      select: { code: true, discountStatus: true, discountId: true },
    });
    referral = existing
      ? { code: existing.code, url: referralUrl(shop.domain, existing.code), checkout: typeableAtCheckout(existing) }
      : { ...(await referralFor(deps, shopDomain, shopifyCustomerId)), checkout: false };
  }
  return { referral, program: { referrerPoints, friendReward } };
}

export async function codeRow(db: Tx, shopId: string, raw: string) {
  const code = normaliseCode(raw);
  const row = code ? await db.referralCode.findUnique({ where: { shopId_code: { shopId, code } } }) : null;
  if (!row) throw new KembaliError("NOT_FOUND", "No such referral code");
  return row;
}
