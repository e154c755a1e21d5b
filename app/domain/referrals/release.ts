// Referrals: refunds, cancellations and the reward. (index.ts says how referrals work.)
import type { Tx } from "../../db-types";
import type { Deps, Log, TxDeps } from "../deps";
import { appendEntry } from "../ledger/ledger";
import { recordEvent } from "../messages/events";
import { findShop, type ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";
import { type ReferralRow, type ReferralView, view } from "./attribution";
import type { Decision, ReferralStatus } from "./common";

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
    data: {
      status: "cancelled",
      decisions: [...(r.decisions as Decision[]), { status: "cancelled", by: "system", at: deps.clock().toISOString(), note: why }],
    },
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
        await cancelWithNote(
          { db: deps.db, clock: deps.clock },
          await deps.db.referral.findUniqueOrThrow({ where: { id } }),
          error.message,
        );
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
    data: {
      status: "cancelled",
      decisions: [...(r.decisions as Decision[]), { status: "cancelled", by: "system", at: deps.clock().toISOString(), note }],
    },
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
        shopId: r.shopId,
        customerId: r.referrerId,
        kind: "earn",
        points: r.points,
        idempotencyKey: rewardKey(r.id, round),
        sourceType: "referral",
        sourceId: r.id,
        reason: "Referral: your friend's first order",
        at: now,
      },
      { mayGoNegative: false },
    );
    await recordEvent(
      deps.db,
      r.shopId,
      r.referrerId,
      "referral_rewarded",
      `referral_rewarded:${rewardKey(r.id, round)}`,
      { referralId: r.id, points: r.points },
      now,
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
        decisions: [
          ...(r.decisions as Decision[]),
          { status: to, by: "merchant", actor: by, at: now.toISOString(), ...(note ? { note } : {}) },
        ],
      },
    });
    if (count !== 1) throw new KembaliError("IDEMPOTENCY_CONFLICT", "The referral changed meanwhile; reload and try again");
    if (from === "rewarded" && r.points > 0) {
      await appendEntry(
        tx,
        {
          shopId: r.shopId,
          customerId: r.referrerId,
          kind: "reverse",
          points: -r.points,
          idempotencyKey: `reverse:${rewardKey(r.id, r.rewardRound)}`,
          sourceType: "referral",
          sourceId: r.id,
          reason: "Referral reward reversed by the merchant",
          at: now,
          fromLot: rewardKey(r.id, r.rewardRound),
        },
        { mayGoNegative: true },
      );
    }
    return view(await tx.referral.findUniqueOrThrow({ where: { id: r.id } }));
  });
}
