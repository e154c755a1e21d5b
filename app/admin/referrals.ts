// The merchant's view of referrals: the review queue (one shop's referrals, newest first, with
// each case's reasons and decision history) and the referral funnel as plain counts. Decisions
// themselves go through decideReferral (./index.ts).
import type { Deps } from "~/domain/deps";
import { findShop, type ShopRecord } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import type { Decision, ReferralStatus } from "~/domain/referrals/index";
import type { AttributionMethod, RiskCode, RiskReason } from "~/domain/referrals/rules";
import type { CodeDiscountStatus } from "~/domain/referrals/discounts";

export const REFERRAL_STATUSES: readonly ReferralStatus[] = ["held_for_review", "pending", "approved", "rewarded", "rejected", "cancelled"];

export type QueueFilter = ReferralStatus | "all";

export function isQueueFilter(value: unknown): value is QueueFilter {
  return value === "all" || REFERRAL_STATUSES.includes(value as ReferralStatus);
}

export interface QueuePerson {
  /** Kembali's customer id (for the customer page). */
  id: string;
  shopifyCustomerId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface QueueRow {
  id: string;
  status: ReferralStatus;
  attributedBy: AttributionMethod;
  shopifyOrderId: string;
  referrer: QueuePerson;
  /** Null for a guest checkout (then friendEmail, unless erased). */
  friend: QueuePerson | null;
  friendEmail: string | null;
  riskScore: number;
  reasons: Array<{ code: RiskCode; text: string }>;
  decisions: Decision[];
  points: number;
  rewardAvailableAt: string;
  rewardedAt: string | null;
  createdAt: string;
}

export interface ReferralQueue {
  rows: QueueRow[];
  /** Referrals per status, and all of them. */
  counts: Record<QueueFilter, number>;
  /** For the next page (older referrals), or null. */
  nextCursor: string | null;
}

export interface ReferralFunnel {
  /** Clicks on referral links (one per hashed IP per code per day). */
  visits: number;
  /** Friends who claimed their welcome reward. */
  claimed: number;
  /** Friends' first paid orders attributed to a referrer. */
  orders: number;
  rewarded: number;
  rejected: number;
  cancelled: number;
}

async function installedShop(deps: Pick<Deps, "db">, shopDomain: string): Promise<ShopRecord> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  return shop;
}

const person = (c: QueuePerson): QueuePerson => ({
  id: c.id,
  shopifyCustomerId: c.shopifyCustomerId,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
});
const personFields = { id: true, shopifyCustomerId: true, firstName: true, lastName: true, email: true } as const;

type ReferralWithPeople = Awaited<ReturnType<Deps["db"]["referral"]["findFirstOrThrow"]>> & {
  referrer: QueuePerson;
  friend: QueuePerson | null;
};

function toRow(r: ReferralWithPeople): QueueRow {
  return {
    id: r.id,
    status: r.status as ReferralStatus,
    attributedBy: r.attributedBy as AttributionMethod,
    shopifyOrderId: r.shopifyOrderId,
    referrer: person(r.referrer),
    friend: r.friend ? person(r.friend) : null,
    friendEmail: r.friendEmail,
    riskScore: r.riskScore,
    reasons: (r.riskReasons as unknown as RiskReason[]).map(({ code, text }) => ({ code, text })),
    decisions: r.decisions as unknown as Decision[],
    points: r.points,
    rewardAvailableAt: r.rewardAvailableAt.toISOString(),
    rewardedAt: r.rewardedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

async function queueFor(
  deps: Deps,
  shopId: string,
  opts: { status?: QueueFilter; cursor?: string | null; take?: number },
): Promise<ReferralQueue> {
  const take = Math.min(Math.max(Math.trunc(opts.take ?? 25), 1), 100);
  const status = opts.status && opts.status !== "all" ? opts.status : undefined;
  const where = { shopId, ...(status ? { status } : {}) };
  // A cursor from another shop (or another filter) is not a position in this list: start over.
  const cursorRow = opts.cursor ? await deps.db.referral.findFirst({ where: { ...where, id: opts.cursor }, select: { id: true } }) : null;
  const found = await deps.db.referral.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...(cursorRow ? { cursor: { id: cursorRow.id }, skip: 1 } : {}),
    take: take + 1,
    include: { referrer: { select: personFields }, friend: { select: personFields } },
  });
  const grouped = await deps.db.referral.groupBy({ by: ["status"], where: { shopId }, _count: { _all: true } });
  const counts = Object.fromEntries([...REFERRAL_STATUSES, "all"].map((s) => [s, 0])) as Record<QueueFilter, number>;
  for (const g of grouped) {
    if (isQueueFilter(g.status)) counts[g.status] = g._count._all;
    counts.all += g._count._all;
  }
  const page = found.slice(0, take);
  return {
    rows: page.map(toRow),
    counts,
    nextCursor: found.length > take ? page[page.length - 1].id : null,
  };
}

