// Helpers shared by the analytics queries. Every query here is written to run unchanged on
// SQLite and PostgreSQL: dates are bound as parameters (never SQL date functions, which differ),
// and SUM/COUNT are cast to BIGINT because PostgreSQL returns SUM(bigint) as numeric.
import type { Tx } from "../../db-types";
import { KembaliError } from "../errors";
import { findShop, type ShopRecord } from "../shop/shops";

export const DAY_MS = 86_400_000;

/** What the analytics functions need: only the database. */
export interface AnalyticsDeps {
  db: Tx;
}

export { num, queryParts, toDate } from "../sql";

export async function shopOrThrow(db: Tx, shopDomain: string): Promise<ShopRecord> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop;
}

/** Prisma where clause of a purchase: paid and not cancelled. */
export function paidOrders(shopId: string) {
  return { shopId, paidAt: { not: null }, cancelledAt: null } as const;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** a / b × 100 rounded to 2 decimals, or null when there is nothing to divide by. */
export function percent(a: number, b: number): number | null {
  return b > 0 ? round((a / b) * 100) : null;
}

/** Median of numbers (mean of the two middle ones for an even count), null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 00:00 UTC on the first of the month of `date`, moved by `months`. */
export function monthStart(date: Date, months = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
}
