// RFM segments and the Pareto share, over the customers with a purchase (paid, not cancelled,
// by orderedAt, see retention.ts) in the 24 months before `now`.
//
// Scores 1–5 by quintile among those customers: score = 1 + floor(5 × w / n), where n is the
// number of customers and w the number with a strictly worse value, so equal values share a
// score. Recency: days since the last purchase (fewer is better); frequency: purchases in the
// window; monetary: subtotal spent in the window.
//
// Segments, first rule that matches:
//   new      first purchase ever in the last 90 days
//   loyal    R ≥ 4 and F ≥ 4
//   active   R ≥ 3
//   at risk  R = 2, or R = 1 with F ≥ 3 (they used to buy often)
//   lapsed   the rest (R = 1, F ≤ 2)
// Pareto: share of the window's customer revenue from the top 20 % of customers by spend
// (ceil(0.2 × n) customers; guests excluded).
import { DAY_MS, num, percent, shopOrThrow, toDate, type AnalyticsDeps } from "./common";
import { addMonths } from "../ledger/expiry";
import type { Tx } from "../../db-types";
import { recordEvents, type RecordedPayloads } from "../messages/events";

export const RFM_WINDOW_MONTHS = 24;
export const NEW_CUSTOMER_DAYS = 90;
export const SEGMENTS = ["new", "active", "loyal", "at_risk", "lapsed"] as const;
export type Segment = (typeof SEGMENTS)[number];
/** The filter value (and Customer.segment null) of customers with no purchase in the window. */
export const NO_SEGMENT = "none";

export interface SegmentsReport {
  currency: string;
  windowStart: string;
  customers: number;
  segments: Record<Segment, { customers: number; revenueMinor: number }>;
  pareto: { topCustomers: number; topRevenueMinor: number; totalRevenueMinor: number; sharePercent: number | null };
  /**
   * Every customer with a points account when the figures were computed (the dashboard job adds
   * it, so the home page does not count the customers on every visit); absent in figures stored
   * before it was kept.
   */
  members?: number;
}

/** Quintile scores (1–5) in input order; equal values get the same score. */
export function quintileScores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  const order = values.map((v, i) => i).sort((a, b) => (higherIsBetter ? values[a] - values[b] : values[b] - values[a]));
  const scores = new Array<number>(n);
  let worse = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && values[order[k]] !== values[order[k - 1]]) worse = k;
    scores[order[k]] = 1 + Math.floor((5 * worse) / n);
  }
  return scores;
}

export function segmentOf(score: { r: number; f: number; m: number }, isNew: boolean): Segment {
  if (isNew) return "new";
  if (score.r >= 4 && score.f >= 4) return "loyal";
  if (score.r >= 3) return "active";
  if (score.r === 2 || score.f >= 3) return "at_risk";
  return "lapsed";
}

/** One customer active in the window and the segment the rules above give them. */
export interface CustomerSegment {
  customerId: string;
  segment: Segment;
  /** Subtotal spent in the window (the M of RFM). */
  spendMinor: number;
}

export interface CustomerSegments {
  shopId: string;
  currency: string;
  windowStart: Date;
  customers: CustomerSegment[];
}

/**
 * Every customer with a purchase in the window and their segment. The report below is the
 * sum of these, and the dashboard job records them on the customers (recordCustomerSegments),
 * so the Customers page's filter and the dashboard's counts come from the same rules.
 */
export async function customerSegments(deps: AnalyticsDeps, input: { shopDomain: string; now: Date }): Promise<CustomerSegments> {
  const { db } = deps;
  const { now } = input;
  const shop = await shopOrThrow(db, input.shopDomain);
  const windowStart = addMonths(now, -RFM_WINDOW_MONTHS);
  // One row per customer active in the window: first and last purchase, count and spend in it.
  const rows = await db.$queryRaw<Array<{ customer_id: string; first_at: unknown; last_at: unknown; orders: unknown; spend: unknown }>>`
    SELECT o."customerId" AS customer_id, MIN(o."orderedAt") AS first_at, MAX(o."orderedAt") AS last_at,
      CAST(SUM(CASE WHEN o."orderedAt" >= ${windowStart} THEN 1 ELSE 0 END) AS BIGINT) AS orders,
      CAST(SUM(CASE WHEN o."orderedAt" >= ${windowStart} THEN o."subtotalMinor" ELSE 0 END) AS BIGINT) AS spend
    FROM "Order" o
    WHERE o."shopId" = ${shop.id} AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL
      AND o."cancelledAt" IS NULL AND o."orderedAt" < ${now}
    GROUP BY o."customerId"
    HAVING MAX(o."orderedAt") >= ${windowStart}`;

  const nowMs = now.getTime();
  const newSince = nowMs - NEW_CUSTOMER_DAYS * DAY_MS;
  const recency = rows.map((r) => Math.floor((nowMs - toDate(r.last_at).getTime()) / DAY_MS));
  const frequency = rows.map((r) => num(r.orders));
  const monetary = rows.map((r) => num(r.spend));
  const R = quintileScores(recency, false);
  const F = quintileScores(frequency, true);
  const M = quintileScores(monetary, true);
  const customers = rows.map((r, i) => ({
    customerId: r.customer_id,
    segment: segmentOf({ r: R[i], f: F[i], m: M[i] }, toDate(r.first_at).getTime() >= newSince),
    spendMinor: monetary[i],
  }));
  return { shopId: shop.id, currency: shop.currency, windowStart, customers };
}

