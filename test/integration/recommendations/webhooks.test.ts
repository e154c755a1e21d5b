// Through the real webhook routes (signed requests): orders/paid counts the order's products
// once, whatever the deliveries; orders/cancelled takes them out; a cancellation first leaves
// nothing counted.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { customer, newShopDomain, routeArgs, webhookRequest } from "../../helpers";
import { countsOf, storedCounts } from "./fixture";

const [beans, filters, mug] = [DEMO_PRODUCTS[0], DEMO_PRODUCTS[5], DEMO_PRODUCTS[6]];

function body(orderId: string, products: (typeof DEMO_PRODUCTS)[number][]) {
  return orderPaidPayload({
    orderId,
    customer: customer("7101"),
    lines: products.map((product) => ({ product, quantity: 1 })),
    createdAt: new Date("2026-11-20T10:00:00Z"),
  });
}
const cancelledBody = (orderId: string, products: (typeof DEMO_PRODUCTS)[number][]) => ({
  ...body(orderId, products),
  cancelled_at: "2026-11-21T12:00:00Z",
});

async function shopId(domain: string) {
  return (await prisma.shop.findUniqueOrThrow({ where: { domain } })).id;
}

describe("recommendation counts from webhooks", () => {
  test("orders/paid twice under two event ids counts once; orders/cancelled takes it out", async () => {
    const shop = newShopDomain();
    const send = (topic: string, payload: unknown, eventId: string) =>
      (topic === "orders/paid" ? orderPaid : orderCancelled)(routeArgs(webhookRequest(topic, shop, payload, { eventId })));
    expect((await send("orders/paid", body("6001", [beans, filters, beans]), "e1")).status).toBe(200);
    expect((await send("orders/paid", body("6001", [beans, filters, beans]), "e2")).status).toBe(200);
    expect((await send("orders/paid", body("6002", [beans, mug]), "e3")).status).toBe(200);
    const id = await shopId(shop);
    const p = (x: (typeof DEMO_PRODUCTS)[number]) => x.productId;
    expect(await storedCounts(id)).toEqual(
      countsOf([
        [p(beans), p(filters)],
        [p(beans), p(mug)],
      ]),
    );
    const titles = await prisma.product.findMany({ where: { shopId: id }, orderBy: { productId: "asc" } });
    expect(titles.map((t) => t.title).sort()).toEqual([beans.title, filters.title, mug.title].sort());

    expect((await send("orders/cancelled", cancelledBody("6002", [beans, mug]), "e4")).status).toBe(200);
    expect((await send("orders/cancelled", cancelledBody("6002", [beans, mug]), "e5")).status).toBe(200);
    expect(await storedCounts(id)).toEqual(countsOf([[p(beans), p(filters)]]));
  });

  test("orders/cancelled before orders/paid: the order never enters the counts", async () => {
    const shop = newShopDomain();
    expect(
      (await orderCancelled(routeArgs(webhookRequest("orders/cancelled", shop, cancelledBody("6101", [beans, filters]))))).status,
    ).toBe(200);
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body("6101", [beans, filters]))))).status).toBe(200);
    const id = await shopId(shop);
    expect(await storedCounts(id)).toEqual({ baskets: 0, items: {}, pairs: {} });
    expect((await prisma.order.findFirstOrThrow({ where: { shopId: id } })).recsCounted).toBe(false);
  });
});
