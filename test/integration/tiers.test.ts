import { describe, expect, test } from "vitest";
import { localShopify } from "~/shopify/shopify-for.server";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { claimJob, runJob } from "~/domain/jobs";
import { createReward } from "~/domain/rewards/rewards";
import { KembaliError } from "~/domain/errors";
import {
  TIER_RECALCULATION_JOB,
  evaluateCustomerTier,
  evaluateTierForOrder,
  previewTierProgram,
  qualifyingAmount,
  qualifyingAmounts,
  saveTierProgram,
  scheduleTierRecalculation,
  syncTierChanges,
  tierMultiplierFor,
  tierRecalculation,
  type TierBasis,
  type TierPeriod,
} from "~/domain/tiers";
import type { LocalStoreAdmin } from "~/shopify/admin/local-store.server";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const MINUTE = 60_000;

/** Points earned: silver from 1,000, gold from 5,000 (×1.5 points). */
const silverGold = {
  basis: "points_earned",
  period: "lifetime",
  tiers: [
    { key: "silver", name: "Silver", threshold: 1000, earnMultiplier: 1.25 },
    { key: "gold", name: "Gold", threshold: 5000, earnMultiplier: 1.5, freeShippingReward: true },
  ],
};

/**
 * A shop earning 1 point per Rp1.000 with no pending period, and customers made through the
 * orders/paid webhook: each number is one order of that many × Rp125.000 (125 points each).
 */
async function shopWith(customers: Record<string, number[]>) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  for (const [shopifyCustomerId, orders] of Object.entries(customers)) {
    for (const [i, quantity] of orders.entries()) {
      const res = await orderPaid(
        routeArgs(webhookRequest("orders/paid", shop, paidOrder(`${shopifyCustomerId}${i}`, shopifyCustomerId, quantity))),
      );
      expect(res.status).toBe(200);
    }
  }
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  // The app's own in-memory Shopify for this shop: webhook follow-ups write to it too.
  const store = localShopify(shop);
  return { shop, shopId, store };
}

/** A refunds/create payload for part of an order's merchandise. */
const refund = (id: number, orderId: string, subtotalRupiah: number) => ({
  id,
  order_id: Number(orderId),
  created_at: new Date().toISOString(),
  refund_line_items: [
    { subtotal: `${subtotalRupiah}.00`, subtotal_set: { shop_money: { amount: `${subtotalRupiah}.00`, currency_code: "IDR" } } },
  ],
  transactions: [],
});

function deps(at = new Date()) {
  return { db: prisma, clock: () => at, transaction: transaction(prisma) };
}

const handlers = (store: LocalStoreAdmin, batchSize?: number) => ({
  [TIER_RECALCULATION_JOB]: tierRecalculation(async () => store, transaction(prisma), { batchSize }),
});

/** Claims the next tier job (it must be `jobId`: each test runs the jobs it queued) and runs it. */
async function runTierJob(
  jobId: string,
  store: LocalStoreAdmin,
  { at = new Date(), maxSteps = Infinity, batchSize }: { at?: Date; maxSteps?: number; batchSize?: number } = {},
) {
  const claimed = await claimJob(deps(at), [TIER_RECALCULATION_JOB]);
  expect(claimed?.id).toBe(jobId);
  return runJob(deps(at), handlers(store, batchSize), jobId, maxSteps);
}

async function tiers(shopId: string) {
  const rows = await prisma.customer.findMany({ where: { shopId }, orderBy: { shopifyCustomerId: "asc" } });
  return Object.fromEntries(rows.map((c) => [c.shopifyCustomerId, c.tier]));
}

const customerId = async (shopId: string, shopifyCustomerId: string) =>
  (await prisma.customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } })).id;

async function badInputPaths(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KembaliError);
  expect((error as KembaliError).code).toBe("BAD_INPUT");
  return ((error as KembaliError).details?.issues as Array<{ path: string }>).map((i) => i.path);
}

