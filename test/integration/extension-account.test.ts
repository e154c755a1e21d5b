// The customer-account extension's routes (app/routes/api.account.*.tsx): refusals of bad
// session tokens on every route, the detractor alert through both extensions' survey routes,
// and redeeming from the account page through the storefront's own redemption.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { adjustPoints } from "~/domain/members/changes";
import { loader as accountOrder } from "~/routes/api.account.order";
import { loader as accountSummary } from "~/routes/api.account.summary";
import { action as accountSurvey } from "~/routes/api.account.survey";
import { action as accountRedeem, loader as accountRedeemLoader } from "~/routes/api.account.redeem";
import { action as checkoutSurvey } from "~/routes/api.checkout.survey";
import { action as proxyRedeem } from "~/routes/proxy.redeem";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { createReward } from "~/domain/rewards/rewards";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { localShopify } from "~/shopify/shopify-for.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { config, TEST_API_SECRET } from "~/config.server";
import { accountPage, redeemOnAccountPage } from "~/demo/account.server";
import { newShopDomain, paidOrder, points, releasePending, routeArgs, webhookRequest } from "../helpers";
import { expectCors, extensionPost, extensionRequest, surveyShop, token, type TokenOptions } from "./extension-fixture";

/** Every row a customer-account request could write for a shop, rate-limit counters included. */
async function written(shop: string) {
  const where = { shop: { domain: shop } };
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  return {
    customers: await prisma.customer.count({ where }),
    entries: await prisma.pointsEntry.count({ where: { customer: where } }),
    responses: await prisma.surveyResponse.count({ where }),
    alerts: await prisma.detractorAlert.count({ where }),
    redemptions: await prisma.redemption.count({ where }),
    events: await prisma.customerEvent.count({ where: { shopId } }),
    rateLimitHits: await prisma.rateLimitHit.count({ where: { key: { startsWith: `${shop}:` } } }),
  };
}

/** A member with spendable points (1 point per Rp1.000, no pending period) and a reward. */
async function memberWithPoints(customerId: string, orders: number, pointsCost = 100) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  // 8 × Rp125.000 = 1,000 points an order.
  for (let i = 0; i < orders; i++) {
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`3${customerId}${i}`, customerId, 8))));
  }
  await releasePending(shop);
  const reward = await createReward({ db: prisma }, shop, {
    name: "Rp25.000 off",
    type: "fixed_amount",
    pointsCost,
    value: 2_500_000,
    validityDays: 30,
  });
  return { shop, rewardId: reward.id };
}

const redeemPost = (shop: string, customerId: string, body: unknown, options: TokenOptions = {}) =>
  extensionPost("/api/account/redeem", token(shop, { customerId, ...options }), body);

describe("every customer-account route refuses a bad session token", () => {
  // Each route with what a good token would make it do (and write): count the order, record the
  // visit, answer the survey, spend points.
  const routes: Array<[string, (shop: string, rewardId: string, auth: TokenOptions) => Response | Promise<Response>]> = [
    [
      "GET /api/account/order",
      (shop, _r, auth) => accountOrder(routeArgs(extensionRequest("/api/account/order?order=87001", token(shop, auth)))),
    ],
    [
      "GET /api/account/summary",
      (shop, _r, auth) => accountSummary(routeArgs(extensionRequest("/api/account/summary", token(shop, auth)))),
    ],
    [
      "POST /api/account/survey",
      (shop, _r, auth) =>
        accountSurvey(routeArgs(extensionPost("/api/account/survey", token(shop, auth), { order: "87001", score: 2, comment: "late" }))),
    ],
    [
      "POST /api/account/redeem",
      (shop, rewardId, auth) =>
        accountRedeem(routeArgs(extensionPost("/api/account/redeem", token(shop, auth), { rewardId, requestId: "refused-0001" }))),
    ],
  ];
  const bad: Array<[string, TokenOptions]> = [
    ["a forged signature", { secret: "someone-elses-secret" }],
    ["an expired token", { now: new Date(Date.now() - 3_600_000) }],
    ["another app's token (aud)", { apiKey: "another-app" }],
  ];

  async function shopWithEverything() {
    const shop = await surveyShop();
    // Member 8701 may spend: the order's points released, a reward within reach.
    await releasePending(shop);
    const reward = await createReward({ db: prisma }, shop, { name: "Gift", type: "fixed_amount", pointsCost: 10, value: 100_000 });
    return { shop, rewardId: reward.id };
  }

  for (const [route, call] of routes) {
    test(`GIVEN a forged, an expired or another app's token on ${route} THEN 401 with CORS and nothing written`, async () => {
      const { shop, rewardId } = await shopWithEverything();
      const before = await written(shop);
      for (const [name, options] of bad) {
        const res = await call(shop, rewardId, { customerId: "8701", ...options });
        expect(res.status, name).toBe(401);
        expectCors(res);
        expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      }
      expect(await written(shop)).toEqual(before);
      // The same request with a good token gets through, and is counted (the check above can fail).
      const good = await call(shop, rewardId, { customerId: "8701" });
      expect(good.status).toBe(200);
      expectCors(good);
      expect((await written(shop)).rateLimitHits).toBeGreaterThan(before.rateLimitHits);
    });
  }
});

