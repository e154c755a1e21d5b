// Referrals: the friend's welcome reward; and a guest's. (index.ts says how referrals work.)
import { createHash } from "node:crypto";
import type { Tx } from "../../db-types";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { ShopifyAdminError } from "../../shopify/admin/errors";
import type { Deps, TxDeps } from "../deps";
import type { ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { recordEvent } from "../messages/events";
import { hitRateLimits } from "../rate-limit";
import { CODE_ALPHABET } from "./rules";
import { WELCOME_COMBINES_WITH, welcomeDiscount } from "./discounts";
import { codeRow } from "./codes";
import { DAY_MS, enabledShop } from "./common";
import { memberRow } from "../members/member-row";

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
          shopId: shop.id,
          referrerId: owner.customerId,
          friendId: customer.id,
          requestId: friend.requestId,
          code: friendCode(shop.id, customer.id),
          status: "pending",
          ipHash: friend.ipHash,
          createdAt: deps.clock(),
        },
      });
    } catch (error) {
      // A concurrent claim by the same friend won: answer with its reward.
      if (!isUniqueViolation(error)) throw error;
      reward = await deps.db.friendReward.findUniqueOrThrow({ where: { shopId_friendId: { shopId: shop.id, friendId: customer.id } } });
    }
  }
  if (reward.status !== "issued") reward = await issueFriendReward(deps, shop, reward.id, friend.shopifyCustomerId);
  // Theirs and issued (made now, or a guest code they adopted): friend_rewarded, once per code.
  if (reward.status === "issued" && reward.friendId) {
    await recordEvent(
      deps.db,
      shop.id,
      reward.friendId,
      "friend_rewarded",
      `friend_rewarded:${reward.id}`,
      { referralId: reward.id, code: reward.code },
      deps.clock(),
    );
  }
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
async function adoptGuestReward(
  deps: Deps & { shopify: ShopifyAdmin },
  shopId: string,
  referrerId: string,
  ipHash: string,
  friendId: string,
) {
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
            shopId: shop.id,
            referrerId: owner.customerId,
            friendId: null,
            guestKey: key,
            requestId: guest.requestId,
            code: friendCode(shop.id, `guest:${key}`),
            status: "pending",
            ipHash,
            createdAt: now,
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