describe("saving a tier program and recalculating every customer", () => {
  test("GIVEN paid orders WHEN the merchant saves tiers THEN a job puts each customer in their tier, records it and writes it to Shopify", async () => {
    // 1,000 / 5,000 / 250 / 2 × 2,500 points
    const { shop, shopId, store } = await shopWith({ "7601": [8], "7602": [40], "7603": [2], "7604": [20, 20] });
    const saved = await saveTierProgram(deps(), shop, silverGold);
    expect(saved.version).toBe(1);
    const job = await prisma.job.findUniqueOrThrow({ where: { id: saved.jobId } });
    expect(job).toMatchObject({ shopDomain: shop, type: "tier_recalculation", status: "queued", input: { version: 1 } });

    expect(await runTierJob(saved.jobId, store)).toBe("done");
    expect(await tiers(shopId)).toEqual({ "7601": "silver", "7602": "gold", "7603": null, "7604": "gold" });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: saved.jobId } })).toMatchObject({ status: "done", progress: 4, total: 4 });

    const changes = await prisma.tierChange.findMany({ where: { shopId } });
    expect(changes).toHaveLength(3);
    expect(changes.every((c) => c.fromTier === null && c.configVersion === 1 && c.reason === "config_change" && c.syncedAt)).toBe(true);
    const events = await prisma.customerEvent.findMany({ where: { shopId, type: "tier_changed" } });
    expect(events.map((e) => e.payload)).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: null, to: "gold", toName: "Gold", direction: "up", version: 1 })]),
    );
    expect(events).toHaveLength(3);
    const gold = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "7602" } });
    expect(gold.tierSince).not.toBeNull();

    expect(store.customer("7601")).toMatchObject({ tags: ["kembali-tier-silver"], metafields: { balance: 1000, tier: "silver" } });
    expect(store.customer("7602")).toMatchObject({ tags: ["kembali-tier-gold"], metafields: { balance: 5000, tier: "gold" } });
    // Nothing changed for a customer below every tier: nothing is written to Shopify.
    expect(store.customer("7603")).toMatchObject({ tags: [], metafields: {} });
  });

  test("GIVEN a new version THEN it is version 2, the old one is kept, and its job moves customers up and down", async () => {
    const { shop, shopId, store } = await shopWith({ "7611": [8], "7612": [40], "7613": [2] });
    await runTierJob((await saveTierProgram(deps(), shop, silverGold)).jobId, store);

    const v2 = {
      ...silverGold,
      tiers: [
        { key: "bronze", name: "Bronze", threshold: 200 },
        { key: "silver", name: "Silver", threshold: 2000 },
        { key: "gold", name: "Gold", threshold: 5000 },
      ],
    };
    const saved = await saveTierProgram(deps(), shop, v2);
    expect(saved.version).toBe(2);
    expect(await prisma.tierProgram.findMany({ where: { shopId }, select: { version: true }, orderBy: { version: "asc" } })).toEqual([
      { version: 1 },
      { version: 2 },
    ]);
    expect(await runTierJob(saved.jobId, store)).toBe("done");
    expect(await tiers(shopId)).toEqual({ "7611": "bronze", "7612": "gold", "7613": "bronze" });

    const moved = await prisma.tierChange.findMany({ where: { shopId, configVersion: 2 }, orderBy: { fromTier: "asc" } });
    expect(moved.map((c) => [c.fromTier, c.toTier])).toEqual(
      expect.arrayContaining([
        ["silver", "bronze"],
        [null, "bronze"],
      ]),
    );
    expect(moved).toHaveLength(2);
    const down = await prisma.customerEvent.findFirstOrThrow({
      where: { shopId, type: "tier_changed", customer: { shopifyCustomerId: "7611" }, key: { contains: ":2:" } },
    });
    expect(down.payload).toMatchObject({ from: "silver", to: "bronze", direction: "down", version: 2 });
    // The old tier tag is gone, the new one is there.
    expect(store.customer("7611")).toMatchObject({ tags: ["kembali-tier-bronze"], metafields: { tier: "bronze" } });
  });

  test("GIVEN a newer version saved before an older job ran THEN the older job stops and the newer one decides", async () => {
    const { shop, shopId, store } = await shopWith({ "7621": [8] });
    const v1 = await saveTierProgram(deps(), shop, silverGold);
    const v2 = await saveTierProgram(deps(), shop, { ...silverGold, tiers: [{ key: "member", name: "Member", threshold: 0 }] });
    // Both are queued; run them in the order they were saved.
    expect(await runJob(deps(), handlers(store), v1.jobId)).toBe("done");
    expect(await prisma.tierChange.count({ where: { shopId } })).toBe(0);
    expect(await runJob(deps(), handlers(store), v2.jobId)).toBe("done");
    expect(await tiers(shopId)).toEqual({ "7621": "member" });
  });

  test("GIVEN invalid input THEN BAD_INPUT names the fields and no version is written", async () => {
    const { shop, shopId } = await shopWith({ "7631": [1] });
    const reward = await createReward({ db: prisma }, shop, { name: "Gold mug", type: "free_shipping", pointsCost: 100 });
    const paths = await badInputPaths(
      saveTierProgram(deps(), shop, {
        ...silverGold,
        tiers: [
          { ...silverGold.tiers[0], exclusiveRewardIds: [reward.id] },
          { ...silverGold.tiers[1], threshold: 1000 },
        ],
      }),
    );
    expect(paths).toEqual(["tiers.1.threshold"]);
    expect(
      await badInputPaths(
        saveTierProgram(deps(), shop, { ...silverGold, tiers: [{ ...silverGold.tiers[0], exclusiveRewardIds: ["nope"] }] }),
      ),
    ).toEqual(["tiers.0.exclusiveRewardIds.0"]);
    expect(await prisma.tierProgram.count({ where: { shopId } })).toBe(0);
    expect(await prisma.job.count({ where: { shopDomain: shop } })).toBe(0);
    await expect(saveTierProgram(deps(), newShopDomain(), silverGold)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("previewing a tier program", () => {
  test("GIVEN customers in tiers THEN the preview counts who moves up, down or stays, per tier, and writes nothing", async () => {
    // 1,000 (silver) / 5,000 (gold) / 250 (none) / 5,000 (gold) / 125 (none)
    const { shop, shopId, store } = await shopWith({ "7641": [8], "7642": [40], "7643": [2], "7644": [20, 20], "7645": [1] });
    await runTierJob((await saveTierProgram(deps(), shop, silverGold)).jobId, store);
    const before = {
      programs: await prisma.tierProgram.count({ where: { shopId } }),
      jobs: await prisma.job.count({ where: { shopDomain: shop } }),
    };

    const preview = await previewTierProgram(deps(), shop, {
      ...silverGold,
      tiers: [
        { key: "bronze", name: "Bronze", threshold: 200 },
        { key: "silver", name: "Silver", threshold: 2000 },
        { key: "gold", name: "Gold", threshold: 5000 },
      ],
    });
    expect(preview).toMatchObject({ up: 1, down: 1, unchanged: 3, byTier: { bronze: 2, silver: 0, gold: 2, none: 1 } });
    expect(preview.sample.map((s) => [s.shopifyCustomerId, s.from, s.to, s.amount]).sort()).toEqual([
      ["7641", "silver", "bronze", 1000],
      ["7643", null, "bronze", 250],
    ]);

    expect(await prisma.tierProgram.count({ where: { shopId } })).toBe(before.programs);
    expect(await prisma.job.count({ where: { shopDomain: shop } })).toBe(before.jobs);
    expect(await tiers(shopId)).toEqual({ "7641": "silver", "7642": "gold", "7643": null, "7644": "gold", "7645": null });
  });

  test("GIVEN a tier the proposal removes THEN its members count by threshold, and as down when they get no tier", async () => {
    // 1,250 points (silver) and 5,000 (gold)
    const { shop, store } = await shopWith({ "7651": [10], "7652": [40] });
    await runTierJob((await saveTierProgram(deps(), shop, silverGold)).jobId, store);
    const gold = silverGold.tiers[1];
    // silver (from 1,000) renamed to vip at the same threshold: unchanged.
    expect(
      await previewTierProgram(deps(), shop, { ...silverGold, tiers: [{ key: "vip", name: "VIP", threshold: 1000 }, gold] }),
    ).toMatchObject({
      up: 0,
      down: 0,
      unchanged: 2,
      byTier: { vip: 1, gold: 1, none: 0 },
    });
    // Replaced by a lower tier: down; by a higher one that the customer still reaches: up.
    expect(
      await previewTierProgram(deps(), shop, { ...silverGold, tiers: [{ key: "plus", name: "Plus", threshold: 500 }, gold] }),
    ).toMatchObject({ up: 0, down: 1, unchanged: 1 });
    const ladder = [{ key: "star", name: "Star", threshold: 500 }, { key: "elite", name: "Elite", threshold: 1200 }, gold];
    expect(await previewTierProgram(deps(), shop, { ...silverGold, tiers: ladder })).toMatchObject({ up: 1, down: 0, unchanged: 1 });
    // No tier left for the former silver member: down.
    expect(await previewTierProgram(deps(), shop, { ...silverGold, tiers: [gold] })).toMatchObject({
      up: 0,
      down: 1,
      unchanged: 1,
      byTier: { gold: 1, none: 1 },
    });
  });

  test("GIVEN amount spent over rolling 12 months THEN refunds count against it", async () => {
    const { shop, shopId } = await shopWith({ "7661": [8], "7662": [4] });
    // Rp1.000.000 and Rp500.000 spent; Rp300.000 of the first refunded.
    await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(1, "76610", 300_000))));
    const preview = await previewTierProgram(deps(), shop, {
      basis: "amount_spent",
      period: "rolling_12_months",
      tiers: [
        { key: "regular", name: "Regular", threshold: 50_000_000 },
        { key: "vip", name: "VIP", threshold: 80_000_000 },
      ],
    });
    expect(preview.byTier).toEqual({ regular: 2, vip: 0, none: 0 });
    expect(preview.sample.find((s) => s.shopifyCustomerId === "7661")?.amount).toBe(70_000_000);
    expect(await prisma.customer.count({ where: { shopId, tier: { not: null } } })).toBe(0);
  });
});

