// Cohort retention grid: customers grouped by the UTC month of their first purchase (paid,
// not cancelled, by orderedAt; guests excluded), and for each later month +1 … +12 the share
// of the cohort who purchased in that month. Months that have not started yet are null; the
// current month counts although it is not over.
import { monthStart, num, percent, queryParts, shopOrThrow, type AnalyticsDeps } from "./common";

export const COHORT_OFFSETS = 12;

export interface CohortRow {
  /** "2026-01" */
  month: string;
  customers: number;
  /** Index k-1 = month +k: percent of the cohort with a purchase in it (2 decimals), or null. */
  retained: Array<number | null>;
}

export interface CohortReport {
  cohorts: CohortRow[];
}

/**
 * The last `months` cohorts up to the month of `now`. Month buckets come from bound month
 * boundaries (m = number of boundaries at or before the order), not SQL date functions, so
 * the same query runs on SQLite and PostgreSQL.
 */
export async function cohortReport(deps: AnalyticsDeps, input: { shopDomain: string; now: Date; months?: number }): Promise<CohortReport> {
  const months = input.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 36) throw new RangeError("months must be 1 to 36");
  const shop = await shopOrThrow(deps.db, input.shopDomain);
  const boundaries = Array.from({ length: months }, (_, i) => monthStart(input.now, i - months + 1));
  const end = monthStart(input.now, 1);

  // m = 0 before the first cohort month, 1 … months after; a customer's cohort is MIN(m).
  const parts = ['WITH o AS (SELECT "customerId" AS cid, ('];
  const values: unknown[] = [];
  boundaries.forEach((b, i) => {
    parts[parts.length - 1] += `${i ? " + " : ""}CASE WHEN "orderedAt" >= `;
    values.push(b);
    parts.push(" THEN 1 ELSE 0 END");
  });
  parts[parts.length - 1] += ') AS m FROM "Order" WHERE "shopId" = ';
  values.push(shop.id);
  parts.push(' AND "customerId" IS NOT NULL AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL AND "orderedAt" < ');
  values.push(end);
  parts.push(`),
    f AS (SELECT cid, MIN(m) AS c FROM o GROUP BY cid HAVING MIN(m) >= 1)
    SELECT f.c AS cohort, o.m - f.c AS month_offset, CAST(COUNT(DISTINCT o.cid) AS BIGINT) AS customers
    FROM o JOIN f ON f.cid = o.cid
    GROUP BY f.c, o.m - f.c`);
  const rows = await queryParts<Array<{ cohort: unknown; month_offset: unknown; customers: unknown }>>(deps.db, parts, values);

  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${num(r.cohort)}:${num(r.month_offset)}`, num(r.customers));
  const cohorts: CohortRow[] = boundaries.map((b, i) => {
    const cohort = i + 1;
    const size = counts.get(`${cohort}:0`) ?? 0;
    const retained = Array.from({ length: COHORT_OFFSETS }, (_, k) =>
      cohort + k + 1 > months ? null : size > 0 ? percent(counts.get(`${cohort}:${k + 1}`) ?? 0, size) : null,
    );
    return { month: b.toISOString().slice(0, 7), customers: size, retained };
  });
  return { cohorts };
}
