// The retention dashboard: every figure of retention.ts, segments.ts, cohorts.ts,
// program.ts and impact.ts for the last 30, 90 or 365 days (each against the period before it) and a
// month-by-month series for the charts.
//
// Computing them scans every order and ledger entry of the shop, which takes seconds for a
// large shop, so the figures are computed in the background as a durable job, one part per
// step ("period:30", "month:2026-05", ...), and stored as AnalyticsSnapshot rows. The page
// reads those rows (one indexed query) and says how old they are; a merchant can ask for a
// refresh, and the hourly sweep refreshes figures older than a day.
import type { Deps } from "../deps";
import type { Tx } from "../../db-types";
import type { JobHandler } from "../jobs";
import { enqueueJob } from "../jobs";
import { DAY_MS, monthStart, num, percent, shopOrThrow } from "./common";
import { periodRetention, retentionReport, type PeriodRetention, type RetentionReport } from "./retention";
import { customerSegments, recordCustomerSegments, summariseSegments, type SegmentsReport } from "./segments";
import { cohortReport, type CohortReport } from "./cohorts";
import { programReport, type ProgramReport } from "./program";
import { impactReport, type ImpactReport } from "./impact";

export const ANALYTICS_JOB = "analytics_snapshot";
export const DASHBOARD_PERIODS = [30, 90, 365] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];
export const SERIES_MONTHS = 12;
/** Figures older than this are refreshed by the hourly sweep and on the next visit. */
export const SNAPSHOT_MAX_AGE_MS = DAY_MS;

export interface PeriodPart {
  retention: RetentionReport;
  program: { current: ProgramReport; previous: ProgramReport };
  /** Members against non-members and the holdout group over the period. */
  impact: ImpactReport;
}

/** One month of the charts (the current month runs to the snapshot's instant). */
export interface MonthPart {
  month: string;
  retention: PeriodRetention;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  redemptionRate: number | null;
  /** Points customers held (balance + pending) at the end of the month: Σ ledger entries before it. */
  outstandingPoints: number;
  referralsRewarded: number;
}

export interface Dashboard {
  /** "ready" once every part exists; "preparing" before the first computation finishes. */
  status: "ready" | "preparing";
  /** A refresh is queued or running. */
  refreshing: boolean;
  /** The oldest instant among the parts shown (null while preparing). */
  asOf: string | null;
  days: DashboardPeriod;
  period: PeriodPart | null;
  segments: SegmentsReport | null;
  cohorts: CohortReport | null;
  series: MonthPart[];
}

/** The parts one snapshot is made of, as of `asOf`. */
export function snapshotKeys(asOf: Date): string[] {
  const months = Array.from(
    { length: SERIES_MONTHS },
    (_, i) =>
      `month:${monthStart(asOf, i - SERIES_MONTHS + 1)
        .toISOString()
        .slice(0, 7)}`,
  );
  return [...DASHBOARD_PERIODS.map((d) => `period:${d}`), "segments", "cohorts", ...months];
}

/**
 * Computes one part's figures with the analytics functions. The "segments" part also records
 * each customer's segment on the Customer row (the Customers page filters by it).
 */