describe("a recalculation that crashes", () => {
  test("GIVEN the job stops after its first batch THEN it resumes at the next one and records each change once", async () => {
    const { shop, shopId, store } = await shopWith({ "7671": [8], "7672": [40], "7673": [8], "7674": [8], "7675": [40] });
    const { jobId } = await saveTierProgram(deps(), shop, silverGold);
    expect(await runTierJob(jobId, store, { maxSteps: 1, batchSize: 2 })).toBe("paused");
    const paused = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(paused).toMatchObject({ status: "running", progress: 2, total: 5 });
    expect(paused.cursor).not.toBeNull();
    expect(await prisma.tierChange.count({ where: { shopId } })).toBe(2);

    // The worker died: once its lease runs out another claims the job and finishes it.
    expect(await runTierJob(jobId, store, { at: new Date(Date.now() + 2 * MINUTE), batchSize: 2 })).toBe("done");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "done", progress: 5 });
    expect(await tiers(shopId)).toEqual({ "7671": "silver", "7672": "gold", "7673": "silver", "7674": "silver", "7675": "gold" });
    expect(await prisma.tierChange.count({ where: { shopId } })).toBe(5);
    expect(await prisma.customerEvent.count({ where: { shopId, type: "tier_changed" } })).toBe(5);
  });

  test("GIVEN a batch runs twice (a crash before its cursor was saved) THEN the second run changes nothing", async () => {
    const { shop, shopId, store } = await shopWith({ "7681": [8], "7682": [40] });
    const { jobId } = await saveTierProgram(deps(), shop, silverGold);
    const job = await prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    const handler = handlers(store)[TIER_RECALCULATION_JOB];
    const first = await handler.step(deps(), job);
    const again = await handler.step(deps(), job);
    expect(again).toEqual(first);
    expect(await prisma.tierChange.count({ where: { shopId } })).toBe(2);
    expect(await prisma.customerEvent.count({ where: { shopId, type: "tier_changed" } })).toBe(2);
    await prisma.job.update({ where: { id: jobId }, data: { status: "done" } });
  });

  test("GIVEN Shopify fails after the batch was saved THEN the retry writes Shopify without recording the changes again", async () => {
    const { shop, shopId, store } = await shopWith({ "7691": [8], "7692": [40] });
    const { jobId } = await saveTierProgram(deps(), shop, silverGold);
    store.rejectNext("Internal error");
    expect(await runTierJob(jobId, store)).toBe("failed");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "queued", cursor: null });
    expect(await prisma.tierChange.count({ where: { shopId, syncedAt: null } })).toBe(2);
    expect(store.customer("7692").metafields).toEqual({});

    // The backoff has passed: the retry finds the tiers already set and only writes Shopify.
    expect(await runTierJob(jobId, store, { at: new Date(Date.now() + 10 * MINUTE) })).toBe("done");
    expect(await prisma.tierChange.count({ where: { shopId } })).toBe(2);
    expect(await prisma.tierChange.count({ where: { shopId, syncedAt: null } })).toBe(0);
    expect(store.customer("7691")).toMatchObject({ tags: ["kembali-tier-silver"], metafields: { tier: "silver" } });
    expect(store.customer("7692")).toMatchObject({ tags: ["kembali-tier-gold"], metafields: { tier: "gold" } });
  });
});

