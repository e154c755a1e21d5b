// A member's referral code is also a Shopify discount code (decision 020): a friend who is only
// told the code types it at checkout and gets the friend's welcome reward, any buyer once each.
// The discount is made and kept in line by a background sync, never in a shopper's request and
// never inside a database transaction. A new code, a change of the friend reward, the program
// turned off or on, or a code changed by an import leaves the row pending until the sync is done.
import type { Tx } from "../../db-types";
import type { Deps } from "../deps";
import { readSettings, type ProgramSettings } from "../earning/program";
import type { BasicDiscountReward, ShopifyAdmin } from "../../shopify/admin/port";
import { isCodeTaken } from "../../shopify/admin/errors";

const DAY_MS = 86_400_000;
/** Longer than a create with all its retries on throttling: two servers never work one code at once. */
const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 60_000;
/** A code another discount has is tried again daily: the merchant may have removed theirs. */
const TAKEN_RETRY_MS = DAY_MS;

/** pending: to create or bring in line; off: the program is off; taken: another discount has the code. */
export type CodeDiscountStatus = "pending" | "active" | "off" | "taken";

type FriendOffer = ProgramSettings["referral"]["friendReward"];

/** The friend's welcome reward as a Shopify discount: the same for a claimed welcome code and a typed member code. */
export function welcomeDiscount(offer: FriendOffer): BasicDiscountReward {
  return offer.type === "fixed_amount" ? { type: "fixed_amount", amount: offer.value } : { type: "percentage", percent: offer.value };
}

/** With free shipping, not with other order or product discounts (it is a first-order welcome). */
export const WELCOME_COMBINES_WITH = { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true } as const;

/** The discount's title in Shopify; also how Kembali knows the discount with this code is its own. */
export const codeDiscountTitle = (code: string) => `Kembali referral code ${code}`;

/** What every member's code should give now: when it changes, every code of the shop is brought in line. */
export function codeDiscountTerms(settings: ProgramSettings): string {
  const { enabled, friendReward } = settings.referral;
  return enabled ? `${friendReward.type}:${friendReward.value}` : "off";
}

/** Makes a code's discount pending again; the raised revision keeps a sync already in flight from settling it. */
export const RESYNC_CODE_DISCOUNT = {
  discountStatus: "pending",
  discountRevision: { increment: 1 },
  discountRetryAt: null,
  discountAttempts: 0,
} as const;

/**
 * After the program's settings are written, in the same transaction: every code whose
 * discount gives something else than these settings say (a new friend reward, referrals turned
 * off or on) is synced again, and so is a code still waiting for its first sync (one in flight
 * must not settle on the settings it read before).
 */
export async function resyncCodeDiscounts(db: Tx, shopDomain: string, settings: ProgramSettings): Promise<number> {
  const { count } = await db.referralCode.updateMany({
    where: {
      shop: { domain: shopDomain },
      OR: [{ discountTerms: { not: codeDiscountTerms(settings) } }, { discountTerms: null, discountStatus: "pending" }],
    },
    data: RESYNC_CODE_DISCOUNT,
  });
  return count;
}

type SyncDeps = Pick<Deps, "db" | "clock"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> };

/**
 * Creates or brings in line the Shopify discount of every code that needs it (or only one
 * shop's). Each code is leased first, so two servers never work on it at once; the outcome is
 * recorded only if nothing changed meanwhile, else the code stays pending for the next run. A
 * failure is recorded on the code and retried later (1 minute, doubling, at most a day).
 */
export async function syncCodeDiscounts(
  deps: SyncDeps,
  { shopId, limit = 50 }: { shopId?: string; limit?: number } = {},
): Promise<{ synced: number; failed: Array<{ shop: string; error: unknown }> }> {
  const now = deps.clock();
  const due = await deps.db.referralCode.findMany({
    where: { ...(shopId ? { shopId } : {}), shop: { uninstalledAt: null }, ...ready(now) },
    orderBy: { createdAt: "asc" },
    select: { id: true, shop: { select: { domain: true } } },
    take: limit,
  });
  let synced = 0;
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const { id, shop } of due) {
    try {
      if (await syncOne(deps, id)) synced += 1;
    } catch (error) {
      failed.push({ shop: shop.domain, error });
    }
  }
  return { synced, failed };
}

