// Impact analytics (members, non-members, holdout; members − holdout) on fixtures worked by hand.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { impactReport } from "~/domain/analytics/impact";
import { newShopDomain } from "../helpers";

const deps = { db: prisma };
const from = new Date("2026-01-01T00:00:00Z");
const to = new Date("2026-04-01T00:00:00Z");
type O = { at: string; amount: number; paid?: boolean; cancelled?: boolean };
type C = { holdout?: boolean; bucket?: number | null; releasedAt?: string; ledgerAt?: string[]; orders: O[] };

async function seed(customers: Record<string, C>, { share = 20, guests = [] as O[] } = {}) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "USD");
  await updateProgramSettings(
    prisma,
    domain,
    parseSettings({ earning: { points: 1, perAmount: 100 }, holdout: { share, salt: "impact-test-salt-0001" } }),
  );
  let n = 0;
  const orders = [];
  for (const [key, c] of Object.entries(customers)) {
    const row = await prisma.customer.create({
      data: {
        shopId: shop.id,
        shopifyCustomerId: key,
        holdout: c.holdout ?? false,
        holdoutBucket: c.bucket ?? null,
        holdoutReleasedAt: c.releasedAt ? new Date(c.releasedAt) : null,
      },
    });
    for (const at of c.ledgerAt ?? []) {
      await prisma.pointsEntry.create({
        data: {
          shopId: shop.id,
          customerId: row.id,
          kind: "earn",
          points: 10,
          balanceAfter: 10,
          idempotencyKey: `k:${key}:${++n}`,
          sourceType: "order",
          sourceId: String(n),
          createdAt: new Date(at),
        },
      });
    }
    for (const o of c.orders) orders.push({ ...o, customerId: row.id as string | null });
  }
  for (const o of guests) orders.push({ ...o, customerId: null });
  await prisma.order.createMany({
    data: orders.map((o) => ({
      shopId: shop.id,
      shopifyOrderId: String(++n),
      customerId: o.customerId,
      currency: "USD",
      subtotalMinor: BigInt(o.amount),
      totalMinor: BigInt(o.amount),
      orderedAt: new Date(o.at),
      paidAt: o.paid === false ? null : new Date(o.at),
      cancelledAt: o.cancelled ? new Date(o.at) : null,
    })),
  });
  return domain;
}