test("GIVEN unsynced changes of a customer since redacted THEN the sync marks them synced and writes Shopify only for the others", async () => {
  const { shop, shopId, store } = await shopWith({ "7695": [8], "7696": [40] });
  const { jobId } = await saveTierProgram(deps(), shop, silverGold);
  store.rejectNext("Internal error");
  expect(await runTierJob(jobId, store)).toBe("failed");
  await prisma.customer.updateMany({ where: { shopId, shopifyCustomerId: "7695" }, data: { redactedAt: new Date() } });

  expect(await syncTierChanges({ ...deps(), shopify: store }, shopId)).toBe(1);
  expect(await prisma.tierChange.count({ where: { shopId, syncedAt: null } })).toBe(0);
  expect(store.customer("7695").metafields).toEqual({});
  expect(store.customer("7696")).toMatchObject({ tags: ["kembali-tier-gold"], metafields: { tier: "gold" } });
  await prisma.job.update({ where: { id: jobId }, data: { status: "done" } });
});

describe("one customer after an order or refund", () => {
  test("GIVEN a refund that drops a gold customer below 5,000 points THEN evaluating moves them down to silver", async () => {
    const { shop, shopId, store } = await shopWith({ "7701": [40] });
    await runTierJob((await saveTierProgram(deps(), shop, silverGold)).jobId, store);
    const id = await customerId(shopId, "7701");
    expect(await tierMultiplierFor(prisma, shopId, id)).toBe(1.5);

    // Rp1.250.000 of Rp5.000.000 refunded: 1,250 of the 5,000 points reversed. The webhook's
    // follow-up re-evaluates the tier once the refund is committed.
    expect((await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(2, "77010", 1_250_000))))).status).toBe(200);

    const change = await prisma.tierChange.findFirstOrThrow({ where: { shopId, reason: "refund" } });
    expect(change).toMatchObject({ fromTier: "gold", toTier: "silver", configVersion: 1 });
    expect(store.customer("7701")).toMatchObject({ tags: ["kembali-tier-silver"], metafields: { balance: 3750, tier: "silver" } });
    expect(await tierMultiplierFor(prisma, shopId, id)).toBe(1.25);

    // Evaluating again changes nothing.
    expect(await evaluateCustomerTier({ ...deps(), shopify: store }, shop, id, "refund")).toMatchObject({ changed: false, to: "silver" });
    expect(await prisma.tierChange.count({ where: { shopId, customerId: id } })).toBe(2);
  });

  test("GIVEN a new order that reaches a threshold THEN evaluating moves the customer up; without a tier the multiplier is 1", async () => {
    const { shop, shopId, store } = await shopWith({ "7711": [2] });
    await runTierJob((await saveTierProgram(deps(), shop, silverGold)).jobId, store);
    const id = await customerId(shopId, "7711");
    expect(await tierMultiplierFor(prisma, shopId, id)).toBe(1);

    // The orders/paid follow-up evaluates the customer it finds through the order.
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("77119", "7711", 8))));
    expect(await prisma.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ tier: "silver" });
    expect(store.customer("7711")).toMatchObject({ tags: ["kembali-tier-silver"], metafields: { tier: "silver" } });
    const result = await evaluateTierForOrder({ ...deps(), shopify: store }, shop, "77119", "order");
    expect(result).toMatchObject({ customerId: id, from: "silver", to: "silver", changed: false, amount: 1250 });
    expect(await evaluateTierForOrder({ ...deps(), shopify: store }, shop, "404", "order")).toBeNull();
    const event = await prisma.customerEvent.findFirstOrThrow({ where: { shopId, customerId: id, type: "tier_changed" } });
    expect(event.payload).toMatchObject({ from: null, to: "silver", direction: "up", reason: "order" });
    await expect(evaluateCustomerTier({ ...deps(), shopify: store }, shop, "no-such-customer", "order")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  test("GIVEN no tier program THEN evaluating changes nothing and the multiplier is 1", async () => {
    const { shop, shopId, store } = await shopWith({ "7721": [40] });
    const id = await customerId(shopId, "7721");
    expect(await evaluateCustomerTier({ ...deps(), shopify: store }, shop, id, "order")).toMatchObject({
      changed: false,
      to: null,
      version: null,
    });
    expect(await tierMultiplierFor(prisma, shopId, id)).toBe(1);
  });
});