/** The report: customers and revenue per segment, and the Pareto share. */
export function summariseSegments({ currency, windowStart, customers }: CustomerSegments): SegmentsReport {
  const segments = Object.fromEntries(SEGMENTS.map((s) => [s, { customers: 0, revenueMinor: 0 }])) as SegmentsReport["segments"];
  for (const c of customers) {
    segments[c.segment].customers += 1;
    segments[c.segment].revenueMinor += c.spendMinor;
  }
  const monetary = customers.map((c) => c.spendMinor);
  const total = monetary.reduce((a, b) => a + b, 0);
  const topCustomers = Math.ceil(customers.length * 0.2);
  const topRevenueMinor = [...monetary]
    .sort((a, b) => b - a)
    .slice(0, topCustomers)
    .reduce((a, b) => a + b, 0);
  return {
    currency,
    windowStart: windowStart.toISOString(),
    customers: customers.length,
    segments,
    pareto: { topCustomers, topRevenueMinor, totalRevenueMinor: total, sharePercent: percent(topRevenueMinor, total) },
  };
}

export async function segmentsReport(deps: AnalyticsDeps, input: { shopDomain: string; now: Date }): Promise<SegmentsReport> {
  return summariseSegments(await customerSegments(deps, input));
}

/**
 * Ids per updateMany. Prisma's SQLite driver adapter allows 999 bound values a statement (the
 * shop id is one more), so 1,000 ids fail there; PostgreSQL would take far more.
 */
export const SEGMENT_WRITE_CHUNK = 500;

/**
 * Records each customer's segment on Customer.segment and clears it (null: no recent orders)
 * for those no longer in the window. Reads the shop's current segments once (indexed by
 * shopId, segment) and writes only the customers whose segment changed, in updateMany
 * batches per segment, so a daily run over 100,000 customers writes only the movers.
 * Idempotent: running it again with the same segments writes nothing. With `winBackAt` (every
 * snapshot but a shop's first), a customer moved from another segment into at_risk or lapsed
 * gets a win_back event.
 */
export async function recordCustomerSegments(
  db: Tx,
  shopId: string,
  customers: readonly CustomerSegment[],
  opts: { winBackAt?: Date } = {},
): Promise<{ changed: number }> {
  const current = await db.customer.findMany({ where: { shopId, segment: { not: null } }, select: { id: true, segment: true } });
  const was = new Map(current.map((c) => [c.id, c.segment]));
  const moves = new Map<Segment | null, string[]>();
  const move = (id: string, to: Segment | null) => {
    const ids = moves.get(to) ?? [];
    ids.push(id);
    moves.set(to, ids);
  };
  const inWindow = new Set<string>();
  const winBacks: Array<{ customerId: string; type: "win_back"; key: string; payload: RecordedPayloads["win_back"] }> = [];
  for (const c of customers) {
    inWindow.add(c.customerId);
    const from = was.get(c.customerId) ?? null;
    if (from === c.segment) continue;
    move(c.customerId, c.segment);
    if (opts.winBackAt && from !== null && (c.segment === "at_risk" || c.segment === "lapsed")) {
      const day = opts.winBackAt.toISOString().slice(0, 10);
      winBacks.push({
        customerId: c.customerId,
        type: "win_back",
        key: `win_back:${c.customerId}:${c.segment}:${day}`,
        payload: { from, to: c.segment },
      });
    }
  }
  // win_back before the segments are written: a run stopped in between finds the moves again and
  // each event's key (customer, segment, day) records it once.
  if (opts.winBackAt && winBacks.length) await recordEvents(db, shopId, winBacks, opts.winBackAt);
  for (const c of current) if (!inWindow.has(c.id)) move(c.id, null);
  let changed = 0;
  for (const [segment, ids] of moves) {
    for (let i = 0; i < ids.length; i += SEGMENT_WRITE_CHUNK) {
      const { count } = await db.customer.updateMany({
        where: { shopId, id: { in: ids.slice(i, i + SEGMENT_WRITE_CHUNK) } },
        data: { segment },
      });
      changed += count;
    }
  }
  return { changed };
}
