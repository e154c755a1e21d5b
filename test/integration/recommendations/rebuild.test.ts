// Refit and the full rebuild job on both databases: incremental counts plus a refit give the
// same lists as a rebuild of the same history; a rebuild stopped between batches or failing in
// one resumes and ends with the same counts; no refit while a rebuild waits or runs; the
// merchant's minimum orders is respected; the quality figure is there or says why not.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import prisma from "~/db.server";
import { claimJob, enqueueJob, runJob } from "~/domain/jobs";
import { mulberry32 } from "~/domain/recommendations/evaluate";
import { RECS_REBUILD_JOB, rebuildAfterImport, recsRebuildJob, type RebuildOutcome } from "~/domain/recommendations/rebuild";
import { backfillJob } from "~/domain/earning/history";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import { refitDueShops, refitShop, RECS_REFIT_EVERY_MS, shopsDueForRefit } from "~/domain/recommendations/refit";
import type { Tx } from "~/db.server";
import { cancelled, countsOf, deps, insertOrders, neighbourTable, newShop, order, paid, storedCounts, tx } from "./fixture";

const noSleep = async () => {};
const handlers = (batch = 2_000, transaction = tx) => ({ [RECS_REBUILD_JOB]: recsRebuildJob(transaction, { batch, sleep: noSleep }) });

async function rebuild(shopDomain: string, batch = 2_000) {
  const job = await enqueueJob(deps(), { shopDomain, type: RECS_REBUILD_JOB });
  await claimJob(deps(), [RECS_REBUILD_JOB]);
  expect(await runJob(deps(), handlers(batch), job.id)).toBe("done");
  return prisma.job.findUniqueOrThrow({ where: { id: job.id } });
}

/** Baskets with structure: products 1-40, each with a complement, popularity falling. */
function structured(count: number, seed: number): string[][] {
  const random = mulberry32(seed);
  const out: string[][] = [];
  for (let b = 0; b < count; b++) {
    const first = 1 + Math.floor(40 * Math.pow(random(), 2));
    const basket = [`p${first}`];
    if (random() < 0.7) basket.push(`p${((first + 3) % 40) + 1}`);
    if (random() < 0.4) basket.push(`p${1 + Math.floor(40 * random())}`);
    out.push(basket);
  }
  return out;
}

