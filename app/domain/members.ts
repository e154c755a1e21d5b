// The merchant's side of members: find a customer, explain their balance from the ledger,
// adjust it by hand with a reason, and import the shop's order history.
import { z } from "zod";
import type { Deps, TxDeps } from "./deps";
import { appendEntry, type EntryKind } from "./ledger/ledger";
import { enqueueJob } from "./jobs";
import type { HistoryRange } from "./earning/history";
import { addMonths } from "./ledger/expiry";
import { labelEntries, type EntryLabel } from "./ledger/entry-labels";
import { findShop } from "./shop/shops";
import { KembaliError } from "./errors";
import { isUniqueViolation } from "./db-errors";
import { NO_SEGMENT, SEGMENTS, type Segment } from "./analytics/segments";
import { currentTierProgram, NO_TIER } from "./tiers";

export const MAX_ADJUSTMENT = 1_000_000;
const PAGE_MAX = 100;

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
// Search

export interface MemberRow {
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  balance: number;
  pending: number;
  orders: number;
  lastActivityAt: string | null;
  redacted: boolean;
  /** RFM segment as of the last dashboard snapshot; null: no purchase in the 24-month window. */
  segment: Segment | null;
  /** Tier key under the current tier program; null below the first tier. */
  tier: string | null;
}