describe("a detractor's answer through the extensions", () => {
  test("GIVEN a detractor's answer on the thank-you page or the account page THEN the merchant's detractor alert opens for it", async () => {
    const shop = await surveyShop();
    const checkout = await checkoutSurvey(
      routeArgs(extensionPost("/api/checkout/survey", token(shop, { customerId: "8701" }), { order: "87001", score: 4, comment: "slow" })),
    );
    expect(checkout.status).toBe(200);
    expect(await checkout.json()).toMatchObject({ group: "detractor" });
    const account = await accountSurvey(
      routeArgs(extensionPost("/api/account/survey", token(shop, { customerId: "8702" }), { order: "87002", score: 0, comment: "broken" })),
    );
    expect(account.status).toBe(200);
    expect(await account.json()).toMatchObject({ group: "detractor" });

    const alerts = await prisma.detractorAlert.findMany({ where: { shop: { domain: shop } }, include: { response: true } });
    expect(
      alerts.map((a) => [a.status, a.response.channel, a.response.shopifyOrderId, a.response.score, a.response.comment]).sort(),
    ).toEqual([
      ["open", "account", "87002", 0, "broken"],
      ["open", "checkout", "87001", 4, "slow"],
    ]);
    // As the App Proxy's answer does: the merchant is told (the detractor_alert event the messages send).
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(await prisma.customerEvent.count({ where: { shopId, type: "detractor_alert" } })).toBe(2);
  });

  test("GIVEN a passive's or a promoter's answer THEN no alert", async () => {
    const shop = await surveyShop();
    for (const [route, path, customerId, order, score] of [
      [checkoutSurvey, "/api/checkout/survey", "8701", "87001", 7],
      [accountSurvey, "/api/account/survey", "8702", "87002", 10],
    ] as const) {
      const res = await route(routeArgs(extensionPost(path, token(shop, { customerId }), { order, score })));
      expect(res.status).toBe(200);
    }
    expect(await prisma.surveyResponse.count({ where: { shop: { domain: shop } } })).toBe(2);
    expect(await prisma.detractorAlert.count({ where: { shop: { domain: shop } } })).toBe(0);
  });
});

