// Plans: this month's paid orders from the app's own Order table (one shop, one calendar
// month), the Plans page in test mode (no Shopify billing: the change is only recorded), and
// Shopify's Billing API as shopify-app-remix calls it, answered by msw: appSubscriptionCreate
// with test charges, the return after approval (currentAppInstallation), and cancelling.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { authenticate, sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { changePlan, currentPlan, planUsage } from "~/domain/shop/plans";
import { billingReturnUrl, shopifyPlanBilling } from "~/shopify/billing.server";
import { action, loader } from "~/routes/app.plans";
import { loader as home } from "~/routes/app._index/route";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const server = setupServer();
/** Every request that reached the fake Shopify, by operation name. */
let calls: Array<{ operation: string; variables: Record<string, unknown> }> = [];
beforeAll(() => {
  // shopify-api captured fetch at import; look it up per call so msw sees the requests.
  setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => {
  server.resetHandlers();
  calls = [];
});
afterAll(() => server.close());

async function adminShop(currency = "IDR") {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, currency);
  await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: new Date() } });
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const get = async (path: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000${path}`));
  const postRequest = async (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return setUpValidRequest(
      { type: RequestType.Bearer, ...creds },
      new Request("http://127.0.0.1:3000/app/plans", { method: "POST", body }),
    );
  };
  return {
    shop,
    load: async () => loader(routeArgs(await get("/app/plans"))),
    home: async () => home(routeArgs(await get("/app"))),
    post: async (fields: Record<string, string>) => action(routeArgs(await postRequest(fields))),
    /** The library's billing context, as an admin action gets it. */
    billing: async () => (await authenticate.admin(await postRequest({}))).billing,
    row: () => prisma.shop.findUniqueOrThrow({ where: { domain: shop } }),
  };
}

async function addOrders(shop: string, paidAts: Array<Date | null>, prefix = "o") {
  const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  await prisma.order.createMany({
    data: paidAts.map((paidAt, i) => ({
      shopId: id,
      shopifyOrderId: `${prefix}${i}`,
      currency: "IDR",
      totalMinor: 10_000_000n,
      subtotalMinor: 10_000_000n,
      orderedAt: paidAt ?? new Date(),
      paidAt,
    })),
  });
}

/** Shopify's Admin GraphQL for the billing documents shopify-app-remix sends. */
function fakeBilling(shop: string) {
  let active: Array<Record<string, unknown>> = [];
  const subscription = (id: string, name: string, test: boolean, status: string) => ({
    id,
    name,
    test,
    status,
    trialDays: 0,
    createdAt: "2026-11-23T10:00:00Z",
    currentPeriodEnd: null,
    returnUrl: billingReturnUrl(shop, TEST_API_KEY),
    lineItems: [
      {
        id: `${id}-line`,
        plan: { pricingDetails: { price: { amount: "29.0", currencyCode: "USD" }, interval: "EVERY_30_DAYS", discount: null } },
      },
    ],
  });
  const confirmationUrl = `https://${shop}/admin/charges/1/1/RecurringApplicationCharge/confirm_recurring_application_charge?signature=abc`;
  server.use(
    http.post(`https://${shop}/admin/api/2025-10/graphql.json`, async ({ request }) => {
      const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
      const operation = /(query|mutation)\s+(\w+)/.exec(body.query)?.[2] ?? "?";
      calls.push({ operation, variables: body.variables ?? {} });
      if (operation === "appSubscription") {
        return HttpResponse.json({
          data: {
            currentAppInstallation: {
              activeSubscriptions: active,
              oneTimePurchases: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
            },
          },
        });
      }
      if (operation === "AppSubscriptionCreate") {
        const v = body.variables as { name: string; test: boolean };
        return HttpResponse.json({
          data: {
            appSubscriptionCreate: {
              appSubscription: subscription("gid://shopify/AppSubscription/77", v.name, v.test, "PENDING"),
              confirmationUrl,
              userErrors: [],
            },
          },
        });
      }
      if (operation === "appSubscriptionCancel") {
        const cancelled = active.find((s) => s.id === body.variables?.id);
        active = active.filter((s) => s !== cancelled);
        return HttpResponse.json({
          data: { appSubscriptionCancel: { appSubscription: cancelled ? { ...cancelled, status: "CANCELLED" } : null, userErrors: [] } },
        });
      }
      return HttpResponse.json({ errors: [{ message: `Unknown operation ${operation}` }] });
    }),
  );
  return {
    confirmationUrl,
    /** The merchant approved on Shopify's page: the subscription is active. */
    approve: (id: string, name: string, test: boolean) => void (active = [subscription(id, name, test, "ACTIVE")]),
  };
}