/** Codes whose discount needs work now and that no server is working on. */
function ready(now: Date) {
  return {
    discountStatus: { in: ["pending", "taken"] },
    AND: [
      { OR: [{ discountRetryAt: null }, { discountRetryAt: { lte: now } }] },
      { OR: [{ discountLockedUntil: null }, { discountLockedUntil: { lt: now } }] },
    ],
  };
}

async function syncOne(deps: SyncDeps, id: string): Promise<boolean> {
  const now = deps.clock();
  const lease = new Date(now.getTime() + LEASE_MS);
  const { count } = await deps.db.referralCode.updateMany({ where: { id, ...ready(now) }, data: { discountLockedUntil: lease } });
  if (count !== 1) return false; // another server has it, or it was settled meanwhile
  // Read after taking the lease: a change made while an earlier sync was in flight is applied now.
  const row = await deps.db.referralCode.findUniqueOrThrow({
    where: { id },
    select: {
      code: true,
      discountId: true,
      discountRevision: true,
      discountAttempts: true,
      shop: { select: { domain: true, currency: true, settings: true } },
    },
  });
  const held = { id, discountLockedUntil: lease };
  let settings: ProgramSettings;
  let outcome: { status: CodeDiscountStatus; discountId: string | null };
  try {
    settings = readSettings(row.shop.settings, row.shop.currency);
    outcome = await bringInLine(await deps.shopifyFor(row.shop.domain), row, settings, now);
  } catch (error) {
    const attempts = row.discountAttempts + 1;
    await deps.db.referralCode.updateMany({
      where: held,
      data: {
        discountError: error instanceof Error ? error.message.slice(0, 300) : "Shopify did not answer",
        discountAttempts: attempts,
        discountRetryAt: new Date(now.getTime() + Math.min(DAY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1))),
        discountLockedUntil: null,
      },
    });
    throw error;
  }
  // What Shopify now holds for the code, whatever changed meanwhile.
  const holds = { discountId: outcome.discountId, discountTerms: outcome.status === "taken" ? null : codeDiscountTerms(settings) };
  const settled = await deps.db.referralCode.updateMany({
    where: { ...held, discountRevision: row.discountRevision },
    data: {
      ...holds,
      discountStatus: outcome.status,
      discountError: null,
      discountAttempts: 0,
      discountRetryAt: outcome.status === "taken" ? new Date(now.getTime() + TAKEN_RETRY_MS) : null,
      discountLockedUntil: null,
    },
  });
  if (settled.count === 0) {
    // Changed meanwhile: it stays pending for the next run, which starts from what Shopify now holds.
    await deps.db.referralCode.updateMany({ where: held, data: { ...holds, discountLockedUntil: null } });
  }
  return settled.count === 1;
}

/** Makes Shopify's discount for this code what the program says now. */
async function bringInLine(
  admin: ShopifyAdmin,
  row: { code: string; discountId: string | null; shop: { currency: string } },
  settings: ProgramSettings,
  now: Date,
): Promise<{ status: CodeDiscountStatus; discountId: string | null }> {
  if (!settings.referral.enabled) {
    if (row.discountId) await admin.deactivateDiscount(row.discountId);
    return { status: "off", discountId: row.discountId };
  }
  const terms = {
    code: row.code,
    title: codeDiscountTitle(row.code),
    reward: welcomeDiscount(settings.referral.friendReward),
    endsAt: null,
    currency: row.shop.currency,
  };
  if (row.discountId) {
    try {
      await admin.updateDiscountCode(row.discountId, terms);
      return { status: "active", discountId: row.discountId };
    } catch (error) {
      if (!isCodeTaken(error)) throw error;
      // An import gave the member a code another discount has: their old code stops working.
      await admin.deactivateDiscount(row.discountId);
      return { status: "taken", discountId: null };
    }
  }
  try {
    const { discountId } = await admin.createDiscountCode({
      ...terms,
      usage: "once_per_customer",
      startsAt: now,
      combinesWith: WELCOME_COMBINES_WITH,
    });
    return { status: "active", discountId };
  } catch (error) {
    if (!isCodeTaken(error)) throw error;
    const existing = await admin.discountByCode(row.code);
    // Another discount has the code (the merchant's own, or an earlier program's): left alone.
    if (existing?.title !== terms.title) return { status: "taken", discountId: null };
    // Kembali's own, from an attempt whose answer was lost or whose lease ran out: adopted and brought in line.
    await admin.updateDiscountCode(existing.discountId, terms);
    return { status: "active", discountId: existing.discountId };
  }
}
