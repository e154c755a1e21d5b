// Referrals: every member has a code and a link; a friend's first paid order is attributed to
// its referrer (welcome code, the member's code typed at checkout, cart attribute, claimed link,
// or invite), scored for fraud, held for the return window, then the referrer earns points once.
// A refund or cancellation inside the window cancels it; the merchant can approve, reject or
// reverse any decision.
import { createHash, createHmac, randomInt } from "node:crypto";
import type { Tx } from "../../db-types";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { ShopifyAdminError } from "../../shopify/admin/errors";
import type { Deps, Log, TxDeps } from "../deps";
import type { PaidOrder } from "../earning/order";
import { appendEntry } from "../ledger/ledger";
import { findShop, type ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { firstSight } from "../shop/holdout";
import { hitRateLimits } from "../rate-limit";
import { addressKey } from "../ip-address";
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  COUPON_LEAK_DAYS,
  assessRisk,
  attributionSignals,
  chooseAttribution,
  normaliseAddress,
  normaliseCode,
  normaliseEmail,
  normalisePhone,
  riskReasons,
  type AttributionMethod,
  type Party,
  type RiskReason,
} from "./rules";
import { WELCOME_COMBINES_WITH, welcomeDiscount } from "./discounts";

export * from "./rules";
export * from "./discounts";

const DAY_MS = 86_400_000;

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

async function enabledShop(db: Tx, shopDomain: string): Promise<ShopRecord> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  if (!shop.settings.referral.enabled) throw new KembaliError("NOT_FOUND", "This shop has no referral program");
  return shop;
}

/** The shopper's customer row, created at first sight. Outside a transaction: two first requests at once both get it. */
async function memberRow(db: Tx, shop: ShopRecord, shopifyCustomerId: string) {
  const where = { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } };
  try {
    return await db.customer.upsert({ where, create: { shopId: shop.id, shopifyCustomerId, ...firstSight(shop, shopifyCustomerId) }, update: {} });
  } catch (error) {
    // The other request created it a moment ago (an upsert is a read, then an insert).
    if (!isUniqueViolation(error)) throw error;
    return db.customer.findUniqueOrThrow({ where });
  }
}

// ---------------------------------------------------------------------------------------
// The member's code and link

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

async function codeRow(db: Tx, shopId: string, raw: string) {
  const code = normaliseCode(raw);
  const row = code ? await db.referralCode.findUnique({ where: { shopId_code: { shopId, code } } }) : null;
  if (!row) throw new KembaliError("NOT_FOUND", "No such referral code");
  return row;
}

// ---------------------------------------------------------------------------------------
// Visits

