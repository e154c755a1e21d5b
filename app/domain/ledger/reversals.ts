// Refunds and cancellations take back what the order earned: a refund in proportion to the
// refunded merchandise, a cancellation whatever is left. Settling is idempotent and runs
// after each of the three events (paid, refund, cancel), so the balance ends the same in
// whatever order they arrive. A reversal may leave a negative balance (points already spent).
//
// On PostgreSQL two of the events can be settled at once (two servers, or one server's pool).
// Each writes its own fact (the earn entry, the refund, the cancellation) and then reads the
// others', so under READ COMMITTED both could miss each other and a reversal would be lost.
// holdOrderEvents serialises an order's events: taken right after the shop is found (or made
// on first contact), before any other row is written, so it cannot deadlock with row locks.
import type { Deps } from "../deps";
import { dialectOf, type Tx } from "../../db-types";
import { appendEntry } from "./ledger";

/**
 * Waits for, then holds until commit, the lock of one order's paid, refund and cancellation
 * events (PostgreSQL). SQLite runs one write transaction at a time, so nothing is needed there;
 * outside a transaction the lock is released at once, which is harmless.
 */
export async function holdOrderEvents(db: Tx, shopDomain: string, shopifyOrderId: string): Promise<void> {
  if (dialectOf(db) !== "postgresql") return;
  const key = `order-events:${shopDomain}:${shopifyOrderId}`;
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** The order's earn entry and the order, when the caller has them in hand (it just wrote them). */
export interface SettlementFacts {
  earn: { customerId: string; points: number; idempotencyKey: string };
  order: { subtotalMinor: bigint; cancelledAt: Date | null };
  /** Whether the order has refunds, when the caller read that in this transaction (after the order lock). */
  hasRefunds?: boolean;
}

export async function settleOrderReversals(deps: Deps, shopId: string, shopifyOrderId: string, known?: SettlementFacts) {
  const { db } = deps;
  const earn =
    known?.earn ??
    (await db.pointsEntry.findUnique({
      where: { shopId_idempotencyKey: { shopId, idempotencyKey: `earn:order:${shopifyOrderId}` } },
      select: { customerId: true, points: true, idempotencyKey: true },
    }));
  const order =
    known?.order ??
    (await db.order.findUnique({
      where: { shopId_shopifyOrderId: { shopId, shopifyOrderId } },
      select: { subtotalMinor: true, cancelledAt: true },
    }));
  if (!earn || !order) return;
  if (known?.hasRefunds === false && !order.cancelledAt) return;

  const reversed = async () =>
    -(
      (
        await db.pointsEntry.aggregate({
          where: { shopId, kind: "reverse", sourceId: shopifyOrderId, customerId: earn.customerId },
          _sum: { points: true },
        })
      )._sum.points ?? 0
    );

  const refunds = await db.refund.findMany({ where: { shopId, shopifyOrderId }, orderBy: { shopifyRefundId: "asc" } });
  for (const refund of refunds) {
    const key = `reverse:refund:${refund.shopifyRefundId}`;
    const share = order.subtotalMinor > 0n ? Number((BigInt(earn.points) * refund.subtotalMinor) / order.subtotalMinor) : 0;
    const points = Math.min(share, earn.points - (await reversed()));
    if (points <= 0) continue;
    await appendEntry(
      db,
      {
        shopId,
        customerId: earn.customerId,
        kind: "reverse",
        points: -points,
        idempotencyKey: key,
        sourceType: "refund",
        sourceId: shopifyOrderId,
        reason: `Refund ${refund.shopifyRefundId} on order ${shopifyOrderId}`,
        at: deps.clock(),
        fromLot: earn.idempotencyKey,
      },
      { mayGoNegative: true },
    );
  }
  if (order.cancelledAt) {
    const rest = earn.points - (await reversed());
    if (rest > 0) {
      await appendEntry(
        db,
        {
          shopId,
          customerId: earn.customerId,
          kind: "reverse",
          points: -rest,
          idempotencyKey: `reverse:cancel:${shopifyOrderId}`,
          sourceType: "cancellation",
          sourceId: shopifyOrderId,
          reason: `Order ${shopifyOrderId} cancelled`,
          at: deps.clock(),
          fromLot: earn.idempotencyKey,
        },
        { mayGoNegative: true },
      );
    }
  }
}
