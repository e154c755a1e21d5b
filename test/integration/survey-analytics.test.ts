// The dashboard's survey figures on fixtures worked out by hand (see the comments): answers are
// inserted directly with known scores, and every figure is asserted exactly.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { hasSurveyAnswers, surveyReport } from "~/domain/analytics/surveys";
import { loader } from "~/routes/app._index/route";
import { newShopDomain, routeArgs } from "../helpers";

const deps = { db: prisma };
const DAY = 86_400_000;
const TO = new Date("2026-04-15T00:00:00Z");
const FROM = new Date(TO.getTime() - 30 * DAY); // 2026-03-16
type Answer = {
  order: string;
  kind?: "nps" | "csat" | "ces";
  score: number;
  at: string;
  channel?: "checkout" | "account" | "storefront";
  tier?: string | null;
  segment?: string | null;
};
type O = { id: string; at: string; paid?: boolean; cancelled?: boolean };

async function seed(answers: Answer[], orders: O[] = [], survey: unknown = { enabled: true }) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "USD");
  await prisma.shop.update({ where: { id: shop.id }, data: { survey: survey as object } });
  await prisma.order.createMany({
    data: orders.map((o) => ({
      shopId: shop.id,
      shopifyOrderId: o.id,
      currency: "USD",
      subtotalMinor: BigInt(1000),
      totalMinor: BigInt(1000),
      orderedAt: new Date(o.at),
      paidAt: o.paid === false ? null : new Date(o.at),
      cancelledAt: o.cancelled ? new Date(o.at) : null,
    })),
  });
  await prisma.surveyResponse.createMany({
    data: answers.map((a) => ({
      shopId: shop.id,
      shopifyOrderId: a.order,
      kind: a.kind ?? "nps",
      score: a.score,
      channel: a.channel ?? "checkout",
      tierKey: a.tier ?? null,
      segment: a.segment ?? null,
      answeredAt: new Date(a.at),
    })),
  });
  return { domain, shop };
}

const tier = (key: string, name: string, threshold: number) => ({
  key,
  name,
  threshold,
  earnMultiplier: 1,
  freeShippingReward: false,
  exclusiveRewardIds: [],
});