/** A click on a referral link. The same (hashed) IP counts once a day per code. */
export async function recordVisit(
  deps: Deps,
  shopDomain: string,
  code: string,
  ipHash: string | null,
): Promise<{ counted: boolean; friendReward: ShopRecord["settings"]["referral"]["friendReward"] }> {
  const shop = await enabledShop(deps.db, shopDomain);
  const row = await codeRow(deps.db, shop.id, code);
  const now = deps.clock();
  const seen = ipHash
    ? await deps.db.referralVisit.findFirst({
        where: { codeId: row.id, ipHash, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
        select: { id: true },
      })
    : null;
  if (!seen) await deps.db.referralVisit.create({ data: { shopId: shop.id, codeId: row.id, ipHash, createdAt: now } });
  return { counted: !seen, friendReward: shop.settings.referral.friendReward };
}

// ---------------------------------------------------------------------------------------
// Invites

/** The member invites a friend by email; an order with that email attributes to them. Idempotent. */
export async function inviteFriend(
  deps: Deps,
  shopDomain: string,
  shopifyCustomerId: string,
  rawEmail: string,
): Promise<{ email: string }> {
  const shop = await enabledShop(deps.db, shopDomain);
  const email = normaliseEmail(rawEmail);
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new KembaliError("BAD_INPUT", "Not an email address");
  const referrer = await memberRow(deps.db, shop, shopifyCustomerId);
  if (normaliseEmail(referrer.email) === email) throw new KembaliError("BAD_INPUT", "You cannot invite yourself", { reason: "self_referral" });
  await deps.db.referralInvite.upsert({
    where: { shopId_referrerId_email: { shopId: shop.id, referrerId: referrer.id, email } },
    create: { shopId: shop.id, referrerId: referrer.id, email, createdAt: deps.clock() },
    update: {},
  });
  return { email };
}

// ---------------------------------------------------------------------------------------
// The friend's welcome reward

export interface FriendRewardView {
  status: "pending" | "issued" | "failed";
  /** Shown once issued. */
  code: string | null;
  reward: ShopRecord["settings"]["referral"]["friendReward"];
  failureReason: string | null;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

function friendRewardView(shop: ShopRecord, reward: { status: string; code: string; failureReason: string | null }): FriendRewardView {
  return {
    status: reward.status as FriendRewardView["status"],
    code: reward.status === "issued" ? reward.code : null,
    reward: shop.settings.referral.friendReward,
    failureReason: reward.failureReason,
  };
}

/** One code per friend per shop, the same on every retry: issuing again cannot duplicate it. */
export function friendCode(shopId: string, friendId: string): string {
  const digest = createHash("sha256").update(`${shopId}:friend:${friendId}`).digest();
  let code = "";
  for (let i = 0; i < 10; i++) code += CODE_ALPHABET[digest[i] % CODE_ALPHABET.length];
  return `REF-${code}`;
}

/**
 * The logged-in friend claims their welcome discount with a referrer's code. One per friend:
 * a second claim (any code) answers with the first one, retrying its creation in Shopify if
 * that did not succeed. Refused for the referrer themself and for existing customers. A guest
 * code taken from the same address for the same referrer in the last 30 days becomes theirs
 * instead of a second one, but only while nobody has used it (Shopify's usage count): a used
 * one, or one Shopify cannot vouch for, is left alone and the friend gets a code of their own.
 */
export async function claimFriendReward(
  deps: Deps & { shopify: ShopifyAdmin },
  shopDomain: string,
  code: string,
  friend: { shopifyCustomerId: string; requestId: string; ipHash: string | null },
): Promise<FriendRewardView> {
  if (!REQUEST_ID.test(friend.requestId)) throw new KembaliError("BAD_INPUT", "requestId must be 8-64 letters, digits, - or _");
  const shop = await enabledShop(deps.db, shopDomain);
  const owner = await codeRow(deps.db, shop.id, code);
  const customer = await memberRow(deps.db, shop, friend.shopifyCustomerId);

  let reward = await deps.db.friendReward.findUnique({ where: { shopId_friendId: { shopId: shop.id, friendId: customer.id } } });
  if (!reward) {
    if (owner.customerId === customer.id) {
      throw new KembaliError("BAD_INPUT", "You cannot use your own referral code", { reason: "self_referral" });
    }
    const paidOrders = await deps.db.order.count({ where: { shopId: shop.id, customerId: customer.id, paidAt: { not: null } } });
    if (paidOrders > 0) {
      throw new KembaliError("BAD_INPUT", "Welcome rewards are for new customers", { reason: "existing_customer" });
    }
    reward = friend.ipHash ? await adoptGuestReward(deps, shop.id, owner.customerId, friend.ipHash, customer.id) : null;
  }
  if (!reward) {
    try {
      reward = await deps.db.friendReward.create({
        data: {
          shopId: shop.id, referrerId: owner.customerId, friendId: customer.id, requestId: friend.requestId,
          code: friendCode(shop.id, customer.id), status: "pending", ipHash: friend.ipHash, createdAt: deps.clock(),
        },
      });
    } catch (error) {
      // A concurrent claim by the same friend won: answer with its reward.
      if (!isUniqueViolation(error)) throw error;
      reward = await deps.db.friendReward.findUniqueOrThrow({ where: { shopId_friendId: { shopId: shop.id, friendId: customer.id } } });
    }
  }
  if (reward.status !== "issued") reward = await issueFriendReward(deps, shop, reward.id, friend.shopifyCustomerId);
  return friendRewardView(shop, reward);
}

/** The friend's welcome reward: a logged-in friend's own (claimFriendReward), or a guest's (claimGuestFriendReward). */
export async function claimReferralReward(
  deps: TxDeps & { shopify: ShopifyAdmin },
  shopDomain: string,
  code: string,
  friend: { shopifyCustomerId: string | null; requestId: string; ipHash: string | null },
): Promise<FriendRewardView> {
  const { shopifyCustomerId, requestId, ipHash } = friend;
  return shopifyCustomerId
    ? claimFriendReward(deps, shopDomain, code, { shopifyCustomerId, requestId, ipHash })
    : claimGuestFriendReward(deps, shopDomain, code, { requestId, ipHash });
}

// ---------------------------------------------------------------------------------------
// A guest's welcome reward (decision 006)

/** How long a guest (hashed IP) keeps the same welcome code for a referrer: the widget's memory of a link. */
export const GUEST_CODE_DAYS = 30;
/** New guest codes one address may take in a day, across every referrer of the shop. */
export const GUEST_CODES_PER_ADDRESS_PER_DAY = 5;

/** One guest code per referrer, hashed IP and fixed 30-day window: the unique key that settles a race. */
export function guestKey(referrerId: string, ipHash: string, at: Date): string {
  return `${referrerId}:${ipHash}:${Math.floor(at.getTime() / (GUEST_CODE_DAYS * DAY_MS))}`;
}

/** The guest code of this address for this referrer in the last 30 days, adopted by a member or not. */
function recentGuestReward(db: Tx, shopId: string, referrerId: string, ipHash: string, now: Date) {
  return db.friendReward.findFirst({
    where: { shopId, referrerId, ipHash, guestKey: { not: null }, createdAt: { gt: new Date(now.getTime() - GUEST_CODE_DAYS * DAY_MS) } },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * The guest code this address took for this referrer becomes the logged-in friend's, if nobody
 * has used it yet (Shopify's usage count; when Shopify cannot say, it is not adopted). Null when
 * there is none to adopt: the friend then gets a code of their own.
 */
async function adoptGuestReward(deps: Deps & { shopify: ShopifyAdmin }, shopId: string, referrerId: string, ipHash: string, friendId: string) {
  const guest = await recentGuestReward(deps.db, shopId, referrerId, ipHash, deps.clock());
  if (!guest || guest.friendId !== null) return null;
  if (guest.discountId !== null && !(await unusedInShopify(deps.shopify, guest.discountId))) return null;
  try {
    const { count } = await deps.db.friendReward.updateMany({ where: { id: guest.id, friendId: null }, data: { friendId } });
    return count === 1 ? { ...guest, friendId } : null;
  } catch (error) {
    // A concurrent claim by the same friend gave them a reward meanwhile: answer with it.
    if (!isUniqueViolation(error)) throw error;
    return deps.db.friendReward.findUniqueOrThrow({ where: { shopId_friendId: { shopId, friendId } } });
  }
}

async function unusedInShopify(shopify: ShopifyAdmin, discountId: string): Promise<boolean> {
  try {
    return (await shopify.discountUsage(discountId)).usageCount === 0;
  } catch (error) {
    if (error instanceof ShopifyAdminError) return false;
    throw error;
  }
}

/**
 * Counts one new guest code for this address today on a row counter shared by every server. It
 * is taken in the transaction that creates the code, after the insert: requests at once cannot
 * all pass a count and then create (the sixth is refused and rolled back), and a request that
 * loses the race for the same code, or a reload answered with an existing code, takes nothing.
 */
async function takeGuestCodeAllowance(deps: Deps, shopDomain: string, ipHash: string) {
  const limit = { max: GUEST_CODES_PER_ADDRESS_PER_DAY, windowSeconds: DAY_MS / 1000 };
  try {
    await hitRateLimits(deps, [{ key: `${shopDomain}:guest-codes:ip:${ipHash}`, limit }]);
  } catch (error) {
    if (error instanceof KembaliError && error.code === "RATE_LIMITED") {
      throw new KembaliError("RATE_LIMITED", "Too many welcome codes from this address today", error.details);
    }
    throw error;
  }
}

/**
 * A guest who followed a referral link takes the friend's welcome code. The guest is known only
 * by the hashed IP of the signed proxy request (nothing in the body), so the same address gets
 * the same code for this referrer for 30 days, however often it asks. The code is for any buyer,
 * once overall; the order that uses it is attributed (and checked for fraud) like any other.
 */
export async function claimGuestFriendReward(
  deps: TxDeps & { shopify: ShopifyAdmin },
  shopDomain: string,
  code: string,
  guest: { requestId: string; ipHash: string | null },
): Promise<FriendRewardView> {
  if (!REQUEST_ID.test(guest.requestId)) throw new KembaliError("BAD_INPUT", "requestId must be 8-64 letters, digits, - or _");
  // Without an address a guest cannot be told apart: every reload could take another code.
  if (!guest.ipHash) throw new KembaliError("NOT_A_MEMBER", "Log in to claim your welcome reward");
  const shop = await enabledShop(deps.db, shopDomain);
  const owner = await codeRow(deps.db, shop.id, code);
  const now = deps.clock();
  let reward = await recentGuestReward(deps.db, shop.id, owner.customerId, guest.ipHash, now);
  if (!reward) {
    const key = guestKey(owner.customerId, guest.ipHash, now);
    const ipHash = guest.ipHash;
    try {
      reward = await deps.transaction(async (tx) => {
        const created = await tx.friendReward.create({
          data: {
            shopId: shop.id, referrerId: owner.customerId, friendId: null, guestKey: key, requestId: guest.requestId,
            code: friendCode(shop.id, `guest:${key}`), status: "pending", ipHash, createdAt: now,
          },
        });
        await takeGuestCodeAllowance({ db: tx, clock: deps.clock }, shop.domain, ipHash);
        return created;
      });
    } catch (error) {
      // A concurrent request from the same address won: answer with its code.
      if (!isUniqueViolation(error)) throw error;
      reward = await deps.db.friendReward.findUniqueOrThrow({ where: { shopId_guestKey: { shopId: shop.id, guestKey: key } } });
    }
  }
  if (reward.status !== "issued") reward = await issueFriendReward(deps, shop, reward.id, undefined);
  return friendRewardView(shop, reward);
}

/** Creates the welcome code in Shopify: for the friend, or for any buyer once (a guest's). */
async function issueFriendReward(
  deps: Deps & { shopify: ShopifyAdmin },
  shop: ShopRecord,
  id: string,
  shopifyCustomerId: string | undefined,
) {
  const reward = await deps.db.friendReward.findUniqueOrThrow({ where: { id } });
  const offer = shop.settings.referral.friendReward;
  try {
    const { discountId } = await deps.shopify.createDiscountCode({
      code: reward.code,
      title: "Kembali referral: welcome reward",
      reward: welcomeDiscount(offer),
      ...(shopifyCustomerId === undefined ? {} : { customerId: shopifyCustomerId }),
      startsAt: deps.clock(),
      endsAt: null,
      combinesWith: WELCOME_COMBINES_WITH,
      currency: shop.currency,
    });
    return deps.db.friendReward.update({ where: { id }, data: { status: "issued", discountId, failureReason: null } });
  } catch (error) {
    // Shopify may have created it after all (the answer was lost): stay pending; the next claim retries.
    if (error instanceof ShopifyAdminError && error.outcomeUnknown) return reward;
    const failureReason = error instanceof Error ? error.message.slice(0, 300) : "Shopify refused the reward";
    // A concurrent claim may have issued the same code meanwhile (so this one was refused as taken).
    await deps.db.friendReward.updateMany({ where: { id, status: { not: "issued" } }, data: { status: "failed", failureReason } });
    return deps.db.friendReward.findUniqueOrThrow({ where: { id } });
  }
}

// ---------------------------------------------------------------------------------------
// Attribution of a paid order

export interface ReferralView {
  id: string;
  status: ReferralStatus;
  attributedBy: AttributionMethod;
  shopifyOrderId: string;
  referrerId: string;
  friendId: string | null;
  points: number;
  riskScore: number;
  riskReasons: RiskReason[];
  decisions: Decision[];
  rewardAvailableAt: string;
  rewardedAt: string | null;
}

/** A referral's row, as either database's client reads it. */
type ReferralRow = NonNullable<Awaited<ReturnType<Tx["referral"]["findUniqueOrThrow"]>>>;

function view(r: ReferralRow): ReferralView {
  return {
    id: r.id,
    status: r.status as ReferralStatus,
    attributedBy: r.attributedBy as AttributionMethod,
    shopifyOrderId: r.shopifyOrderId,
    referrerId: r.referrerId,
    friendId: r.friendId,
    points: r.points,
    riskScore: r.riskScore,
    riskReasons: r.riskReasons as RiskReason[],
    decisions: r.decisions as Decision[],
    rewardAvailableAt: r.rewardAvailableAt.toISOString(),
    rewardedAt: r.rewardedAt?.toISOString() ?? null,
  };
}

const STATUS_FOR = { approve: "pending", review: "held_for_review", reject: "rejected" } as const;

/**
 * For every paid order, after recordPaidOrder and in the same transaction: keeps the order's
 * hashed contact details, then attributes it to a referrer when it is the friend's first paid
 * order. Returns the referral (the existing one on a replay), or null.
 */
export async function attributeOrder(deps: ReferralDeps, shopDomain: string, order: PaidOrder): Promise<ReferralView | null> {
  const { db } = deps;
  const shop = await findShop(db, shopDomain);
  if (!shop?.settings.referral.enabled) return null;
  const settings = shop.settings.referral;
  const a = order.attribution;
  const friendRow = order.customer
    ? await db.customer.findUnique({
        where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: order.customer.shopifyCustomerId } },
      })
    : null;
  const emailKey = normaliseEmail(a?.email ?? order.customer?.email);
  const hash = (kind: string, value: string | null) => (value === null ? null : deps.fingerprint(`${kind}:${value}`));
  const contact = {
    emailHash: hash("email", emailKey),
    phoneHash: hash("phone", normalisePhone(a?.phone)),
    addressHash: hash("address", normaliseAddress(a?.shippingAddress)),
  };
  await db.orderContact.upsert({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId } },
    create: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId, customerId: friendRow?.id ?? null, paidAt: order.paidAt, ...contact },
    update: {},
  });

  const replay = await db.referral.findUnique({ where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId } } });
  if (replay) return view(replay);
  if (!friendRow && !emailKey) return null;

  const { discountCodes, refCode } = attributionSignals(a);
  const byCode = discountCodes.length
    ? await db.friendReward.findFirst({ where: { shopId: shop.id, code: { in: discountCodes } }, select: { referrerId: true } })
    : null;
  // A member's code typed at checkout: only while Kembali made its discount (a code another
  // discount of the shop has is that discount's, not a referral).
  const byTypedCode = discountCodes.length
    ? await db.referralCode.findFirst({
        where: { shopId: shop.id, code: { in: discountCodes }, discountId: { not: null } },
        select: { customerId: true },
      })
    : null;
  const byAttribute = refCode
    ? await db.referralCode.findUnique({ where: { shopId_code: { shopId: shop.id, code: refCode } }, select: { customerId: true } })
    : null;
  const byLink = friendRow
    ? await db.friendReward.findUnique({ where: { shopId_friendId: { shopId: shop.id, friendId: friendRow.id } }, select: { referrerId: true } })
    : null;
  const byInvite = emailKey
    ? await db.referralInvite.findFirst({
        where: { shopId: shop.id, email: emailKey, acceptedAt: null },
        orderBy: { createdAt: "asc" },
        select: { referrerId: true },
      })
    : null;
  const chosen = chooseAttribution({
    code: byCode?.referrerId,
    typed_code: byTypedCode?.customerId,
    cart_attribute: byAttribute?.customerId,
    link: byLink?.referrerId,
    email: byInvite?.referrerId,
  });
  if (!chosen) return null;
  const referrerId = chosen.found;

  // Only the friend's first paid order counts: one referral per friend.
  const earlier = await db.referral.findFirst({
    where: {
      shopId: shop.id,
      OR: [...(friendRow ? [{ friendId: friendRow.id }] : []), ...(emailKey ? [{ friendEmail: emailKey }] : [])],
    },
    select: { id: true },
  });
  if (earlier) return null;

  const now = deps.clock();
  const ipKey = a?.browserIp ? addressKey(a.browserIp) : null;
  const ipHash = ipKey ? deps.fingerprint(`ip:${ipKey}`) : null;
  const referrer = await db.customer.findUniqueOrThrow({ where: { id: referrerId } });
  const referrerOrders = await db.orderContact.findMany({
    where: { shopId: shop.id, customerId: referrer.id, shopifyOrderId: { not: order.shopifyOrderId } },
    select: { emailHash: true, phoneHash: true, addressHash: true },
  });
  const present = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];
  const referrerParty: Party = {
    customerId: referrer.id,
    emails: present([hash("email", normaliseEmail(referrer.email)), ...referrerOrders.map((o) => o.emailHash)]),
    phones: present(referrerOrders.map((o) => o.phoneHash)),
    addresses: present(referrerOrders.map((o) => o.addressHash)),
  };
  const friendParty: Party = {
    customerId: friendRow?.id ?? null,
    emails: present([contact.emailHash, hash("email", normaliseEmail(friendRow?.email))]),
    phones: present([contact.phoneHash]),
    addresses: present([contact.addressHash]),
  };

  const dayAgo = new Date(now.getTime() - DAY_MS);
  const weekAgo = new Date(now.getTime() - COUPON_LEAK_DAYS * DAY_MS);
  const reasons = riskReasons(
    {
      referrer: referrerParty,
      friend: friendParty,
      paidOrdersBefore: await paidOrdersBefore(db, shop.id, order, friendRow?.id ?? null, friendParty.emails),
      referralsByReferrerToday: 1 + (await db.referral.count({ where: { shopId: shop.id, referrerId, createdAt: { gt: dayAgo } } })),
      referralsFromIpToday: ipHash
        ? 1 + (await db.referral.count({ where: { shopId: shop.id, ipHash, createdAt: { gt: dayAgo } } }))
        : null,
      unrelatedFriendsThisWeek:
        (chosen.method === "email" ? 0 : 1) +
        (await db.referral.count({ where: { shopId: shop.id, referrerId, attributedBy: { not: "email" }, createdAt: { gt: weekAgo } } })),
      subtotal: order.subtotal,
      referrerHeldOut: referrer.holdout,
    },
    settings,
  );
  const risk = assessRisk(reasons, settings.fraud);
  const status = STATUS_FOR[risk.decision];
  const holdDays = settings.holdDays ?? shop.settings.earning.pendingDays;
  const created = await db.referral.create({
    data: {
      shopId: shop.id,
      referrerId,
      friendId: friendRow?.id ?? null,
      friendEmail: emailKey,
      attributedBy: chosen.method,
      shopifyOrderId: order.shopifyOrderId,
      status,
      riskScore: risk.score,
      riskReasons: reasons,
      decisions: [{ status, by: "system", at: now.toISOString() } satisfies Decision],
      points: settings.referrerPoints,
      ipHash,
      rewardAvailableAt: new Date(order.paidAt.getTime() + holdDays * DAY_MS),
      createdAt: now,
    },
  });
  if (emailKey) await db.referralInvite.updateMany({ where: { shopId: shop.id, email: emailKey, acceptedAt: null }, data: { acceptedAt: now } });
  const leak = reasons.find((r) => r.code === "coupon_leak");
  if (leak) await holdLeakedReferrals(deps, shop.id, referrerId, weekAgo, leak);
  return view(created);
}

