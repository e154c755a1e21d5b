import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { localShopify } from "~/shopify/shopify-for.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import { runJob } from "~/domain/jobs";
import { formFields, type TierForm } from "~/admin/program";
import { TIER_RECALCULATION_JOB, tierRecalculation } from "~/domain/tiers";
import { messages } from "~/i18n";
import { action, loader } from "~/routes/app.tiers/route";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const URL_ = "http://127.0.0.1:3000/app/tiers";

// tiers.test.ts claims whichever tier job is due. This file's clock runs a year ahead, so the
// jobs its saves queue are never due for it, and this file runs its own jobs by id.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(Date.now() + 365 * 86_400_000);
});
afterAll(() => vi.useRealTimers());

/**
 * A shop earning 1 point per Rp1.000 at once, with customers made through the orders/paid
 * webhook (each number: one order of that many × Rp125.000, i.e. 125 points each), and
 * embedded-admin requests signed for it.
 */
async function adminShop(customers: Record<string, number[]> = {}) {
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
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const post = async (intent: "preview" | "save", form: TierForm) => {
    const body = new FormData();
    body.append("intent", intent);
    for (const [name, value] of Object.entries(formFields(form))) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return action(routeArgs(await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(URL_, { method: "POST", body }))));
  };
  return {
    shop,
    shopId,
    load: async () => loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(URL_)))),
    preview: (form: TierForm) => post("preview", form),
    save: (form: TierForm) => post("save", form),
  };
}

const tier = (key: string, name: string, threshold: string, more: Partial<TierForm["tiers"][number]> = {}) => ({
  key,
  name,
  threshold,
  earnMultiplier: "1",
  freeShippingReward: false,
  exclusiveRewardIds: [],
  ...more,
});

/** Points earned over a lifetime: Silver from 1,000, Gold from 5,000. */
const silverGold: TierForm = {
  basis: "points_earned",
  period: "lifetime",
  tiers: [
    tier("silver", "Silver", "1000", { earnMultiplier: "1.25" }),
    tier("gold", "Gold", "5000", { earnMultiplier: "1.5", freeShippingReward: true }),
  ],
};

/** 250, 1,000 and 5,000 points earned. */
const threeCustomers = { "7101": [2], "7102": [8], "7103": [40] };

const written = async (shopId: string, shop: string) => ({
  versions: await prisma.tierProgram.count({ where: { shopId } }),
  jobs: await prisma.job.count({ where: { shopDomain: shop, type: TIER_RECALCULATION_JOB } }),
});

const runTierJob = (shop: string, jobId: string, maxSteps = Infinity) => {
  const deps = { db: prisma, clock: () => new Date(), transaction: transaction(prisma) };
  const handlers = {
    [TIER_RECALCULATION_JOB]: tierRecalculation(async () => localShopify(shop), deps.transaction, { batchSize: 2 }),
  };
  return runJob(deps, handlers, jobId, maxSteps);
};

