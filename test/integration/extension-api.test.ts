// The checkout and customer-account extensions' backend (common/survey-api.ts, decision 035):
// session-token checks with CORS on every answer, who may see which order, the points figures.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { config } from "~/config.server";
import { answerThankYouSurvey, thankYouPage } from "~/demo/thank-you.server";
import { orderPoints } from "~/domain/surveys/order-summary";
import { loader as checkoutOrder, action as checkoutOrderAction } from "~/routes/api.checkout.order";
import { loader as accountOrder } from "~/routes/api.account.order";
import { loader as accountSummary, action as accountSummaryAction } from "~/routes/api.account.summary";
import { action as checkoutSurvey, loader as checkoutSurveyLoader } from "~/routes/api.checkout.survey";
import { action as accountSurvey } from "~/routes/api.account.survey";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { newShopDomain, paidOrder, releasePending, routeArgs, webhookRequest } from "../helpers";
import { expectCors, extensionPost, extensionRequest, guestOrder, shopWithMemberOrder, surveyShop, token } from "./extension-fixture";

const deps = { db: prisma, clock: () => new Date() };

describe("extension session tokens", () => {
  test("GIVEN a good checkout token THEN 200 with CORS and the member's order points", async () => {
    const shop = await shopWithMemberOrder("81001", "8101");
    const res = await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order?order=81001", token(shop, { customerId: "8101" }))));
    expect(res.status).toBe(200);
    expectCors(res);
    const body = await res.json();
    expect(body.order).toMatchObject({ id: "81001", points: 250_000, pending: true });
    expect(body.claim).toBeNull();
    // The merchant has not turned the survey on.
    expect(body).toMatchObject({ survey: null, noSurvey: "off" });
  });

  const refusals: Array<[string, (shop: string) => string | null]> = [
    ["no Authorization header", () => null],
    ["a forged signature", (shop) => token(shop, { customerId: "8102", secret: "someone-elses-secret" })],
    ["an expired token", (shop) => token(shop, { customerId: "8102", now: new Date(Date.now() - 3_600_000) })],
    ["another app's token (aud)", (shop) => token(shop, { customerId: "8102", apiKey: "another-app" })],
    ["a shop without Kembali", () => token(newShopDomain(), { customerId: "8102" })],
    ["not a token", () => "not.a.jwt"],
  ];
  for (const [name, make] of refusals) {
    test(`GIVEN ${name} THEN 401 with CORS and a JSON error`, async () => {
      const shop = await shopWithMemberOrder("81002", "8102");
      const res = await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order?order=81002", make(shop))));
      expect(res.status).toBe(401);
      expectCors(res);
      expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    });
  }

  test("GIVEN the shop uninstalled Kembali THEN 401", async () => {
    const shop = await shopWithMemberOrder("81003", "8103");
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
    const res = await accountSummary(routeArgs(extensionRequest("/api/account/summary", token(shop, { customerId: "8103" }))));
    expect(res.status).toBe(401);
    expectCors(res);
  });

  test("GIVEN another shop's token THEN it never reaches this shop's order (404)", async () => {
    const shop = await shopWithMemberOrder("81004", "8104");
    const other = await shopWithMemberOrder("99999", "9999");
    // The same customer id at another shop: a different person.
    const res = await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order?order=81004", token(other, { customerId: "8104" }))));
    expect(res.status).toBe(404);
    expectCors(res);
    expect(shop).not.toBe(other);
  });

  test("GIVEN an OPTIONS preflight THEN 204 with CORS, on the loader and the action", async () => {
    for (const res of [
      await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order", null, { method: "OPTIONS" }))),
      await checkoutOrderAction(routeArgs(extensionRequest("/api/checkout/order", null, { method: "OPTIONS" }))),
      await accountSummaryAction(routeArgs(extensionRequest("/api/account/summary", null, { method: "OPTIONS" }))),
    ]) {
      expect(res.status).toBe(204);
      expectCors(res);
      expect(res.headers.get("Access-Control-Allow-Methods")).toContain("GET");
    }
  });

  test("GIVEN a POST to a GET route THEN 405 with CORS", async () => {
    const shop = await shopWithMemberOrder("81005", "8105");
    const res = await checkoutOrderAction(
      routeArgs(extensionRequest("/api/checkout/order?order=81005", token(shop, { customerId: "8105" }), { method: "POST" })),
    );
    expect(res.status).toBe(405);
    expectCors(res);
  });

  test("GIVEN a customer-account token without a customer THEN 401", async () => {
    const shop = await shopWithMemberOrder("81006", "8106");
    const res = await accountSummary(routeArgs(extensionRequest("/api/account/summary", token(shop))));
    expect(res.status).toBe(401);
  });
});