describe("windows that move with time", () => {
  test("GIVEN a rolling 12-month program WHEN a year passes without orders THEN the periodic recalculation moves customers down", async () => {
    const { shop, shopId, store } = await shopWith({ "7731": [40], "7732": [8] });
    expect(await scheduleTierRecalculation(deps(), shop)).toBeNull();
    const { jobId } = await saveTierProgram(deps(), shop, { ...silverGold, period: "rolling_12_months" });
    // A recalculation is already queued: no second one.
    expect(await scheduleTierRecalculation(deps(), shop)).toBeNull();
    await runTierJob(jobId, store);
    expect(await tiers(shopId)).toEqual({ "7731": "gold", "7732": "silver" });

    const later = new Date(Date.now() + 366 * 24 * 60 * MINUTE);
    const scheduled = await scheduleTierRecalculation(deps(later), shop);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: scheduled!.jobId } })).toMatchObject({
      input: { version: 1, reason: "recalculation" },
    });
    expect(await runTierJob(scheduled!.jobId, store, { at: later })).toBe("done");
    expect(await tiers(shopId)).toEqual({ "7731": null, "7732": null });
    const changes = await prisma.tierChange.findMany({ where: { shopId, reason: "recalculation" } });
    expect(changes.map((c) => c.toTier)).toEqual([null, null]);
    expect(store.customer("7731")).toMatchObject({ tags: [], metafields: { tier: "none" } });
  });
});