export async function computePart(db: Tx, shopDomain: string, key: string, asOf: Date): Promise<unknown> {
  const [kind, arg] = key.split(":");
  if (kind === "period") {
    const days = Number(arg);
    const from = new Date(asOf.getTime() - days * DAY_MS);
    const previousFrom = new Date(from.getTime() - days * DAY_MS);
    const [retention, current, previous, impact] = await Promise.all([
      retentionReport({ db }, { shopDomain, from, to: asOf }),
      programReport({ db }, { shopDomain, from, to: asOf }),
      programReport({ db }, { shopDomain, from: previousFrom, to: from }),
      impactReport({ db }, { shopDomain, from, to: asOf }),
    ]);
    return { retention, program: { current, previous }, impact } satisfies PeriodPart;
  }
  if (kind === "segments") {
    const segments = await customerSegments({ db }, { shopDomain, now: asOf });
    // A shop's first snapshot sorts everyone for the first time: no one "moved" (no win_back).
    const before = await db.analyticsSnapshot.findUnique({
      where: { shopId_key: { shopId: segments.shopId, key: "segments" } },
      select: { id: true },
    });
    await recordCustomerSegments(db, segments.shopId, segments.customers, before ? { winBackAt: asOf } : {});
    const members = await db.customer.count({ where: { shopId: segments.shopId } });
    return { ...summariseSegments(segments), members } satisfies SegmentsReport;
  }
  if (kind === "cohorts") return cohortReport({ db }, { shopDomain, now: asOf, months: SERIES_MONTHS });
  if (kind === "month") {
    const start = new Date(`${arg}-01T00:00:00Z`);
    const next = monthStart(start, 1);
    const end = next.getTime() < asOf.getTime() ? next : asOf;
    const shop = await shopOrThrow(db, shopDomain);
    const [retention, program, outstanding] = await Promise.all([
      periodRetention({ db }, shop.id, start, end),
      programReport({ db }, { shopDomain, from: start, to: end }),
      db.pointsEntry.aggregate({ where: { shopId: shop.id, createdAt: { lt: end } }, _sum: { points: true } }),
    ]);
    return {
      month: arg,
      retention,
      pointsIssued: program.pointsIssued,
      pointsRedeemed: program.pointsRedeemed,
      pointsExpired: program.pointsExpired,
      redemptionRate: program.redemptionRate,
      outstandingPoints: num(outstanding._sum.points),
      referralsRewarded: program.referrals.rewarded,
    } satisfies MonthPart;
  }
  throw new Error(`Unknown dashboard part ${key}`);
}

const jobInput = (input: unknown): Date => {
  const asOf = new Date(String((input as { asOf?: unknown } | null)?.asOf));
  if (Number.isNaN(asOf.getTime())) throw new Error("analytics_snapshot needs an asOf instant");
  return asOf;
};

/** "2026-05" of a "month:2026-05" part that ended at or before `asOf`; null for any other part. */
export function completedMonth(key: string, asOf: Date): string | null {
  if (!key.startsWith("month:")) return null;
  const month = key.slice("month:".length);
  return monthStart(new Date(`${month}-01T00:00:00Z`), 1).getTime() <= asOf.getTime() ? month : null;
}

/**
 * The durable job: one part per step, saved as it goes; the last step drops parts no longer
 * shown. A completed month is kept (only its asOf moves) while no order, ledger entry or
 * referral dated in it or before it was written since it was computed: the database triggers
 * count those writes on its AnalyticsMonth row (decision 039). Otherwise it is recomputed, and
 * kept from then on unless a write landed while it was being computed.
 */
export function analyticsSnapshotJob(): JobHandler {
  return {
    async step(deps, job) {
      const asOf = jobInput(job.input);
      const keys = snapshotKeys(asOf);
      const index = job.cursor === null ? 0 : Number(job.cursor);
      const shop = await shopOrThrow(deps.db, job.shopDomain);
      const next = { cursor: String(index + 1), done: 1, total: keys.length };
      if (index >= keys.length) {
        const months = keys.filter((k) => k.startsWith("month:")).map((k) => k.slice("month:".length));
        await deps.db.analyticsSnapshot.deleteMany({ where: { shopId: shop.id, key: { notIn: keys } } });
        await deps.db.analyticsMonth.deleteMany({ where: { shopId: shop.id, month: { notIn: months } } });
        return { cursor: null, done: 0, total: keys.length };
      }
      const key = keys[index];
      const month = completedMonth(key, asOf);
      // Read before computing: a write that lands from here on changes `writes` again.
      const tracked = month
        ? await deps.db.analyticsMonth.upsert({
            where: { shopId_month: { shopId: shop.id, month } },
            create: { shopId: shop.id, month },
            update: { month }, // changes nothing: the database's own upsert, safe on two servers at once
          })
        : null;
      if (tracked && tracked.keptWrites === tracked.writes) {
        const { count } = await deps.db.analyticsSnapshot.updateMany({ where: { shopId: shop.id, key }, data: { asOf } });
        if (count === 1) return next;
      }
      const data = JSON.stringify(await computePart(deps.db, job.shopDomain, key, asOf));
      const computedAt = deps.clock();
      await deps.db.analyticsSnapshot.upsert({
        where: { shopId_key: { shopId: shop.id, key } },
        create: { shopId: shop.id, key, data, asOf, computedAt },
        update: { data, asOf, computedAt },
      });
      // After the figures are saved (a crash in between leaves the month to recompute): the
      // count read before computing, so a write counted meanwhile leaves it to recompute too.
      if (tracked) {
        await deps.db.analyticsMonth.update({
          where: { shopId_month: { shopId: shop.id, month: tracked.month } },
          data: { keptWrites: tracked.writes },
        });
      }
      return next;
    },
  };
}