describe("redeeming from the account page", () => {
  test("GIVEN enough points THEN one code for that member, the points debited once; the same request again THEN the same answer", async () => {
    const { shop, rewardId } = await memberWithPoints("8801", 1);
    const before = await points(shop);
    expect(before.balance).toBe(1_000);
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8801", { rewardId, requestId: "acct-8801-aaaa" })));
    expect(res.status).toBe(200);
    expectCors(res);
    const { redemption } = await res.json();
    expect(redemption).toMatchObject({ status: "issued", pointsSpent: 100, balance: 900, rewardId });
    expect(redemption.code).toMatch(/^KMB-[A-Z2-9]{10}$/);
    const discounts = localShopify(shop).state.discounts;
    expect(discounts.find((d) => d.code === redemption.code)).toMatchObject({ customerId: "8801" });

    // A retry (a double click, a lost answer): the first result, nothing spent again.
    const again = await accountRedeem(routeArgs(redeemPost(shop, "8801", { rewardId, requestId: "acct-8801-aaaa" })));
    expect(again.status).toBe(200);
    expect((await again.json()).redemption).toMatchObject({ code: redemption.code, status: "issued" });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(await prisma.pointsEntry.count({ where: { customer: { shop: { domain: shop } }, kind: "spend" } })).toBe(1);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
  });

  test("GIVEN the same request id at once, twice THEN one spend", async () => {
    const { shop, rewardId } = await memberWithPoints("8802", 1);
    const answers = await Promise.all(
      [1, 2].map(() => accountRedeem(routeArgs(redeemPost(shop, "8802", { rewardId, requestId: "acct-8802-race" })))),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = await Promise.all(answers.map(async (r) => (await r.json()).redemption));
    // One redemption: the loser of the race answers it, issued by now or still being issued
    // (pending, its code not shown yet; the page says the code is on its way).
    expect(b.id).toBe(a.id);
    const issued = [a, b].filter((r) => r.status === "issued");
    expect(issued.length).toBeGreaterThan(0);
    expect(new Set(issued.map((r) => r.code)).size).toBe(1);
    for (const r of [a, b].filter((x) => x.status !== "issued")) expect(r).toMatchObject({ status: "pending", code: null });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN the storefront redeemed with a request id THEN the account page's retry of it is that redemption (one implementation)", async () => {
    const { shop, rewardId } = await memberWithPoints("8803", 1);
    const query = signProxyQuery(new URLSearchParams(), { shop, customerId: "8803", secret: TEST_API_SECRET });
    const proxy = await proxyRedeem(
      routeArgs(
        new Request(`http://127.0.0.1:3000/proxy/redeem?${query}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ rewardId, requestId: "shared-8803-a" }),
        }),
      ),
    );
    const first = (await proxy.json()).redemption;
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8803", { rewardId, requestId: "shared-8803-a" })));
    expect((await res.json()).redemption).toMatchObject({ id: first.id, code: first.code });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
  });

  test("GIVEN too few points THEN 409 with CORS and nothing spent", async () => {
    const { shop, rewardId } = await memberWithPoints("8804", 1, 5_000);
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8804", { rewardId, requestId: "acct-8804-aaaa" })));
    expect(res.status).toBe(409);
    expectCors(res);
    expect(await res.json()).toMatchObject({ error: { code: "INSUFFICIENT_POINTS" } });
    expect(await points(shop)).toEqual({ balance: 1_000, pending: 0 });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN another shop's reward THEN 404 with CORS and nothing spent", async () => {
    const { shop } = await memberWithPoints("8805", 1);
    const other = await memberWithPoints("8805", 1);
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8805", { rewardId: other.rewardId, requestId: "acct-8805-aaaa" })));
    expect(res.status).toBe(404);
    expectCors(res);
    expect(await points(shop)).toEqual({ balance: 1_000, pending: 0 });
    expect(await points(other.shop)).toEqual({ balance: 1_000, pending: 0 });
    expect(await prisma.redemption.count({ where: { shop: { domain: { in: [shop, other.shop] } } } })).toBe(0);
  });

  test("GIVEN a customer who is not a member yet THEN 403 with CORS", async () => {
    const { shop, rewardId } = await memberWithPoints("8806", 1);
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8899", { rewardId, requestId: "acct-8899-aaaa" })));
    expect(res.status).toBe(403);
    expectCors(res);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_A_MEMBER" } });
  });

  test("GIVEN a member the merchant's holdout keeps out of the program THEN 403 with CORS and nothing spent, as on the storefront", async () => {
    const { shop, rewardId } = await memberWithPoints("8809", 1);
    await prisma.customer.updateMany({ where: { shop: { domain: shop }, shopifyCustomerId: "8809" }, data: { holdout: true } });
    const res = await accountRedeem(routeArgs(redeemPost(shop, "8809", { rewardId, requestId: "acct-8809-aaaa" })));
    expect(res.status).toBe(403);
    expectCors(res);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_IN_PROGRAM" } });
    expect(await points(shop)).toEqual({ balance: 1_000, pending: 0 });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN bad bodies THEN 400 with CORS and nothing spent; the customer never comes from the body", async () => {
    const { shop, rewardId } = await memberWithPoints("8807", 1);
    for (const body of [
      null,
      "text",
      { rewardId },
      { requestId: "acct-8807-aaaa" },
      { rewardId: 5, requestId: "acct-8807-aaaa" },
      { rewardId: `${rewardId}\u0000`, requestId: "acct-8807-aaaa" },
      { rewardId, requestId: "short" },
      { rewardId, requestId: "acct 8807 with spaces" },
    ]) {
      const res = await accountRedeem(routeArgs(redeemPost(shop, "8807", body)));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectCors(res);
    }
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
    // A body naming another customer: ignored, the token's member redeems.
    const res = await accountRedeem(
      routeArgs(redeemPost(shop, "8807", { rewardId, requestId: "acct-8807-bbbb", customerId: "1", shopifyCustomerId: "1" })),
    );
    expect(res.status).toBe(200);
    expect(localShopify(shop).state.discounts[0]).toMatchObject({ customerId: "8807" });
  });

  test("GIVEN the preflight THEN 204 with POST allowed; a GET THEN 405; both with CORS", async () => {
    const pre = await accountRedeemLoader(routeArgs(extensionRequest("/api/account/redeem", null, { method: "OPTIONS" })));
    expect(pre.status).toBe(204);
    expectCors(pre);
    expect(pre.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    const get = await accountRedeemLoader(routeArgs(extensionRequest("/api/account/redeem", null)));
    expect(get.status).toBe(405);
    expectCors(get);
  });

  test("GIVEN 11 redemptions in a minute THEN the 11th is refused with 429 and CORS, as the storefront's 11th would be", async () => {
    const { shop, rewardId } = await memberWithPoints("8808", 2, 10);
    // Fixed one-minute windows: start early in a minute so the calls share one.
    if (new Date().getSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await accountRedeem(routeArgs(redeemPost(shop, "8808", { rewardId, requestId: `acct-8808-${i}-xxxx` })));
      statuses.push(res.status);
      if (res.status === 429) expectCors(res);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    expect(await points(shop)).toEqual({ balance: 2_000 - 100, pending: 0 });
  });
});

describe("the demo's account page", () => {
  // Test mode signs with the test secret as demo mode does with the demo one; the page asks the
  // real routes (here called in-process, as server.js's internalFetch does).
  const context = {
    internalFetch: async (request: Request) =>
      new URL(request.url).pathname === "/api/account/redeem" ? accountRedeem(routeArgs(request)) : accountSummary(routeArgs(request)),
  };

  test("GIVEN a demo member THEN the page shows what the summary route answered; Redeem spends through the redeem route, once per form", async () => {
    const customerId = `86${Date.now() % 1_000_000}`;
    await orderPaid(routeArgs(webhookRequest("orders/paid", config.demoShop, paidOrder(`5${Date.now()}`, customerId))));
    // Spendable points without releasing the demo shop's pending ones (other tests' demo orders).
    await adjustPoints({ db: prisma, clock: () => new Date(), transaction: transaction(prisma) }, config.demoShop, customerId, {
      points: 1000,
      reason: "Demo",
      requestId: `demo-${customerId}`,
    });
    const reward = await createReward({ db: prisma }, config.demoShop, {
      name: "Demo <b>tote</b>",
      type: "fixed_amount",
      pointsCost: 400,
      value: 100_000,
    });
    const url = `http://127.0.0.1:3000/demo/account?customer=${customerId}`;
    const page = await (await accountPage(new Request(url), context)).text();
    expect(page).toContain("<strong>1,000 points</strong>");
    expect(page).toContain("HTTP 200");
    expect(page).toContain("Demo &lt;b&gt;tote&lt;/b&gt;: 400 points");
    const requestId = /name="request" value="([^"]+)"/.exec(page.slice(page.indexOf(reward.id)))![1];

    const form = new FormData();
    form.set("customer", customerId);
    form.set("reward", reward.id);
    form.set("request", requestId);
    const redeem = () => redeemOnAccountPage(new Request(url, { method: "POST", body: form }), context);
    const after = await (await redeem()).text();
    const code = /Your code: <strong>(KMB-[A-Z2-9]{10})<\/strong>/.exec(after)![1];
    expect(after).toContain(`href="https://${config.demoShop}/discount/${code}">Apply to cart</a>`);
    expect(after).toContain("<strong>600 points</strong>");
    // The form sent again (a reload): the same redemption, nothing more spent.
    expect(await (await redeem()).text()).toContain(`Your code: <strong>${code}</strong>`);
    expect(await points(config.demoShop, customerId)).toEqual({ balance: 600, pending: 250_000 });
  });
});