/** Paid orders of the friend before this one: by customer, or by email for guest checkouts. */
async function paidOrdersBefore(db: Tx, shopId: string, order: PaidOrder, friendId: string | null, emailHashes: string[]) {
  const before = { not: order.shopifyOrderId };
  const asCustomer = friendId
    ? await db.order.findMany({ where: { shopId, customerId: friendId, shopifyOrderId: before, paidAt: { lt: order.paidAt } }, select: { shopifyOrderId: true } })
    : [];
  const byContact = await db.orderContact.findMany({
    where: {
      shopId,
      shopifyOrderId: before,
      paidAt: { lt: order.paidAt },
      OR: [...(friendId ? [{ customerId: friendId }] : []), ...(emailHashes.length ? [{ emailHash: { in: emailHashes } }] : [])],
    },
    select: { shopifyOrderId: true },
  });
  return new Set([...asCustomer, ...byContact].map((o) => o.shopifyOrderId)).size;
}

/** A leak found now also puts the code's other referrals of the week, still in their hold, in front of the merchant. */
async function holdLeakedReferrals(deps: Deps, shopId: string, referrerId: string, since: Date, leak: RiskReason) {
  const others = await deps.db.referral.findMany({
    where: { shopId, referrerId, status: "pending", createdAt: { gt: since }, attributedBy: { not: "email" } },
  });
  const at = deps.clock().toISOString();
  for (const r of others) {
    const reasons = [...(r.riskReasons as RiskReason[]), leak];
    await deps.db.referral.updateMany({
      where: { id: r.id, status: "pending" },
      data: {
        status: "held_for_review",
        riskReasons: reasons,
        riskScore: Math.min(100, r.riskScore + leak.score),
        decisions: [...(r.decisions as Decision[]), { status: "held_for_review", by: "system", at, note: "coupon_leak" }],
      },
    });
  }
}