async function activeJob(db: Tx, shopDomain: string) {
  return db.job.findFirst({ where: { shopDomain, type: ANALYTICS_JOB, status: { in: ["queued", "running"] } }, select: { id: true } });
}

/** Every part of a snapshot as of `now` is stored and younger than `maxAgeMs`. */
function isFresh(parts: Array<{ key: string; asOf: Date }>, now: Date, maxAgeMs: number): boolean {
  const have = new Map(parts.map((p) => [p.key, p.asOf.getTime()]));
  return snapshotKeys(now).every((k) => (have.get(k) ?? -Infinity) > now.getTime() - maxAgeMs);
}

/**
 * Queues a refresh unless one is queued or running, or `fresh` says the stored figures need
 * none. Returns whether a refresh is now under way.
 */
async function refresh(deps: Pick<Deps, "db" | "clock">, shopDomain: string, fresh: () => Promise<boolean> | boolean): Promise<boolean> {
  if (await activeJob(deps.db, shopDomain)) return true;
  if (await fresh()) return false;
  await enqueueJob(deps, { shopDomain, type: ANALYTICS_JOB, input: { asOf: deps.clock().toISOString() } });
  return true;
}

/**
 * Queues a refresh unless one is queued or running, or (with `maxAgeMs`) the stored figures
 * are younger than that. Returns whether a refresh is now under way.
 */
export async function scheduleAnalyticsSnapshot(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  opts: { maxAgeMs?: number } = {},
): Promise<boolean> {
  return refresh(deps, shopDomain, async () => {
    if (opts.maxAgeMs === undefined) return false;
    const shop = await shopOrThrow(deps.db, shopDomain);
    const parts = await deps.db.analyticsSnapshot.findMany({ where: { shopId: shop.id }, select: { key: true, asOf: true } });
    return isFresh(parts, deps.clock(), opts.maxAgeMs);
  });
}

export function parsePeriod(value: string | null): DashboardPeriod {
  const days = Number(value);
  return (DASHBOARD_PERIODS as readonly number[]).includes(days) ? (days as DashboardPeriod) : 30;
}

/**
 * What the dashboard shows: the stored parts for `days`, oldest first for the series. Queues
 * a refresh when figures are missing or older than SNAPSHOT_MAX_AGE_MS.
 */
export async function readDashboard(deps: Pick<Deps, "db" | "clock">, shopDomain: string, days: DashboardPeriod): Promise<Dashboard> {
  const shop = await shopOrThrow(deps.db, shopDomain);
  // One read of the shop's parts serves both the freshness check and the page.
  const parts = await deps.db.analyticsSnapshot.findMany({ where: { shopId: shop.id } });
  const refreshing = await refresh(deps, shopDomain, () => isFresh(parts, deps.clock(), SNAPSHOT_MAX_AGE_MS));
  const rows = parts.filter((r) => r.key === `period:${days}` || r.key === "segments" || r.key === "cohorts" || r.key.startsWith("month:"));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const parse = <T>(key: string): T | null => {
    const row = byKey.get(key);
    return row ? (JSON.parse(row.data) as T) : null;
  };
  const period = parse<PeriodPart>(`period:${days}`);
  const segments = parse<SegmentsReport>("segments");
  const cohorts = parse<CohortReport>("cohorts");
  const series = rows
    .filter((r) => r.key.startsWith("month:"))
    .sort((a, b) => a.key.localeCompare(b.key))
    .slice(-SERIES_MONTHS)
    .map((r) => JSON.parse(r.data) as MonthPart);
  const ready = Boolean(period && segments && cohorts && series.length > 0);
  return {
    status: ready ? "ready" : "preparing",
    refreshing,
    asOf: ready ? new Date(Math.min(...rows.map((r) => r.asOf.getTime()))).toISOString() : null,
    days,
    period,
    segments,
    cohorts,
    series,
  };
}

/** Relative change in percent from `previous` to `current`; null when there is no base. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return percent(current - previous, Math.abs(previous));
}