const deps = (now = new Date()) => ({ db: prisma, clock: () => now });

describe("plan usage", () => {
  test("GIVEN orders of two shops around a month's edges THEN only this shop's orders paid this calendar month count", async () => {
    const a = newShopDomain();
    const b = newShopDomain();
    await ensureShop(prisma, a, "IDR");
    await ensureShop(prisma, b, "IDR");
    await addOrders(a, [
      new Date("2026-10-31T23:59:59.999Z"), // last month
      new Date("2026-11-01T00:00:00Z"), // first instant of the month
      new Date("2026-11-23T08:00:00Z"),
      new Date("2026-11-30T23:59:59.999Z"), // last instant of the month
      new Date("2026-12-01T00:00:00Z"), // next month
      null, // never paid
    ]);
    await addOrders(b, [new Date("2026-11-10T00:00:00Z"), new Date("2026-11-11T00:00:00Z")]);
    const now = new Date("2026-11-23T12:00:00Z");
    expect(await planUsage(deps(now), a)).toMatchObject({
      plan: "free",
      paidOrders: 3,
      limit: 100,
      overLimit: false,
      month: { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
    });
    expect((await planUsage(deps(now), b)).paidOrders).toBe(2);
    expect((await planUsage(deps(new Date("2026-12-05T00:00:00Z")), a)).paidOrders).toBe(1);
  });

  test("GIVEN more paid orders than Free allows THEN home asks for an upgrade and orders still earn points", async () => {
    const s = await adminShop("IDR");
    await addOrders(
      s.shop,
      Array.from({ length: 101 }, () => new Date()),
    );
    expect((await s.home()).plan).toMatchObject({ plan: "free", paidOrders: 101, limit: 100, overLimit: true, suggested: "growth" });
    // Nothing is gated: the next order earns as always.
    const res = await ordersPaid(routeArgs(webhookRequest("orders/paid", s.shop, paidOrder("9001", "7001", 1))));
    expect(res.status).toBe(200);
    expect(await points(s.shop, "7001")).toEqual({ balance: 0, pending: 125_000 });
  });

  test("GIVEN 80 of 100 THEN home shows the usage without the over-limit warning", async () => {
    const s = await adminShop("IDR");
    await addOrders(
      s.shop,
      Array.from({ length: 80 }, () => new Date()),
    );
    expect((await s.home()).plan).toMatchObject({ paidOrders: 80, nearLimit: true, overLimit: false });
  });
});

describe("Plans page in test mode: no Shopify billing", () => {
  test("GIVEN an upgrade and a downgrade THEN each is recorded locally and Shopify is never called", async () => {
    const s = await adminShop();
    server.use(http.all("*", ({ request }) => void calls.push({ operation: request.url, variables: {} })));
    const page = await s.load();
    expect(page).toMatchObject({ billing: "local", testCharges: false, state: { plan: "free" }, usage: { paidOrders: 0, limit: 100 } });
    expect(page.plans.map((p) => [p.key, p.monthlyUsd, p.orderLimit])).toEqual([
      ["free", 0, 100],
      ["growth", 29, 1000],
      ["pro", 99, null],
    ]);

    expect(await s.post({ plan: "pro" })).toMatchObject({ ok: true, plan: "pro" });
    expect(await s.row()).toMatchObject({ plan: "pro", planSubscriptionId: null });
    expect((await s.load()).usage).toMatchObject({ plan: "pro", limit: null });
    expect(await s.post({ plan: "free" })).toMatchObject({ ok: true, plan: "free" });
    expect((await s.row()).plan).toBe("free");
    expect(calls).toEqual([]);
  });

  test("GIVEN an unknown plan THEN a field error and nothing changes", async () => {
    const s = await adminShop();
    expect(await s.post({ plan: "platinum" })).toEqual({ ok: false, plan: null, fields: { plan: "plans.error.plan" } });
    expect(await s.row()).toMatchObject({ plan: "free", planChangedAt: null });
  });
});

describe("Shopify billing (shopify-app-remix under msw)", () => {
  test("GIVEN an upgrade with test charges THEN appSubscriptionCreate goes out with test: true and the merchant is sent to confirm; the plan changes only once approved", async () => {
    const s = await adminShop();
    const shopify = fakeBilling(s.shop);
    const returnUrl = billingReturnUrl(s.shop, TEST_API_KEY);
    const billing = shopifyPlanBilling(await s.billing(), { test: true, returnUrl });

    const leave = (await changePlan(deps(), s.shop, "growth", billing).catch((r) => r)) as Response;
    // An embedded fetch cannot follow a redirect out of the admin: App Bridge reads this header.
    expect(leave.status).toBe(401);
    expect(leave.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")).toBe(shopify.confirmationUrl);
    expect(calls.map((c) => c.operation)).toEqual(["appSubscription", "AppSubscriptionCreate"]);
    expect(calls[1].variables).toMatchObject({
      name: "Kembali Growth",
      test: true,
      returnUrl,
      lineItems: [{ plan: { appRecurringPricingDetails: { interval: "EVERY_30_DAYS", price: { amount: 29, currencyCode: "USD" } } } }],
    });
    expect((await s.row()).plan).toBe("free");

    // Back from Shopify declined: still Free.
    expect(await currentPlan(deps(), s.shop, billing)).toMatchObject({ plan: "free", subscriptionId: null });
    // Approved: the Plans page's load records what Shopify says is active.
    shopify.approve("gid://shopify/AppSubscription/77", "Kembali Growth", true);
    expect(await currentPlan(deps(), s.shop, billing)).toMatchObject({
      plan: "growth",
      subscriptionId: "gid://shopify/AppSubscription/77",
    });
    expect(await s.row()).toMatchObject({ plan: "growth", planSubscriptionId: "gid://shopify/AppSubscription/77" });

    // Asking again for the plan it has changes nothing and charges nothing.
    calls = [];
    expect(await changePlan(deps(), s.shop, "growth", billing)).toMatchObject({ plan: "growth" });
    expect(calls.map((c) => c.operation)).toEqual(["appSubscription", "appSubscription"]);

    // Free cancels the subscription at Shopify.
    calls = [];
    expect(await changePlan(deps(), s.shop, "free", billing)).toMatchObject({ plan: "free", subscriptionId: null });
    expect(calls.map((c) => c.operation)).toEqual(["appSubscription", "appSubscriptionCancel"]);
    expect(calls[1].variables).toMatchObject({ id: "gid://shopify/AppSubscription/77", prorate: true });
    expect(await s.row()).toMatchObject({ plan: "free", planSubscriptionId: null });
  });

  test("GIVEN real charges (a production build) THEN the request says test: false and test subscriptions do not count", async () => {
    const s = await adminShop();
    const shopify = fakeBilling(s.shop);
    const billing = shopifyPlanBilling(await s.billing(), { test: false, returnUrl: billingReturnUrl(s.shop, TEST_API_KEY) });
    shopify.approve("gid://shopify/AppSubscription/5", "Kembali Pro", true);
    expect(await currentPlan(deps(), s.shop, billing)).toMatchObject({ plan: "free" });

    const leave = (await changePlan(deps(), s.shop, "pro", billing).catch((r) => r)) as Response;
    expect(leave.status).toBe(401);
    expect(calls.find((c) => c.operation === "AppSubscriptionCreate")?.variables).toMatchObject({ name: "Kembali Pro", test: false });
  });
});
