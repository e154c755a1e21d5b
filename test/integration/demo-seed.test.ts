// The seeded demo shop tells the whole story (issue 11): redemptions (codes used, codes that
// expired unused and gave their points back, store credit), points expired after 12 months,
// referrals in every state with their reasons, and orders older than twelve months, so the
// dashboard's redemption and retention figures move. Seeded through the domain functions, the
// ledger still adds up.
import { beforeAll, describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { DEMO_SEED_DAYS, DEMO_STAFF, seedDemoShop, type SeedSummary } from "~/demo/seed.server";
import { readDashboard } from "~/domain/analytics/dashboard";
import { referralQueue } from "~/admin/referrals";
import { storedRecommendations } from "~/domain/recommendations/stored";
import { dueStorefrontSurvey } from "~/domain/surveys/responses";
import { newShopDomain } from "../helpers";

const DAY = 86_400_000;
const NOW = new Date();
const shop = newShopDomain();
let summary: SeedSummary;
let shopId: string;

beforeAll(async () => {
  summary = await seedDemoShop(prisma, shop, NOW);
  shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
}, 600_000);

describe("the seeded demo shop", () => {
  test("has 18 months of orders, some older than twelve months, so the 12-month figures have a year before them", async () => {
    const oldest = await prisma.order.findFirstOrThrow({ where: { shopId }, orderBy: { orderedAt: "asc" } });
    expect(oldest.orderedAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - DEMO_SEED_DAYS * DAY);
    const olderThanAYear = await prisma.order.count({ where: { shopId, orderedAt: { lt: new Date(NOW.getTime() - 365 * DAY) } } });
    expect(olderThanAYear).toBeGreaterThan(50);
    expect(summary.orders).toBeGreaterThan(250);

    const year = await readDashboard({ db: prisma, clock: () => NOW }, shop, 365);
    expect(year.status).toBe("ready");
    const { current, previous } = year.period!.retention;
    // Customers active at the start of the year: the CRR is a number, and last year had orders.
    expect(current.customersAtStart).toBeGreaterThan(0);
    expect(current.retentionRate).not.toBeNull();
    expect(previous.orders).toBeGreaterThan(0);
  });

  test("has redemptions: codes used, codes expired unused with their points back, store credit; and points expired", async () => {
    const byStatus = Object.fromEntries(
      (await prisma.redemption.groupBy({ by: ["status"], where: { shopId }, _count: true })).map((g) => [g.status, g._count]),
    );
    expect(byStatus.used).toBeGreaterThan(0);
    expect(byStatus.refunded).toBeGreaterThan(0);
    expect(byStatus.issued).toBeGreaterThan(0); // store credit
    // The seed's discount codes are all settled: the demo server's Shopify stand-in never had them.
    expect(await prisma.redemption.count({ where: { shopId, status: { in: ["issued", "pending"] }, discountId: { not: null } } })).toBe(0);
    expect(
      await prisma.redemption.count({
        where: { shopId, status: "issued", discountId: null, createdAt: { gt: new Date(NOW.getTime() - 31 * DAY) } },
      }),
    ).toBeGreaterThan(0);

    const year = await readDashboard({ db: prisma, clock: () => NOW }, shop, 365);
    const program = year.period!.program.current;
    expect(program.pointsRedeemed).toBeGreaterThan(0);
    expect(program.redemptionRate).toBeGreaterThan(0);
    expect(program.pointsExpired).toBeGreaterThan(0);
    const month = await readDashboard({ db: prisma, clock: () => NOW }, shop, 30);
    expect(month.period!.program.current.pointsRedeemed).toBeGreaterThan(0);
  });

  test("has referrals in every state, each with its reasons, and the merchant's decisions with their notes", async () => {
    const queue = await referralQueue({ db: prisma, clock: () => NOW }, shop, { status: "all", take: 50 });
    for (const status of ["rewarded", "pending", "held_for_review", "approved", "rejected", "cancelled"] as const) {
      expect(queue.counts[status], status).toBeGreaterThan(0);
    }
    const reasons = (status: string) => queue.rows.filter((r) => r.status === status).flatMap((r) => r.reasons.map((x) => x.code));
    expect(reasons("held_for_review")).toContain("same_address");
    expect(reasons("rejected")).toEqual(expect.arrayContaining(["self_referral", "existing_customer", "same_address"]));
    const byMerchant = queue.rows.flatMap((r) =>
      r.decisions.filter((d) => d.by === "merchant").map((d) => ({ status: d.status, actor: d.actor, note: d.note })),
    );
    expect(byMerchant).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: "approved", actor: DEMO_STAFF, note: expect.any(String) }),
        expect.objectContaining({ status: "rejected", actor: DEMO_STAFF, note: expect.any(String) }),
      ]),
    );
    const cancelled = queue.rows.find((r) => r.status === "cancelled")!;
    expect(cancelled.decisions.at(-1)?.note).toMatch(/refunded within the hold window/);

    // Rewarded referrers got their points in the ledger; the funnel counts the link visits.
    const rewarded = await prisma.pointsEntry.count({ where: { shopId, sourceType: "referral", kind: "earn" } });
    expect(rewarded).toBe(queue.counts.rewarded);
    const year = await readDashboard({ db: prisma, clock: () => NOW }, shop, 365);
    expect(year.period!.program.current.referrals.clicked).toBeGreaterThan(0);
  });

  test("balances are the ledger's sums, and no redemption took a balance below zero", async () => {
    const customers = await prisma.customer.findMany({ where: { shopId }, select: { id: true, balance: true, pendingPoints: true } });
    const sums = await prisma.pointsEntry.groupBy({ by: ["customerId"], where: { shopId }, _sum: { points: true } });
    const sumOf = new Map(sums.map((s) => [s.customerId, s._sum.points ?? 0]));
    for (const c of customers) expect(c.balance + c.pendingPoints, c.id).toBe(sumOf.get(c.id) ?? 0);
    const spends = await prisma.pointsEntry.findMany({ where: { shopId, kind: "spend" }, select: { balanceAfter: true } });
    expect(spends.length).toBe(summary.redemptions);
    expect(spends.every((s) => s.balanceAfter >= 0)).toBe(true);
  });

  test("learned its recommendations from the seeded orders: counted, fitted, and lists that differ per product", async () => {
    const state = await prisma.recsState.findUniqueOrThrow({ where: { shopId } });
    const counted = await prisma.order.count({ where: { shopId, recsCounted: true } });
    expect(counted).toBeGreaterThan(200);
    expect(state.baskets).toBe(counted);
    expect(state.fittedVersion).toBe(state.countsVersion);
    const products = await prisma.recsNeighbour.findMany({ where: { shopId, neighbourId: { not: "" } }, distinct: ["productId"] });
    expect(products.length).toBeGreaterThan(3);
    const lists = await Promise.all(
      products.map(async (p) =>
        (await storedRecommendations({ db: prisma }, shopId, { items: [p.productId], limit: 4 })).map((r) => r.item).join(","),
      ),
    );
    expect(new Set(lists).size).toBeGreaterThan(1);
  });

  test("has its paid orders fulfilled two days after payment and the survey on, so members who can log in are asked in the widget", async () => {
    const orders = await prisma.order.findMany({ where: { shopId, orderedAt: { lt: new Date(NOW.getTime() - 3 * DAY) } } });
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) expect(o.fulfilledAt?.getTime()).toBe(o.orderedAt.getTime() + 2 * DAY);
    const asked = [];
    for (const customer of await prisma.customer.findMany({ where: { shopId }, select: { shopifyCustomerId: true } })) {
      const due = await dueStorefrontSurvey({ db: prisma, clock: () => NOW }, shop, customer.shopifyCustomerId);
      if (due) asked.push(due);
    }
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]).toMatchObject({ kind: "nps", min: 0, max: 10, pointsForAnswer: 25 });
  });
});