// ---------------------------------------------------------------------------------------
// Refunds, cancellations and the reward

const OPEN: ReferralStatus[] = ["pending", "held_for_review", "approved"];

/** Whether the friend's order was cancelled, or refunded below the minimum (or to nothing), inside the hold window. */
async function voidedInHold(db: Tx, shop: ShopRecord, r: ReferralRow): Promise<string | null> {
  const order = await db.order.findUnique({ where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: r.shopifyOrderId } } });
  if (!order) return null;
  if (order.cancelledAt && order.cancelledAt <= r.rewardAvailableAt) return "The friend's order was cancelled within the hold window";
  const refunded = await db.refund.aggregate({
    where: { shopId: shop.id, shopifyOrderId: r.shopifyOrderId, refundedAt: { lte: r.rewardAvailableAt } },
    _sum: { subtotalMinor: true },
  });
  if (!refunded._sum.subtotalMinor) return null;
  const kept = order.subtotalMinor - refunded._sum.subtotalMinor;
  return kept <= 0n || kept < BigInt(shop.settings.referral.minimumOrderSubtotal)
    ? "The friend's order was refunded within the hold window"
    : null;
}

async function cancelIfVoided(deps: Deps, shop: ShopRecord, r: ReferralRow, statuses: ReferralStatus[]): Promise<boolean> {
  const why = await voidedInHold(deps.db, shop, r);
  if (!why) return false;
  const { count } = await deps.db.referral.updateMany({
    where: { id: r.id, status: { in: statuses } },
    data: { status: "cancelled", decisions: [...(r.decisions as Decision[]), { status: "cancelled", by: "system", at: deps.clock().toISOString(), note: why }] },
  });
  return count === 1;
}

