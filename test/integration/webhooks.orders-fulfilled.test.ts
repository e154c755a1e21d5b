// orders/fulfilled records when an order was fulfilled (the storefront survey card waits on it):
// signed like every webhook, the first fulfilment time kept, other shops' orders untouched.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as paid } from "~/routes/webhooks.orders.paid";
import { action } from "~/routes/webhooks.orders.fulfilled";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const fulfilled = (id: string, at: string, extra: object = {}) => ({
  ...paidOrder(id, "7101"),
  updated_at: "2026-11-25T09:00:00+07:00",
  fulfillments: [{ id: 1, status: "success", created_at: at }],
  ...extra,
});

async function fulfilledAt(shop: string, order: string) {
  const row = await prisma.order.findFirst({ where: { shop: { domain: shop }, shopifyOrderId: order }, select: { fulfilledAt: true } });
  return row?.fulfilledAt?.toISOString() ?? null;
}

describe("orders/fulfilled webhook", () => {
  test("GIVEN a paid order WHEN its fulfilment arrives THEN the order keeps the fulfilment's time, and a later one changes nothing", async () => {
    const shop = newShopDomain();
    await paid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5101", "7101"))));
    expect(await fulfilledAt(shop, "5101")).toBeNull();
    const res = await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5101", "2026-11-22T10:00:00+07:00"))));
    expect(res.status).toBe(200);
    expect(await fulfilledAt(shop, "5101")).toBe("2026-11-22T03:00:00.000Z");
    const again = await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5101", "2026-11-29T10:00:00+07:00"))));
    expect(again.status).toBe(200);
    expect(await fulfilledAt(shop, "5101")).toBe("2026-11-22T03:00:00.000Z");
  });

  test("GIVEN no fulfilment list THEN the order's update time counts; GIVEN several THEN the last", async () => {
    const shop = newShopDomain();
    for (const id of ["5102", "5103"]) await paid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(id, "7101"))));
    await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5102", "x", { fulfillments: null }))));
    expect(await fulfilledAt(shop, "5102")).toBe("2026-11-25T02:00:00.000Z");
    const two = [{ created_at: "2026-11-23T00:00:00Z" }, { created_at: "2026-11-24T00:00:00Z" }];
    await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5103", "x", { fulfillments: two }))));
    expect(await fulfilledAt(shop, "5103")).toBe("2026-11-24T00:00:00.000Z");
  });

  test("GIVEN a forged signature THEN 401 and nothing written; GIVEN another shop's order id THEN that order is untouched", async () => {
    const shop = newShopDomain();
    const other = newShopDomain();
    await paid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5104", "7101"))));
    const forged = await action(
      routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5104", "2026-11-22T10:00:00Z"), { secret: "not-the-secret" })),
    );
    expect(forged.status).toBe(401);
    expect(await fulfilledAt(shop, "5104")).toBeNull();
    const elsewhere = await action(routeArgs(webhookRequest("orders/fulfilled", other, fulfilled("5104", "2026-11-22T10:00:00Z"))));
    expect(elsewhere.status).toBe(200);
    expect(await fulfilledAt(shop, "5104")).toBeNull();
  });

  test("GIVEN cash on delivery (fulfilled before paid) THEN the fulfilment is kept, and orders/paid later earns once with it", async () => {
    const shop = newShopDomain();
    const res = await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5105", "2026-11-22T10:00:00+07:00"))));
    expect(res.status).toBe(200);
    const kept = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: "5105" } });
    expect(kept).toMatchObject({ paidAt: null, fulfilledAt: new Date("2026-11-22T03:00:00.000Z") });
    expect(await prisma.pointsEntry.count({ where: { shopId: kept.shopId } })).toBe(0);
    // A second fulfilment event before payment changes nothing.
    await action(routeArgs(webhookRequest("orders/fulfilled", shop, fulfilled("5105", "2026-11-23T10:00:00+07:00"))));
    expect(await fulfilledAt(shop, "5105")).toBe("2026-11-22T03:00:00.000Z");

    expect((await paid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5105", "7101"))))).status).toBe(200);
    const after = await prisma.order.findFirstOrThrow({ where: { id: kept.id } });
    expect(after.paidAt).not.toBeNull();
    expect(after.fulfilledAt?.toISOString()).toBe("2026-11-22T03:00:00.000Z");
    expect(after.customerId).toBe(kept.customerId);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(await prisma.pointsEntry.count({ where: { shopId: kept.shopId, kind: "earn", sourceId: "5105" } })).toBe(1);
  });

  test("GIVEN an unknown order whose body is not a whole order THEN 200 and nothing kept (nothing to keep it with)", async () => {
    const shop = newShopDomain();
    const res = await action(
      routeArgs(webhookRequest("orders/fulfilled", shop, { id: 5106, fulfillments: [{ created_at: "2026-11-22T10:00:00Z" }] })),
    );
    expect(res.status).toBe(200);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN a body without an order id THEN 400 and nothing written", async () => {
    const shop = newShopDomain();
    const res = await action(routeArgs(webhookRequest("orders/fulfilled", shop, { fulfillments: [] })));
    expect(res.status).toBe(400);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(0);
  });
});