export interface MemberPage {
  members: MemberRow[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------
// Filters: segment and tier

export { NO_SEGMENT };
/** NO_SEGMENT: customers with no purchase in the window; NO_TIER: customers without a tier; null: no filter. */
export type SegmentFilter = Segment | typeof NO_SEGMENT;

export interface MemberFilters {
  segment: SegmentFilter | null;
  /** A tier key of the current program, NO_TIER, or null for every customer. */
  tier: string | null;
}

export interface MemberFilterOptions {
  /** The filters that apply: values from the URL that this shop knows. */
  filters: MemberFilters;
  /** URL values that were not understood and were left out (the page says so). */
  ignored: Array<"segment" | "tier">;
  /** The current tier program's tiers, in threshold order (empty without a program). */
  tiers: Array<{ key: string; name: string }>;
  /** When customers' segments were last computed (the dashboard's "segments" part); null: never. */
  segmentsAsOf: string | null;
}

/**
 * Reads the segment and tier filters from the page's URL. An empty value or "all" means no
 * filter; an unknown value (a typo, a tier removed since the link was shared) is ignored and
 * reported rather than refused, so an old link still opens the list.
 */
export async function memberFilterOptions(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  raw: { segment?: string | null; tier?: string | null },
): Promise<MemberFilterOptions> {
  const shop = await shopOf(deps.db, shopDomain);
  const [program, snapshot] = await Promise.all([
    currentTierProgram(deps.db, shop.id),
    deps.db.analyticsSnapshot.findUnique({ where: { shopId_key: { shopId: shop.id, key: "segments" } }, select: { asOf: true } }),
  ]);
  const tiers = (program?.tiers ?? []).map((tier) => ({ key: tier.key, name: tier.name }));
  const ignored: MemberFilterOptions["ignored"] = [];
  const pick = <T extends string>(value: string | null | undefined, allowed: readonly T[], name: "segment" | "tier"): T | null => {
    const v = (value ?? "").trim();
    if (v === "" || v === "all") return null;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    ignored.push(name);
    return null;
  };
  return {
    filters: {
      segment: pick<SegmentFilter>(raw.segment, [...SEGMENTS, NO_SEGMENT], "segment"),
      tier: pick(raw.tier, [...tiers.map((t) => t.key), NO_TIER], "tier"),
    },
    ignored,
    tiers,
    segmentsAsOf: snapshot?.asOf.toISOString() ?? null,
  };
}

/** The Prisma condition of a (validated) filter; a value outside the known ones matches nothing. */
function filterWhere({ segment, tier }: Partial<MemberFilters>) {
  const where: { segment?: string | null; tier?: string | null } = {};
  if (segment) where.segment = segment === NO_SEGMENT ? null : segment;
  if (tier) where.tier = tier === NO_TIER ? null : tier;
  return where;
}

/**
 * PostgreSQL compares text case-sensitively unless asked, and SQLite rejects the option
 * (its LIKE already ignores ASCII case), so the option is set only where it exists.
 */
function textMatch(db: Deps["db"], term: string) {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  return provider === "postgresql" ? ({ contains: term, mode: "insensitive" } as { contains: string }) : { contains: term };
}

export async function searchMembers(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  {
    query,
    cursor,
    take = 25,
    segment = null,
    tier = null,
  }: { query?: string | null; cursor?: string | null; take?: number } & Partial<MemberFilters> = {},
): Promise<MemberPage> {
  const shop = await shopOf(deps.db, shopDomain);
  const size = Math.min(Math.max(Math.trunc(take) || 25, 1), PAGE_MAX);
  // Every word must match one of the fields, so "ayu lestari" finds first + last name.
  const terms = (query ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5);
  const where = {
    shopId: shop.id,
    ...filterWhere({ segment, tier }),
    AND: terms.map((term) => ({
      OR: [
        { email: textMatch(deps.db, term) },
        { firstName: textMatch(deps.db, term) },
        { lastName: textMatch(deps.db, term) },
        { shopifyCustomerId: { contains: term } },
      ],
    })),
  };
  // The cursor must be this shop's customer: a foreign id would start nowhere, not elsewhere.
  const start = cursor
    ? await deps.db.customer.findFirst({ where: { id: cursor, shopId: shop.id }, select: { id: true } })
    : null;
  const rows = await deps.db.customer.findMany({
    where,
    orderBy: [{ lastActivityAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
    ...(start ? { cursor: { id: start.id }, skip: 1 } : {}),
    take: size + 1,
    include: { _count: { select: { orders: { where: { paidAt: { not: null } } } } } },
  });
  const page = rows.slice(0, size);
  return {
    members: page.map((c) => ({
      shopifyCustomerId: c.shopifyCustomerId,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      balance: c.balance,
      pending: c.pendingPoints,
      orders: c._count.orders,
      lastActivityAt: c.lastActivityAt?.toISOString() ?? null,
      redacted: c.redactedAt !== null,
      segment: (SEGMENTS as readonly string[]).includes(c.segment ?? "") ? (c.segment as Segment) : null,
      tier: c.tier,
    })),
    nextCursor: rows.length > size ? page[page.length - 1].id : null,
  };
}

// ---------------------------------------------------------------------------------------
// Audit: why this balance

export interface AuditEntry {
  id: string;
  kind: EntryKind;
  points: number;
  /** Spendable balance right after the entry was written (pending points excluded). */
  balanceAfter: number;
  /** Sum of all entries up to this one, in date order: what balance + pending added up to then. */
  runningTotal: number;
  /** The stored reason (English for the app's own entries): what the page shows is `label`. */
  reason: string | null;
  label: EntryLabel;
  source: string;
  at: string;
  /** Additions are lots that spends and expiries draw from; null for deductions. */
  lot: { remaining: number; pending: boolean; availableAt: string | null; expiresAt: string | null } | null;
}

export interface MemberAudit {
  currency: string;
  profile: {
    shopifyCustomerId: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    memberSince: string;
    lastActivityAt: string | null;
    redacted: boolean;
  };
  balance: number;
  pending: number;
  entries: AuditEntry[];
  redemptions: Array<{
    id: string;
    reward: string;
    pointsSpent: number;
    status: string;
    code: string | null;
    at: string;
    expiresAt: string | null;
    failureReason: string | null;
  }>;
  /** With expiry after inactivity: when the whole balance goes unless the member earns or spends. */
  inactivityExpiresAt: string | null;
  /** balance + pending equals the sum of the ledger entries. */
  consistent: boolean;
  ledgerSum: number;
}

export async function memberAudit(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string): Promise<MemberAudit> {
  const shop = await shopOf(deps.db, shopDomain);
  const customer = await customerOf(deps.db, shop.id, shopifyCustomerId);
  const [entries, redemptions] = await Promise.all([
    deps.db.pointsEntry.findMany({
      where: { shopId: shop.id, customerId: customer.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    deps.db.redemption.findMany({
      where: { shopId: shop.id, customerId: customer.id },
      orderBy: { createdAt: "desc" },
      include: { reward: { select: { name: true } } },
    }),
  ]);
  const { expiry } = shop.settings;
  // Lots carry no expiry date of their own when it follows from the program's setting.
  const lotExpiry = (e: (typeof entries)[number]) =>
    e.expiresAt ?? (expiry.mode === "after_earning" ? addMonths(e.createdAt, expiry.months) : null);
  const labels = await labelEntries(deps, shop.id, entries);
  let running = 0;
  const audit = entries.map((e, i): AuditEntry => {
    running += e.points;
    return {
      id: e.id,
      kind: e.kind as EntryKind,
      points: e.points,
      balanceAfter: e.balanceAfter,
      runningTotal: running,
      reason: e.reason,
      label: labels[i]!,
      source: `${e.sourceType}:${e.sourceId}`,
      at: e.createdAt.toISOString(),
      lot:
        e.points > 0
          ? {
              remaining: e.remainingPoints ?? 0,
              pending: e.pending,
              availableAt: e.availableAt?.toISOString() ?? null,
              expiresAt: lotExpiry(e)?.toISOString() ?? null,
            }
          : null,
    };
  });
  return {
    currency: shop.currency,
    profile: {
      shopifyCustomerId: customer.shopifyCustomerId,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      memberSince: customer.createdAt.toISOString(),
      lastActivityAt: customer.lastActivityAt?.toISOString() ?? null,
      redacted: customer.redactedAt !== null,
    },
    balance: customer.balance,
    pending: customer.pendingPoints,
    entries: audit,
    redemptions: redemptions.map((r) => ({
      id: r.id,
      reward: r.reward.name,
      pointsSpent: r.pointsSpent,
      status: r.status,
      code: r.code,
      at: r.createdAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      failureReason: r.failureReason,
    })),
    inactivityExpiresAt:
      expiry.mode === "inactivity" && customer.lastActivityAt && customer.balance > 0
        ? addMonths(customer.lastActivityAt, expiry.months).toISOString()
        : null,
    consistent: customer.balance + customer.pendingPoints === running,
    ledgerSum: running,
  };
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
  const percent =
    status === "done" ? 100 : job.total ? Math.min(100, Math.floor((job.progress / job.total) * 100)) : null;
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