describe("who sees which order", () => {
  test("GIVEN a member's token for another customer's order THEN 404, the same answer as an unknown order", async () => {
    const shop = await shopWithMemberOrder("82001", "8201");
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("82002", "8202"))));
    const theirs = await accountOrder(routeArgs(extensionRequest("/api/account/order?order=82002", token(shop, { customerId: "8201" }))));
    const unknown = await accountOrder(routeArgs(extensionRequest("/api/account/order?order=82999", token(shop, { customerId: "8201" }))));
    expect(theirs.status).toBe(404);
    expectCors(theirs);
    expect(await theirs.json()).toEqual(await unknown.json());
  });

  test("GIVEN a bad order id THEN 400 with CORS", async () => {
    const shop = await shopWithMemberOrder("82003", "8203");
    for (const q of ["", "?order=", "?order=abc", "?order=gid://shopify/Order/1"]) {
      const res = await checkoutOrder(routeArgs(extensionRequest(`/api/checkout/order${q}`, token(shop, { customerId: "8203" }))));
      expect(res.status).toBe(400);
      expectCors(res);
    }
  });

  test("GIVEN a guest's token for a recent order without a customer THEN only the claim figure", async () => {
    const shop = await shopWithMemberOrder("83001", "8301");
    await guestOrder(shop, "83002");
    // 2 × Rp125.000 at 1 point per Rp100 (minor units: 25,000,000 sen / 100).
    expect(await orderPoints(deps, shop, null, "83002")).toEqual({ order: null, claim: { points: 250_000 } });
  });

  test("GIVEN a guest's token for a member's order, or an old guest order THEN 404", async () => {
    const shop = await shopWithMemberOrder("83003", "8303");
    await guestOrder(shop, "83004", new Date(Date.now() - 25 * 3_600_000));
    for (const order of ["83003", "83004"]) {
      const res = await checkoutOrder(routeArgs(extensionRequest(`/api/checkout/order?order=${order}`, token(shop))));
      expect(res.status).toBe(404);
      expectCors(res);
    }
  });

  test("GIVEN a guest's order that was cancelled THEN no claim", async () => {
    const shop = await shopWithMemberOrder("83005", "8305");
    await guestOrder(shop, "83006");
    await orderCancelled(
      routeArgs(webhookRequest("orders/cancelled", shop, { ...paidOrder("83006", null), cancelled_at: new Date().toISOString() })),
    );
    expect(await orderPoints(deps, shop, null, "83006")).toEqual({ order: null, claim: null });
  });
});

describe("the points figures", () => {
  test("GIVEN pending points THEN pending with availableAt; once released THEN available", async () => {
    const shop = await shopWithMemberOrder("84001", "8401");
    const before = await orderPoints(deps, shop, "8401", "84001");
    expect(before.order).toMatchObject({ points: 250_000, pending: true });
    expect(new Date(before.order!.availableAt!).getTime()).toBeGreaterThan(Date.now());
    await releasePending(shop);
    expect((await orderPoints(deps, shop, "8401", "84001")).order).toEqual({
      id: "84001",
      points: 250_000,
      pending: false,
      availableAt: null,
    });
  });

  test("GIVEN a cancelled member order THEN its points are 0", async () => {
    const shop = await shopWithMemberOrder("84002", "8402");
    await orderCancelled(
      routeArgs(webhookRequest("orders/cancelled", shop, { ...paidOrder("84002", "8402"), cancelled_at: new Date().toISOString() })),
    );
    expect((await orderPoints(deps, shop, "8402", "84002")).order).toEqual({ id: "84002", points: 0, pending: false, availableAt: null });
  });

  test("GIVEN a member with a customer-account token THEN the summary is the widget's ShopperState", async () => {
    const shop = await shopWithMemberOrder("84003", "8403");
    const res = await accountSummary(routeArgs(extensionRequest("/api/account/summary", token(shop, { customerId: "8403" }))));
    expect(res.status).toBe(200);
    expectCors(res);
    expect(await res.json()).toMatchObject({
      shop: { currency: "IDR" },
      customer: { balance: 0, pending: 250_000, history: [{ kind: "earn", points: 250_000 }] },
    });
  });
});

