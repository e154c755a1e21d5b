// Starting a full rebuild of a shop's recommendations from its order history, and reading the
// last one for the admin page. The job's handler (rebuild.ts) counts, refits and measures; its
// outcome is { quality: {...} } or { quality: null, reason }.
import type { Deps, TxDeps } from "../deps";
import { enqueueJob } from "../jobs";
import { KembaliError } from "../errors";

import { RECS_REBUILD_JOB } from "./refit";

export { RECS_REBUILD_JOB };

export type RebuildStatus = "queued" | "running" | "done" | "failed";

/** The offline quality figure on the shop's own orders (the protocol of `npm run recs:eval`). */
export interface RecsQuality {
  baskets: number;
  items: number;
  hr5: number;
  hr10: number;
  hr10_sd: number;
  popularity_hr10: number;
  ms: number;
  /** Orders tested per repeat (with two or more products), when the job says. */
  cases?: number;
}

export interface RebuildView {
  id: string;
  status: RebuildStatus;
  progress: number;
  total: number | null;
  /** 0-100 when the total is known. */
  percent: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  quality: RecsQuality | null;
  /** Why there is no quality figure ("too_few_orders"), when the job said. */
  reason: string | null;
}

const STATUSES: readonly string[] = ["queued", "running", "done", "failed"];
const QUALITY_KEYS = ["baskets", "items", "hr5", "hr10", "hr10_sd", "popularity_hr10", "ms"] as const;

/** The job's outcome read defensively: a quality figure only when every number is there. */
export function readOutcome(outcome: unknown): { quality: RecsQuality | null; reason: string | null } {
  const o = outcome && typeof outcome === "object" ? (outcome as Record<string, unknown>) : {};
  const q = o.quality && typeof o.quality === "object" ? (o.quality as Record<string, unknown>) : null;
  const number = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const quality = q && QUALITY_KEYS.every((k) => number(q[k])) ? (q as unknown as RecsQuality) : null;
  if (quality && !number(quality.cases)) delete quality.cases;
  const reason = typeof o.reason === "string" ? o.reason.slice(0, 100) : null;
  return { quality, reason };
}

type JobRow = {
  id: string;
  status: string;
  progress: number;
  total: number | null;
  outcome: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
};

export function rebuildView(job: JobRow): RebuildView {
  const total = job.total && job.total > 0 ? job.total : null;
  return {
    id: job.id,
    status: (STATUSES.includes(job.status) ? job.status : "queued") as RebuildStatus,
    progress: job.progress,
    total: job.total,
    percent: job.status === "done" ? 100 : total ? Math.min(100, Math.round((job.progress / total) * 100)) : null,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    error: job.error,
    ...readOutcome(job.outcome),
  };
}

/**
 * The newest rebuild of the shop, whatever its state (or the newest finished one, with
 * `finished`); null when there is none.
 */
export async function lastRebuild(deps: Pick<Deps, "db">, shopDomain: string, { finished = false } = {}): Promise<RebuildView | null> {
  const job = await deps.db.job.findFirst({
    where: { shopDomain, type: RECS_REBUILD_JOB, ...(finished ? { status: "done" } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return job ? rebuildView(job) : null;
}

/**
 * Queues a rebuild, or returns the one already queued or running. The shop's RecsState row is
 * written first in the same transaction, so two servers starting at once take turns (a row
 * lock on PostgreSQL, the write lock on SQLite) and the second sees the first's job.
 */
export async function startRecsRebuild(deps: TxDeps, shopDomain: string): Promise<{ job: RebuildView; started: boolean }> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return deps.transaction(async (tx) => {
    await tx.recsState.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id }, update: { updatedAt: deps.clock() } });
    const active = await tx.job.findFirst({
      where: { shopDomain, type: RECS_REBUILD_JOB, status: { in: ["queued", "running"] } },
      orderBy: { createdAt: "desc" },
    });
    if (active) return { job: rebuildView(active), started: false };
    const job = await enqueueJob({ db: tx, clock: deps.clock }, { shopDomain, type: RECS_REBUILD_JOB });
    return { job: rebuildView(job), started: true };
  });
}
