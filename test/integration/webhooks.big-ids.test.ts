// Shopify's ids are 64-bit. Our sample payloads (test/fixtures/shopify) are shaped like what
// Shopify sends, with ids past 2^53 as JSON numbers: they must reach the database digit for
// digit, earn, and be reversed by a refund naming the same order.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { newShopDomain, points, rawWebhookRequest, routeArgs } from "../helpers";

const ORDER = readFileSync("test/fixtures/shopify/orders-paid.json", "utf8");
const REFUND = readFileSync("test/fixtures/shopify/refunds-create.json", "utf8");

const ORDER_ID = "820982911946154508";
const CUSTOMER_ID = "115310627314723954";

describe("ids past 2^53, from the raw body to the database", () => {
  test("the ids in the samples really are past 2^53 (JSON.parse would change them)", () => {
    const rounded = JSON.parse(ORDER) as {
      id: number;
      customer: { id: number };
      line_items: Array<{ product_id: number; variant_id: number }>;
    };
    expect(String(rounded.id)).not.toBe(ORDER_ID);
    expect(String(rounded.customer.id)).not.toBe(CUSTOMER_ID);
    expect(String(rounded.line_items[0].product_id)).not.toBe("9007199254740993");
  });

  test("GIVEN Shopify's shape of orders/paid WHEN it arrives THEN every id is stored exactly and the customer earns; a refund of that order reverses it", async () => {
    const shop = newShopDomain();
    const paid = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, ORDER)));
    expect(paid.status).toBe(200);

    const order = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop } }, include: { lines: true, customer: true } });
    expect(order.shopifyOrderId).toBe(ORDER_ID);
    expect(order.customer?.shopifyCustomerId).toBe(CUSTOMER_ID);
    expect(order.subtotalMinor).toBe(19_900n);
    expect(order.lines.map((l) => [l.productId, l.variantId, l.quantity]).sort()).toEqual([
      ["632910392", "9223372036854775807", 2],
      ["9007199254740993", "808950810296651219", 1],
    ]);
    // 1 point per whole dollar of the $199.00 subtotal, pending.
    expect(await points(shop, CUSTOMER_ID)).toEqual({ balance: 0, pending: 199 });
    const earn = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "earn" } });
    expect(earn).toMatchObject({ sourceId: ORDER_ID, idempotencyKey: `earn:order:${ORDER_ID}` });

    const refunded = await refundCreate(routeArgs(rawWebhookRequest("refunds/create", shop, REFUND)));
    expect(refunded.status).toBe(200);
    const refund = await prisma.refund.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(refund).toMatchObject({ shopifyRefundId: "509562969126291532", shopifyOrderId: ORDER_ID, subtotalMinor: 14_900n });
    // $149.00 of $199.00 refunded: 149 of the 199 points are reversed.
    expect(await points(shop, CUSTOMER_ID)).toEqual({ balance: 0, pending: 50 });
    const reversal = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "reverse" } });
    expect(reversal).toMatchObject({ points: -149, sourceId: ORDER_ID, idempotencyKey: "reverse:refund:509562969126291532" });

    // Cancelling the same order takes back what the refund left.
    const cancelled = ORDER.replace('"cancelled_at": null', '"cancelled_at": "2026-11-23T08:00:00+07:00"');
    expect((await orderCancelled(routeArgs(rawWebhookRequest("orders/cancelled", shop, cancelled)))).status).toBe(200);
    expect(await points(shop, CUSTOMER_ID)).toEqual({ balance: 0, pending: 0 });
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN customers/create, customers/update and the privacy webhooks with a 64-bit customer id THEN the same customer row is found by its exact id", async () => {
    const shop = newShopDomain();
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, ORDER)))).status).toBe(200);
    const next = "115310627314723955"; // the sample customer's id + 1: the same Number in JavaScript
    expect(Number(next)).toBe(Number(CUSTOMER_ID));
    const customer = (id: string, name: string) =>
      `{"id":${id},"email":"c-${id}@example.com","first_name":"${name}","last_name":"W","tags":"vip","admin_graphql_api_id":"gid://shopify/Customer/${id}"}`;

    expect((await customerCreate(routeArgs(rawWebhookRequest("customers/create", shop, customer(next, "Nia"))))).status).toBe(200);
    expect(
      (await customerUpdate(routeArgs(rawWebhookRequest("customers/update", shop, customer(CUSTOMER_ID, "Sari Updated"))))).status,
    ).toBe(200);
    const rows = await prisma.customer.findMany({ where: { shop: { domain: shop } }, orderBy: { shopifyCustomerId: "asc" } });
    expect(rows.map((c) => [c.shopifyCustomerId, c.firstName])).toEqual([
      [CUSTOMER_ID, "Sari Updated"],
      [next, "Nia"],
    ]);

    const privacy = (id: string) =>
      `{"shop_id":954889,"shop_domain":"${shop}","customer":{"id":${id},"email":"c-${id}@example.com"},"orders_to_redact":[${ORDER_ID}]}`;
    expect((await dataRequest(routeArgs(rawWebhookRequest("customers/data_request", shop, privacy(next))))).status).toBe(200);
    expect((await prisma.dataRequest.findFirstOrThrow({ where: { shop: { domain: shop } } })).shopifyCustomerId).toBe(next);
    expect((await customerRedact(routeArgs(rawWebhookRequest("customers/redact", shop, privacy(next))))).status).toBe(200);
    const after = await prisma.customer.findMany({ where: { shop: { domain: shop } }, orderBy: { shopifyCustomerId: "asc" } });
    // Only the redacted customer's personal data is gone; the other keeps theirs.
    expect(after.find((c) => c.shopifyCustomerId === CUSTOMER_ID)?.firstName).toBe("Sari Updated");
    expect(after.find((c) => c.shopifyCustomerId === next)?.email ?? null).not.toBe(`c-${next}@example.com`);
  });

  test("GIVEN an id that is not an exact Shopify id THEN 400 and nothing is written", async () => {
    const shop = newShopDomain();
    for (const bad of [
      "-820982911946154508",
      "8.20982911946154508e17",
      '"0820982911946154508"',
      "123456789012345678901",
      '"12 34"',
      "1.5",
      "0",
    ]) {
      const body = ORDER.replace(`"id": ${ORDER_ID},`, `"id": ${bad},`);
      const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, body)));
      expect([bad, res.status]).toEqual([bad, 400]);
    }
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.webhookEvent.count({ where: { shopDomain: shop } })).toBe(0);
  });
});
