// The computed events: win_back when the daily segment snapshot moves a customer into at_risk
// or lapsed, and replenishment_due from each product's learned repurchase interval.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { runJob } from "~/domain/jobs";
import { ANALYTICS_JOB, analyticsSnapshotJob, scheduleAnalyticsSnapshot } from "~/domain/analytics/dashboard";
import { saveMessagesSettings } from "~/domain/messages/settings";
import { REPLENISHMENT_WINDOW_DAYS, repurchaseIntervals, sweepReplenishment } from "~/domain/messages/sweeps";
import { newShopDomain } from "../../helpers";

const DAY = 86_400_000;
const depsAt = (at: Date) => ({ db: prisma, clock: () => at, transaction: transaction(prisma) });

async function order(shopId: string, customerId: string, at: Date, products: string[], more: { cancelledAt?: Date; paid?: boolean } = {}) {
  await prisma.order.create({
    data: {
      shopId,
      shopifyOrderId: String(Math.floor(Math.random() * 1e15)),
      customerId,
      currency: "USD",
      totalMinor: 1000n,
      subtotalMinor: 1000n,
      orderedAt: at,
      paidAt: more.paid === false ? null : at,
      cancelledAt: more.cancelledAt ?? null,
      lines: { create: products.map((productId) => ({ productId, quantity: 1, priceMinor: 1000n })) },
    },
  });
}

async function customers(shopId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await prisma.customer.create({ data: { shopId, shopifyCustomerId: String(9300 + i) } })).id);
  return ids;
}

describe("win_back", () => {
  const T1 = new Date("2026-06-01T00:00:00Z");
  const at = (days: number) => new Date(T1.getTime() + days * DAY);

  async function snapshot(domain: string, when: Date) {
    await scheduleAnalyticsSnapshot(depsAt(when), domain);
    const job = await prisma.job.findFirstOrThrow({ where: { shopDomain: domain, type: ANALYTICS_JOB, status: "queued" } });
    expect(await runJob(depsAt(when), { [ANALYTICS_JOB]: analyticsSnapshotJob() }, job.id)).toBe("done");
  }

  test("GIVEN customers moving into at_risk and lapsed THEN win_back for each mover, not on the first snapshot, once", async () => {
    const domain = newShopDomain();
    const { id: shopId } = await ensureShop(prisma, domain, "USD");
    const c = await customers(shopId, 5);
    // Two orders each; the last ones 1, 21, 41, 61, 81 days before T1.
    for (let i = 0; i < 5; i++) {
      await order(shopId, c[i], at(-(100 + i * 10)), ["p"]);
      await order(shopId, c[i], at(-(i * 20 + 1)), ["p"]);
    }
    await snapshot(domain, T1);
    const segments = async () =>
      (await prisma.customer.findMany({ where: { shopId }, orderBy: { shopifyCustomerId: "asc" } })).map((x) => x.segment);
    expect(await segments()).toEqual(["active", "active", "active", "at_risk", "lapsed"]);
    expect(await prisma.customerEvent.count({ where: { shopId, type: "win_back" } })).toBe(0);

    // The two oldest come back; the others fall behind them.
    await order(shopId, c[3], at(5), ["p"]);
    await order(shopId, c[4], at(4), ["p"]);
    await snapshot(domain, at(10));
    expect(await segments()).toEqual(["active", "at_risk", "lapsed", "loyal", "loyal"]);
    await snapshot(domain, at(10.5));
    const events = await prisma.customerEvent.findMany({ where: { shopId, type: "win_back" }, orderBy: { key: "asc" } });
    expect(events.map((e) => [e.customerId, e.payload]).sort()).toEqual(
      [
        [c[1], { from: "active", to: "at_risk" }],
        [c[2], { from: "active", to: "lapsed" }],
      ].sort(),
    );
  });
});

describe("replenishment_due", () => {
  const D0 = new Date("2026-03-01T12:00:00Z");
  const day = (n: number) => new Date(D0.getTime() + n * DAY);

  async function shopWithRepeats() {
    const domain = newShopDomain();
    const { id: shopId } = await ensureShop(prisma, domain, "USD");
    await saveMessagesSettings({ db: prisma }, domain, { replenishmentMinRepeats: 3 });
    const [c1, c2, c3, c4] = await customers(shopId, 4);
    // P: repeats of 10, 10 (c1) and 12 (c2) days: median 10. Two lines of P in one order are one purchase.
    await order(shopId, c1, day(0), ["P", "P"]);
    await order(shopId, c1, day(10), ["P"]);
    await order(shopId, c1, day(20), ["P", "Q"]);
    await order(shopId, c2, day(0), ["P"]);
    await order(shopId, c2, day(12), ["P"]);
    await order(shopId, c3, day(25), ["P", "Q"]);
    // Neither a cancelled nor an unpaid order is a purchase.
    await order(shopId, c3, day(34), ["P"], { cancelledAt: day(34) });
    await order(shopId, c3, day(34), ["P"], { paid: false });
    // Q: one repeat only (c4), fewer than 3.
    await order(shopId, c4, day(1), ["Q"]);
    await order(shopId, c4, day(3), ["Q"]);
    return { domain, shopId, c1, c2, c3 };
  }

  test("the intervals are learned in the database: median of repeats, products with enough of them only", async () => {
    const { shopId } = await shopWithRepeats();
    const learned = await repurchaseIntervals(prisma, shopId, day(30), 3);
    expect([...learned]).toEqual([["P", { days: 10, repeats: 3 }]]);
    expect([...(await repurchaseIntervals(prisma, shopId, day(30), 1))].sort()).toEqual([
      ["P", { days: 10, repeats: 3 }],
      ["Q", { days: 2, repeats: 1 }],
    ]);
    // Only orders before `now` count.
    expect((await repurchaseIntervals(prisma, shopId, day(11), 1)).get("P")).toEqual({ days: 10, repeats: 1 });
  });

  test("GIVEN a customer whose interval passed since their last purchase THEN replenishment_due once; a daily sweep twice records once", async () => {
    const { shopId, c1, c2, c3 } = await shopWithRepeats();
    const sweep = (n: number) => sweepReplenishment({ db: prisma, clock: () => day(n) }, shopId);
    // Before day 20 P has only two repeats: its interval is not known yet.
    expect(await sweep(19.9)).toBe(0);
    expect(await sweep(21.9)).toBe(0);
    expect(await sweep(22.1)).toBe(1); // c2: bought P on day 12
    expect(await sweep(22.2)).toBe(0);
    expect(await sweep(30.1)).toBe(1); // c1: day 20
    expect(await sweep(34.9)).toBe(0);
    expect(await sweep(35.1)).toBe(1); // c3: day 25 (the cancelled and the unpaid order on day 34 do not count)
    const events = await prisma.customerEvent.findMany({ where: { shopId, type: "replenishment_due" }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.customerId, e.payload])).toEqual([
      [c2, { productId: "P", lastBoughtAt: day(12).toISOString(), intervalDays: 10 }],
      [c1, { productId: "P", lastBoughtAt: day(20).toISOString(), intervalDays: 10 }],
      [c3, { productId: "P", lastBoughtAt: day(25).toISOString(), intervalDays: 10 }],
    ]);
    expect(await sweep(30 + REPLENISHMENT_WINDOW_DAYS + 1)).toBe(0);
  });
});
