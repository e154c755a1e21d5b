// Changes a merchant makes to members: adjust a balance by hand with a reason, and import the
// shop's order history. Finding members and explaining a balance are in app/admin/members.ts.
import { z } from "zod";
import type { Deps, TxDeps } from "../deps";
import { appendEntry } from "../ledger/ledger";
import { enqueueJob } from "../jobs";
import type { HistoryRange } from "../earning/history";
import { findShop } from "../shop/shops";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";

export const MAX_ADJUSTMENT = 1_000_000;

async function shopOf(db: Deps["db"], domain: string) {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return shop;
}

async function customerOf(db: Deps["db"], shopId: string, shopifyCustomerId: string) {
  const customer = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  // The same answer whether the id is unknown or another shop's: nothing leaks.
  if (!customer) throw new KembaliError("NOT_FOUND", "No such customer in this shop");
  return customer;
}

// ---------------------------------------------------------------------------------------
// Manual adjustment

const signedWhole = z.preprocess(
  (v) => (typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v.trim()) : v),
  z.number("member.error.points").int("member.error.points"),
);

export const adjustmentSchema = z.object({
  points: signedWhole.refine((n) => n !== 0 && Math.abs(n) <= MAX_ADJUSTMENT, "member.error.points"),
  reason: z.string("member.error.reason").trim().min(3, "member.error.reason").max(200, "member.error.reason"),
  // One per rendered form: a second submit of the same form is the same adjustment.
  requestId: z.string("member.error.form").regex(/^[A-Za-z0-9_-]{8,64}$/, "member.error.form"),
});

export interface AdjustmentResult {
  /** false when this request id was already applied: nothing changed. */
  applied: boolean;
  points: number;
  balance: number;
  pending: number;
}

export async function adjustPoints(
  deps: TxDeps,
  shopDomain: string,
  shopifyCustomerId: string,
  input: { points: unknown; reason: unknown; requestId: unknown },
): Promise<AdjustmentResult> {
  const parsed = adjustmentSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new KembaliError("BAD_INPUT", "The adjustment is invalid", { fields });
  }
  const { points, reason, requestId } = parsed.data;
  const shop = await shopOf(deps.db, shopDomain);
  const customer = await customerOf(deps.db, shop.id, shopifyCustomerId);
  if (customer.holdout) {
    throw new KembaliError("BAD_INPUT", "This customer is in the holdout group", { fields: { form: "member.error.holdout" } });
  }
  const idempotencyKey = `adjust:${requestId}`;

  let applied = false;
  try {
    ({ applied } = await deps.transaction((tx) =>
      appendEntry(
        tx,
        {
          shopId: shop.id,
          customerId: customer.id,
          kind: "adjust",
          points,
          idempotencyKey,
          sourceType: "admin",
          sourceId: requestId,
          reason,
          at: deps.clock(),
        },
        // A removal takes only what the member can spend now, never below zero.
        { mayGoNegative: false },
      ),
    ));
  } catch (error) {
    // The same form submitted twice at once: the first one won; answer as a repeat.
    if (!isUniqueViolation(error)) throw error;
  }
  if (!applied) {
    const first = await deps.db.pointsEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: shop.id, idempotencyKey } } });
    if (!first || first.customerId !== customer.id || first.points !== points) {
      throw new KembaliError("IDEMPOTENCY_CONFLICT", "This form was already used for another adjustment", {
        fields: { form: "member.error.form" },
      });
    }
  }
  const now = await deps.db.customer.findUniqueOrThrow({ where: { id: customer.id } });
  return { applied, points, balance: now.balance, pending: now.pendingPoints };
}

// ---------------------------------------------------------------------------------------
// Order history import (backfill)

export interface BackfillStatus {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  earnPoints: boolean;
  /** What the import could read (history.ts backfillJob); null until its first step ran. */
  range: HistoryRange | null;
  /** Orders imported so far. */
  progress: number;
  total: number | null;
  /** 0-100 when the total is known or the job is over; null while the total is unknown. */
  percent: number | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
}

const ACTIVE = ["queued", "running"];

export async function backfillStatus(deps: Pick<Deps, "db">, shopDomain: string): Promise<BackfillStatus | null> {
  const job = await deps.db.job.findFirst({
    where: { shopDomain, type: "backfill" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!job) return null;
  const status = job.status as BackfillStatus["status"];
  const percent = status === "done" ? 100 : job.total ? Math.min(100, Math.floor((job.progress / job.total) * 100)) : null;
  return {
    id: job.id,
    status,
    earnPoints: (job.input as { earnPoints?: boolean } | null)?.earnPoints === true,
    range: (job.outcome as { range?: HistoryRange } | null)?.range ?? null,
    progress: job.progress,
    total: job.total,
    percent,
    error: job.error,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
  };
}

/**
 * Queues the import of the shop's past orders. One at a time: a second start while one is
 * queued or running is refused. (Two starts racing on PostgreSQL could both pass the check;
 * the import is idempotent per order, so that would only repeat work, never earn twice.)
 */
export async function startBackfill(deps: TxDeps, shopDomain: string, { earnPoints }: { earnPoints: boolean }) {
  await shopOf(deps.db, shopDomain);
  const job = await deps.transaction(async (tx) => {
    const running = await tx.job.findFirst({ where: { shopDomain, type: "backfill", status: { in: ACTIVE } } });
    if (running) return null;
    return enqueueJob({ db: tx, clock: deps.clock }, { shopDomain, type: "backfill", input: { earnPoints } });
  });
  if (!job) throw new KembaliError("BAD_INPUT", "An import is already running", { fields: { form: "settings.backfill.error.running" } });
  return backfillStatus(deps, shopDomain) as Promise<BackfillStatus>;
}
