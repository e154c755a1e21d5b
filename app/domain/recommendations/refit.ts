// Refit: the lists a query reads (RecsNeighbour) derived again from a shop's counts (RecsItem,
// RecsPair) with the shipped model, the merchant's minimum orders as the cold-start threshold.
// Counting an order costs microseconds, a refit seconds, so orders are counted as they come and
// a shop is refitted on a schedule (background tick) or at once after a rebuild or a change of
// the minimum. Only the products whose rows changed are written. A lease on RecsState keeps two
// servers from refitting one shop at once.
import type { Deps, TxDeps } from "../deps";
import { emptyCounts, type CoPurchaseCounts } from "./counts";
import { DEFAULT_RECS_PARAMS, neighbourRows, recommenderFromCounts, type RecsParams } from "./model";
import { BASELINE } from "./stored";
import { insertNeighbourRows, readNeighbourRows, readPairCounts } from "./bulk";

/** A shop whose counts changed is refitted at most this often by the background tick. */
export const RECS_REFIT_EVERY_MS = 10 * 60_000;
/** How long a refit may hold the shop before another server may take over (a crash, a lost process). */
export const REFIT_LEASE_MS = 15 * 60_000;
/** The job type of the full rebuild (rebuild.ts); a refit waits while one is queued or running. */
export const RECS_REBUILD_JOB = "recs-rebuild";

/** Products whose rows are replaced per transaction (a list of ids: Prisma allows 999 bound values on SQLite). */
const WRITE_PRODUCTS = 500;

export type RefitResult =
  | { outcome: "fitted"; countsVersion: number; products: number; changed: number; rows: number; ms: number }
  | { outcome: "busy" | "rebuilding" | "nothing" };

/** The model's parameters for a shop: the shipped ones, with the merchant's minimum orders per product. */
export function shopParams(minOrders: number): RecsParams {
  return { ...DEFAULT_RECS_PARAMS, minSupport: Math.max(1, Math.floor(minOrders)) };
}

/** A shop's counts as the in-memory model holds them (items ordered by id, so a load is deterministic). */
export async function loadCounts(db: Deps["db"], shopId: string): Promise<CoPurchaseCounts> {
  const state = await db.recsState.findUnique({ where: { shopId }, select: { baskets: true } });
  const counts = emptyCounts();
  counts.baskets = state?.baskets ?? 0;
  const items = await db.recsItem.findMany({
    where: { shopId, baskets: { gt: 0 } },
    orderBy: { productId: "asc" },
    select: { productId: true, baskets: true },
  });
  for (const r of items) {
    counts.index.set(r.productId, counts.ids.length);
    counts.ids.push(r.productId);
    counts.items.push(r.baskets);
    counts.pairs.push(new Map());
  }
  for (const r of await readPairCounts(db, shopId)) {
    const i = counts.index.get(r.productA);
    const j = counts.index.get(r.productB);
    if (i === undefined || j === undefined) continue;
    counts.pairs[i].set(j, r.baskets);
    counts.pairs[j].set(i, r.baskets);
  }
  return counts;
}

/** Whether a recommendation rebuild of the shop is waiting or running (its last step refits). */
export async function rebuildPending(db: Deps["db"], shopDomain: string, except?: string): Promise<boolean> {
  const job = await db.job.findFirst({
    where: { shopDomain, type: RECS_REBUILD_JOB, status: { in: ["queued", "running"] }, ...(except && { id: { not: except } }) },
    select: { id: true },
  });
  return job !== null;
}

/**
 * Refits one shop: takes the lease, loads the counts, derives the lists, replaces the rows of
 * the products whose lists changed (each group of products in one transaction, so a query never
 * sees a product without its rows) and records the counts version it fitted. Refused while a
 * rebuild is queued or running, unless it is that rebuild's own last step (`rebuildJobId`).
 */
