// Redeeming points for a reward. The spend and a pending redemption are written in one
// transaction (the balance guard makes concurrent requests unable to overspend; the request
// id makes a retry return the first result). The reward is then created in Shopify, outside
// the transaction; if Shopify refuses, the points come back at once.
import { recordEvent } from "../messages/events";
import { createHash } from "node:crypto";
import type { Deps, TxDeps } from "../deps";
import type { CreateDiscountCodeInput, ShopifyAdmin } from "../../shopify/admin/port";
import { isCodeTaken, ShopifyAdminError } from "../../shopify/admin/errors";
import { appendEntry } from "../ledger/ledger";
import { findShop } from "../shop/shops";
import { readSettings } from "../earning/program";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { currentTierProgram, tiersUnlocking } from "../tiers";

export interface RedeemDeps extends TxDeps {
  shopify: ShopifyAdmin;
}

export interface RedemptionView {
  id: string;
  requestId: string;
  status: "pending" | "issued" | "failed" | "used" | "expired" | "refunded";
  rewardId: string;
  rewardName: string;
  rewardType: string;
  pointsSpent: number;
  code: string | null;
  expiresAt: string | null;
  failureReason: string | null;
  balance: number;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A code that is the same for every retry of one request, so issuing it again cannot duplicate it. */
export function rewardCode(shopId: string, requestId: string): string {
  const digest = createHash("sha256").update(`${shopId}:${requestId}`).digest();
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let code = "";
  for (let i = 0; i < 10; i++) code += alphabet[digest[i] % alphabet.length];
  return `KMB-${code}`;
}

export async function redeemReward(
  deps: RedeemDeps,
  input: { shopDomain: string; shopifyCustomerId: string; rewardId: string; requestId: string },
): Promise<RedemptionView> {
  const { db } = deps;
  if (!REQUEST_ID.test(input.requestId)) throw new KembaliError("BAD_INPUT", "requestId must be 8-64 letters, digits, - or _");
  const shop = await findShop(db, input.shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId } },
  });
  if (!customer) throw new KembaliError("NOT_A_MEMBER", "Earn points with an order before redeeming");

  const existing = await db.redemption.findUnique({
    where: { shopId_requestId: { shopId: shop.id, requestId: input.requestId } },
  });
  if (existing) {
    if (existing.customerId !== customer.id || existing.rewardId !== input.rewardId) {
      throw new KembaliError("IDEMPOTENCY_CONFLICT", "This request id was used for another redemption");
    }
    return view(deps, existing.id);
  }

  const reward = await db.reward.findFirst({ where: { id: input.rewardId, shopId: shop.id, active: true } });
  if (!reward) throw new KembaliError("NOT_FOUND", "This reward is not available");
  await assertTierAllows(db, shop.id, reward.id, customer.tier);

  let spent: { redemption: RedemptionRow; balance: number };
  try {
    spent = await deps.transaction(async (tx) => {
      const { entry } = await appendEntry(
        tx,
        {
          shopId: shop.id,
          customerId: customer.id,
          kind: "spend",
          points: -reward.pointsCost,
          idempotencyKey: `redeem:${input.requestId}`,
          sourceType: "redemption",
          sourceId: input.requestId,
          reason: `Redeemed: ${reward.name}`,
          at: deps.clock(),
        },
        { mayGoNegative: false },
      );
      const redemption = await tx.redemption.create({
        data: {
          shopId: shop.id,
          customerId: customer.id,
          rewardId: reward.id,
          requestId: input.requestId,
          pointsSpent: reward.pointsCost,
          status: "pending",
          code: reward.type === "store_credit" ? null : rewardCode(shop.id, input.requestId),
        },
      });
      return { redemption, balance: entry.balanceAfter };
    });
  } catch (error) {
    // The same request id won a race a moment ago: answer with its result.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.redemption.findUnique({ where: { shopId_requestId: { shopId: shop.id, requestId: input.requestId } } });
    if (!winner) throw error;
    return view(deps, winner.id);
  }
  // Everything the answer needs is in hand: the reward, the member and the balance after the
  // spend (and after the refund, when Shopify refused), so nothing is read again.
  const { redemption } = spent;
  const issued = await issue(deps, { ...redemption, reward, customer, shop });
  return viewOf({ ...redemption, ...issued }, reward, issued.balance ?? spent.balance);
}

