// Analytics on small fixtures whose figures were worked out by hand (see the comments).
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { retentionReport } from "~/domain/analytics/retention";
import { segmentsReport } from "~/domain/analytics/segments";
import { cohortReport } from "~/domain/analytics/cohorts";
import { programReport } from "~/domain/analytics/program";
import { newShopDomain } from "../helpers";

const deps = { db: prisma };
type O = { at: string; amount: number; paid?: boolean; cancelled?: boolean };

/** A shop with customers (key -> orders) and guest orders, inserted directly. */
async function seed(customers: Record<string, O[]>, guests: O[] = []) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "USD");
  let n = 0;
  const rows = [];
  for (const [key, orders] of Object.entries(customers)) {
    const c = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: key } });
    for (const o of orders) rows.push({ ...o, customerId: c.id as string | null });
  }
  for (const o of guests) rows.push({ ...o, customerId: null });
  await prisma.order.createMany({
    data: rows.map((o) => ({
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
  return { domain, shop };
}

// Customers A–J (I has no paid order). Dates are UTC midnight unless given.
const retentionFixture = () =>
  seed(
    {
      A: [
        { at: "2025-06-01", amount: 100 },
        { at: "2026-01-10", amount: 200 },
        { at: "2026-02-10", amount: 300 },
        { at: "2026-04-01", amount: 1000 },
      ],
      B: [{ at: "2025-11-15", amount: 100 }],
      C: [{ at: "2024-06-01", amount: 500 }],
      D: [
        { at: "2026-01-05", amount: 100 },
        { at: "2026-03-05", amount: 100 },
      ],
      E: [{ at: "2026-02-01", amount: 400 }],
      F: [
        { at: "2025-03-01", amount: 200 },
        { at: "2026-03-20", amount: 200 },
      ],
      G: [{ at: "2025-02-01", amount: 100 }],
      H: [
        { at: "2025-12-20", amount: 100 },
        { at: "2026-01-15", amount: 900, cancelled: true },
      ],
      I: [{ at: "2026-02-15", amount: 700, paid: false }],
      J: [
        { at: "2025-12-31T23:59:00Z", amount: 100 },
        { at: "2026-01-01T00:00:00Z", amount: 100 },
      ],
    },
    [
      { at: "2026-01-20", amount: 600 },
      { at: "2025-12-01", amount: 50 },
    ],
  );

describe("retention report", () => {
  test("Q1 2026 and the 90 days before, on the A–J fixture", async () => {
    const { domain } = await retentionFixture();
    const r = await retentionReport(deps, { shopDomain: domain, from: new Date("2026-01-01"), to: new Date("2026-04-01") });
    expect(r.currency).toBe("USD");
    // S: a purchase in [2025-01-01, 2026-01-01): A B F G H J = 6 (C is older, D E newer).
    // E: a purchase in [2025-04-01, 2026-04-01): A B D E F H J = 7 (G left in Feb 2025).
    // N: first purchase in the quarter: D E = 2. CRR = (7 − 2) / 6 = 83.33 %.
    // In the quarter: A 2, D 2, E 1, F 1, J 1 (H's order was cancelled, I's unpaid, A's
    // 2026-04-01 order is after the end) → 5 customers, 2 repeat (40 %), 7 orders → 1.4.
    // Orders 7 + 1 guest = 8; revenue 500 + 200 + 400 + 200 + 100 + 600 = 2000; AOV 250.
    // CLV: 9 customers (A–H, J) with 600+100+500+200+400+400+100+100+200 = 2600 → 288.89 → 289.
    // Gaps ending in the quarter: J 1 minute, A 31 d, D 59 d, A 223 d, F 384 d → median 59.
    expect(r.current).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
      customersAtStart: 6,
      customersAtEnd: 7,
      newCustomers: 2,
      retentionRate: 83.33,
      customers: 5,
      repeatCustomers: 2,
      repeatPurchaseRate: 40,
      orders: 8,
      guestOrders: 1,
      revenueMinor: 2000,
      purchaseFrequency: 1.4,
      averageOrderValueMinor: 250,
      customerLifetimeValueMinor: 289,
      medianDaysBetweenOrders: 59,
    });
    // Previous period [2025-10-03, 2026-01-01): S = A F G (purchase in [2024-10-03, 2025-10-03)) = 3;
    // E = A B F G H J = 6; N = B H J = 3 → CRR 100 %. 3 customers, no repeat; orders 3 + 1
    // guest, revenue 350 → AOV 87.5 → 88. CLV: 7 customers, 1200 → 171.43 → 171. No gaps.
    expect(r.previous).toEqual({
      from: "2025-10-03T00:00:00.000Z",
      to: "2026-01-01T00:00:00.000Z",
      customersAtStart: 3,
      customersAtEnd: 6,
      newCustomers: 3,
      retentionRate: 100,
      customers: 3,
      repeatCustomers: 0,
      repeatPurchaseRate: 0,
      orders: 4,
      guestOrders: 1,
      revenueMinor: 350,
      purchaseFrequency: 1,
      averageOrderValueMinor: 88,
      customerLifetimeValueMinor: 171,
      medianDaysBetweenOrders: null,
    });
  });

  test("an empty shop has nulls, not NaN", async () => {
    const { domain } = await seed({});
    const r = await retentionReport(deps, { shopDomain: domain, from: new Date("2026-01-01"), to: new Date("2026-02-01") });
    expect(r.current).toMatchObject({
      customersAtStart: 0,
      retentionRate: null,
      repeatPurchaseRate: null,
      averageOrderValueMinor: null,
      customerLifetimeValueMinor: null,
      medianDaysBetweenOrders: null,
    });
  });

  test("another shop's orders are not counted", async () => {
    await retentionFixture();
    const { domain } = await seed({ Z: [{ at: "2026-01-02", amount: 10 }] });
    const r = await retentionReport(deps, { shopDomain: domain, from: new Date("2026-01-01"), to: new Date("2026-04-01") });
    expect(r.current).toMatchObject({ customers: 1, orders: 1, revenueMinor: 10, newCustomers: 1 });
  });
});

describe("segments", () => {
  test("RFM segments and Pareto share at 2026-04-01", async () => {
    const { domain } = await retentionFixture();
    const s = await segmentsReport(deps, { shopDomain: domain, now: new Date("2026-04-01") });
    // 9 customers (A's 2026-04-01 order is not before now). Recency days: F 12, D 27, A 50,
    // E 59, J 90, H 102, B 137, G 424, C 669 → R (1 + floor(5 × worse / 9)): C1 G1 B2 H2 J3 E3
    // A4 D4 F5. F: A 3 orders → 5; D F J 2 → 3; the rest 1 → 1. New (first order since
    // 2026-01-01): D E. A R4 F5 loyal; F R5 F3 and J R3 active; B H R2 at risk; C G R1 F1 lapsed.
    expect(s.customers).toBe(9);
    expect(s.windowStart).toBe("2024-04-01T00:00:00.000Z");
    expect(s.segments).toEqual({
      new: { customers: 2, revenueMinor: 600 },
      active: { customers: 2, revenueMinor: 600 },
      loyal: { customers: 1, revenueMinor: 600 },
      at_risk: { customers: 2, revenueMinor: 200 },
      lapsed: { customers: 2, revenueMinor: 600 },
    });
    // Top ceil(9 × 0.2) = 2 customers: A 600 + C 500 = 1100 of 2600 → 42.31 %.
    expect(s.pareto).toEqual({ topCustomers: 2, topRevenueMinor: 1100, totalRevenueMinor: 2600, sharePercent: 42.31 });
  });
});

describe("cohorts", () => {
  test("grid of first-order months Jan–Apr 2026", async () => {
    const { domain } = await seed(
      {
        K1: [
          { at: "2026-01-10", amount: 1 },
          { at: "2026-02-10", amount: 1 },
          { at: "2026-04-02", amount: 1 },
        ],
        K2: [
          { at: "2026-01-20", amount: 1 },
          { at: "2026-03-01", amount: 1 },
        ],
        K3: [
          { at: "2026-01-31T23:59:00Z", amount: 1 },
          { at: "2026-02-01T00:00:00Z", amount: 1 },
        ],
        K4: [
          { at: "2026-02-05", amount: 1 },
          { at: "2026-02-20", amount: 1 },
          { at: "2026-03-30", amount: 1 },
        ],
        K5: [
          { at: "2025-12-01", amount: 1 },
          { at: "2026-01-15", amount: 1 },
        ],
        K6: [{ at: "2026-03-10", amount: 1, cancelled: true }],
      },
      [{ at: "2026-01-03", amount: 1 }],
    );
    const g = await cohortReport(deps, { shopDomain: domain, now: new Date("2026-04-15"), months: 4 });
    const nulls = (n: number) => Array(n).fill(null);
    // Jan: K1 K2 K3 (K5 started in Dec). +1 Feb K1 K3 = 2/3, +2 Mar K2 = 1/3, +3 Apr K1 = 1/3.
    // Feb: K4. +1 Mar K4 = 100 %, +2 Apr none = 0 %. Mar and Apr: nobody (K6 was cancelled).
    expect(g.cohorts).toEqual([
      { month: "2026-01", customers: 3, retained: [66.67, 33.33, 33.33, ...nulls(9)] },
      { month: "2026-02", customers: 1, retained: [100, 0, ...nulls(10)] },
      { month: "2026-03", customers: 0, retained: nulls(12) },
      { month: "2026-04", customers: 0, retained: nulls(12) },
    ]);
  });
});

describe("program", () => {
  test("points, liability and referral funnel in January 2026", async () => {
    const domain = newShopDomain();
    const shop = await ensureShop(prisma, domain, "USD");
    await prisma.shop.update({
      where: { id: shop.id },
      data: { settings: { ...shop.settings, redemption: { pointValue: 50, refundExpiredCodes: true } } },
    });
    const c1 = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "1", balance: 700, pendingPoints: 100 } });
    const c2 = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "2", balance: 200 } });
    let k = 0;
    const entry = (
      customerId: string,
      kind: "earn" | "spend" | "reverse" | "expire" | "adjust",
      points: number,
      sourceType: string,
      at: string,
    ) => ({
      shopId: shop.id,
      customerId,
      kind,
      points,
      balanceAfter: 0,
      idempotencyKey: `k${++k}`,
      sourceType,
      sourceId: String(k),
      createdAt: new Date(at),
    });
    await prisma.pointsEntry.createMany({
      data: [
        entry(c1.id, "earn", 500, "order", "2026-01-02"),
        entry(c2.id, "earn", 300, "signup", "2026-01-03"),
        entry(c1.id, "spend", -200, "redemption", "2026-01-04"),
        entry(c1.id, "reverse", 200, "redemption", "2026-01-05"),
        entry(c2.id, "spend", -100, "redemption", "2026-01-06"),
        entry(c1.id, "expire", -50, "expiry", "2026-01-07"),
        entry(c1.id, "reverse", -40, "refund", "2026-01-08"),
        entry(c1.id, "adjust", 10, "admin", "2026-01-09"),
        entry(c1.id, "earn", 1000, "order", "2025-12-31T23:59:59Z"),
        entry(c1.id, "spend", -999, "redemption", "2026-02-01"),
      ],
    });
    const code = await prisma.referralCode.create({
      data: { shopId: shop.id, customerId: c1.id, code: "ABCDEFGH", createdAt: new Date("2026-01-02") },
    });
    await prisma.referralInvite.createMany({
      data: ["a@example.com", "b@example.com"].map((email) => ({
        shopId: shop.id,
        referrerId: c1.id,
        email,
        createdAt: new Date("2026-01-03"),
      })),
    });
    await prisma.referralVisit.createMany({
      data: ["2026-01-03", "2026-01-04", "2026-01-05", "2026-01-31T23:59:59Z", "2026-02-01"].map((at) => ({
        shopId: shop.id,
        codeId: code.id,
        createdAt: new Date(at),
      })),
    });
    await prisma.referral.createMany({
      data: (
        [
          ["rewarded", "2026-01-10"],
          ["rewarded", "2026-01-11"],
          ["rejected", "2026-01-12"],
          ["pending", "2026-01-13"],
          ["rewarded", "2025-12-10"],
        ] as const
      ).map(([status, at], i) => ({
        shopId: shop.id,
        referrerId: c1.id,
        attributedBy: "code",
        shopifyOrderId: `r${i}`,
        status,
        riskScore: 0,
        riskReasons: [],
        decisions: [],
        points: 500,
        rewardAvailableAt: new Date(at),
        createdAt: new Date(at),
      })),
    });

    const p = await programReport(deps, { shopDomain: domain, from: new Date("2026-01-01"), to: new Date("2026-02-01") });
    // Issued 500 + 300 = 800; redeemed 200 + 100 − 200 given back = 100 → 12.5 %; expired 50;
    // reversed 40. Outstanding 700 + 100 + 200 = 1000 points × 50 = 50,000 minor units.
    // Shared: 1 code + 2 invites; clicked 4 (one visit is in February); ordered 4 in January.
    expect(p).toEqual({
      currency: "USD",
      pointsIssued: 800,
      pointsReversed: 40,
      pointsRedeemed: 100,
      pointsExpired: 50,
      redemptionRate: 12.5,
      outstandingPoints: 1000,
      pointValueMinor: 50,
      liabilityMinor: 50_000,
      referrals: { shared: 3, clicked: 4, ordered: 4, rewarded: 2, rejected: 1, byStatus: { rewarded: 2, rejected: 1, pending: 1 } },
    });
  });

  test("an unknown shop is NOT_FOUND", async () => {
    await expect(programReport(deps, { shopDomain: newShopDomain(), from: new Date(0), to: new Date() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
