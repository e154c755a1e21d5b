// A job step that outlasts its lease: another worker claims the job meanwhile. The late worker
// must not save its step over the new owner's (the cursor would move back, progress count twice).
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { claimJob, enqueueJob, runJob, type JobHandler } from "~/domain/jobs";
import { ensureShop } from "~/domain/shop/shops";
import { newShopDomain } from "../helpers";

describe("a job step that outlasts its lease", () => {
  test("GIVEN another worker claimed the job during a slow step THEN the slow worker saves nothing and says it was taken over", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    const type = `lease-test-${shop}`;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const stepStarted = new Promise<void>((resolve) => (started = resolve));
    const steps: string[] = [];
    const handler: JobHandler = {
      async step(_deps, job) {
        const page = Number(job.cursor ?? 0);
        steps.push(`page ${page}`);
        if (page === 0 && steps.length === 1) {
          started();
          await slow;
        }
        return { cursor: page >= 2 ? null : String(page + 1), done: 10, total: 30 };
      },
    };
    const now = { db: prisma, clock: () => new Date() };
    const job = await enqueueJob(now, { shopDomain: shop, type });
    expect((await claimJob(now, [type]))?.id).toBe(job.id);
    const first = runJob(now, { [type]: handler }, job.id);
    await stepStarted;
    // The first worker's lease is over (its step is slow): a second worker takes the job and finishes it.
    const later = { db: prisma, clock: () => new Date(Date.now() + 10 * 60_000) };
    expect((await claimJob(later, [type]))?.id).toBe(job.id);
    expect(await runJob(later, { [type]: handler }, job.id)).toBe("done");
    release();
    expect(await first).toBe("taken over");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "done",
      progress: 30,
      cursor: null,
      attempts: 2,
    });
    expect(steps).toEqual(["page 0", "page 0", "page 1", "page 2"]);
  });
});
