// The survey's rules on both databases, the same for every channel: due or why not, one answer
// per order whichever channel answers first, points for answering once and only for members in
// the program, the throttle across channels, the storefront's delay after fulfilment, a
// detractor's alert, a promoter's referral link, and bad input refused with nothing written.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { appDeps } from "~/deps.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { answerSurvey, dueStorefrontSurvey, surveyDue, type SurveyAnswer } from "~/domain/surveys/responses";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { KembaliError } from "~/domain/errors";
import { paidOrder, newShopDomain, routeArgs, webhookRequest } from "../../helpers";

const DAY = 86_400_000;
const NOW = new Date("2026-12-01T10:00:00Z");
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

function deps(now = NOW) {
  return { ...appDeps, clock: () => now };
}

async function paid(shop: string, orderId: string, customerId: string | null) {
  expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(orderId, customerId))))).status).toBe(200);
}

async function shopWithOrders(settings: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  await paid(shop, "510001", "7501");
  await paid(shop, "510002", "7501");
  await paid(shop, "510003", "7502");
  await paid(shop, "510004", null);
  await saveSurveySettings({ db: prisma }, shop, { enabled: true, pointsForAnswer: 50, ...settings });
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  return { shop, shopId };
}

async function refused(p: Promise<unknown>): Promise<{ code: string; status: number; reason?: unknown }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof KembaliError) return { code: error.code, status: error.status, reason: error.details?.reason };
    throw error;
  }
  throw new Error("expected a refusal");
}

const answer = (order: string, shopifyCustomerId: string | null, score: unknown, more: Partial<SurveyAnswer> = {}): SurveyAnswer => ({
  channel: "checkout",
  order,
  shopifyCustomerId,
  score,
  ...more,
});

async function points(shopId: string, shopifyCustomerId: string) {
  const c = await prisma.customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  return prisma.pointsEntry.findMany({ where: { customerId: c.id, sourceType: "survey" } });
}

