// Durable jobs: a handler does its work in small steps; after each step the job's cursor and
// progress are saved, so a crash resumes from the last saved step. Workers claim a job with a
// conditional update (a lease), so several app servers never run one job twice at once. A step
// that outlasts its lease may find the job claimed again by another server: each claim raises
// `attempts`, and a worker saves its step only while the job still carries its own claim's
// number, so the late one stops without moving the cursor back (steps are idempotent: what it
// did is done again, or found done, by the new owner).
import type { Deps } from "./deps";
import { isRecordNotFound, isUniqueViolation } from "./db-errors";

export interface StepResult {
  /** Where to continue; null when the job is finished. */
  cursor: string | null;
  /** Units done in this step (added to progress). */
  done: number;
  total?: number | null;
  /** What the step found out that the job's status should show (saved on the job; left as it was when absent). */
  outcome?: Record<string, unknown>;
}

export interface JobHandler {
  step(deps: Deps, job: { id: string; shopDomain: string; input: unknown; cursor: string | null }): Promise<StepResult>;
}

/**
 * How long a claim holds without the worker saving a step: a job whose server died is taken
 * over by another server once this has passed. KEMBALI_JOB_LEASE_MS shortens it (the
 * multi-server test kills a server mid-job); a step must finish well inside it.
 */
// Admin pages import this module's types and constants, so it also loads in the browser,
// which has no `process`.
const LEASE_MS = leaseMs(typeof process === "undefined" ? undefined : process.env.KEMBALI_JOB_LEASE_MS);

export function leaseMs(raw: string | undefined): number {
  const ms = Number(raw);
  return raw && Number.isInteger(ms) && ms >= 1000 ? ms : 60_000;
}
const MAX_ATTEMPTS = 5;

export async function enqueueJob(
  deps: Pick<Deps, "db" | "clock">,
  job: { shopDomain: string; type: string; input?: unknown; runAfter?: Date },
) {
  return deps.db.job.create({
    data: {
      shopDomain: job.shopDomain,
      type: job.type,
      input: (job.input ?? undefined) as never,
      runAfter: job.runAfter ?? deps.clock(),
    },
  });
}

/**
 * Enqueues work due at a set time once, whichever app server asks first: `dueKey` names the due
 * time (the day, the hour), unique per shop and type. Null when another server already enqueued it.
 */
export async function enqueueJobOnce(
  deps: Pick<Deps, "db" | "clock">,
  job: { shopDomain: string; type: string; dueKey: string; input?: unknown; status?: "queued" | "done" },
) {
  try {
    return await deps.db.job.create({
      data: {
        shopDomain: job.shopDomain,
        type: job.type,
        dueKey: job.dueKey,
        input: (job.input ?? undefined) as never,
        runAfter: deps.clock(),
        ...(job.status === "done" ? { status: "done", startedAt: deps.clock(), finishedAt: deps.clock() } : {}),
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** The due time's key: the UTC hour (2026-12-07T18) or day (2026-12-07) `at` falls in. */
export function dueKey(at: Date, every: "hour" | "day"): string {
  return at.toISOString().slice(0, every === "hour" ? 13 : 10);
}

/** Claims the next runnable job (queued, or running with an expired lease) of the given types. */
export async function claimJob(deps: Pick<Deps, "db" | "clock">, types: string[]) {
  const now = deps.clock();
  const candidates = await deps.db.job.findMany({
    where: {
      type: { in: types },
      runAfter: { lte: now },
      OR: [{ status: "queued" }, { status: "running", lockedUntil: { lt: now } }],
    },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  for (const job of candidates) {
    const { count } = await deps.db.job.updateMany({
      where: { id: job.id, updatedAt: job.updatedAt },
      data: {
        status: "running",
        lockedUntil: new Date(now.getTime() + LEASE_MS),
        startedAt: job.startedAt ?? now,
        attempts: { increment: 1 },
      },
    });
    if (count === 1) return deps.db.job.findUniqueOrThrow({ where: { id: job.id } });
  }
  return null;
}

/**
 * Runs one claimed job step by step until it finishes, fails, or `maxSteps` is reached; "taken
 * over" when another worker claimed it meanwhile (this one's lease ran out during a step).
 */
export async function runJob(
  deps: Deps,
  handlers: Record<string, JobHandler>,
  jobId: string,
  maxSteps = Infinity,
): Promise<"done" | "failed" | "paused" | "taken over"> {
  let job = await deps.db.job.findUniqueOrThrow({ where: { id: jobId } });
  const handler = handlers[job.type];
  // This claim's number: saved steps are fenced by it.
  const claim = { id: job.id, attempts: job.attempts };
  for (let steps = 0; steps < maxSteps; steps++) {
    try {
      if (!handler) throw new Error(`No handler for job type ${job.type}`);
      const result = await handler.step(deps, job);
      const finished = result.cursor === null;
      const saved = await deps.db.job
        .update({
          where: claim,
          data: {
            cursor: result.cursor,
            progress: { increment: result.done },
            total: result.total === undefined ? job.total : result.total,
            ...(result.outcome === undefined ? {} : { outcome: result.outcome as never }),
            status: finished ? "done" : "running",
            finishedAt: finished ? deps.clock() : null,
            lockedUntil: finished ? null : new Date(deps.clock().getTime() + LEASE_MS),
            error: null,
          },
        })
        .catch((error: unknown) => {
          if (isRecordNotFound(error)) return null;
          throw error;
        });
      if (!saved) return "taken over";
      job = saved;
      if (finished) return "done";
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
      const giveUp = job.attempts >= MAX_ATTEMPTS;
      await deps.db.job.updateMany({
        where: claim,
        data: {
          status: giveUp ? "failed" : "queued",
          error: message,
          lockedUntil: null,
          // Back off before the next attempt; the cursor keeps what was already done.
          runAfter: new Date(deps.clock().getTime() + 2 ** job.attempts * 1000),
          finishedAt: giveUp ? deps.clock() : null,
        },
      });
      return "failed";
    }
  }
  return "paused";
}
