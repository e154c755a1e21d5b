// The storefront survey card's App Proxy routes (GET/POST /apps/kembali/survey): the signature
// (401), members only (403), the body (400, nothing written), the member's own orders only
// (404), one answer per order (409 the second time, points paid once), the rate limit (429),
// and the due survey after the order's fulfilment (orders/fulfilled) and the shop's delay.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { loader, action } from "~/routes/proxy.survey";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderFulfilled } from "~/routes/webhooks.orders.fulfilled";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { newShopDomain, paidOrder, proxyRequest, routeArgs, webhookRequest } from "../../helpers";

const DAY = 86_400_000;
const MEMBER = "7801";
const OTHER = "7802";

async function shopWithOrders() {
  const shop = newShopDomain();
  for (const [order, customer, fulfilledDaysAgo] of [
    ["580001", MEMBER, 10],
    ["580002", OTHER, 10],
    ["580003", "7803", null],
  ] as const) {
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(order, customer))))).status).toBe(200);
    if (fulfilledDaysAgo === null) continue;
    const at = new Date(Date.now() - fulfilledDaysAgo * DAY).toISOString();
    const body = { ...paidOrder(order, customer), fulfillments: [{ created_at: at }] };
    expect((await orderFulfilled(routeArgs(webhookRequest("orders/fulfilled", shop, body)))).status).toBe(200);
  }
  await saveSurveySettings({ db: prisma }, shop, {
    enabled: true,
    pointsForAnswer: 50,
    question: { en: null, id: "<b>Suka kopinya?</b>" },
  });
  return shop;
}

const get = (shop: string, customerId: string | null, extra: Record<string, string> = {}, secret?: string) =>
  loader(routeArgs(proxyRequest("survey", { shop, customerId, extra, secret })));

function post(shop: string, customerId: string | null, body: unknown, secret?: string) {
  const url = proxyRequest("survey", { shop, customerId, secret }).url;
  const request = new Request(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return action(routeArgs(request));
}

async function written(shop: string) {
  const where = { shop: { domain: shop } };
  const [responses, alerts, entries] = await Promise.all([
    prisma.surveyResponse.count({ where }),
    prisma.detractorAlert.count({ where }),
    prisma.pointsEntry.count({ where: { ...where, sourceType: "survey" } }),
  ]);
  return { responses, alerts, entries };
}

const NOTHING = { responses: 0, alerts: 0, entries: 0 };

describe("GET /apps/kembali/survey", () => {
  test("a forged signature is 401 and a guest is 403 NOT_A_MEMBER", async () => {
    const shop = await shopWithOrders();
    expect((await get(shop, MEMBER, {}, "not-the-secret")).status).toBe(401);
    const guest = await get(shop, null);
    expect(guest.status).toBe(403);
    expect((await guest.json()).error.code).toBe("NOT_A_MEMBER");
  });

  test("a member with an order fulfilled past the delay gets that order's survey, in their language; an unfulfilled order none", async () => {
    const shop = await shopWithOrders();
    const res = await get(shop, MEMBER);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      survey: { kind: "nps", question: null, min: 0, max: 10, pointsForAnswer: 50, order: "580001" },
    });
    expect((await (await get(shop, MEMBER, { lang: "id" })).json()).survey.question).toBe("<b>Suka kopinya?</b>");
    expect(await (await get(shop, "7803")).json()).toEqual({ survey: null });
  });
});

describe("POST /apps/kembali/survey", () => {
  test("forged is 401, a guest 403, and neither writes anything", async () => {
    const shop = await shopWithOrders();
    expect((await post(shop, MEMBER, { order: "580001", score: 9 }, "not-the-secret")).status).toBe(401);
    expect((await post(shop, null, { order: "580001", score: 9 })).status).toBe(403);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test.each([
    ["a score off the scale", { order: "580001", score: 11 }],
    ["a negative score", { order: "580001", score: -1 }],
    ["a score that is text", { order: "580001", score: "9" }],
    ["a fractional score", { order: "580001", score: 8.5 }],
    ["no order", { score: 9 }],
    ["an order id that is not Shopify's", { order: "58 0001", score: 9 }],
    ["a comment that is too long", { order: "580001", score: 9, comment: "x".repeat(1001) }],
    ["a comment that is not text", { order: "580001", score: 9, comment: { html: "<b>" } }],
  ])("%s is 400 BAD_INPUT and writes nothing", async (_, body) => {
    const shop = await shopWithOrders();
    const res = await post(shop, MEMBER, body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("BAD_INPUT");
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("another member's order is 404 and writes nothing", async () => {
    const shop = await shopWithOrders();
    const res = await post(shop, MEMBER, { order: "580002", score: 3 });
    expect(res.status).toBe(404);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("a promoter's answer is recorded once with its comment as text, paid once, with the referral link; the second is 409 and the card is gone", async () => {
    const shop = await shopWithOrders();
    const first = await post(shop, MEMBER, { order: "580001", score: 10, comment: "  <script>enak</script>  " });
    expect(first.status).toBe(200);
    const result = await first.json();
    expect(result).toMatchObject({ group: "promoter", pointsAwarded: 50, referral: { code: expect.any(String), url: expect.any(String) } });
    const again = await post(shop, MEMBER, { order: "580001", score: 2 });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("SURVEY_NOT_DUE");
    expect(await written(shop)).toEqual({ responses: 1, alerts: 0, entries: 1 });
    const stored = await prisma.surveyResponse.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(stored).toMatchObject({ shopifyOrderId: "580001", score: 10, comment: "<script>enak</script>", channel: "storefront" });
    expect(await (await get(shop, MEMBER)).json()).toEqual({ survey: null });
  });

  test("a detractor's answer opens an alert and still pays for answering, with no referral link", async () => {
    const shop = await shopWithOrders();
    const res = await post(shop, OTHER, { order: "580002", score: 2, comment: null });
    expect(await res.json()).toEqual({ group: "detractor", pointsAwarded: 50, referral: null });
    expect(await written(shop)).toEqual({ responses: 1, alerts: 1, entries: 1 });
  });

  test("a member posting over and over is 429 RATE_LIMITED after ten answers a minute", async () => {
    const shop = await shopWithOrders();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post(shop, MEMBER, { order: "580001", score: 7 })).status);
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1, 10)).toEqual(Array(9).fill(409));
    expect(statuses[10]).toBe(429);
    expect(await written(shop)).toEqual({ responses: 1, alerts: 0, entries: 1 });
  });
});