/**
 * A reward some VIP tiers list as exclusive is only for members of those tiers (under the
 * current tier program): anyone else is refused with TIER_REQUIRED, naming the tiers, before
 * anything is written.
 */
export async function assertTierAllows(db: Deps["db"], shopId: string, rewardId: string, tierKey: string | null): Promise<void> {
  const program = await currentTierProgram(db, shopId);
  const unlocking = program ? tiersUnlocking(program.tiers, rewardId) : [];
  if (unlocking.length === 0 || unlocking.some((t) => t.key === tierKey)) return;
  const tiers = unlocking.map((t) => t.name);
  throw new KembaliError("TIER_REQUIRED", `Only ${tiers.join(", ")} members can redeem this reward`, { tiers });
}

/**
 * Where a redemption came from, for reward_issued's `source`: points spent, else the kind its
 * request id names (a survey's "apology-…", a welcome reward's "welcome:…"), else "other".
 */
export function redemptionSource(r: { requestId: string; pointsSpent: number }): string {
  if (r.pointsSpent > 0) return "points";
  const kind = /^([a-z]+)[-:]/.exec(r.requestId)?.[1];
  return kind === "apology" || kind === "welcome" ? kind : "other";
}

type RedemptionRow = Awaited<ReturnType<Deps["db"]["redemption"]["findUniqueOrThrow"]>>;
type RewardRow = Awaited<ReturnType<Deps["db"]["reward"]["findUniqueOrThrow"]>>;

/** A pending redemption with what issuing it needs. */
interface Issuing {
  id: string;
  shopId: string;
  customerId: string;
  requestId: string;
  pointsSpent: number;
  code: string | null;
  reward: RewardRow;
  customer: { shopifyCustomerId: string };
  shop: { currency: string };
}

/** The redemption is issued, and reward_issued recorded with it (one transaction, once per redemption). */
async function markIssued(
  deps: RedeemDeps,
  r: Issuing,
  created: { storeCreditTxId: string } | { discountId: string },
  expiresAt: Date | null,
) {
  await deps.transaction(async (tx) => {
    await tx.redemption.update({ where: { id: r.id }, data: { status: "issued", ...created, expiresAt } });
    await recordEvent(
      tx,
      r.shopId,
      r.customerId,
      "reward_issued",
      `reward_issued:${r.id}`,
      {
        redemptionId: r.id,
        rewardName: r.reward.name,
        code: "discountId" in created ? r.code : null,
        expiresAt: expiresAt?.toISOString() ?? null,
        source: redemptionSource(r),
      },
      deps.clock(),
    );
  });
}

/** Creates the pending redemption's reward in Shopify; on refusal gives the points back. */
export async function issueReward(deps: RedeemDeps, redemptionId: string): Promise<void> {
  const r = await deps.db.redemption.findUniqueOrThrow({
    where: { id: redemptionId },
    include: { reward: true, customer: true, shop: true },
  });
  if (r.status !== "pending") return;
  await issue(deps, r);
}

/** What issuing changed: the status, and the balance after the points came back (null: untouched). */
interface IssueOutcome {
  status: "issued" | "failed" | "pending";
  expiresAt: Date | null;
  failureReason: string | null;
  balance: number | null;
}