describe("qualifying amounts from the database", () => {
  test("the aggregate queries agree with the rules for every basis and period", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    const shop = newShopDomain();
    const { id: shopId } = await ensureShop(prisma, shop, "IDR");
    const at = (iso: string) => new Date(iso);
    const customers = await Promise.all(
      ["1", "2", "3"].map((n) => prisma.customer.create({ data: { shopId, shopifyCustomerId: `780${n}` } })),
    );
    const [a, b, c] = customers.map((x) => x.id);
    let seq = 0;
    const entry = (
      customerId: string,
      kind: "earn" | "reverse" | "spend" | "expire",
      points: number,
      sourceType: string,
      createdAt: string,
    ) =>
      prisma.pointsEntry.create({
        data: {
          shopId,
          customerId,
          kind,
          points,
          balanceAfter: 0,
          idempotencyKey: `k${seq++}`,
          sourceType,
          sourceId: "x",
          createdAt: at(createdAt),
        },
      });
    await entry(a, "earn", 3000, "order", "2025-06-01T00:00:00Z");
    await entry(a, "earn", 2000, "order", "2026-02-01T00:00:00Z");
    await entry(a, "reverse", -500, "refund", "2026-03-01T00:00:00Z");
    await entry(a, "reverse", 800, "redemption", "2026-03-02T00:00:00Z");
    await entry(b, "earn", 100, "bonus", "2026-10-01T00:00:00Z");
    await entry(b, "reverse", -300, "cancellation", "2026-10-02T00:00:00Z");
    await entry(b, "expire", -50, "expiry", "2026-10-03T00:00:00Z");

    const order = (customerId: string, id: string, subtotal: bigint, paidAt: string | null, cancelledAt: string | null = null) =>
      prisma.order.create({
        data: {
          shopId,
          customerId,
          shopifyOrderId: id,
          currency: "IDR",
          totalMinor: subtotal,
          subtotalMinor: subtotal,
          orderedAt: at("2025-01-01T00:00:00Z"),
          paidAt: paidAt ? at(paidAt) : null,
          cancelledAt: cancelledAt ? at(cancelledAt) : null,
        },
      });
    // Large IDR amounts: the sums must stay exact past 2^31.
    await order(a, "1", 9_000_000_000n, "2025-03-01T00:00:00Z");
    await order(a, "2", 25_000_000n, "2026-05-01T00:00:00Z");
    await order(b, "3", 40_000_000n, "2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z");
    await order(b, "4", 10_000_000n, null);
    await order(c, "5", 12_000_000n, "2025-12-30T00:00:00Z");
    const refundRow = (shopifyOrderId: string, id: string, subtotal: bigint, refundedAt: string) =>
      prisma.refund.create({ data: { shopId, shopifyRefundId: id, shopifyOrderId, subtotalMinor: subtotal, refundedAt: at(refundedAt) } });
    await refundRow("1", "r1", 1_000_000n, "2026-01-15T00:00:00Z");
    await refundRow("2", "r2", 5_000_000n, "2026-05-02T00:00:00Z");
    await refundRow("3", "r3", 40_000_000n, "2026-07-02T00:00:00Z");
    await refundRow("5", "r4", 2_000_000n, "2026-01-05T00:00:00Z");
    await refundRow("9", "r5", 7_000_000n, "2026-01-05T00:00:00Z"); // an order Kembali never saw

    const history = async (customerId: string) => {
      const orders = await prisma.order.findMany({ where: { customerId } });
      return {
        entries: await prisma.pointsEntry.findMany({ where: { customerId } }),
        orders,
        refunds: await prisma.refund.findMany({ where: { shopId, shopifyOrderId: { in: orders.map((o) => o.shopifyOrderId) } } }),
      };
    };
    for (const basis of ["points_earned", "amount_spent"] as TierBasis[]) {
      for (const period of ["lifetime", "calendar_year", "rolling_12_months"] as TierPeriod[]) {
        const all = await qualifyingAmounts(prisma, shopId, { basis, period }, now, "all");
        const some = await qualifyingAmounts(prisma, shopId, { basis, period }, now, [a, b, c]);
        for (const id of [a, b, c]) {
          const expected = qualifyingAmount(basis, period, now, await history(id));
          expect([basis, period, id, all.get(id) ?? 0]).toEqual([basis, period, id, expected]);
          expect([basis, period, id, some.get(id) ?? 0]).toEqual([basis, period, id, expected]);
        }
      }
    }
    // Spot checks of the rules themselves.
    expect((await qualifyingAmounts(prisma, shopId, { basis: "amount_spent", period: "lifetime" }, now, [a])).get(a)).toBe(9_019_000_000);
    expect((await qualifyingAmounts(prisma, shopId, { basis: "points_earned", period: "calendar_year" }, now, [a])).get(a)).toBe(1500);
  });
});
