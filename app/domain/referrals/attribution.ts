// Referrals: attribution of a paid order. (index.ts says how referrals work.)
import type { Tx } from "../../db-types";
import { joinSql, query, sql, type SqlFragment } from "../sql";
import type { Deps } from "../deps";
import type { PaidOrder } from "../earning/order";
import { findShop, type ShopRecord } from "../shop/shops";
import { addressKey } from "../ip-address";
import {
  COUPON_LEAK_DAYS,
  assessRisk,
  attributionSignals,
  chooseAttribution,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  riskReasons,
  type AttributionMethod,
  type Party,
  type RiskReason,
} from "./rules";
import { DAY_MS, type Decision, type ReferralDeps, type ReferralStatus } from "./common";

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
/** What the paid order's transaction already read: the shop, the customer's row, and whether the order row was created just now. */
export interface AlreadyRead {
  shop: ShopRecord;
  customer: { id: string; email: string | null } | null;
  newOrder: boolean;
}

export type ReferralRow = NonNullable<Awaited<ReturnType<Tx["referral"]["findUniqueOrThrow"]>>>;

export function view(r: ReferralRow): ReferralView {
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
export async function attributeOrder(
  deps: ReferralDeps,
  shopDomain: string,
  order: PaidOrder,
  known?: AlreadyRead,
): Promise<ReferralView | null> {
  const { db } = deps;
  const shop = known ? known.shop : await findShop(db, shopDomain);
  if (!shop?.settings.referral.enabled) return null;
  const settings = shop.settings.referral;
  const a = order.attribution;
  const friendRow = known
    ? known.customer
    : order.customer
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
  const orderContact = {
    shopId: shop.id,
    shopifyOrderId: order.shopifyOrderId,
    customerId: friendRow?.id ?? null,
    paidAt: order.paidAt,
    ...contact,
  };
  // An order first seen in this transaction has no contact row and no referral yet: no need to look.
  if (known?.newOrder) await db.orderContact.create({ data: orderContact, select: { id: true } });
  else {
    await db.orderContact.upsert({
      where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId } },
      create: orderContact,
      update: { shopifyOrderId: order.shopifyOrderId }, // changes nothing: the database's own upsert, safe on two servers at once
      select: { id: true },
    });
    const replay = await db.referral.findUnique({
      where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId } },
    });
    if (replay) return view(replay);
  }
  if (!friendRow && !emailKey) return null;

  const { discountCodes, refCode } = attributionSignals(a);
  const chosen = chooseAttribution(
    await referrerSignals(db, shop.id, { discountCodes, refCode, friendId: friendRow?.id ?? null, email: emailKey }),
  );
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
  if (emailKey)
    await db.referralInvite.updateMany({ where: { shopId: shop.id, email: emailKey, acceptedAt: null }, data: { acceptedAt: now } });
  const leak = reasons.find((r) => r.code === "coupon_leak");
  if (leak) await holdLeakedReferrals(deps, shop.id, referrerId, weekAgo, leak);
  return view(created);
}

type Signals = Partial<Record<AttributionMethod, string>>;

/**
 * Who each signal of the order names as referrer, in one statement whatever the number of
 * signals (a union of one small indexed lookup per signal present; each names its columns, as
 * whichever comes first names the union's):
 * - code: the friend's reward code used at checkout (FriendReward.code);
 * - typed_code: a member's own code typed at checkout, only while Kembali made its discount (a
 *   code another discount of the shop has is that discount's, not a referral);
 * - cart_attribute: the referral code the widget put in the cart (ReferralCode.code);
 * - link: the friend's reward claimed from a referral link (FriendReward.friendId);
 * - email: the oldest open invite sent to the order's email (ReferralInvite).
 */
async function referrerSignals(
  db: Tx,
  shopId: string,
  {
    discountCodes,
    refCode,
    friendId,
    email,
  }: { discountCodes: string[]; refCode: string | null; friendId: string | null; email: string | null },
): Promise<Signals> {
  const codes = discountCodes.length ? joinSql(discountCodes) : null;
  const lookups = [
    codes &&
      sql`SELECT 'code' AS "method", "referrerId" AS "referrerId" FROM (SELECT "referrerId" FROM "FriendReward" WHERE "shopId" = ${shopId} AND "code" IN (${codes}) LIMIT 1) AS c`,
    codes &&
      sql`SELECT 'typed_code' AS "method", "customerId" AS "referrerId" FROM (SELECT "customerId" FROM "ReferralCode" WHERE "shopId" = ${shopId} AND "code" IN (${codes}) AND "discountId" IS NOT NULL LIMIT 1) AS t`,
    refCode &&
      sql`SELECT 'cart_attribute' AS "method", "customerId" AS "referrerId" FROM "ReferralCode" WHERE "shopId" = ${shopId} AND "code" = ${refCode}`,
    friendId &&
      sql`SELECT 'link' AS "method", "referrerId" AS "referrerId" FROM "FriendReward" WHERE "shopId" = ${shopId} AND "friendId" = ${friendId}`,
    email &&
      sql`SELECT 'email' AS "method", "referrerId" AS "referrerId" FROM (SELECT "referrerId" FROM "ReferralInvite" WHERE "shopId" = ${shopId} AND "email" = ${email} AND "acceptedAt" IS NULL ORDER BY "createdAt" ASC LIMIT 1) AS e`,
  ].filter((q): q is SqlFragment => !!q);
  if (lookups.length === 0) return {};
  const rows = await query<{ method: AttributionMethod; referrerId: string }>(db, joinSql(lookups, " UNION ALL "));
  const found: Signals = {};
  for (const r of rows) found[r.method] ??= r.referrerId;
  return found;
}

/** Paid orders of the friend before this one: by customer, or by email for guest checkouts. */
async function paidOrdersBefore(db: Tx, shopId: string, order: PaidOrder, friendId: string | null, emailHashes: string[]) {
  const before = { not: order.shopifyOrderId };
  const asCustomer = friendId
    ? await db.order.findMany({
        where: { shopId, customerId: friendId, shopifyOrderId: before, paidAt: { lt: order.paidAt } },
        select: { shopifyOrderId: true },
      })
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
