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
import { addMonths } from "../expiry";

export const RFM_WINDOW_MONTHS = 24;
export const NEW_CUSTOMER_DAYS = 90;
export const SEGMENTS = ["new", "active", "loyal", "at_risk", "lapsed"] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface SegmentsReport {
  currency: string;
  windowStart: string;
  customers: number;
  segments: Record<Segment, { customers: number; revenueMinor: number }>;
  pareto: { topCustomers: number; topRevenueMinor: number; totalRevenueMinor: number; sharePercent: number | null };
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

export async function segmentsReport(deps: AnalyticsDeps, input: { shopDomain: string; now: Date }): Promise<SegmentsReport> {
  const { db } = deps;
  const { now } = input;
  const shop = await shopOrThrow(db, input.shopDomain);
  const windowStart = addMonths(now, -RFM_WINDOW_MONTHS);
  // One row per customer active in the window: first and last purchase, count and spend in it.
  const rows = await db.$queryRaw<Array<{ first_at: unknown; last_at: unknown; orders: unknown; spend: unknown }>>`
    SELECT MIN(o."orderedAt") AS first_at, MAX(o."orderedAt") AS last_at,
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

  const segments = Object.fromEntries(SEGMENTS.map((s) => [s, { customers: 0, revenueMinor: 0 }])) as SegmentsReport["segments"];
  rows.forEach((r, i) => {
    const s = segmentOf({ r: R[i], f: F[i], m: M[i] }, toDate(r.first_at).getTime() >= newSince);
    segments[s].customers += 1;
    segments[s].revenueMinor += monetary[i];
  });

  const total = monetary.reduce((a, b) => a + b, 0);
  const topCustomers = Math.ceil(rows.length * 0.2);
  const topRevenueMinor = [...monetary].sort((a, b) => b - a).slice(0, topCustomers).reduce((a, b) => a + b, 0);
  return {
    currency: shop.currency,
    windowStart: windowStart.toISOString(),
    customers: rows.length,
    segments,
    pareto: { topCustomers, topRevenueMinor, totalRevenueMinor: total, sharePercent: percent(topRevenueMinor, total) },
  };
}