describe("refit and rebuild", () => {
  test("incremental counts and a refit give the same lists as a full rebuild of the same history", async () => {
    const product = fc.constantFrom("a", "b", "c", "d", "e", "f");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ basket: fc.array(product, { minLength: 1, maxLength: 4 }), cancel: fc.boolean() }), {
          minLength: 4,
          maxLength: 14,
        }),
        async (history) => {
          const shop = await newShop();
          await prisma.recsState.create({ data: { shopId: shop.id, minOrders: 1 } });
          for (const [k, h] of history.entries()) await paid(shop.domain, order(String(k + 1), h.basket));
          for (const [k, h] of history.entries()) if (h.cancel) await cancelled(shop.domain, order(String(k + 1), h.basket));
          const kept = history.filter((h) => !h.cancel).map((h) => h.basket);
          expect(await storedCounts(shop.id)).toEqual(countsOf(kept));
          expect(await refitShop(deps(), shop.id)).toMatchObject({ outcome: "fitted" });
          const incremental = await neighbourTable(shop.id);
          if (kept.length > 0) expect(incremental.length).toBeGreaterThan(0);
          await rebuild(shop.domain, 3);
          expect(await storedCounts(shop.id)).toEqual(countsOf(kept));
          expect(await neighbourTable(shop.id)).toEqual(incremental);
        },
      ),
      { numRuns: 6 },
    );
  });

  test("a rebuild stopped after a batch, then failing inside one, resumes and ends with the same counts", async () => {
    const shop = await newShop();
    const baskets = structured(40, 11);
    await insertOrders(shop.id, baskets.slice(0, 25));
    for (const [k, b] of baskets.slice(25).entries()) await paid(shop.domain, order(`w${k}`, b));
    await cancelled(shop.domain, order("w0", baskets[25]));
    const expected = countsOf([...baskets.slice(0, 25), ...baskets.slice(26)]);

    const job = await enqueueJob(deps(), { shopDomain: shop.domain, type: RECS_REBUILD_JOB });
    await claimJob(deps(), [RECS_REBUILD_JOB]);
    // Reset and two batches of 7, then the process stops.
    expect(await runJob(deps(), handlers(7), job.id, 3)).toBe("paused");
    let saved = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(saved).toMatchObject({ progress: 14, total: 39, status: "running" });
    expect(await prisma.order.count({ where: { shopId: shop.id, recsCounted: true } })).toBe(14);
    // The next server to claim it (lease expired) fails in the middle of a batch: nothing of that batch stays.
    let calls = 0;
    const failing = (<T>(fn: (t: Tx) => Promise<T>) =>
      tx(async (t) => {
        const result = await fn(t);
        if (++calls === 2) throw new Error("connection lost");
        return result;
      })) as typeof tx;
    const later = () => new Date(Date.now() + 120_000);
    expect((await claimJob(deps(later), [RECS_REBUILD_JOB]))?.id).toBe(job.id);
    expect(await runJob(deps(later), handlers(7, failing), job.id)).toBe("failed");
    saved = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(saved).toMatchObject({ progress: 21, status: "queued" });
    expect(await prisma.order.count({ where: { shopId: shop.id, recsCounted: true } })).toBe(21);
    // Retried after its back-off: it finishes, every order counted once.
    const muchLater = () => new Date(Date.now() + 3_600_000);
    expect((await claimJob(deps(muchLater), [RECS_REBUILD_JOB]))?.id).toBe(job.id);
    expect(await runJob(deps(muchLater), handlers(7), job.id)).toBe("done");
    saved = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(saved).toMatchObject({ status: "done", progress: 39, total: 39 });
    expect(await storedCounts(shop.id)).toEqual(expected);
    expect(await prisma.order.count({ where: { shopId: shop.id, recsCounted: true } })).toBe(39);
    // The lists are the ones a refit of these counts gives.
    const rows = await neighbourTable(shop.id);
    expect(rows.length).toBeGreaterThan(0);
    await prisma.recsState.update({ where: { shopId: shop.id }, data: { countsVersion: { increment: 1 } } });
    expect(await refitShop(deps(), shop.id)).toMatchObject({ outcome: "fitted", changed: 0 });
    expect(await neighbourTable(shop.id)).toEqual(rows);
  });

  test("no refit while a rebuild is queued or running; the rebuild refits at its end", async () => {
    const shop = await newShop();
    for (const [k, b] of structured(30, 5).entries()) await paid(shop.domain, order(String(k), b));
    const job = await enqueueJob(deps(), { shopDomain: shop.domain, type: RECS_REBUILD_JOB });
    expect(await refitShop(deps(), shop.id)).toEqual({ outcome: "rebuilding" });
    expect(await shopsDueForRefit(deps())).toContain(shop.id);
    expect((await refitDueShops(deps())).find((r) => r.shopId === shop.id)?.result).toEqual({ outcome: "rebuilding" });
    await claimJob(deps(), [RECS_REBUILD_JOB]);
    expect(await runJob(deps(), handlers(5), job.id, 2)).toBe("paused");
    expect(await refitShop(deps(), shop.id)).toEqual({ outcome: "rebuilding" });
    expect(await prisma.recsNeighbour.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await runJob(deps(), handlers(5), job.id)).toBe("done");
    const state = await prisma.recsState.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(state.fittedVersion).toBe(state.countsVersion);
    expect(state.fittedMinOrders).toBe(3);
    expect(await prisma.recsNeighbour.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
    expect(await shopsDueForRefit(deps())).not.toContain(shop.id);
  });

  test("a refit holds a lease: a second server gets busy; the schedule waits 10 minutes after a fit", async () => {
    const shop = await newShop();
    for (const [k, b] of structured(10, 9).entries()) await paid(shop.domain, order(String(k), b));
    const now = new Date();
    await prisma.recsState.update({ where: { shopId: shop.id }, data: { refitLockedUntil: new Date(now.getTime() + 60_000) } });
    expect(
      await refitShop(
        deps(() => now),
        shop.id,
      ),
    ).toEqual({ outcome: "busy" });
    const afterLease = new Date(now.getTime() + 120_000);
    expect(
      await refitShop(
        deps(() => afterLease),
        shop.id,
      ),
    ).toMatchObject({ outcome: "fitted" });
    expect((await prisma.recsState.findUniqueOrThrow({ where: { shopId: shop.id } })).refitLockedUntil).toBeNull();
    await paid(shop.domain, order("new", ["p1", "p2"]));
    const soon = new Date(afterLease.getTime() + 60_000);
    expect(await shopsDueForRefit(deps(() => soon))).not.toContain(shop.id);
    const due = new Date(afterLease.getTime() + RECS_REFIT_EVERY_MS);
    expect(await shopsDueForRefit(deps(() => due))).toContain(shop.id);
  });

  test("the merchant's minimum orders decides which products get a list, and a change refits at once", async () => {
    const shop = await newShop();
    // a and b together 4 times, c with a twice.
    const history = [["a", "b"], ["a", "b"], ["a", "b"], ["a", "b", "c"], ["a", "c"], ["d"], ["d", "e"]];
    for (const [k, b] of history.entries()) await paid(shop.domain, order(String(k), b));
    await refitShop(deps(), shop.id);
    const listed = async () =>
      [
        ...new Set((await prisma.recsNeighbour.findMany({ where: { shopId: shop.id, neighbourId: { not: "" } } })).map((r) => r.productId)),
      ].sort();
    const named = async () =>
      [
        ...new Set(
          (await prisma.recsNeighbour.findMany({ where: { shopId: shop.id, neighbourId: { not: "" } } })).map((r) => r.neighbourId),
        ),
      ].sort();
    expect(await listed()).toEqual(["a", "b"]);
    expect(await named()).not.toContain("c");
    // The admin page writes only minOrders: the next tick refits although no order came in.
    await prisma.recsState.update({ where: { shopId: shop.id }, data: { minOrders: 2 } });
    expect(await shopsDueForRefit(deps())).toContain(shop.id);
    await refitDueShops(deps());
    expect(await listed()).toEqual(["a", "b", "c", "d"]);
    expect(await named()).toContain("c");
    expect((await prisma.recsState.findUniqueOrThrow({ where: { shopId: shop.id } })).fittedMinOrders).toBe(2);
    expect(await shopsDueForRefit(deps())).not.toContain(shop.id);
    await prisma.recsState.update({ where: { shopId: shop.id }, data: { minOrders: 50 } });
    await refitDueShops(deps());
    expect(await listed()).toEqual([]);
  });

  test("the quality figure for a seeded history, with orders recorded before counting existed", async () => {
    const shop = await newShop();
    await insertOrders(shop.id, structured(600, 3));
    expect(await prisma.recsItem.count({ where: { shopId: shop.id } })).toBe(0);
    const job = await rebuild(shop.domain, 250);
    expect(await storedCounts(shop.id)).toEqual(countsOf(structured(600, 3)));
    const outcome = job.outcome as RebuildOutcome;
    expect(outcome.quality).not.toBeNull();
    const q = outcome.quality!;
    expect(q).toEqual({
      baskets: 600,
      items: 40,
      hr5: expect.any(Number),
      hr10: expect.any(Number),
      hr10_sd: expect.any(Number),
      popularity_hr10: expect.any(Number),
      ms: expect.any(Number),
    });
    // The structure is strong: the learned lists beat best sellers clearly.
    expect(q.hr10).toBeGreaterThan(q.popularity_hr10 + 0.1);
    expect(q.hr5).toBeLessThanOrEqual(q.hr10);
  });

  test("a tiny history gives no figure and says why; another shop's counts are untouched by a rebuild", async () => {
    const other = await newShop();
    for (const [k, b] of structured(8, 2).entries()) await paid(other.domain, order(String(k), b));
    await refitShop(deps(), other.id);
    const before = { counts: await storedCounts(other.id), rows: await neighbourTable(other.id) };
    const shop = await newShop();
    for (const [k, b] of structured(10, 1).entries()) await paid(shop.domain, order(String(k), b));
    const job = await rebuild(shop.domain);
    expect(job.outcome).toEqual({ quality: null, reason: "too_few_orders" });
    expect(await storedCounts(shop.id)).toEqual(countsOf(structured(10, 1)));
    expect({ counts: await storedCounts(other.id), rows: await neighbourTable(other.id) }).toEqual(before);
  });

  test("a history import counts its orders (cancelled ones out) and then starts one rebuild", async () => {
    const shop = await newShop();
    const store = localStoreAdmin(createLocalStoreState());
    const baskets = structured(30, 8);
    const at = new Date(Date.now() - 30 * 86_400_000);
    baskets.forEach((basket, k) =>
      store.addOrder({
        id: String(91_000 + k),
        currency: "IDR",
        customer: null,
        subtotal: 1000,
        total: 1000,
        shipping: 0,
        tax: 0,
        createdAt: at,
        processedAt: at,
        updatedAt: at,
        cancelledAt: k === 0 ? at : null,
        financialStatus: "PAID",
        lineItems: basket.map((p) => ({ productId: p, variantId: null, title: `Product ${p}`, quantity: 1, price: 1000 })),
        refunds: [],
        truncated: false,
      }),
    );
    const backfill = await enqueueJob(deps(), { shopDomain: shop.domain, type: "backfill", input: { earnPoints: false } });
    await claimJob(deps(), ["backfill"]);
    expect(await runJob(deps(), { backfill: backfillJob(async () => store, tx) }, backfill.id)).toBe("done");
    expect(await storedCounts(shop.id)).toEqual(countsOf(baskets.slice(1)));
    const first = await rebuildAfterImport(deps(), shop.domain);
    expect(first).not.toBeNull();
    expect(await rebuildAfterImport(deps(), shop.domain)).toBeNull();
    await claimJob(deps(), [RECS_REBUILD_JOB]);
    expect(await runJob(deps(), handlers(), first!)).toBe("done");
    expect(await storedCounts(shop.id)).toEqual(countsOf(baskets.slice(1)));
    expect(await prisma.recsNeighbour.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
  });
});
