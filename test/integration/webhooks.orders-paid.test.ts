import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, points, releasePending, routeArgs, webhookRequest } from "../helpers";

async function ledger(shop: string) {
  return prisma.pointsEntry.findMany({ where: { shop: { domain: shop } }, orderBy: { createdAt: "asc" } });
}

describe("orders/paid webhook", () => {
  test("GIVEN a signed orders/paid WHEN it arrives THEN the customer earns 1 point per whole rupiah of subtotal, pending for 30 days", async () => {
    const shop = newShopDomain();
    const res = await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5001", "7001", 2))));
    expect(res.status).toBe(200);

    const entries = await ledger(shop);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "earn",
      points: 250_000, // 2 × Rp125.000 subtotal, default 1 point per Rp1
      balanceAfter: 0, // pending points are not spendable yet
      pending: true,
      idempotencyKey: "earn:order:5001",
      sourceType: "order",
      sourceId: "5001",
    });
    const paidAt = new Date(res.headers.get("date") ?? Date.now());
    expect(Math.abs(entries[0].availableAt!.getTime() - paidAt.getTime() - 30 * 86_400_000)).toBeLessThan(60_000);
    expect(await points(shop)).toEqual({ balance: 0, pending: 250_000 });
    const order = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop } }, include: { lines: true } });
    expect(order).toMatchObject({ shopifyOrderId: "5001", currency: "IDR", subtotalMinor: 25_000_000n });
    expect(order.lines).toEqual([expect.objectContaining({ productId: "8001", variantId: "9001", quantity: 2, priceMinor: 12_500_000n })]);
  });

  test("GIVEN the same event delivered twice THEN the second answers 200 and changes nothing", async () => {
    const shop = newShopDomain();
    const body = paidOrder("5002", "7002");
    const first = await action(routeArgs(webhookRequest("orders/paid", shop, body, { eventId: "evt-1" })));
    const second = await action(routeArgs(webhookRequest("orders/paid", shop, body, { eventId: "evt-1" })));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toMatchObject({ duplicate: true });
    expect(await ledger(shop)).toHaveLength(1);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop } })).toBe(1);
  });

  test("GIVEN the same order under a new event id (a retry after a timeout) THEN it still earns once", async () => {
    const shop = newShopDomain();
    const body = paidOrder("5003", "7003");
    await action(routeArgs(webhookRequest("orders/paid", shop, body, { eventId: "evt-a" })));
    const again = await action(routeArgs(webhookRequest("orders/paid", shop, body, { eventId: "evt-b" })));
    expect(again.status).toBe(200);
    const entries = await ledger(shop);
    expect(entries).toHaveLength(1);
    expect(await points(shop)).toEqual({ balance: 0, pending: entries[0].points });
  });

  test("GIVEN concurrent deliveries of one event THEN exactly one entry is written", async () => {
    const shop = newShopDomain();
    const body = paidOrder("5004", "7004");
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => action(routeArgs(webhookRequest("orders/paid", shop, body, { eventId: "evt-same" })))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await ledger(shop)).toHaveLength(1);
  });

  test("GIVEN a body signed with another secret THEN 401 and nothing is written", async () => {
    const shop = newShopDomain();
    const res = await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5005", "7005"), { secret: "forged" })));
    expect(res.status).toBe(401);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop } })).toBe(0);
  });

  test("GIVEN a body changed after signing THEN 401 and nothing is written", async () => {
    const shop = newShopDomain();
    const signed = webhookRequest("orders/paid", shop, paidOrder("5006", "7006"));
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify(paidOrder("5006", "7006", 200)),
    });
    expect((await action(routeArgs(tampered))).status).toBe(401);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop } })).toBe(0);
  });

  test("GIVEN no HMAC header THEN 401", async () => {
    const shop = newShopDomain();
    const signed = webhookRequest("orders/paid", shop, paidOrder("5007", "7007"));
    const headers = new Headers(signed.headers);
    headers.delete("X-Shopify-Hmac-Sha256");
    const res = await action(routeArgs(new Request(signed.url, { method: "POST", headers, body: await signed.text() })));
    expect(res.status).toBe(401);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
  });

  test("GIVEN a guest order THEN the order is kept and no points are written", async () => {
    const shop = newShopDomain();
    expect((await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5008", null))))).status).toBe(200);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(await ledger(shop)).toHaveLength(0);
  });

  test("GIVEN a signed payload that is not an order THEN 400 and nothing is written", async () => {
    const shop = newShopDomain();
    const res = await action(routeArgs(webhookRequest("orders/paid", shop, { id: "not-a-number", currency: "rupiah" })));
    expect(res.status).toBe(400);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop } })).toBe(0);
  });

  test("GIVEN the pending period has passed THEN the points become spendable, once", async () => {
    const shop = newShopDomain();
    await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5011", "7011", 2))));
    expect(await releasePending(shop, 29)).toBe(0);
    expect(await points(shop)).toEqual({ balance: 0, pending: 250_000 });
    expect(await releasePending(shop, 31)).toBe(1);
    expect(await releasePending(shop, 31)).toBe(0);
    expect(await points(shop)).toEqual({ balance: 250_000, pending: 0 });
  });

  test("GIVEN the merchant changed the rate THEN new orders earn at the new rate", async () => {
    const shop = newShopDomain();
    await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5009", "7009", 1))));
    await prisma.shop.update({ where: { domain: shop }, data: { settings: { earning: { points: 1, perAmount: 100_000 } } } });
    await action(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5010", "7009", 1))));
    expect((await ledger(shop)).map((e) => e.points)).toEqual([125_000, 125]);
  });
});

describe("orders/paid with rules on products' tags and collections", () => {
  test("GIVEN double points on a collection and gift cards excluded THEN the order earns by what Shopify says of each product", async () => {
    const { ensureShop, updateProgramSettings } = await import("~/domain/shop/shops");
    const { parseSettings } = await import("~/domain/earning/program");
    const { localShopify } = await import("~/shopify/shopify-for.server");
    const { orderPaidPayload, DEMO_PRODUCTS } = await import("~/demo/catalog");
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    await updateProgramSettings(
      prisma,
      shop,
      parseSettings({
        earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
        multipliers: [{ id: "single-origin", appliesTo: { type: "collection", ids: ["445566"] }, multiplier: 2 }],
        exclusions: { productTags: ["gift-card"] },
      }),
    );
    const store = localShopify(shop);
    store.setProduct("8001", { tags: ["kopi"], collectionIds: ["445566"] }); // Rp125.000, doubled
    store.setProduct("8006", { tags: ["gift-card"], collectionIds: [] }); // Rp45.000, excluded
    const body = orderPaidPayload({
      orderId: "5100",
      customer: { id: "7100", firstName: "T", lastName: "C", email: "t@example.com" },
      lines: [
        { product: DEMO_PRODUCTS[0], quantity: 1 },
        { product: DEMO_PRODUCTS[5], quantity: 1 },
        { product: DEMO_PRODUCTS[3], quantity: 1 }, // Rp95.000, no rule
      ],
      createdAt: new Date(),
    });
    expect((await action(routeArgs(webhookRequest("orders/paid", shop, body)))).status).toBe(200);
    // 125 × 2 + 95 = 345 points; the excluded Rp45.000 earns nothing.
    expect(await points(shop)).toEqual({ balance: 345, pending: 0 });
    const entry = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(entry.reason).toMatch(/base 220, multiplier 125/);
  });
});