/**
 * refunds/create and orders/cancelled, after the refund or cancellation is recorded and in the
 * same transaction: cancels the order's referral when that happened inside the hold window.
 */
export async function cancelReferralForOrder(deps: Deps, shopDomain: string, shopifyOrderId: string): Promise<boolean> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return false;
  const r = await deps.db.referral.findUnique({ where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId } } });
  if (!r || !OPEN.includes(r.status as ReferralStatus)) return false;
  return cancelIfVoided(deps, shop, r, OPEN);
}

const rewardKey = (id: string, round: number) => (round <= 1 ? `referral:${id}` : `referral:${id}:${round}`);

/**
 * The sweep: referrals past their hold window, pending (the system approved them) or approved
 * by the merchant, reward the referrer once. Each in its own transaction, guarded on the
 * status, so a second run or a second server cannot pay twice. A pending one whose order was
 * refunded or cancelled in the window (an event that came before the order) is cancelled
 * instead; a merchant's approval stands.
 */
export async function releaseReferralRewards(
  deps: TxDeps & { log?: Log },
  { shopId, limit = 200 }: { shopId?: string; limit?: number } = {},
): Promise<number> {
  const now = deps.clock();
  const due = await deps.db.referral.findMany({
    where: { status: { in: ["pending", "approved"] }, rewardAvailableAt: { lte: now }, ...(shopId ? { shopId } : {}) },
    orderBy: { rewardAvailableAt: "asc" },
    select: { id: true },
    take: limit,
  });
  let rewarded = 0;
  for (const { id } of due) {
    // One referral's failure is that referral's: the rest of the batch (every shop's) goes on.
    try {
      const done = await deps.transaction(async (tx) => {
        const r = await tx.referral.findUniqueOrThrow({
          where: { id },
          include: { shop: { select: { domain: true } }, referrer: { select: { holdout: true } } },
        });
        if (r.status !== "pending" && r.status !== "approved") return false;
        const shop = await findShop(tx, r.shop.domain);
        if (!shop) return false;
        const txDeps = { db: tx, clock: deps.clock };
        // Out of the program (decision 010), approved by the merchant or not: never rewarded.
        if (r.referrer.holdout) return cancelWithNote(txDeps, r, "referrer_held_out").then(() => false);
        if (r.status === "pending" && (await cancelIfVoided(txDeps, shop, r, ["pending"]))) return false;
        return reward(txDeps, r, r.status as ReferralStatus, now);
      });
      if (done) rewarded++;
    } catch (error) {
      if (error instanceof KembaliError) {
        // The domain refused it (it would refuse again every tick): the merchant sees why on the referral.
        await cancelWithNote({ db: deps.db, clock: deps.clock }, await deps.db.referral.findUniqueOrThrow({ where: { id } }), error.message);
      } else {
        // Anything else may pass next time: skipped for now. Ids only, no personal data.
        deps.log?.("error", "referral reward not released; retried next time", { referralId: id, error: errorName(error) });
      }
    }
  }
  return rewarded;
}