describe("survey figures (hand-computed)", () => {
  test("NPS, shares, tiers, segments, channels, CSAT/CES averages, trend and the previous period", async () => {
    const current: Answer[] = [
      // March (the period starts 2026-03-16 00:00, included)
      { order: "1", score: 10, at: "2026-03-16T00:00:00Z", tier: "gold", segment: "loyal" },
      { order: "2", score: 9, at: "2026-03-18", channel: "account", tier: "gold", segment: "loyal" },
      { order: "3", score: 9, at: "2026-03-20", channel: "storefront", tier: "silver", segment: "active" },
      { order: "4", score: 8, at: "2026-03-22", tier: "silver", segment: "active" },
      { order: "5", score: 7, at: "2026-03-25" },
      { order: "6", score: 6, at: "2026-03-30", tier: "gold", segment: "at_risk" },
      // April
      { order: "7", score: 0, at: "2026-04-02", channel: "account" },
      { order: "8", score: 10, at: "2026-04-03", tier: "silver", segment: "loyal" },
      { order: "9", kind: "csat", score: 5, at: "2026-04-04" },
      { order: "10", kind: "csat", score: 4, at: "2026-04-05", channel: "storefront" },
      { order: "11", kind: "csat", score: 2, at: "2026-04-06", channel: "account" },
      { order: "12", kind: "ces", score: 7, at: "2026-04-07", channel: "storefront" },
    ];
    const previous: Answer[] = [
      { order: "21", score: 10, at: "2026-02-20" },
      { order: "22", score: 3, at: "2026-02-21" },
      { order: "23", score: 2, at: "2026-02-22" },
    ];
    // Exactly at the period's end: not counted.
    const late: Answer = { order: "30", score: 0, at: TO.toISOString() };
    const orders: O[] = [
      ...["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"].map((id) => ({ id, at: "2026-03-20" })),
      { id: "12", at: "2026-03-01" }, // ordered in the previous period, answered in this one
      ...["13", "14", "15", "16"].map((id) => ({ id, at: "2026-04-01" })), // paid, never answered
      { id: "17", at: "2026-04-01", cancelled: true },
      { id: "18", at: "2026-04-01", paid: false },
      ...["21", "22", "23", "24"].map((id) => ({ id, at: "2026-02-20" })),
      { id: "30", at: "2026-04-14" },
    ];
    const { domain, shop } = await seed([...current, ...previous, late], orders);
    await prisma.tierProgram.create({
      data: {
        shopId: shop.id,
        version: 1,
        basis: "points_earned",
        period: "lifetime",
        tiers: [tier("silver", "Silver", 100), tier("gold", "Gold", 1000)],
      },
    });
    // Another shop's answers never count.
    await seed([{ order: "1", score: 0, at: "2026-04-01" }], [{ id: "1", at: "2026-04-01" }]);

    const report = await surveyReport(deps, { shopDomain: domain, from: FROM, to: TO });
    expect(report.enabled).toBe(true);
    expect(report.kind).toBe("nps");
    expect(report.tierNames).toEqual({ silver: "Silver", gold: "Gold" });
    const c = report.current;
    expect(c.responses).toBe(12);
    // NPS answers 1–8: promoters 1, 2, 3, 8; passives 4, 5; detractors 6, 7 → (4 − 2) / 8 = 25.
    expect(c.nps).toEqual({ responses: 8, nps: 25, promoters: 50, passives: 25, detractors: 25 });
    // CSAT (5 + 4 + 2) / 3 = 3.67; CES 7. Each kind on its own: neither enters the NPS.
    expect(c.csat).toEqual({ responses: 3, average: 3.67 });
    expect(c.ces).toEqual({ responses: 1, average: 7 });
    // gold: 1 P, 2 P, 6 D → 1/3 = 33.3; silver: 3 P, 4 passive, 8 P → 2/3 = 66.7; none: 5 passive, 7 D → −50.
    expect(c.byTier).toEqual([
      { key: "gold", responses: 3, nps: 33.3, promoters: 66.7, passives: 0, detractors: 33.3 },
      { key: "silver", responses: 3, nps: 66.7, promoters: 66.7, passives: 33.3, detractors: 0 },
      { key: "none", responses: 2, nps: -50, promoters: 0, passives: 50, detractors: 50 },
    ]);
    // loyal: 1, 2, 8 all promoters; active: 3 P, 4 passive; none: 5, 7; at risk: 6 D.
    expect(c.bySegment.map((g) => [g.key, g.responses, g.nps])).toEqual([
      ["loyal", 3, 100],
      ["active", 2, 50],
      ["none", 2, -50],
      ["at_risk", 1, -100],
    ]);
    // Paid orders placed in the period: 1–11, 13–16 and 30 = 16 (12 is older, 17 cancelled, 18
    // unpaid). Answered among them by the period's end: 1–11 (30's answer came at the end) →
    // 11 / 16 = 68.75 %; by channel: checkout 1, 4, 5, 6, 8, 9 = 6 (37.5 %), account 2, 7, 11 =
    // 3 (18.75 %), storefront 3, 10 = 2 (12.5 %).
    expect(c.paidOrders).toBe(16);
    expect(c.answered).toBe(11);
    expect(c.answerRate).toBe(68.8);
    expect(c.channels).toEqual([
      { channel: "checkout", answered: 6, rate: 37.5 },
      { channel: "account", answered: 3, rate: 18.8 },
      { channel: "storefront", answered: 2, rate: 12.5 },
    ]);

    // The 30 days before: 10, 3, 2 → (1 − 2) / 3 = −33.3. Paid orders 21–24 and 12 = 5; 12 was
    // answered only after that period's end, so 3 of 5 = 60 %, all at checkout.
    const p = report.previous;
    expect(p.responses).toBe(3);
    expect(p.nps).toEqual({ responses: 3, nps: -33.3, promoters: 33.3, passives: 0, detractors: 66.7 });
    expect(p.csat).toEqual({ responses: 0, average: null });
    expect(p.paidOrders).toBe(5);
    expect(p.answered).toBe(3);
    expect(p.answerRate).toBe(60);
    expect(p.channels).toEqual([
      { channel: "checkout", answered: 3, rate: 60 },
      { channel: "account", answered: 0, rate: 0 },
      { channel: "storefront", answered: 0, rate: 0 },
    ]);

    // Trend: 12 months to April 2026. March: 1, 2, 3 P; 4, 5 passive; 6 D → 2/6 = 33.3.
    // April (to the 15th, the late answer excluded): 7 D, 8 P → 0; CSAT 3.67; CES 7.
    expect(report.trend.map((m) => m.month)).toEqual([
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
    ]);
    expect(report.trend.slice(-3)).toEqual([
      { month: "2026-02", responses: 3, nps: -33.3, csat: null, ces: null },
      { month: "2026-03", responses: 6, nps: 33.3, csat: null, ces: null },
      { month: "2026-04", responses: 6, nps: 0, csat: 3.67, ces: 7 },
    ]);
    expect(report.trend[0]).toEqual({ month: "2025-05", responses: 0, nps: null, csat: null, ces: null });
    expect(hasSurveyAnswers(report)).toBe(true);
  });

  test("no answers: every figure is null, nothing to divide by", async () => {
    const { domain } = await seed([], [], null);
    const report = await surveyReport(deps, { shopDomain: domain, from: FROM, to: TO });
    expect(report.enabled).toBe(false);
    expect(report.current).toEqual({
      responses: 0,
      nps: { responses: 0, nps: null, promoters: null, passives: null, detractors: null },
      csat: { responses: 0, average: null },
      ces: { responses: 0, average: null },
      byTier: [],
      bySegment: [],
      // Not counted while nobody has answered: the section shows its empty state.
      paidOrders: null,
      answered: 0,
      answerRate: null,
      channels: [
        { channel: "checkout", answered: 0, rate: null },
        { channel: "account", answered: 0, rate: null },
        { channel: "storefront", answered: 0, rate: null },
      ],
    });
    expect(report.trend.every((m) => m.responses === 0 && m.nps === null)).toBe(true);
    expect(hasSurveyAnswers(report)).toBe(false);
  });

  test("all promoters is 100, all detractors −100, passives only 0", async () => {
    const at = "2026-04-01";
    const promoters = await seed([9, 10, 10].map((score, i) => ({ order: String(i), score, at })));
    const detractors = await seed([0, 6].map((score, i) => ({ order: String(i), score, at })));
    const passives = await seed([7, 8].map((score, i) => ({ order: String(i), score, at })));
    const nps = async (domain: string) => (await surveyReport(deps, { shopDomain: domain, from: FROM, to: TO })).current.nps;
    expect(await nps(promoters.domain)).toEqual({ responses: 3, nps: 100, promoters: 100, passives: 0, detractors: 0 });
    expect(await nps(detractors.domain)).toEqual({ responses: 2, nps: -100, promoters: 0, passives: 0, detractors: 100 });
    expect(await nps(passives.domain)).toEqual({ responses: 2, nps: 0, promoters: 0, passives: 100, detractors: 0 });
  });

  test("a period of CSAT answers only: no NPS, the CSAT average; an unknown shop is refused", async () => {
    const { domain } = await seed(
      [1, 2, 2].map((score, i) => ({ order: String(i), kind: "csat" as const, score, at: "2026-04-01" })),
      [],
      { enabled: true, kind: "csat" },
    );
    const report = await surveyReport(deps, { shopDomain: domain, from: FROM, to: TO });
    expect(report.kind).toBe("csat");
    expect(report.current.nps.nps).toBeNull();
    expect(report.current.byTier).toEqual([]);
    expect(report.current.csat).toEqual({ responses: 3, average: 1.67 });
    expect(report.trend.at(-1)).toMatchObject({ responses: 3, nps: null, csat: 1.67, ces: null });
    await expect(surveyReport(deps, { shopDomain: "nobody.myshopify.com", from: FROM, to: TO })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("admin home: customer feedback", () => {
  async function adminShop(answers: Answer[], survey: unknown) {
    const { domain } = await seed(answers, [], survey);
    await prisma.shop.update({ where: { domain }, data: { onboardedAt: new Date() } });
    await sessionStorage.storeSession(setUpValidSession({ shop: domain, expires: undefined }));
    const creds = { store: domain.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
    return async (query = "") =>
      loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000/app${query}`))));
  }
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

  test("the session's shop's answers for the chosen period; a shop with the survey off and no answers gets the empty state", async () => {
    const off = await adminShop([], null);
    const on = await adminShop(
      [
        { order: "1", score: 10, at: ago(2) },
        { order: "2", score: 3, at: ago(3) },
        { order: "3", score: 9, at: ago(4) },
        { order: "4", score: 0, at: ago(60) },
      ],
      { enabled: true },
    );
    const empty = (await off()).surveys;
    expect(empty.enabled).toBe(false);
    expect(hasSurveyAnswers(empty)).toBe(false);
    // 30 days: 10, 3, 9 → (2 − 1) / 3 = 33.3; the 30 days before hold nothing.
    const month = (await on("?days=30")).surveys;
    expect(month.enabled).toBe(true);
    expect(month.current.nps).toMatchObject({ responses: 3, nps: 33.3 });
    expect(month.previous.nps).toMatchObject({ responses: 0, nps: null });
    // 90 days adds the 0 from 60 days ago: (2 − 2) / 4 = 0.
    expect((await on("?days=90")).surveys.current.nps).toMatchObject({ responses: 4, nps: 0 });
  });
});
