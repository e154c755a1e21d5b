// The points ledger: append-only entries, each with an idempotency key unique per shop, and
// the customer's cached `balance` (spendable) and `pendingPoints` (earned, still in the
// pending period), changed in the same transaction as every entry, so that always
//   balance + pendingPoints = sum of the customer's entries.
// Call these inside a transaction so the entry and the cached figures move together.
import { recordEvent } from "../messages/events";
import type { Tx } from "../../db-types";
import { InsufficientPoints, KembaliError } from "../errors";
import { allocate } from "./lots";
import { isValueOutOfRange } from "../db-errors";

export type EntryKind = "earn" | "spend" | "reverse" | "expire" | "adjust";

/** Points are 32-bit integer columns (PostgreSQL's integer): no entry, balance or pending total passes this. */
export const POINTS_COLUMN_MAX = 2_147_483_647;

function pointsLimit(): KembaliError {
  return new KembaliError("BAD_INPUT", `More points than a balance can hold (${POINTS_COLUMN_MAX})`);
}

export interface NewEntry {
  shopId: string;
  customerId: string;
  kind: EntryKind;
  /** Signed: positive adds to the balance, negative takes from it. */
  points: number;
  idempotencyKey: string;
  sourceType: string;
  sourceId: string;
  reason?: string;
  /** An addition becomes spendable then (pending until); default: at once. */
  availableAt?: Date;
  expiresAt?: Date;
  /** When the entry happens, from the caller's clock. */
  at: Date;
  /** A deduction tied to one earn entry (a refund of its order): take from that lot first. */
  fromLot?: string;
}

/** The entry's columns an AppendResult carries (the rest is not read back). */
const ENTRY = { id: true, points: true, balanceAfter: true, idempotencyKey: true } as const;

export interface AppendResult {
  entry: { id: string; points: number; balanceAfter: number; idempotencyKey: string };
  /** false when the key was already in the ledger: nothing was written. */
  applied: boolean;
}

/**
 * Writes one entry unless its key is already in the ledger (then returns the existing one).
 * A deduction with `mayGoNegative: false` (a spend) is refused with InsufficientPoints when
 * the balance does not cover it; reversals pass `mayGoNegative: true`. `keyIsNew`: the caller
 * created, in this transaction, the row the key is named after (an order first seen now), so the
 * key cannot be in the ledger and is not looked up; were it there, the entry's unique key would
 * refuse the insert and the whole transaction would roll back, nothing counted twice.
 */
export async function appendEntry(
  tx: Tx,
  input: NewEntry,
  { mayGoNegative, keyIsNew = false }: { mayGoNegative: boolean; keyIsNew?: boolean },
): Promise<AppendResult> {
  if (!Number.isSafeInteger(input.points)) throw new RangeError("points must be an integer");
  if (Math.abs(input.points) > POINTS_COLUMN_MAX) throw pointsLimit();
  const existing = keyIsNew
    ? null
    : await tx.pointsEntry.findUnique({
        where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.idempotencyKey } },
        select: ENTRY,
      });
  if (existing) return { entry: existing, applied: false };

  const pendingAddition = input.points > 0 && !!input.availableAt && input.availableAt > input.at;
  // A refund inside the pending period cancels pending points before touching the balance.
  const fromPending = input.points < 0 ? await takeFromPendingLot(tx, input) : 0;
  const balanceChange = pendingAddition ? 0 : input.points + fromPending;

  // Conditional update: the balance check and the change are one statement, so two
  // concurrent spends cannot both pass it (row lock on PostgreSQL, write lock on SQLite). It
  // returns the balance after it, so nothing is read back.
  const guard = balanceChange < 0 && !mayGoNegative ? { balance: { gte: -balanceChange } } : {};
  const changed = await tx.customer
    .updateManyAndReturn({
      // A held-out customer is outside the program: no entry of any kind (holdout.ts).
      where: { id: input.customerId, shopId: input.shopId, holdout: false, ...guard },
      data: {
        balance: { increment: balanceChange },
        pendingPoints: { increment: pendingAddition ? input.points : -fromPending },
        // Earning and spending keep a membership active (expiry after inactivity).
        ...(input.kind === "earn" || input.kind === "spend" ? { lastActivityAt: input.at } : {}),
      },
      select: { balance: true, pendingPoints: true },
    })
    .catch((error: unknown) => {
      // PostgreSQL refuses a column past its range in the update itself.
      throw isValueOutOfRange(error) ? pointsLimit() : error;
    });
  const customer = changed[0] ?? (await refusal(tx, input, balanceChange));
  // An addition that takes balance + pending past the columns' range is refused (a release moves
  // pending into the balance, so their sum is what must fit). Checked on the figures the update
  // returns, not by a read before it: the refusal rolls the transaction back, update included.
  if (input.points > 0 && customer.balance + customer.pendingPoints > POINTS_COLUMN_MAX) throw pointsLimit();

  // Every addition is a lot that later spends and expiries draw from.
  const entry = await tx.pointsEntry.create({
    data: {
      shopId: input.shopId,
      customerId: input.customerId,
      kind: input.kind,
      points: input.points,
      balanceAfter: customer.balance,
      idempotencyKey: input.idempotencyKey,
      sourceType: input.sourceType,
      sourceId: input.sourceId,
      reason: input.reason,
      availableAt: input.points > 0 ? (input.availableAt ?? input.at) : null,
      expiresAt: input.expiresAt,
      remainingPoints: input.points > 0 ? input.points : null,
      pending: pendingAddition,
      createdAt: input.at,
    },
    select: ENTRY,
  });
  if (balanceChange < 0) await consumeLots(tx, input, -balanceChange);
  return { entry, applied: true };
}