async function funnelFor(deps: Deps, shopId: string): Promise<ReferralFunnel> {
  const [visits, claimed, orders, rewarded, rejected, cancelled] = await Promise.all([
    deps.db.referralVisit.count({ where: { shopId } }),
    deps.db.friendReward.count({ where: { shopId } }),
    deps.db.referral.count({ where: { shopId } }),
    deps.db.referral.count({ where: { shopId, status: "rewarded" } }),
    deps.db.referral.count({ where: { shopId, status: "rejected" } }),
    deps.db.referral.count({ where: { shopId, status: "cancelled" } }),
  ]);
  return { visits, claimed, orders, rewarded, rejected, cancelled };
}

/** One shop's referrals, newest first, filtered by status, with the number in each status. */
export async function referralQueue(
  deps: Deps,
  shopDomain: string,
  opts: { status?: QueueFilter; cursor?: string | null; take?: number } = {},
): Promise<ReferralQueue> {
  const shop = await installedShop(deps, shopDomain);
  return queueFor(deps, shop.id, opts);
}

/** The referral funnel of one shop: link visits, claimed welcome rewards, referred orders and their outcomes. */
export async function referralFunnel(deps: Deps, shopDomain: string): Promise<ReferralFunnel> {
  const shop = await installedShop(deps, shopDomain);
  return funnelFor(deps, shop.id);
}

/** Everything the admin referrals page shows, in one call: whether the program is on, the funnel and the queue. */
export async function referralReview(
  deps: Deps,
  shopDomain: string,
  opts: { status?: QueueFilter; cursor?: string | null; take?: number } = {},
): Promise<{ enabled: boolean; funnel: ReferralFunnel; queue: ReferralQueue }> {
  const shop = await installedShop(deps, shopDomain);
  const [funnel, queue] = await Promise.all([funnelFor(deps, shop.id), queueFor(deps, shop.id, opts)]);
  return { enabled: shop.settings.referral.enabled, funnel, queue };
}

/** A member's referral history, for their customer page. */
export interface MemberReferrals {
  /** Their own referral code, once they have one. */
  code: string | null;
  /** Their code as a Shopify discount code friends type at checkout: its status, and Shopify's last refusal while pending. */
  codeDiscount: { status: CodeDiscountStatus; error: string | null } | null;
  /** Friends they referred (newest first, at most 50). */
  made: QueueRow[];
  /** Who referred them, when their first order was attributed to someone. */
  referredBy: QueueRow | null;
}

export async function memberReferrals(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string): Promise<MemberReferrals> {
  const shop = await installedShop(deps, shopDomain);
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: { id: true },
  });
  if (!customer) throw new KembaliError("NOT_FOUND", "No such customer in this shop");
  const customerId = customer.id;
  const include = { referrer: { select: personFields }, friend: { select: personFields } } as const;
  const [code, made, referredBy] = await Promise.all([
    deps.db.referralCode.findFirst({
      where: { shopId: shop.id, customerId },
      select: { code: true, discountStatus: true, discountError: true },
    }),
    deps.db.referral.findMany({
      where: { shopId: shop.id, referrerId: customerId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 50,
      include,
    }),
    deps.db.referral.findFirst({ where: { shopId: shop.id, friendId: customerId }, orderBy: { createdAt: "asc" }, include }),
  ]);
  return {
    code: code?.code ?? null,
    codeDiscount: code ? { status: code.discountStatus as CodeDiscountStatus, error: code.discountError } : null,
    made: made.map(toRow),
    referredBy: referredBy ? toRow(referredBy) : null,
  };
}
