// Starting a rebuild and reading the last one, on both databases. The handler is another
// piece's: here Job rows are written directly to show each state the admin page reads.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { KembaliError } from "~/domain/errors";
import { lastRebuild, readOutcome, RECS_REBUILD_JOB, startRecsRebuild } from "~/domain/recommendations/rebuild-control";
import { newShopDomain } from "../../helpers";

const deps = { db: prisma, clock: () => new Date(), transaction: transaction(prisma) };

async function shop() {
  const domain = newShopDomain();
  await prisma.shop.create({ data: { domain, settings: {} } });
  return domain;
}

const quality = { baskets: 1200, items: 80, hr5: 0.31, hr10: 0.44, hr10_sd: 0.012, popularity_hr10: 0.38, ms: 950 };

describe("startRecsRebuild", () => {
  test("queues one rebuild; while it is queued or running a second start returns it; once over a new one starts", async () => {
    const domain = await shop();
    expect(await lastRebuild(deps, domain)).toBeNull();
    const first = await startRecsRebuild(deps, domain);
    expect(first).toMatchObject({ started: true, job: { status: "queued", progress: 0, quality: null } });
    expect(await startRecsRebuild(deps, domain)).toMatchObject({ started: false, job: { id: first.job.id } });

    await prisma.job.update({ where: { id: first.job.id }, data: { status: "running", startedAt: new Date() } });
    expect(await startRecsRebuild(deps, domain)).toMatchObject({ started: false, job: { id: first.job.id, status: "running" } });

    await prisma.job.update({ where: { id: first.job.id }, data: { status: "failed", error: "boom", finishedAt: new Date() } });
    const second = await startRecsRebuild(deps, domain);
    expect(second.started).toBe(true);
    expect(second.job.id).not.toBe(first.job.id);
    expect(await prisma.job.count({ where: { shopDomain: domain, type: RECS_REBUILD_JOB } })).toBe(2);
  });

  test("eight starts at the same moment queue one job", async () => {
    const domain = await shop();
    const results = await Promise.all(Array.from({ length: 8 }, () => startRecsRebuild(deps, domain)));
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(results.filter((r) => r.started)).toHaveLength(1);
    expect(await prisma.job.count({ where: { shopDomain: domain, type: RECS_REBUILD_JOB } })).toBe(1);
  });

  test("a shop that is not installed is refused and nothing is queued", async () => {
    const domain = newShopDomain();
    await expect(startRecsRebuild(deps, domain)).rejects.toBeInstanceOf(KembaliError);
    expect(await prisma.job.count({ where: { shopDomain: domain } })).toBe(0);
  });
});

describe("lastRebuild", () => {
  test("shows the newest rebuild of this shop in each state", async () => {
    const domain = await shop();
    const other = await shop();
    const base = { shopDomain: domain, type: RECS_REBUILD_JOB };
    const t0 = new Date("2026-12-01T10:00:00Z");
    await prisma.job.create({ data: { ...base, status: "done", createdAt: t0, outcome: { quality }, finishedAt: t0 } });
    expect(await lastRebuild(deps, domain)).toMatchObject({ status: "done", percent: 100, quality, reason: null });

    const running = await prisma.job.create({
      data: { ...base, status: "running", createdAt: new Date(t0.getTime() + 1000), progress: 300, total: 1200, startedAt: t0 },
    });
    expect(await lastRebuild(deps, domain)).toMatchObject({
      id: running.id,
      status: "running",
      progress: 300,
      total: 1200,
      percent: 25,
      startedAt: t0.toISOString(),
      finishedAt: null,
      quality: null,
    });

    await prisma.job.update({
      where: { id: running.id },
      data: { status: "done", progress: 1200, outcome: { quality: null, reason: "too_few_orders" }, finishedAt: new Date() },
    });
    expect(await lastRebuild(deps, domain)).toMatchObject({ status: "done", quality: null, reason: "too_few_orders" });

    await prisma.job.create({
      data: { ...base, status: "failed", createdAt: new Date(t0.getTime() + 2000), error: "Database went away", finishedAt: new Date() },
    });
    expect(await lastRebuild(deps, domain)).toMatchObject({ status: "failed", error: "Database went away", quality: null });

    // Another shop's jobs and other job types are never this shop's rebuild.
    await prisma.job.create({ data: { shopDomain: domain, type: "backfill", createdAt: new Date(t0.getTime() + 3000) } });
    expect((await lastRebuild(deps, domain))?.status).toBe("failed");
    expect(await lastRebuild(deps, other)).toBeNull();
  });

  test("an outcome missing a number, or not an object, gives no quality figure", () => {
    expect(readOutcome({ quality: { ...quality, hr10: "0.4" } })).toEqual({ quality: null, reason: null });
    expect(readOutcome({ quality: { ...quality, hr10: Number.NaN } }).quality).toBeNull();
    expect(readOutcome(null)).toEqual({ quality: null, reason: null });
    expect(readOutcome("x")).toEqual({ quality: null, reason: null });
    expect(readOutcome({ quality })).toEqual({ quality, reason: null });
    expect(readOutcome({ quality: { ...quality, cases: 240 } }).quality?.cases).toBe(240);
    expect(readOutcome({ quality: { ...quality, cases: "240" } }).quality).toEqual(quality);
  });
});