/** Cancels a referral still waiting for its reward, with the system's reason in its history. */
async function cancelWithNote(deps: Deps, r: ReferralRow, note: string): Promise<boolean> {
  if (r.status !== "pending" && r.status !== "approved") return false;
  const { count } = await deps.db.referral.updateMany({
    where: { id: r.id, status: r.status },
    data: { status: "cancelled", decisions: [...(r.decisions as Decision[]), { status: "cancelled", by: "system", at: deps.clock().toISOString(), note }] },
  });
  return count === 1;
}

function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${error.name} ${code}` : error.name;
}

async function reward(deps: Deps, r: ReferralRow, from: ReferralStatus, now: Date): Promise<boolean> {
  const round = r.rewardRound + 1;
  const { count } = await deps.db.referral.updateMany({
    where: { id: r.id, status: from },
    data: {
      status: "rewarded",
      rewardedAt: now,
      rewardRound: round,
      decisions: [...(r.decisions as Decision[]), { status: "rewarded", by: "system", at: now.toISOString() }],
    },
  });
  if (count !== 1) return false;
  if (r.points > 0) {
    await appendEntry(
      deps.db,
      {
        shopId: r.shopId, customerId: r.referrerId, kind: "earn", points: r.points, idempotencyKey: rewardKey(r.id, round),
        sourceType: "referral", sourceId: r.id, reason: "Referral: your friend's first order", at: now,
      },
      { mayGoNegative: false },
    );
  }
  return true;
}

/**
 * The merchant approves or rejects a referral, whatever its status. Rejecting a rewarded one
 * takes the referrer's points back (a reversal entry; the balance may go negative); approving
 * it again rewards it again on the next sweep once the hold window is over.
 */
export async function decideReferral(
  deps: TxDeps,
  shopDomain: string,
  referralId: string,
  decision: "approve" | "reject",
  by: string,
  note?: string,
): Promise<ReferralView> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  return deps.transaction(async (tx) => {
    const r = await tx.referral.findFirst({ where: { id: referralId, shopId: shop.id } });
    if (!r) throw new KembaliError("NOT_FOUND", "No such referral in this shop");
    const from = r.status as ReferralStatus;
    const to: ReferralStatus = decision === "approve" ? "approved" : "rejected";
    if (from === to || (decision === "approve" && from === "rewarded")) return view(r);
    const now = deps.clock();
    const { count } = await tx.referral.updateMany({
      where: { id: r.id, status: from },
      data: {
        status: to,
        decisions: [...(r.decisions as Decision[]), { status: to, by: "merchant", actor: by, at: now.toISOString(), ...(note ? { note } : {}) }],
      },
    });
    if (count !== 1) throw new KembaliError("IDEMPOTENCY_CONFLICT", "The referral changed meanwhile; reload and try again");
    if (from === "rewarded" && r.points > 0) {
      await appendEntry(
        tx,
        {
          shopId: r.shopId, customerId: r.referrerId, kind: "reverse", points: -r.points,
          idempotencyKey: `reverse:${rewardKey(r.id, r.rewardRound)}`, sourceType: "referral", sourceId: r.id,
          reason: "Referral reward reversed by the merchant", at: now, fromLot: rewardKey(r.id, r.rewardRound),
        },
        { mayGoNegative: true },
      );
    }
    return view(await tx.referral.findUniqueOrThrow({ where: { id: r.id } }));
  });
}

// ---------------------------------------------------------------------------------------
// Privacy

/**
 * customers/redact, before the customer's email is erased: forgets the contact hashes of
 * their orders, their invites (sent and received) and the email kept on referrals to them.
 */
export async function forgetReferralContacts(deps: ReferralDeps, shopDomain: string, shopifyCustomerId: string): Promise<void> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return;
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
  });
  if (!customer) return;
  const email = normaliseEmail(customer.email);
  const emailHash = email ? deps.fingerprint(`email:${email}`) : null;
  await deps.db.orderContact.deleteMany({
    where: { shopId: shop.id, OR: [{ customerId: customer.id }, ...(emailHash ? [{ emailHash }] : [])] },
  });
  await deps.db.referralInvite.deleteMany({
    where: { shopId: shop.id, OR: [{ referrerId: customer.id }, ...(email ? [{ email }] : [])] },
  });
  await deps.db.referral.updateMany({
    where: { shopId: shop.id, OR: [{ friendId: customer.id }, ...(email ? [{ friendEmail: email }] : [])] },
    data: { friendEmail: null },
  });
}
