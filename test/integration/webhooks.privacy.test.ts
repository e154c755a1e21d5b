import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { customerDataExport, deleteShopData } from "~/domain/members/compliance";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

async function shopWithMember(customerId: string) {
  const shop = newShopDomain();
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`9${customerId}`, customerId))));
  return shop;
}
const privacyBody = (shop: string, customerId: string) => ({
  shop_id: 1,
  shop_domain: shop,
  customer: { id: Number(customerId), email: `customer-${customerId}@example.com`, phone: null },
  orders_to_redact: [],
});

describe("privacy and lifecycle webhooks", () => {
  test("customers/data_request is recorded and the export holds the profile, orders and every ledger entry", async () => {
    const shop = await shopWithMember("7401");
    expect((await dataRequest(routeArgs(webhookRequest("customers/data_request", shop, privacyBody(shop, "7401"))))).status).toBe(200);
    expect(await prisma.dataRequest.count({ where: { shop: { domain: shop } } })).toBe(1);
    const data = await customerDataExport({ db: prisma }, shop, "7401");
    expect(data?.customer).toMatchObject({
      shopifyCustomerId: "7401",
      email: "customer-7401@example.com",
      balance: 0,
      pendingPoints: 250_000,
    });
    expect(data?.orders).toHaveLength(1);
    expect(data?.pointsEntries).toEqual([expect.objectContaining({ kind: "earn", points: 250_000, source: "order:97401" })]);
  });

  test("customers/redact erases names and email; the ledger and balance stay", async () => {
    const shop = await shopWithMember("7402");
    await prisma.customer.updateMany({
      where: { shop: { domain: shop } },
      data: { birthdayMonth: 3, birthdayDay: 14, birthdaySavedAt: new Date("2026-11-01T00:00:00Z") },
    });
    expect((await customerRedact(routeArgs(webhookRequest("customers/redact", shop, privacyBody(shop, "7402"))))).status).toBe(200);
    const c = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(c).toMatchObject({
      email: null,
      firstName: null,
      lastName: null,
      birthdayMonth: null,
      birthdaySavedAt: null,
      pendingPoints: 250_000,
    });
    expect(c.redactedAt).not.toBeNull();
    const exported = JSON.stringify(await customerDataExport({ db: prisma }, shop, "7402"));
    expect(exported).not.toContain("example.com");
    expect(exported).not.toContain("Test");
  });

  test("shop/redact deletes everything the shop had", async () => {
    const shop = await shopWithMember("7403");
    expect((await shopRedact(routeArgs(webhookRequest("shop/redact", shop, { shop_id: 1, shop_domain: shop })))).status).toBe(200);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.customer.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("deleting a shop's data (shop/redact, the demo seed's --reset) also deletes its rows keyed by shop without a relation", async () => {
    const shop = await shopWithMember("7406");
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    await prisma.analyticsSnapshot.create({ data: { shopId, key: "overview", data: "{}", asOf: new Date() } });
    await deleteShopData(prisma, shop);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.analyticsSnapshot.count({ where: { shopId } })).toBe(0);
    expect(await prisma.job.count({ where: { shopDomain: shop } })).toBe(0);
  });

  test("a forged privacy webhook is refused with 401 and erases nothing", async () => {
    const shop = await shopWithMember("7404");
    const res = await customerRedact(routeArgs(webhookRequest("customers/redact", shop, privacyBody(shop, "7404"), { secret: "forged" })));
    expect(res.status).toBe(401);
    expect((await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } })).email).toBe("customer-7404@example.com");
  });

  test("app/uninstalled removes the shop's sessions and keeps its data until shop/redact", async () => {
    const shop = await shopWithMember("7405");
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "x", accessToken: "token" } });
    expect((await uninstalled(routeArgs(webhookRequest("app/uninstalled", shop, { id: 1 })))).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
    expect(await prisma.customer.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("customers/update keeps the member's profile current", async () => {
    const shop = await shopWithMember("7406");
    const body = { id: 7406, email: "new@example.com", first_name: "Nadia", last_name: "Halim" };
    expect((await customerUpdate(routeArgs(webhookRequest("customers/update", shop, body)))).status).toBe(200);
    expect(await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } })).toMatchObject({
      email: "new@example.com",
      firstName: "Nadia",
    });
  });
});