describe("rate limits", () => {
  test("GIVEN a guest's thank-you page asked 31 times in a minute from one address THEN 429 with CORS", async () => {
    const shop = await shopWithMemberOrder("85001", "8501");
    await guestOrder(shop, "85002");
    // Fixed one-minute windows: start early in a minute so the 31 calls share one.
    if (new Date().getSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    const headers = { "X-Forwarded-For": "203.0.113.9, 10.0.0.1" };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order?order=85002", token(shop), { headers })));
      statuses.push(res.status);
      if (res.status === 429) expectCors(res);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe("the demo's thank-you page", () => {
  // Test mode signs with the test secret as demo mode does with the demo one; the page asks the
  // real route (here called in-process, as server.js's internalFetch does).
  const context = {
    internalFetch: async (request: Request) =>
      new URL(request.url).pathname === "/api/checkout/survey" ? checkoutSurvey(routeArgs(request)) : checkoutOrder(routeArgs(request)),
  };

  test("GIVEN a member's demo order THEN the page shows the points the backend answered with a signed token", async () => {
    const id = `9${Date.now()}`;
    await orderPaid(routeArgs(webhookRequest("orders/paid", config.demoShop, paidOrder(id, "8601"))));
    const res = await thankYouPage(new Request(`http://127.0.0.1:3000/demo/thank-you?order=${id}`), context);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain("This order earns <strong>250,000 points</strong>, pending until");
    expect(html).toContain("HTTP 200");
    expect(html).toContain('href="/demo/account?customer=8601"');
  });

  test("GIVEN a guest's demo order THEN the page shows the claim", async () => {
    const id = `8${Date.now()}`;
    await guestOrder(config.demoShop, id);
    const html = await (await thankYouPage(new Request(`http://127.0.0.1:3000/demo/thank-you?order=${id}`), context)).text();
    expect(html).toContain("Create an account to claim <strong>250,000 points</strong>");
  });

  test("GIVEN the survey on THEN the page asks it, and its form answers through the real survey route", async () => {
    const id = `7${Date.now()}`;
    await orderPaid(routeArgs(webhookRequest("orders/paid", config.demoShop, paidOrder(id, "8602"))));
    await saveSurveySettings({ db: prisma }, config.demoShop, { enabled: true, pointsForAnswer: 25, throttleDays: 0 });
    try {
      const page = await (await thankYouPage(new Request(`http://127.0.0.1:3000/demo/thank-you?order=${id}`), context)).text();
      expect(page).toContain('data-testid="demo-thank-you-survey"');
      expect(page).toContain("How likely are you to recommend us to a friend?");
      const form = new FormData();
      form.set("order", id);
      form.set("score", "2");
      form.set("comment", "<script>x</script>");
      const res = await answerThankYouSurvey(new Request("http://127.0.0.1:3000/demo/thank-you", { method: "POST", body: form }), context);
      const html = await res.text();
      expect(html).toContain("Thank you for answering (detractor): 25 points added.");
      const stored = await prisma.surveyResponse.findFirstOrThrow({ where: { shop: { domain: config.demoShop }, shopifyOrderId: id } });
      expect(stored).toMatchObject({ channel: "checkout", score: 2, comment: "<script>x</script>", pointsAwarded: 25 });
      // Asked again: answered.
      const again = await (await thankYouPage(new Request(`http://127.0.0.1:3000/demo/thank-you?order=${id}`), context)).text();
      expect(again).toContain("No survey for this order now (answered)");
    } finally {
      await saveSurveySettings({ db: prisma }, config.demoShop, { enabled: false });
    }
  });
});

describe("the survey through the extensions", () => {
  test("GIVEN the survey on THEN the order summary has it, in the shopper's language; once answered THEN answered, from any channel", async () => {
    const shop = await surveyShop();
    const member = token(shop, { customerId: "8701" });
    let body = await (await checkoutOrder(routeArgs(extensionRequest("/api/checkout/order?order=87001&locale=id", member)))).json();
    expect(body).toMatchObject({
      order: { id: "87001", points: 250_000, pending: true },
      survey: { kind: "nps", question: "Maukah Anda merekomendasikan kami?", min: 0, max: 10, pointsForAnswer: 50 },
      noSurvey: null,
    });

    const res = await checkoutSurvey(
      routeArgs(extensionPost("/api/checkout/survey", member, { order: "87001", score: 3, comment: "<b>late</b>" })),
    );
    expect(res.status).toBe(200);
    expectCors(res);
    expect(await res.json()).toEqual({ group: "detractor", pointsAwarded: 50, referral: null });
    const stored = await prisma.surveyResponse.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: "87001" } });
    expect(stored).toMatchObject({ channel: "checkout", score: 3, comment: "<b>late</b>" });

    // The customer-account extension's order-status block: already answered.
    body = await (await accountOrder(routeArgs(extensionRequest("/api/account/order?order=87001", member)))).json();
    expect(body).toMatchObject({ survey: null, noSurvey: "answered" });
    const again = await accountSurvey(routeArgs(extensionPost("/api/account/survey", member, { order: "87001", score: 10 })));
    expect(again.status).toBe(409);
    expectCors(again);
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN a member's token for another customer's order THEN 404 and nothing written", async () => {
    const shop = await surveyShop();
    const res = await accountSurvey(
      routeArgs(extensionPost("/api/account/survey", token(shop, { customerId: "8701" }), { order: "87002", score: 9 })),
    );
    expect(res.status).toBe(404);
    expectCors(res);
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN a guest THEN they may answer for a recent order without a customer (no points), never a member's", async () => {
    const shop = await surveyShop();
    const guest = token(shop);
    const mine = await checkoutSurvey(routeArgs(extensionPost("/api/checkout/survey", guest, { order: "87003", score: 10 })));
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({ group: "promoter", pointsAwarded: 0, referral: null });
    const members = await checkoutSurvey(routeArgs(extensionPost("/api/checkout/survey", guest, { order: "87001", score: 10 })));
    expect(members.status).toBe(404);
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN an old guest order THEN the guest cannot answer for it (404)", async () => {
    const shop = await surveyShop();
    await guestOrder(shop, "87004", new Date(Date.now() - 25 * 3_600_000));
    const res = await checkoutSurvey(routeArgs(extensionPost("/api/checkout/survey", token(shop), { order: "87004", score: 8 })));
    expect(res.status).toBe(404);
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN bad bodies THEN 400 with CORS and nothing written; a forged token THEN 401 before the body counts", async () => {
    const shop = await surveyShop();
    const member = token(shop, { customerId: "8701" });
    for (const body of [
      null,
      "text",
      { order: 87001, score: 9 },
      { order: "87001" },
      { order: "87001", score: 11 },
      { order: "87001", score: 9, comment: 5 },
    ]) {
      const res = await checkoutSurvey(routeArgs(extensionPost("/api/checkout/survey", member, body)));
      expect(res.status).toBe(400);
      expectCors(res);
    }
    const forged = await checkoutSurvey(
      routeArgs(extensionPost("/api/checkout/survey", token(shop, { customerId: "8701", secret: "forged" }), { order: "87001", score: 9 })),
    );
    expect(forged.status).toBe(401);
    expectCors(forged);
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN the preflight or a GET on a survey route THEN 204, or 405, with CORS", async () => {
    const pre = await checkoutSurveyLoader(routeArgs(extensionRequest("/api/checkout/survey", null, { method: "OPTIONS" })));
    expect(pre.status).toBe(204);
    expectCors(pre);
    const get = await checkoutSurveyLoader(routeArgs(extensionRequest("/api/checkout/survey", null)));
    expect(get.status).toBe(405);
    expectCors(get);
  });
});
