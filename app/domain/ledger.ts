// The points ledger: append-only entries, each with an idempotency key unique per shop,
// and a cached balance on the customer updated in the same transaction.
// Call these inside a transaction (db.$transaction) so the entry and the balance move together.
import type { Tx } from "../db.server";
import { InsufficientPoints } from "./errors";

export type EntryKind = "earn" | "spend" | "reverse" | "expire" | "adjust";

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
  availableAt?: Date;
  expiresAt?: Date;
  /** When the entry happens, from the caller's clock. */
  at: Date;
}

export interface AppendResult {
  entry: { id: string; points: number; balanceAfter: number; idempotencyKey: string };
  /** false when the key was already in the ledger: nothing was written. */
  applied: boolean;
}

/**
 * Writes one entry unless its key is already in the ledger (then returns the existing one).
 * A negative entry with `mayGoNegative: false` (a spend) is refused with InsufficientPoints
 * when the balance does not cover it; reversals pass `mayGoNegative: true`.
 */
export async function appendEntry(
  tx: Tx,
  input: NewEntry,
  { mayGoNegative }: { mayGoNegative: boolean },
): Promise<AppendResult> {
  if (!Number.isSafeInteger(input.points)) throw new RangeError("points must be an integer");
  const existing = await tx.pointsEntry.findUnique({
    where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey: input.idempotencyKey } },
  });
  if (existing) return { entry: existing, applied: false };

  // Conditional update: the balance check and the change are one statement, so two
  // concurrent spends cannot both pass the check (row lock on PostgreSQL, the write
  // lock on SQLite).
  const guard = input.points < 0 && !mayGoNegative ? { balance: { gte: -input.points } } : {};
  const { count } = await tx.customer.updateMany({
    where: { id: input.customerId, shopId: input.shopId, ...guard },
    data: { balance: { increment: input.points } },
  });
  const customer = await tx.customer.findUnique({
    where: { id: input.customerId },
    select: { balance: true, shopId: true },
  });
  if (!customer || customer.shopId !== input.shopId) {
    throw new Error(`Customer ${input.customerId} is not in shop ${input.shopId}`);
  }
  if (count !== 1) throw new InsufficientPoints(customer.balance, -input.points);

  const isLot = input.kind === "earn" && input.points > 0;
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
      availableAt: input.availableAt,
      expiresAt: input.expiresAt,
      remainingPoints: isLot ? input.points : null,
      createdAt: input.at,
    },
  });
  return { entry, applied: true };
}
