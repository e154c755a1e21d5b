import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/proxy.state";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, proxyRequest, releasePending, routeArgs, webhookRequest } from "../helpers";

async function shopWithOrder(customerId: string, quantity = 2) {
  const shop = newShopDomain();
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`6${customerId}`, customerId, quantity))));
  return shop;
}

describe("GET /apps/kembali/state (App Proxy)", () => {
  test("GIVEN a signed request for a logged-in member THEN it returns their balance and history", async () => {
    const shop = await shopWithOrder("7101");
    const res = await loader(routeArgs(proxyRequest("state", { shop, customerId: "7101" })));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({
      shop: { currency: "IDR" },
      program: { earning: { points: 1, perAmount: 100 }, ways: [] },
      customer: {
        balance: 0,
        pending: 250_000,
        history: [{ kind: "earn", points: 250_000, label: "order", vars: { order: "67101" }, reason: null }],
      },
    });
  });

  test("GIVEN the widget's language THEN it is kept as the member's language for messages; another value is ignored", async () => {
    const shop = await shopWithOrder("7102");
    const locale = async () =>
      (await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7102" } })).locale;
    expect(await locale()).toBeNull();
    expect((await loader(routeArgs(proxyRequest("state", { shop, customerId: "7102", extra: { lang: "id" } })))).status).toBe(200);
    expect(await locale()).toBe("id");
    expect((await loader(routeArgs(proxyRequest("state", { shop, customerId: "7102", extra: { lang: "fr" } })))).status).toBe(200);
    expect(await locale()).toBe("id");
    expect((await loader(routeArgs(proxyRequest("state", { shop, customerId: "7102", extra: { lang: "en" } })))).status).toBe(200);
    expect(await locale()).toBe("en");
  });

  test("GIVEN a guest (empty logged_in_customer_id) THEN customer is null", async () => {
    const shop = await shopWithOrder("7102");
    const body = await (await loader(routeArgs(proxyRequest("state", { shop, customerId: null })))).json();
    expect(body.customer).toBeNull();
    expect(body.program.earning.points).toBe(1);
  });

  test("GIVEN a logged-in customer with no points yet THEN balance 0", async () => {
    const shop = await shopWithOrder("7103");
    const body = await (await loader(routeArgs(proxyRequest("state", { shop, customerId: "9999" })))).json();
    expect(body.customer).toEqual({
      balance: 0,
      pending: 0,
      birthdaySet: false,
      referral: expect.objectContaining({ code: expect.any(String) }),
      tier: null,
      nextTier: null,
      history: [],
      redemptions: [],
      welcome: null,
      stamps: null,
    });
  });

  test("GIVEN a request signed with another secret THEN 401", async () => {
    const shop = await shopWithOrder("7104");
    const res = await loader(routeArgs(proxyRequest("state", { shop, customerId: "7104", secret: "forged" })));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  test("GIVEN the customer id swapped after signing THEN 401 (the id is only trusted signed)", async () => {
    const shop = await shopWithOrder("7105");
    const url = new URL(proxyRequest("state", { shop, customerId: "1" }).url);
    url.searchParams.set("logged_in_customer_id", "7105");
    expect((await loader(routeArgs(new Request(url)))).status).toBe(401);
  });

  test("GIVEN no signature THEN 401", async () => {
    const shop = await shopWithOrder("7106");
    const url = new URL(proxyRequest("state", { shop, customerId: "7106" }).url);
    url.searchParams.delete("signature");
    expect((await loader(routeArgs(new Request(url)))).status).toBe(401);
  });

  test("GIVEN a signature older than the replay window THEN 401", async () => {
    const shop = await shopWithOrder("7107");
    const old = new Date(Date.now() - 10 * 60_000);
    expect((await loader(routeArgs(proxyRequest("state", { shop, customerId: "7107", now: old })))).status).toBe(401);
  });

  test("GIVEN one shop's customer id asked for in another shop THEN that shop's (empty) account is returned", async () => {
    const shopA = await shopWithOrder("7108");
    const shopB = await shopWithOrder("7199");
    await releasePending(shopA);
    const body = await (await loader(routeArgs(proxyRequest("state", { shop: shopB, customerId: "7108" })))).json();
    expect(body.customer.balance).toBe(0);
    const own = await (await loader(routeArgs(proxyRequest("state", { shop: shopA, customerId: "7108" })))).json();
    expect(own.customer.balance).toBe(250_000);
  });

  test("GIVEN a shop that never installed Kembali THEN 404 with a stable code", async () => {
    const res = await loader(routeArgs(proxyRequest("state", { shop: newShopDomain(), customerId: "1" })));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});

describe("what the shopper's history shows", () => {
  test("GIVEN a manual adjustment THEN the shopper sees its kind, never the merchant's internal note", async () => {
    const { adjustPoints } = await import("~/domain/members/changes");
    const { default: prisma, transaction } = await import("~/db.server");
    const shop = await shopWithOrder("7150");
    await adjustPoints({ db: prisma, clock: () => new Date(), transaction: transaction(prisma) }, shop, "7150", {
      points: 50,
      reason: "Goodwill: courier lost the parcel",
      requestId: "adjust-7150-1",
    });
    const body = await (await loader(routeArgs(proxyRequest("state", { shop, customerId: "7150" })))).json();
    expect(body.customer.history[0]).toMatchObject({ kind: "adjust", points: 50, reason: null, source: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain("courier");
  });
});