export async function refitShop(deps: TxDeps, shopId: string, { rebuildJobId }: { rebuildJobId?: string } = {}): Promise<RefitResult> {
  const { db } = deps;
  const started = deps.clock().getTime();
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  const state = await db.recsState.findUnique({ where: { shopId }, select: { countsVersion: true } });
  if (!shop || !state) return { outcome: "nothing" };
  if (await rebuildPending(db, shop.domain, rebuildJobId)) return { outcome: "rebuilding" };
  const now = deps.clock();
  const leaseUntil = new Date(now.getTime() + REFIT_LEASE_MS);
  const { count } = await db.recsState.updateMany({
    where: { shopId, OR: [{ refitLockedUntil: null }, { refitLockedUntil: { lt: now } }] },
    data: { refitLockedUntil: leaseUntil },
  });
  if (count !== 1) return { outcome: "busy" };
  try {
    // A rebuild enqueued between the check and the lease: leave the shop to it.
    if (await rebuildPending(db, shop.domain, rebuildJobId)) return { outcome: "rebuilding" };
    const before = await db.recsState.findUniqueOrThrow({ where: { shopId }, select: { countsVersion: true, minOrders: true } });
    const counts = await loadCounts(db, shopId);
    // Orders counted while loading may be half in what was read: the version read before is what
    // the rows are at least as new as, so the next tick fits again when it moved.
    const model = recommenderFromCounts(counts, shopParams(before.minOrders));
    const fresh = new Map<string, { neighbourId: string; score: number }[]>();
    for (const r of neighbourRows(model)) {
      const list = fresh.get(r.item) ?? [];
      list.push({ neighbourId: r.neighbour ?? BASELINE, score: r.score });
      fresh.set(r.item, list);
    }
    const stored = await storedRows(db, shopId);
    const changed: string[] = [];
    for (const product of new Set([...fresh.keys(), ...stored.keys()])) {
      if (!sameRows(fresh.get(product), stored.get(product))) changed.push(product);
    }
    changed.sort();
    let rows = 0;
    for (let i = 0; i < changed.length; i += WRITE_PRODUCTS) {
      const products = changed.slice(i, i + WRITE_PRODUCTS);
      const data = products.flatMap((productId) => (fresh.get(productId) ?? []).map((r) => [productId, r.neighbourId, r.score] as const));
      rows += data.length;
      await deps.transaction(async (tx) => {
        await tx.recsNeighbour.deleteMany({ where: { shopId, productId: { in: products } } });
        await insertNeighbourRows(tx, shopId, data);
      });
    }
    await db.recsState.update({
      where: { shopId },
      data: { fittedVersion: before.countsVersion, fittedAt: deps.clock(), fittedMinOrders: before.minOrders },
    });
    return {
      outcome: "fitted",
      countsVersion: before.countsVersion,
      products: fresh.size,
      changed: changed.length,
      rows,
      ms: deps.clock().getTime() - started,
    };
  } finally {
    await db.recsState.updateMany({ where: { shopId, refitLockedUntil: leaseUntil }, data: { refitLockedUntil: null } });
  }
}

/**
 * The shops the background tick should refit now: counts newer than the lists and never fitted
 * or fitted more than RECS_REFIT_EVERY_MS ago, or (at once) a minimum orders setting the lists
 * were not fitted with.
 */
export async function shopsDueForRefit(deps: Pick<Deps, "db" | "clock">): Promise<string[]> {
  const now = deps.clock().getTime();
  const states = await deps.db.recsState.findMany({
    where: { shop: { uninstalledAt: null } },
    select: { shopId: true, countsVersion: true, fittedVersion: true, fittedAt: true, minOrders: true, fittedMinOrders: true },
  });
  return states
    .filter((s) => {
      const countsMoved = s.countsVersion > s.fittedVersion && (!s.fittedAt || now - s.fittedAt.getTime() >= RECS_REFIT_EVERY_MS);
      const minimumMoved = s.fittedAt !== null && s.fittedMinOrders !== s.minOrders;
      return countsMoved || minimumMoved;
    })
    .map((s) => s.shopId);
}

/** Refits every shop that is due (background tick); one shop's failure does not stop the others. */
export async function refitDueShops(
  deps: TxDeps,
  onError: (shopId: string, error: unknown) => void = () => {},
): Promise<{ shopId: string; result: RefitResult }[]> {
  const done: { shopId: string; result: RefitResult }[] = [];
  for (const shopId of await shopsDueForRefit(deps)) {
    try {
      done.push({ shopId, result: await refitShop(deps, shopId) });
    } catch (error) {
      onError(shopId, error);
    }
  }
  return done;
}

async function storedRows(db: Deps["db"], shopId: string): Promise<Map<string, { neighbourId: string; score: number }[]>> {
  const out = new Map<string, { neighbourId: string; score: number }[]>();
  for (const r of await readNeighbourRows(db, shopId)) {
    const list = out.get(r.productId) ?? [];
    list.push({ neighbourId: r.neighbourId, score: r.score });
    out.set(r.productId, list);
  }
  return out;
}

/**
 * The same rows, whatever their order. Scores count as equal within a relative 1e-12: SQLite
 * gives a stored double back rounded to 15-16 significant digits, which must not rewrite every
 * row of every refit.
 */
function sameRows(
  a: { neighbourId: string; score: number }[] | undefined,
  b: { neighbourId: string; score: number }[] | undefined,
): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  const scores = new Map(b.map((r) => [r.neighbourId, r.score]));
  return a.every((r) => {
    const other = scores.get(r.neighbourId);
    return other !== undefined && Math.abs(other - r.score) <= 1e-12 * Math.max(1, Math.abs(other), Math.abs(r.score));
  });
}