describe("admin tiers page", () => {
  test("GIVEN a proposed program WHEN previewed THEN it counts who moves, per tier, with examples, and writes nothing", async () => {
    const { shop, shopId, preview } = await adminShop(threeCustomers);
    const result = await preview(silverGold);
    expect(result).toMatchObject({ intent: "preview", ok: true, saved: null, fields: {} });
    expect(result.preview).toMatchObject({ up: 2, down: 0, unchanged: 1, byTier: { silver: 1, gold: 1, none: 1 } });
    expect(result.preview?.sample).toHaveLength(2);
    expect(result.preview?.sample).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          shopifyCustomerId: "7102",
          from: null,
          to: "silver",
          amount: 1000,
          name: "Test Customer 7102",
        }),
        expect.objectContaining({ shopifyCustomerId: "7103", from: null, to: "gold", amount: 5000, name: "Test Customer 7103" }),
      ]),
    );
    expect(await written(shopId, shop)).toEqual({ versions: 0, jobs: 0 });
  });

  test("GIVEN saves THEN version 1 then 2 are written, each with one recalculation job, and the page lists them", async () => {
    const { shop, shopId, load, save } = await adminShop(threeCustomers);
    const first = await save(silverGold);
    expect(first).toMatchObject({ intent: "save", ok: true, saved: { version: 1 }, fields: {} });
    expect(await written(shopId, shop)).toEqual({ versions: 1, jobs: 1 });

    const lower = { ...silverGold, tiers: [tier("silver", "Silver", "200"), ...silverGold.tiers.slice(1)] };
    const second = await save(lower);
    expect(second).toMatchObject({ ok: true, saved: { version: 2 } });
    expect(await written(shopId, shop)).toEqual({ versions: 2, jobs: 2 });
    const job = await prisma.job.findUniqueOrThrow({ where: { id: second.saved!.jobId } });
    expect(job).toMatchObject({ type: TIER_RECALCULATION_JOB, status: "queued", input: { version: 2, reason: "config_change" } });

    const page = await load();
    expect(page.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(page.versions[0]).toMatchObject({
      basis: "points_earned",
      period: "lifetime",
      tiers: [
        { key: "silver", threshold: 200 },
        { key: "gold", threshold: 5000 },
      ],
    });
    expect(page.versions[1].tiers[0]).toMatchObject({ key: "silver", threshold: 1000, earnMultiplier: 1.25 });
    expect(page.job).toMatchObject({ id: second.saved!.jobId, status: "queued", version: 2, progress: 0, percent: null });
  });

  test("GIVEN a saved version WHEN its job runs THEN the page shows its progress, then every customer in their tier", async () => {
    const { shop, load, save } = await adminShop(threeCustomers);
    const { saved } = await save(silverGold);
    expect(await runTierJob(shop, saved!.jobId, 1)).toBe("paused");
    expect((await load()).job).toMatchObject({ status: "running", version: 1, progress: 2, total: 3, percent: 66 });
    expect(await runTierJob(shop, saved!.jobId)).toBe("done");
    const page = await load();
    expect(page.job).toMatchObject({ status: "done", progress: 3, total: 3, percent: 100, error: null });
    expect(page.members).toEqual({ none: 1, silver: 1, gold: 1 });
  });

  test("GIVEN amount spent typed in whole rupiah THEN thresholds are stored exactly and the preview counts by spend", async () => {
    const { load, preview, save } = await adminShop(threeCustomers);
    const spend: TierForm = {
      basis: "amount_spent",
      period: "rolling_12_months",
      tiers: [tier("regular", "Regular", "0"), tier("vip", "VIP", "1000000")],
    };
    expect((await preview(spend)).preview).toMatchObject({ up: 3, byTier: { none: 0, regular: 1, vip: 2 } });
    await save(spend);
    const page = await load();
    expect(page.versions[0].tiers.map((t) => t.threshold)).toEqual([0, 100_000_000]);
  });

  test("GIVEN invalid tiers THEN each problem is on its field, translated, and nothing is written", async () => {
    const { shop, shopId, preview, save } = await adminShop(threeCustomers);
    const bad: TierForm = {
      basis: "amount_spent",
      period: "lifetime",
      tiers: [
        tier("none", " ", "500000"),
        tier("gold", "Gold", "400000", { earnMultiplier: "0.5" }),
        tier("platinum", "Platinum", "12.345"),
      ],
    };
    const expected = {
      "tiers.0.key": "tiers.error.key",
      "tiers.0.name": "tiers.error.name",
      "tiers.1.earnMultiplier": "tiers.error.multiplier",
      "tiers.2.threshold": "tiers.error.threshold",
    };
    for (const result of [await preview(bad), await save(bad)]) {
      expect(result).toMatchObject({ ok: false, fields: expected });
      for (const key of Object.values(result.fields)) expect(messages.id[key]).toBeTruthy();
    }
    const order = await save({ ...silverGold, tiers: [...silverGold.tiers].reverse() });
    expect(order).toMatchObject({ ok: false, fields: { "tiers.1.threshold": "tiers.error.threshold" } });
    expect(await save({ ...silverGold, tiers: [] })).toMatchObject({ ok: false, fields: { tiers: "tiers.error.count" } });
    expect(await written(shopId, shop)).toEqual({ versions: 0, jobs: 0 });
  });

  test("GIVEN two shops THEN neither sees the other's versions, job, customers or rewards", async () => {
    const a = await adminShop(threeCustomers);
    const b = await adminShop();
    const reward = await createReward({ db: prisma }, a.shop, { name: "Gold gift", type: "free_shipping", pointsCost: 100 });
    const withReward = {
      ...silverGold,
      tiers: [silverGold.tiers[0], { ...silverGold.tiers[1], exclusiveRewardIds: [reward.id] }],
    };
    expect(await a.save(withReward)).toMatchObject({ ok: true, saved: { version: 1 } });

    const page = await b.load();
    expect(page).toMatchObject({ versions: [], job: null, rewards: [], members: {} });
    expect((await b.preview(silverGold)).preview).toMatchObject({ up: 0, down: 0, unchanged: 0, sample: [] });
    const refused = await b.save(withReward);
    expect(refused).toMatchObject({ ok: false, fields: { "tiers.1.exclusiveRewardIds": "tiers.error.rewards" } });
    expect(await written(b.shopId, b.shop)).toEqual({ versions: 0, jobs: 0 });
    expect((await a.load()).rewards).toEqual([{ id: reward.id, name: "Gold gift", active: true }]);
  });
});