/** Creates the reward in Shopify and marks it issued; on refusal gives the points back. */
async function issue(deps: RedeemDeps, r: Issuing): Promise<IssueOutcome> {
  const now = deps.clock();
  const expiresAt = r.reward.validityDays ? new Date(now.getTime() + r.reward.validityDays * 86_400_000) : null;
  try {
    if (r.reward.type === "store_credit") {
      const { transactionId } = await deps.shopify.creditStoreCredit({
        customerId: r.customer.shopifyCustomerId,
        amount: r.reward.value,
        currency: r.shop.currency,
        expiresAt,
      });
      return await recordIssued(deps, r, { storeCreditTxId: transactionId }, expiresAt);
    }
    const { discountId } = await createOrAdoptCode(deps.shopify, {
      code: r.code!,
      title: `Kembali reward: ${r.reward.name}`,
      reward: discountReward(r.reward),
      customerId: r.customer.shopifyCustomerId,
      minimumSubtotal: r.reward.minimumSubtotal === null ? undefined : Number(r.reward.minimumSubtotal),
      startsAt: now,
      endsAt: expiresAt,
      combinesWith: {
        orderDiscounts: r.reward.combinesWithOrder,
        productDiscounts: r.reward.combinesWithProduct,
        shippingDiscounts: r.reward.combinesWithShipping,
      },
      currency: r.shop.currency,
    });
    return await recordIssued(deps, r, { discountId }, expiresAt);
  } catch (error) {
    // Shopify created it but it could not be recorded, or Shopify may have created it after all
    // (the answer was lost): keep it pending, never give the points back for it. The sweep
    // issues discount codes again (the same code, so never twice); store credit waits for the
    // merchant, since a second credit could pay twice.
    if (
      error instanceof RecordingFailed ||
      error instanceof TakenUnresolved ||
      (error instanceof ShopifyAdminError && error.outcomeUnknown)
    ) {
      return { status: "pending", expiresAt: null, failureReason: null, balance: null };
    }
    const reason = error instanceof Error ? error.message.slice(0, 300) : "Shopify refused the reward";
    const balance = await deps.transaction(async (tx) => {
      let after: number | null = null;
      // A reward given without points (a survey's apology reward) has no points to return.
      if (r.pointsSpent > 0) {
        const { entry } = await appendEntry(
          tx,
          {
            shopId: r.shopId,
            customerId: r.customerId,
            kind: "reverse",
            points: r.pointsSpent,
            idempotencyKey: `refund:redeem:${r.requestId}`,
            sourceType: "redemption",
            sourceId: r.requestId,
            reason: `Points returned: the reward could not be created (${reason})`,
            at: deps.clock(),
          },
          { mayGoNegative: true },
        );
        after = entry.balanceAfter;
      }
      await tx.redemption.update({ where: { id: r.id }, data: { status: "failed", failureReason: reason } });
      return after;
    });
    return { status: "failed", expiresAt: null, failureReason: reason, balance };
  }
}

/** Shopify said TAKEN and asking whose code it is failed: it may be this redemption's, so it stays pending. */
class TakenUnresolved extends Error {}

/**
 * Creates the redemption's discount code. TAKEN with the title this redemption gives it means an
 * earlier attempt created it (the code comes from the request id): its answer was lost, or the
 * process died before recording it. That code is adopted, never refunded while it is live.
 */
async function createOrAdoptCode(shopify: ShopifyAdmin, input: CreateDiscountCodeInput): Promise<{ discountId: string }> {
  try {
    return await shopify.createDiscountCode(input);
  } catch (error) {
    if (!isCodeTaken(error)) throw error;
    let existing: Awaited<ReturnType<ShopifyAdmin["discountByCode"]>>;
    try {
      existing = await shopify.discountByCode(input.code);
    } catch (lookup) {
      throw new TakenUnresolved(lookup instanceof Error ? lookup.message : String(lookup));
    }
    // Another discount has the code (the merchant's own): refused, the points come back.
    if (existing?.title !== input.title) throw error;
    return { discountId: existing.discountId };
  }
}

/** Shopify created the reward; recording that failed every time (the points stay spent). */
class RecordingFailed extends Error {}

const RECORD_ATTEMPTS = 4;

/**
 * Records a reward Shopify has created. A failure here (a busy database) is never Shopify's
 * refusal: the reward exists, so the points must not come back. Tried a few times with a
 * growing pause; if it still fails the redemption stays pending (RecordingFailed).
 */
async function recordIssued(
  deps: RedeemDeps,
  r: Issuing,
  created: { storeCreditTxId: string } | { discountId: string },
  expiresAt: Date | null,
): Promise<IssueOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await markIssued(deps, r, created, expiresAt);
      return { status: "issued", expiresAt, failureReason: null, balance: null };
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) throw new RecordingFailed(error instanceof Error ? error.message : String(error));
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

function discountReward(reward: { type: string; value: number; variantId: string | null }) {
  switch (reward.type) {
    case "fixed_amount":
      return { type: "fixed_amount" as const, amount: reward.value };
    case "percentage":
      return { type: "percentage" as const, percent: reward.value };
    case "free_shipping":
      return { type: "free_shipping" as const };
    case "free_product":
      return { type: "free_product" as const, variantId: reward.variantId ?? "", value: reward.value };
    default:
      throw new Error(`Unknown reward type ${reward.type}`);
  }
}