describe("survey rules", () => {
  test("off until the merchant turns it on", async () => {
    const { shop } = await shopWithOrders({ enabled: false });
    expect(await surveyDue(deps(), shop, { channel: "checkout", order: "510001", shopifyCustomerId: "7501" })).toEqual({
      survey: null,
      noSurvey: "off",
    });
    expect(await refused(answerSurvey(deps(), shop, answer("510001", "7501", 9)))).toMatchObject({
      code: "SURVEY_NOT_DUE",
      status: 409,
      reason: "off",
    });
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("a member answers on the thank-you page: points once, whatever the score; no second answer from any channel", async () => {
    const { shop, shopId } = await shopWithOrders({ question: { en: "Would you tell a friend?", id: null } });
    expect(await surveyDue(deps(), shop, { channel: "checkout", order: "510001", shopifyCustomerId: "7501" })).toEqual({
      survey: { kind: "nps", question: "Would you tell a friend?", min: 0, max: 10, pointsForAnswer: 50 },
      noSurvey: null,
    });
    const result = await answerSurvey(deps(), shop, answer("510001", "7501", 7, { comment: "  <b>Good</b> coffee\r\nslow box  " }));
    expect(result).toEqual({ group: "passive", pointsAwarded: 50, referral: null });
    const stored = await prisma.surveyResponse.findFirstOrThrow({ where: { shopId } });
    // The comment is the shopper's text, stored as typed (trimmed, line breaks normalised): never markup to anyone.
    expect(stored).toMatchObject({ shopifyOrderId: "510001", kind: "nps", score: 7, channel: "checkout", pointsAwarded: 50 });
    expect(stored.comment).toBe("<b>Good</b> coffee\nslow box");
    expect((await points(shopId, "7501")).map((e) => e.points)).toEqual([50]);

    for (const channel of ["checkout", "account", "storefront"] as const) {
      expect(await refused(answerSurvey(deps(at(30)), shop, answer("510001", "7501", 10, { channel })))).toMatchObject({
        code: "SURVEY_NOT_DUE",
        reason: "answered",
      });
    }
    expect(await prisma.surveyResponse.count({ where: { shopId } })).toBe(1);
    expect((await points(shopId, "7501")).length).toBe(1);
  });

  test("someone else's order, or an order that does not exist, is 404 and reads the same", async () => {
    const { shop, shopId } = await shopWithOrders();
    for (const [order, who] of [
      ["510003", "7501"], // another member's
      ["510004", "7501"], // a guest's order, asked as a member
      ["510001", null], // a member's order, asked as a guest
      ["999999", "7501"], // no such order
      ["51000x", "7501"], // not an order id at all
    ] as const) {
      expect((await surveyDue(deps(), shop, { channel: "checkout", order, shopifyCustomerId: who })).noSurvey).toBe("unknown_order");
      expect(await refused(answerSurvey(deps(), shop, answer(order, who, 9)))).toMatchObject({ code: "NOT_FOUND", status: 404 });
    }
    expect(await prisma.surveyResponse.count({ where: { shopId } })).toBe(0);
  });

  test("a guest answers for their own order on the thank-you page only, and earns nothing", async () => {
    const { shop, shopId } = await shopWithOrders();
    expect((await surveyDue(deps(), shop, { channel: "checkout", order: "510004", shopifyCustomerId: null })).survey?.pointsForAnswer).toBe(
      0,
    );
    expect((await surveyDue(deps(), shop, { channel: "storefront", order: "510004", shopifyCustomerId: null })).noSurvey).toBe(
      "unknown_order",
    );
    expect(await answerSurvey(deps(), shop, answer("510004", null, 2))).toEqual({ group: "detractor", pointsAwarded: 0, referral: null });
    const stored = await prisma.surveyResponse.findFirstOrThrow({ where: { shopId }, include: { alert: true } });
    expect(stored.customerId).toBeNull();
    expect(stored.alert?.status).toBe("open");
  });

  test("the storefront asks the set number of days after fulfilment; the newest due order first", async () => {
    const { shop, shopId } = await shopWithOrders({ delayDays: 7 });
    const ask = (now: Date) => surveyDue(deps(now), shop, { channel: "storefront", order: "510001", shopifyCustomerId: "7501" });
    expect((await ask(NOW)).noSurvey).toBe("not_yet");
    await prisma.order.update({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: "510001" } }, data: { fulfilledAt: at(-3) } });
    expect((await ask(NOW)).noSurvey).toBe("not_yet");
    expect((await ask(at(4))).survey?.kind).toBe("nps");
    expect(await dueStorefrontSurvey(deps(at(4)), shop, "7501", "id")).toMatchObject({ order: "510001", min: 0, max: 10 });
    expect(await dueStorefrontSurvey(deps(at(4)), shop, "7502")).toBeNull();
  });

  test("once in throttleDays across channels and orders; then asked again", async () => {
    const { shop } = await shopWithOrders({ throttleDays: 90 });
    await answerSurvey(deps(), shop, answer("510001", "7501", 10, { channel: "account" }));
    expect((await surveyDue(deps(at(10)), shop, { channel: "checkout", order: "510002", shopifyCustomerId: "7501" })).noSurvey).toBe(
      "throttled",
    );
    expect(await refused(answerSurvey(deps(at(10)), shop, answer("510002", "7501", 9)))).toMatchObject({ reason: "throttled" });
    expect(
      (await surveyDue(deps(at(91)), shop, { channel: "checkout", order: "510002", shopifyCustomerId: "7501" })).survey,
    ).not.toBeNull();
    // Another member is not throttled by this one's answer.
    expect(
      (await surveyDue(deps(at(10)), shop, { channel: "checkout", order: "510003", shopifyCustomerId: "7502" })).survey,
    ).not.toBeNull();
  });

  test("a promoter gets the referral link at once; a detractor opens an alert; a cancelled order is not asked", async () => {
    const { shop, shopId } = await shopWithOrders();
    const promoter = await answerSurvey(deps(), shop, answer("510001", "7501", 9));
    expect(promoter.group).toBe("promoter");
    expect(promoter.referral?.url).toContain(promoter.referral?.code);
    await answerSurvey(deps(), shop, answer("510003", "7502", 0));
    expect(await prisma.detractorAlert.count({ where: { shopId } })).toBe(1);
    await prisma.order.update({ where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: "510002" } }, data: { cancelledAt: NOW } });
    expect((await surveyDue(deps(at(100)), shop, { channel: "checkout", order: "510002", shopifyCustomerId: "7501" })).noSurvey).toBe(
      "cancelled",
    );
  });

  test("CSAT and CES use their own scales and groups", async () => {
    const { shop } = await shopWithOrders({ kind: "csat" });
    expect(await refused(answerSurvey(deps(), shop, answer("510001", "7501", 0)))).toMatchObject({ code: "BAD_INPUT" });
    expect((await answerSurvey(deps(), shop, answer("510001", "7501", 5))).group).toBe("promoter");
    await saveSurveySettings({ db: prisma }, shop, { enabled: true, kind: "ces" });
    expect(await refused(answerSurvey(deps(), shop, answer("510003", "7502", 8)))).toMatchObject({ code: "BAD_INPUT" });
    expect((await answerSurvey(deps(), shop, answer("510003", "7502", 3))).group).toBe("detractor");
  });

  test("bad input is 400 and writes nothing", async () => {
    const { shop, shopId } = await shopWithOrders();
    for (const [score, comment] of [
      [11, null],
      [-1, null],
      [7.5, null],
      ["9", null],
      [null, null],
      [9, "x".repeat(1001)],
      [9, 42],
      [9, "nul\u0000byte"],
      [9, "lone \ud800 surrogate"],
    ] as const) {
      expect(await refused(answerSurvey(deps(), shop, answer("510001", "7501", score, { comment })))).toMatchObject({
        code: "BAD_INPUT",
        status: 400,
      });
    }
    expect(await prisma.surveyResponse.count({ where: { shopId } })).toBe(0);
    expect((await points(shopId, "7501")).length).toBe(0);
    // 1,000 characters (emoji count as one each) are accepted.
    await answerSurvey(deps(), shop, answer("510001", "7501", 9, { comment: "☕".repeat(1000) }));
  });

  test("two channels answering the same order at once: one answer, points once", async () => {
    const { shop, shopId } = await shopWithOrders();
    const outcomes = await Promise.allSettled(
      (["checkout", "account", "storefront", "checkout"] as const).map((channel) =>
        answerSurvey(deps(at(30)), shop, answer("510002", "7501", 8, { channel })),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect((o.reason as KembaliError).code).toBe("SURVEY_NOT_DUE");
    expect(await prisma.surveyResponse.count({ where: { shopId } })).toBe(1);
    expect((await points(shopId, "7501")).length).toBe(1);
  });

  test("a member in the holdout group may answer but earns no points", async () => {
    const { shop, shopId } = await shopWithOrders();
    await prisma.customer.update({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: "7502" } }, data: { holdout: true } });
    expect(
      (await surveyDue(deps(), shop, { channel: "account", order: "510003", shopifyCustomerId: "7502" })).survey?.pointsForAnswer,
    ).toBe(0);
    expect((await answerSurvey(deps(), shop, answer("510003", "7502", 9, { channel: "account" }))).pointsAwarded).toBe(0);
    expect((await points(shopId, "7502")).length).toBe(0);
  });

  test("customers/redact erases the member's comments; the scores stay for the figures", async () => {
    const { shop, shopId } = await shopWithOrders();
    await answerSurvey(deps(), shop, answer("510001", "7501", 3, { comment: "Call me on 0812 000" }));
    await answerSurvey(deps(), shop, answer("510003", "7502", 9, { comment: "Lovely" }));
    const body = {
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 7501, email: "customer-7501@example.com", phone: null },
      orders_to_redact: [],
    };
    expect((await customerRedact(routeArgs(webhookRequest("customers/redact", shop, body)))).status).toBe(200);
    const rows = await prisma.surveyResponse.findMany({ where: { shopId }, orderBy: { shopifyOrderId: "asc" } });
    expect(rows.map((r) => [r.shopifyOrderId, r.score, r.comment])).toEqual([
      ["510001", 3, null],
      ["510003", 9, "Lovely"],
    ]);
  });
});
