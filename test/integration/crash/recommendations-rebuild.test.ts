// Issue 16, the recommendation rebuild: a real worker process running the rebuild job (batches
// of 7 orders) is killed (SIGKILL) inside the transaction of its third batch. After the lease a
// restarted worker takes the job over, resumes from the saved cursor (not from the reset), and
// the stored counts and neighbours equal those of an uninterrupted rebuild of the same orders.
import { randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import prisma from "~/db.server";
import { claimJob, enqueueJob, runJob } from "~/domain/jobs";
import { mulberry32 } from "~/domain/recommendations/evaluate";
import { recsRebuildJob } from "~/domain/recommendations/rebuild";
import { countsOf, deps, insertOrders, neighbourTable, newShop, storedCounts, tx } from "../recommendations/fixture";
import { linesOf, runChild } from "./harness";

const BATCH = 7;

/** Baskets with structure: products 1-30, each with a complement, popularity falling. */
function baskets(count: number, seed: number): string[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const first = 1 + Math.floor(30 * Math.pow(random(), 2));
    const basket = [`p${first}`];
    if (random() < 0.7) basket.push(`p${((first + 3) % 30) + 1}`);
    if (random() < 0.4) basket.push(`p${1 + Math.floor(30 * random())}`);
    return [...new Set(basket)];
  });
}

test("killed inside a batch: taken over after the lease, resumed from the cursor, the same neighbours as a clean run", async () => {
  const history = baskets(60, 16);
  const crashed = await newShop();
  const clean = await newShop();
  await insertOrders(crashed.id, history);
  await insertOrders(clean.id, history);

  // The uninterrupted rebuild, for comparison (a job type of its own: no other file's job is run).
  const cleanType = `recs-clean-${randomUUID()}`;
  const cleanJob = await enqueueJob(deps(), { shopDomain: clean.domain, type: cleanType });
  expect((await claimJob(deps(), [cleanType]))?.id).toBe(cleanJob.id);
  expect(await runJob(deps(), { [cleanType]: recsRebuildJob(tx, { batch: BATCH, sleep: async () => {} }) }, cleanJob.id)).toBe("done");
  const expected = await neighbourTable(clean.id);
  expect(expected.length).toBeGreaterThan(0);

  const start = new Date();
  const type = `recs-crash-${randomUUID()}`;
  const job = await enqueueJob({ db: prisma, clock: () => start }, { shopDomain: crashed.domain, type });
  const env = {
    KEMBALI_TEST_MODE: "job",
    KEMBALI_TEST_HANDLER: "recs-rebuild",
    KEMBALI_TEST_JOB_TYPE: type,
    KEMBALI_TEST_SHOP: crashed.domain,
    KEMBALI_TEST_BATCH: String(BATCH),
  };
  // Transactions: the reset, then one per batch; the fourth (the third batch) dies before its commit.
  const killed = await runChild({ ...env, KEMBALI_TEST_NOW: start.toISOString(), KEMBALI_TEST_CRASH_IN_TX: "4" });
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  const left = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(left).toMatchObject({ status: "running", progress: 2 * BATCH, total: history.length, attempts: 1 });
  expect(JSON.parse(left.cursor!)).toMatchObject({ phase: "count" });
  expect(await prisma.order.count({ where: { shopId: crashed.id, recsCounted: true } })).toBe(2 * BATCH);

  const restarted = await runChild({ ...env, KEMBALI_TEST_NOW: new Date(start.getTime() + 120_000).toISOString() });
  expect(restarted.code, restarted.stderr).toBe(0);
  const lines = linesOf(restarted);
  expect(lines[0]).toEqual({ step: left.cursor });
  expect(lines.at(-1)).toEqual({ claimed: job.id, outcome: "done" });
  const finished = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(finished).toMatchObject({ status: "done", progress: history.length, total: history.length });
  expect(finished.attempts).toBeGreaterThanOrEqual(2);
  expect(await storedCounts(crashed.id)).toEqual(countsOf(history));
  expect(await storedCounts(crashed.id)).toEqual(await storedCounts(clean.id));
  expect(await neighbourTable(crashed.id)).toEqual(expected);
}, 90_000);