/** Why the balance update matched no row: another shop's customer, a held-out one, or too few points. */
async function refusal(tx: Tx, input: NewEntry, balanceChange: number): Promise<never> {
  const customer = await tx.customer.findUnique({
    where: { id: input.customerId },
    select: { balance: true, shopId: true, holdout: true },
  });
  if (!customer || customer.shopId !== input.shopId) throw new Error(`Customer ${input.customerId} is not in shop ${input.shopId}`);
  if (customer.holdout) throw new KembaliError("NOT_IN_PROGRAM", "This customer is in the shop's holdout group");
  throw new InsufficientPoints(customer.balance, -balanceChange);
}

/** Takes what it can of a deduction from the named lot while that lot is pending. */
async function takeFromPendingLot(tx: Tx, input: NewEntry): Promise<number> {
  if (!input.fromLot) return 0;
  const lot = await tx.pointsEntry.findUnique({
    where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.fromLot } },
  });
  if (!lot?.pending) return 0;
  const take = Math.min(lot.remainingPoints ?? 0, -input.points);
  if (take > 0) await tx.pointsEntry.update({ where: { id: lot.id }, data: { remainingPoints: { decrement: take } } });
  return take;
}

/** Keeps the spendable lots' remaining points in step with a deduction from the balance. */
async function consumeLots(tx: Tx, input: NewEntry, points: number): Promise<void> {
  let left = points;
  if (input.fromLot) {
    const lot = await tx.pointsEntry.findUnique({
      where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.fromLot } },
    });
    const take = Math.min(lot && !lot.pending ? (lot.remainingPoints ?? 0) : 0, left);
    if (lot && take > 0) {
      await tx.pointsEntry.update({ where: { id: lot.id }, data: { remainingPoints: { decrement: take } } });
      left -= take;
    }
  }
  if (left === 0) return;
  const lots = await tx.pointsEntry.findMany({
    where: { shopId: input.shopId, customerId: input.customerId, remainingPoints: { gt: 0 }, pending: false },
    select: { id: true, remainingPoints: true, availableAt: true, expiresAt: true, createdAt: true },
  });
  const allocations = allocate(
    lots.map((l) => ({ ...l, remaining: l.remainingPoints ?? 0 })),
    left,
    input.at,
  );
  for (const { lotId, take } of allocations) {
    await tx.pointsEntry.update({ where: { id: lotId }, data: { remainingPoints: { decrement: take } } });
  }
}

/**
 * Moves lots whose pending period has ended into the spendable balance. Each lot is released
 * in its own small transaction, guarded on `pending`, so a crash or a second worker cannot
 * release one twice. Returns how many lots it released.
 */
export async function releasePendingPoints(
  deps: { db: Tx; clock: () => Date; transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T> },
  { shopId, limit = 200 }: { shopId?: string; limit?: number } = {},
): Promise<number> {
  const now = deps.clock();
  const due = await deps.db.pointsEntry.findMany({
    where: { pending: true, availableAt: { lte: now }, ...(shopId ? { shopId } : {}) },
    select: { id: true },
    orderBy: { availableAt: "asc" },
    take: limit,
  });
  let released = 0;
  for (const { id } of due) {
    const done = await deps.transaction(async (tx) => {
      const { count } = await tx.pointsEntry.updateMany({ where: { id, pending: true }, data: { pending: false } });
      if (count !== 1) return false;
      const lot = await tx.pointsEntry.findUniqueOrThrow({ where: { id } });
      const points = lot.remainingPoints ?? 0;
      await tx.customer.update({
        where: { id: lot.customerId },
        data: { balance: { increment: points }, pendingPoints: { decrement: points } },
      });
      // What is left of the lot after refunds in the pending period is now spendable.
      if (points > 0) await recordEvent(tx, lot.shopId, lot.customerId, "points_available", `points_available:${lot.id}`, { points }, now);
      return true;
    });
    if (done) released++;
  }
  return released;
}
