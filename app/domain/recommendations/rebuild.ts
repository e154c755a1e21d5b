// The full rebuild of a shop's recommendations as a durable job (domain/jobs.ts): reset the
// counts, count every paid, not cancelled order again in batches (progress saved after each, so
// a crash resumes where it stopped; Order.recsCounted makes each order count once even when a
// batch is retried or a webhook counts it meanwhile), refit, then measure the offline quality on
// the shop's own baskets with the protocol of `npm run recs:eval`. Enqueued after a history
// import and by the merchant (rebuild-control.ts); the outcome's shape is what the admin reads.
import type { Deps, TxDeps } from "../deps";
import { dialectOf, type Tx } from "../../db-types";
import type { JobHandler, StepResult } from "../jobs";
import { basketOf, countableOrders, countOrderRange, resetCounts } from "./counting";
import { evaluate, protocolSplit } from "./evaluate";
import { RECS_REBUILD_JOB, refitShop, shopParams } from "./refit";
import { startRecsRebuild } from "./rebuild-control";

export { RECS_REBUILD_JOB };

/** Orders counted per transaction. */
export const REBUILD_BATCH = 2_000;
/** The quality figure is measured on at most this many of the shop's latest counted orders. */
export const QUALITY_MAX_BASKETS = 10_000;
/** Fewer test baskets with two or more products than this gives no figure (too noisy to read). */
export const QUALITY_MIN_CASES = 50;
const QUALITY_SEEDS = 5;

/** What the finished job records (Job.outcome): the admin page reads exactly this. */
export type RebuildOutcome =
  | { quality: { baskets: number; items: number; hr5: number; hr10: number; hr10_sd: number; popularity_hr10: number; ms: number } }
  | { quality: null; reason: "too_few_orders" };

type Cursor = { phase: "count"; after: string } | { phase: "refit" } | { phase: "quality" };

export interface RebuildOptions {
  /** Orders per batch (tests use small ones to stop between batches). */
  batch?: number;
  /** Wait before trying again when another server holds the refit lease. */
  sleep?: (ms: number) => Promise<void>;
}

export function recsRebuildJob(transaction: TxDeps["transaction"], options: RebuildOptions = {}): JobHandler {
  const batch = options.batch ?? REBUILD_BATCH;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async step(deps, job): Promise<StepResult> {
      const shop = await deps.db.shop.findUnique({ where: { domain: job.shopDomain }, select: { id: true } });
      if (!shop) return { cursor: null, done: 0 };
      const shopId = shop.id;
      const cursor: Cursor | null = job.cursor === null ? null : (JSON.parse(job.cursor) as Cursor);
      const next = (c: Cursor) => JSON.stringify(c);

      if (cursor === null) {
        // Step 1: forget every count, in one transaction; every eligible order is counted again below.
        const total = await transaction(async (tx) => {
          await resetCounts(tx, shopId, deps.clock());
          return tx.order.count({ where: countableOrders(shopId) });
        });
        return { cursor: next({ phase: "count", after: "" }), done: 0, total };
      }

      if (cursor.phase === "count") {
        // The batch: the next `batch` eligible orders by id; counted by id range, in one transaction.
        const ids = await deps.db.order.findMany({
          where: { ...countableOrders(shopId), id: { gt: cursor.after } },
          orderBy: { id: "asc" },
          take: batch,
          select: { id: true },
        });
        const last = ids.at(-1);
        if (last) await transaction((tx) => countOrderRange(tx, shopId, { after: cursor.after, upTo: last.id }, deps.clock()));
        const more = ids.length === batch && last !== undefined;
        return { cursor: next(more ? { phase: "count", after: last.id } : { phase: "refit" }), done: ids.length };
      }

      if (cursor.phase === "refit") {
        const result = await refitShop({ ...deps, transaction }, shopId, { rebuildJobId: job.id });
        if (result.outcome === "busy") {
          // Another server is refitting from the old counts; fit again once it is done.
          await sleep(1_000);
          return { cursor: job.cursor, done: 0 };
        }
        await refreshPlannerStatistics(deps.db);
        return { cursor: next({ phase: "quality" }), done: 0 };
      }

      const outcome = await shopQuality(deps, shopId);
      return { cursor: null, done: 0, outcome };
    },
  };
}

/**
 * After a history import: one rebuild, unless one is already waiting or running. The import
 * counted its orders as it went; the rebuild also counts orders recorded before counting
 * existed, refits, and measures the shop's quality figure. Returns the job's id when it queued one.
 */
export async function rebuildAfterImport(deps: TxDeps, shopDomain: string): Promise<string | null> {
  const { job, started } = await startRecsRebuild(deps, shopDomain);
  return started ? job.id : null;
}

/** The baskets of the shop's latest counted orders (at most `limit`), oldest first. */
export async function shopBaskets(db: Deps["db"], shopId: string, limit = QUALITY_MAX_BASKETS): Promise<string[][]> {
  const orders = await db.order.findMany({
    where: { shopId, recsCounted: true },
    orderBy: [{ paidAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { lines: { select: { productId: true } } },
  });
  return orders
    .reverse()
    .map((o) => basketOf(o.lines))
    .filter((b) => b.length > 0);
}

/**
 * The offline quality figure on the shop's own baskets: the protocol of `npm run recs:eval`
 * (seeded 80/20 split, one product hidden from each test basket of two or more, HR@5 and HR@10
 * over 5 seeds) for the model the shop runs and for best sellers through the same query path.
 */
export async function shopQuality(deps: Pick<Deps, "db" | "clock">, shopId: string): Promise<RebuildOutcome> {
  const started = Date.now();
  const state = await deps.db.recsState.findUnique({ where: { shopId }, select: { minOrders: true } });
  const baskets = await shopBaskets(deps.db, shopId);
  if (protocolSplit(baskets, 1).cases.length < QUALITY_MIN_CASES) return { quality: null, reason: "too_few_orders" };
  const params = shopParams(state?.minOrders ?? 3);
  const result = evaluate(
    baskets,
    [
      { name: "shop", params },
      { name: "best sellers", params: { ...params, minSupport: Infinity } },
    ],
    { seeds: QUALITY_SEEDS, ks: [5, 10] },
  );
  const [main, base] = result.results;
  return {
    quality: {
      baskets: result.baskets,
      items: result.items,
      hr5: round(main.hr.get(5)!.mean),
      hr10: round(main.hr.get(10)!.mean),
      hr10_sd: round(main.hr.get(10)!.sd),
      popularity_hr10: round(base.hr.get(10)!.mean),
      ms: Date.now() - started,
    },
  };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * After a rebuild has rewritten a shop's counts and lists, PostgreSQL's planner statistics for
 * those tables are those of before (autovacuum gets to them later, minutes later on a busy
 * database). Until then it may read a large shop's 20,000 baselines to sort them for every
 * storefront query (measured at 1,000,000 orders: 23 ms instead of 0.2 ms a query). A rebuild
 * therefore refreshes them itself; ANALYZE reads a sample, a fraction of a second. SQLite plans
 * these queries from the indexes alone.
 */
async function refreshPlannerStatistics(db: Tx): Promise<void> {
  if (dialectOf(db) === "postgresql") await db.$executeRawUnsafe('ANALYZE "RecsItem", "RecsPair", "RecsNeighbour", "Product"');
}
