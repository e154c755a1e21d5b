// The dashboard's recommendation figures: clicks and add-to-carts as the pixel reported them;
// orders and revenue only from signed orders that really hold a product the pixel named.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { ensureShop } from "~/domain/shop/shops";
import { recordPixelEvent } from "~/domain/recommendations/pixel";
import { recsPerformance } from "~/domain/recommendations/performance";
import { DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { customer, newShopDomain, routeArgs, webhookRequest } from "../../helpers";

const ORDERED_AT = new Date("2026-11-20T10:00:00Z");
const PERIOD = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") };
const product = (id: string) => DEMO_PRODUCTS.find((p) => p.productId === id)!;

async function shopWithPixel() {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "IDR");
  return { domain, id: shop.id };
}

/** A paid order through the real signed webhook, holding these products (one each). */
async function paid(shop: string, orderId: string, productIds: string[]) {
  const body = orderPaidPayload({
    orderId,
    customer: customer("7001"),
    lines: productIds.map((id) => ({ product: product(id), quantity: 1 })),
    createdAt: ORDERED_AT,
  });
  const res = await ordersPaid(routeArgs(webhookRequest("orders/paid", shop, body)));
  expect(res.status).toBe(200);
  return prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: orderId } });
}

const at = (iso: string) => ({ db: prisma, clock: () => new Date(iso) });
const checkout = (orderId: string, productIds: string[]) => ({
  shop: "x.myshopify.com",
  key: "k",
  id: `co-${orderId}`,
  kind: "checkout" as const,
  orderId,
  productIds,
});
const click = (id: string, surface: "product" | "cart" | "picked", productId = "8001") => ({
  shop: "x.myshopify.com",
  key: "k",
  id,
  kind: "click" as const,
  surface,
  productId,
});

const figures = (domain: string) => recsPerformance({ db: prisma }, { shopDomain: domain, ...PERIOD });

describe("recommendation performance", () => {
  test("GIVEN nothing reported THEN every figure is zero and the dashboard knows the pixel has said nothing", async () => {
    const shop = await shopWithPixel();
    await paid(shop.domain, "6001", ["8001"]);
    expect(await figures(shop.domain)).toMatchObject({
      reported: false,
      pixelConnected: false,
      clicks: 0,
      addToCarts: 0,
      orders: 0,
      revenueMinor: 0,
    });
  });

  test("GIVEN clicks and add-to-carts THEN they are counted by surface, inside the period only", async () => {
    const shop = await shopWithPixel();
    await recordPixelEvent(at("2026-11-10T00:00:00Z"), shop.id, click("a", "product"));
    await recordPixelEvent(at("2026-11-11T00:00:00Z"), shop.id, click("b", "cart"));
    await recordPixelEvent(at("2026-11-11T00:00:00Z"), shop.id, click("c", "cart"));
    await recordPixelEvent(at("2026-11-12T00:00:00Z"), shop.id, { ...click("d", "cart"), kind: "add_to_cart" });
    await recordPixelEvent(at("2026-10-31T23:59:59Z"), shop.id, click("before", "product"));
    await recordPixelEvent(at("2026-12-01T00:00:00Z"), shop.id, click("after", "product"));
    const result = await figures(shop.domain);
    expect(result).toMatchObject({ reported: true, clicks: 3, addToCarts: 1 });
    expect(result.bySurface).toEqual([
      { surface: "product", clicks: 1, addToCarts: 0 },
      { surface: "cart", clicks: 2, addToCarts: 1 },
      { surface: "picked", clicks: 0, addToCarts: 0 },
    ]);
  });

  test("GIVEN a checkout naming a product the signed order holds THEN the order counts once with its whole total", async () => {
    const shop = await shopWithPixel();
    const order = await paid(shop.domain, "6002", ["8001", "8002"]);
    await recordPixelEvent(at("2026-11-20T10:01:00Z"), shop.id, checkout("6002", ["8002"]));
    // The same checkout again, and another product of it: still one order.
    await recordPixelEvent(at("2026-11-20T10:01:05Z"), shop.id, checkout("6002", ["8002", "8001"]));
    const result = await figures(shop.domain);
    expect(result).toMatchObject({ orders: 1, revenueMinor: Number(order.totalMinor), currency: "IDR" });
    expect(Number(order.totalMinor)).toBeGreaterThan(Number(order.subtotalMinor));
  });

  test("GIVEN forged checkouts (no such order, a product the order does not hold, another shop's order) THEN nothing is added", async () => {
    const shop = await shopWithPixel();
    const other = await shopWithPixel();
    await paid(shop.domain, "6003", ["8001"]);
    await paid(other.domain, "6004", ["8003"]);
    await recordPixelEvent(at("2026-11-20T11:00:00Z"), shop.id, checkout("999999", ["8001"]));
    await recordPixelEvent(at("2026-11-20T11:00:00Z"), shop.id, checkout("6003", ["8002"]));
    await recordPixelEvent(at("2026-11-20T11:00:00Z"), shop.id, checkout("6004", ["8003"]));
    expect(await figures(shop.domain)).toMatchObject({ reported: true, orders: 0, revenueMinor: 0 });
    expect(await figures(other.domain)).toMatchObject({ reported: false, orders: 0, revenueMinor: 0 });
  });

  test("GIVEN a counted order WHEN Shopify says it was cancelled THEN it drops out", async () => {
    const shop = await shopWithPixel();
    await paid(shop.domain, "6005", ["8001"]);
    await recordPixelEvent(at("2026-11-20T10:01:00Z"), shop.id, checkout("6005", ["8001"]));
    expect((await figures(shop.domain)).orders).toBe(1);
    const cancelled = {
      ...orderPaidPayload({
        orderId: "6005",
        customer: customer("7001"),
        lines: [{ product: product("8001"), quantity: 1 }],
        createdAt: ORDERED_AT,
      }),
      cancelled_at: "2026-11-21T12:00:00Z",
    };
    expect((await ordersCancelled(routeArgs(webhookRequest("orders/cancelled", shop.domain, cancelled)))).status).toBe(200);
    expect(await figures(shop.domain)).toMatchObject({ orders: 0, revenueMinor: 0 });
  });

  test("GIVEN two counted orders THEN revenue is the sum of their totals; a period that ends before them counts none", async () => {
    const shop = await shopWithPixel();
    const one = await paid(shop.domain, "6006", ["8001"]);
    // The pixel's word may come before Shopify's webhook: the order counts once it is recorded.
    await recordPixelEvent(at("2026-11-20T10:01:00Z"), shop.id, checkout("6007", ["8002"]));
    const two = await paid(shop.domain, "6007", ["8002", "8003"]);
    await recordPixelEvent(at("2026-11-20T10:01:00Z"), shop.id, checkout("6006", ["8001"]));
    expect(await figures(shop.domain)).toMatchObject({ orders: 2, revenueMinor: Number(one.totalMinor + two.totalMinor) });
    const before = await recsPerformance({ db: prisma }, { shopDomain: shop.domain, from: PERIOD.from, to: ORDERED_AT });
    expect(before).toMatchObject({ orders: 0, revenueMinor: 0 });
  });
});