async function view(deps: Pick<Deps, "db">, redemptionId: string): Promise<RedemptionView> {
  const r = await deps.db.redemption.findUniqueOrThrow({
    where: { id: redemptionId },
    include: { reward: true, customer: { select: { balance: true } } },
  });
  return viewOf(r, r.reward, r.customer.balance);
}

function viewOf(
  r: Pick<RedemptionRow, "id" | "requestId" | "status" | "rewardId" | "pointsSpent" | "code" | "expiresAt" | "failureReason">,
  reward: { name: string; type: string },
  balance: number,
): RedemptionView {
  return {
    id: r.id,
    requestId: r.requestId,
    status: r.status as RedemptionView["status"],
    rewardId: r.rewardId,
    rewardName: reward.name,
    rewardType: reward.type,
    pointsSpent: r.pointsSpent,
    code: r.status === "issued" ? r.code : null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    failureReason: r.failureReason,
    balance,
  };
}

/** Pending discount-code redemptions whose first attempt had no clear answer: try again. */
export async function retryPendingRedemptions(
  deps: Omit<RedeemDeps, "shopify"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> },
  { olderThanMs = 60_000, limit = 50 } = {},
  onError: (redemption: { id: string; shopId: string }, error: unknown) => void = () => {},
): Promise<number> {
  const cutoff = new Date(deps.clock().getTime() - olderThanMs);
  const pending = await deps.db.redemption.findMany({
    where: { status: "pending", createdAt: { lt: cutoff }, code: { not: null } },
    include: { shop: { select: { domain: true } } },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  // One shop's failure (its Shopify unreachable, its token revoked) never stops the others'.
  for (const r of pending) {
    try {
      await issueReward({ ...deps, shopify: await deps.shopifyFor(r.shop.domain) }, r.id);
    } catch (error) {
      onError(r, error);
    }
  }
  return pending.length;
}

/**
 * Issued codes past their end date: used ones are marked used; unused ones are switched off
 * in Shopify and, when the merchant chose so (settings.redemption.refundExpiredCodes), their
 * points come back.
 */
export async function settleExpiredRewards(
  deps: Omit<RedeemDeps, "shopify"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> },
  { limit = 100, shopId }: { limit?: number; shopId?: string } = {},
): Promise<{ used: number; refunded: number; expired: number }> {
  const now = deps.clock();
  const due = await deps.db.redemption.findMany({
    where: { status: "issued", expiresAt: { lt: now }, discountId: { not: null }, ...(shopId ? { shopId } : {}) },
    include: { shop: true },
    take: limit,
  });
  const out = { used: 0, refunded: 0, expired: 0 };
  for (const r of due) {
    const shopify = await deps.shopifyFor(r.shop.domain);
    const usage = await shopify.discountUsage(r.discountId!);
    if (usage.usageCount > 0) {
      await deps.db.redemption.update({ where: { id: r.id }, data: { status: "used" } });
      out.used++;
      continue;
    }
    if (usage.status !== "EXPIRED") await shopify.deactivateDiscount(r.discountId!);
    const { redemption } = readSettings(r.shop.settings, r.shop.currency);
    // Nothing to return for a reward given without points (a survey's apology reward).
    if (!redemption.refundExpiredCodes || r.pointsSpent === 0) {
      await deps.db.redemption.update({ where: { id: r.id }, data: { status: "expired" } });
      out.expired++;
      continue;
    }
    await deps.transaction(async (tx) => {
      await appendEntry(
        tx,
        {
          shopId: r.shopId,
          customerId: r.customerId,
          kind: "reverse",
          points: r.pointsSpent,
          idempotencyKey: `refund:expired:${r.requestId}`,
          sourceType: "redemption",
          sourceId: r.requestId,
          reason: `Points returned: code ${r.code} expired unused`,
          at: now,
        },
        { mayGoNegative: true },
      );
      await tx.redemption.update({ where: { id: r.id }, data: { status: "refunded" } });
    });
    out.refunded++;
  }
  return out;
}