describe("impact report", () => {
  test("groups and the randomised comparison on a hand-built shop, Q1 2026", async () => {
    const domain = await seed(
      {
        // Randomised into the program, earned: 2 purchases, 400.
        M1: {
          bucket: 7000,
          ledgerAt: ["2026-02-10"],
          orders: [
            { at: "2026-01-10", amount: 100 },
            { at: "2026-02-10", amount: 300 },
          ],
        },
        // Seen before the holdout (no bucket), earned in 2025: 1 purchase, 200.
        M2: { ledgerAt: ["2025-06-01"], orders: [{ at: "2026-03-01", amount: 200 }] },
        // Randomised into the program, never earned (order below the rate): a non-member, but
        // on the members' side of the comparison. 1 purchase, 50.
        M3: { bucket: 8000, orders: [{ at: "2026-01-05", amount: 50 }] },
        // Never earned; its cancelled order does not count: 2 purchases, 200.
        N1: {
          orders: [
            { at: "2026-01-02", amount: 100 },
            { at: "2026-01-03", amount: 100 },
            { at: "2026-01-04", amount: 999, cancelled: true },
          ],
        },
        // Its first points entry is after the period: a non-member in Q1. 1 purchase, 80.
        N2: { ledgerAt: ["2026-04-05"], orders: [{ at: "2026-02-01", amount: 80 }] },
        // Held out: 2 purchases, 1000; 1 purchase, 300 (its unpaid order does not count).
        H1: {
          holdout: true,
          bucket: 100,
          orders: [
            { at: "2026-01-20", amount: 500 },
            { at: "2026-03-20", amount: 500 },
          ],
        },
        H2: {
          holdout: true,
          bucket: 1500,
          orders: [
            { at: "2026-02-02", amount: 300 },
            { at: "2026-02-03", amount: 999, paid: false },
          ],
        },
        // Held out, but bought only before the period (and once exactly at its end).
        H3: {
          holdout: true,
          bucket: 200,
          orders: [
            { at: "2025-12-01", amount: 700 },
            { at: "2026-04-01", amount: 700 },
          ],
        },
        // Released from the holdout, earned since: a member, left out of the comparison. 1 purchase, 250.
        R1: { bucket: 3000, releasedAt: "2026-02-15", ledgerAt: ["2026-03-03"], orders: [{ at: "2026-03-03", amount: 250 }] },
      },
      { guests: [{ at: "2026-01-15", amount: 999 }] },
    );
    // Another shop's held-out buyer never shows here.
    await seed({ X: { holdout: true, bucket: 1, orders: [{ at: "2026-01-10", amount: 5000 }] } });

    const r = await impactReport(deps, { shopDomain: domain, from, to });
    expect(r).toMatchObject({
      currency: "USD",
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
      holdoutShare: 20,
      minimumGroupCustomers: 100,
    });
    // Members M1 M2 R1: 3 customers, 1 repeat (33.33 %), 400 + 200 + 250 = 850 → 283.33 → 283.
    // Non-members M3 N1 N2: 3, 1 repeat, 50 + 200 + 80 = 330 → 110. Holdout H1 H2: 2, 1 repeat, 1300 → 650.
    expect(r.groups).toEqual({
      members: { customers: 3, repeatCustomers: 1, repeatPurchaseRate: 33.33, revenueMinor: 850, revenuePerCustomerMinor: 283 },
      nonMembers: { customers: 3, repeatCustomers: 1, repeatPurchaseRate: 33.33, revenueMinor: 330, revenuePerCustomerMinor: 110 },
      holdout: { customers: 2, repeatCustomers: 1, repeatPurchaseRate: 50, revenueMinor: 1300, revenuePerCustomerMinor: 650 },
    });
    // Comparison: randomised members M1 (400) and M3 (50) against H1 (1000) and H2 (300).
    // Rates 1/2 − 1/2 = 0, Newcombe ±57.34 points. Welch: means 225 and 650, s² 61,250 and
    // 245,000, se 391.31, df 1.47 → −425 (−2,846 to 1,996). Far too few to claim anything.
    expect(r.comparison).toEqual({
      members: { customers: 2, repeatCustomers: 1, repeatPurchaseRate: 50, revenueMinor: 450, revenuePerCustomerMinor: 225 },
      holdout: { customers: 2, repeatCustomers: 1, repeatPurchaseRate: 50, revenueMinor: 1300, revenuePerCustomerMinor: 650 },
      repeatPurchaseRate: { differencePoints: 0, lowPoints: -57.34, highPoints: 57.34, verdict: "too_few_customers" },
      revenuePerCustomer: { differenceMinor: -425, lowMinor: -2846, highMinor: 1996, verdict: "too_few_customers" },
      verdict: "too_few_customers",
    });
  });

  test("150 randomised members at 60 % repeat against 120 held out at 30 %: an effect on both measures", async () => {
    const customers: Record<string, C> = {};
    const twice = [
      { at: "2026-01-10", amount: 100 },
      { at: "2026-02-10", amount: 100 },
    ];
    const once = [{ at: "2026-03-10", amount: 100 }];
    for (let i = 0; i < 150; i++) customers[`m${i}`] = { bucket: 5000 + i, ledgerAt: ["2026-01-10"], orders: i < 90 ? twice : once };
    for (let i = 0; i < 120; i++) customers[`h${i}`] = { holdout: true, bucket: i, orders: i < 36 ? twice : once };
    const domain = await seed(customers);
    const r = await impactReport(deps, { shopDomain: domain, from, to });
    expect(r.comparison).toEqual({
      members: { customers: 150, repeatCustomers: 90, repeatPurchaseRate: 60, revenueMinor: 24_000, revenuePerCustomerMinor: 160 },
      holdout: { customers: 120, repeatCustomers: 36, repeatPurchaseRate: 30, revenueMinor: 15_600, revenuePerCustomerMinor: 130 },
      repeatPurchaseRate: { differencePoints: 30, lowPoints: 18.17, highPoints: 40.59, verdict: "higher" },
      revenuePerCustomer: { differenceMinor: 30, lowMinor: 19, highMinor: 41, verdict: "higher" },
      verdict: "effect",
    });
    expect(r.groups.members.customers).toBe(150);
    expect(r.groups.nonMembers.customers).toBe(0);
  });

  test("a shop without a holdout: no_holdout; a period that ends before it starts is refused", async () => {
    const domain = await seed({ A: { ledgerAt: ["2026-01-01"], orders: [{ at: "2026-01-02", amount: 100 }] } }, { share: 0 });
    const r = await impactReport(deps, { shopDomain: domain, from, to });
    expect(r.comparison.verdict).toBe("no_holdout");
    expect(r.groups.members.customers).toBe(1);
    await expect(impactReport(deps, { shopDomain: domain, from: to, to: from })).rejects.toThrow(RangeError);
    await expect(impactReport(deps, { shopDomain: newShopDomain(), from, to })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
