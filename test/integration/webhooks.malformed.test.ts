// Signed webhooks that are not what Shopify sends answer 4xx (never 500, which Shopify retries
// as a failure of ours) and write nothing; bodies over 1 MB are refused before the HMAC check.
import { afterEach, describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { config, DEMO_API_SECRET } from "~/config.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { webhookSignature } from "~/shopify/webhook-signature";
import { newShopDomain, paidOrder, points, rawWebhookRequest, routeArgs, webhookRequest } from "../helpers";

/** Rows a webhook for this shop could have written. */
async function written(shop: string) {
  const [shops, events, customers, orders, entries, refunds] = await Promise.all([
    prisma.shop.count({ where: { domain: shop } }),
    prisma.webhookEvent.count({ where: { shopDomain: shop } }),
    prisma.customer.count({ where: { shop: { domain: shop } } }),
    prisma.order.count({ where: { shop: { domain: shop } } }),
    prisma.pointsEntry.count({ where: { shop: { domain: shop } } }),
    prisma.refund.count({ where: { shop: { domain: shop } } }),
  ]);
  return { shops, events, customers, orders, entries, refunds };
}
const NOTHING = { shops: 0, events: 0, customers: 0, orders: 0, entries: 0, refunds: 0 };

describe("signed bodies that are not JSON", () => {
  for (const body of ["{", "NaN", "", "[1,", '{"id":1,"id":2}', "\uFEFF\uFEFF{}"]) {
    test(`GIVEN a signed body ${JSON.stringify(body)} THEN 400 BAD_INPUT and nothing is written`, async () => {
      const shop = newShopDomain();
      const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, body)));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
      expect(await written(shop)).toEqual(NOTHING);
    });
  }

  test("GIVEN a signed body that is not UTF-8 THEN 400 BAD_INPUT (the signature is checked on the exact bytes)", async () => {
    const shop = newShopDomain();
    const bytes = new Uint8Array([...new TextEncoder().encode('{"id":1,"email":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const res = await customerUpdate(routeArgs(rawWebhookRequest("customers/update", shop, bytes)));
    expect(res.status).toBe(400);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("GIVEN JSON nested 100,000 deep THEN 400, not a stack overflow", async () => {
    const shop = newShopDomain();
    const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, "[".repeat(100_000) + "]".repeat(100_000))));
    expect(res.status).toBe(400);
    expect(await written(shop)).toEqual(NOTHING);
  });
});

describe("amounts that are not money in the order's currency", () => {
  const order = (field: "subtotal_price" | "total_price" | "price", value: string) => {
    const body = paidOrder("5301", "7301", 1);
    const text = JSON.stringify(body);
    const target = field === "price" ? '"price":"125000.00"' : `"${field}":"${body[field]}"`;
    return text.replace(target, target.split(":")[0] + ":" + value);
  };

  for (const [field, value] of [
    ["subtotal_price", '"0.001"'], // IDR has 2 decimals
    ["total_price", '"12345678901234567890.00"'],
    ["subtotal_price", "1e308"],
    ["price", '"0.001"'],
    ["price", "90071992547409.93"],
  ] as const) {
    test(`GIVEN ${field} ${value} in IDR THEN 400 BAD_INPUT and nothing is written`, async () => {
      const shop = newShopDomain();
      const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, order(field, value))));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
      expect(await written(shop)).toEqual(NOTHING);
    });
  }

  test("GIVEN a refund whose amount the shop's currency refuses (no currency in the payload) THEN 400 and the refund is not kept", async () => {
    const shop = newShopDomain();
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5302", "7302", 1))));
    const before = await written(shop);
    const refund = {
      id: 77,
      order_id: 5302,
      created_at: "2026-11-21T10:00:00Z",
      refund_line_items: [],
      transactions: [{ kind: "refund", status: "success", amount: "0.001" }],
    };
    const res = await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund)));
    expect(res.status).toBe(400);
    expect(await written(shop)).toEqual(before);
  });

  test("GIVEN refunded line items adding up past exact integers THEN 400", async () => {
    const shop = newShopDomain();
    const line = { subtotal: "90071992547409.91", subtotal_set: { shop_money: { amount: "90071992547409.91", currency_code: "IDR" } } };
    const refund = { id: 78, order_id: 5303, created_at: "2026-11-21T10:00:00Z", refund_line_items: [line, line] };
    const res = await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund)));
    expect(res.status).toBe(400);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("GIVEN an order that would earn more points than a balance holds (Rp300 billion at 1 point per rupiah) THEN 400 and nothing is written, on both databases", async () => {
    const shop = newShopDomain();
    const body = JSON.stringify(paidOrder("5304", "7304", 1)).replace('"subtotal_price":"125000.00"', '"subtotal_price":"300000000000.00"');
    const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, body)));
    expect(res.status).toBe(400);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("GIVEN a member near the points limit WHEN another order would pass it THEN 400; the earlier points stand", async () => {
    const shop = newShopDomain();
    const big = (id: string) =>
      JSON.stringify(paidOrder(id, "7305", 1)).replace('"subtotal_price":"125000.00"', '"subtotal_price":"1500000000.00"');
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, big("5305"))))).status).toBe(200);
    expect(await points(shop)).toEqual({ balance: 0, pending: 1_500_000_000 });
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, big("5306"))))).status).toBe(400);
    expect(await points(shop)).toEqual({ balance: 0, pending: 1_500_000_000 });
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
  });
});

describe("text the databases cannot store, and headers", () => {
  test("GIVEN NUL characters and a lone surrogate in a customer's name THEN 200, stored with U+FFFD in their place", async () => {
    const shop = newShopDomain();
    const body = '{"id":7306,"email":"nul@example.com","first_name":"Bu\\u0000di","last_name":"\\ud800Santoso","tags":"<b>vip</b>"}';
    const res = await customerUpdate(routeArgs(rawWebhookRequest("customers/update", shop, body)));
    expect(res.status).toBe(200);
    const row = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect([row.firstName, row.lastName]).toEqual(["Bu\uFFFDdi", "\uFFFDSantoso"]);
  });

  test("GIVEN an X-Shopify-Triggered-At that is not a date THEN it is ignored: 200 and the order is paid at its processed_at", async () => {
    const shop = newShopDomain();
    const signed = webhookRequest("orders/paid", shop, paidOrder("5307", "7307", 1));
    const headers = new Headers(signed.headers);
    headers.set("X-Shopify-Triggered-At", "yesterday-ish");
    const res = await orderPaid(routeArgs(new Request(signed.url, { method: "POST", headers, body: await signed.text() })));
    expect(res.status).toBe(200);
    const order = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(order.paidAt?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
  });

  test("GIVEN a signed body for a shop domain that is not a myshopify.com domain THEN 401 and nothing is written", async () => {
    for (const shop of ["evil.example.com", "Upper.myshopify.com", "<script>.myshopify.com"]) {
      const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("5308", "7308", 1))));
      expect([shop, res.status]).toEqual([shop, 401]);
      expect(await written(shop)).toEqual(NOTHING);
    }
  });

  test("GIVEN a GET or PUT THEN 405", async () => {
    const shop = newShopDomain();
    const signed = webhookRequest("orders/paid", shop, paidOrder("5309", "7309", 1));
    const res = await orderPaid(routeArgs(new Request(signed.url, { method: "PUT", headers: signed.headers, body: await signed.text() })));
    expect(res.status).toBe(405);
    expect(await written(shop)).toEqual(NOTHING);
  });
});

describe("body size before authentication", () => {
  /** A valid orders/paid body padded to exactly `size` bytes. */
  function padded(size: number, orderId: string) {
    const body = { ...paidOrder(orderId, "7310", 1), padding: "" };
    const bare = JSON.stringify(body).length;
    return JSON.stringify({ ...body, padding: "p".repeat(size - bare) });
  }

  test("GIVEN 2 MB unsigned THEN 413 before the HMAC is looked at, declared or streamed", async () => {
    const shop = newShopDomain();
    const body = "x".repeat(2_000_000);
    const declared = new Request("http://127.0.0.1:3000/webhooks/orders/paid", {
      method: "POST",
      body,
      headers: { "Content-Length": String(body.length), "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": shop },
    });
    expect((await orderPaid(routeArgs(declared))).status).toBe(413);
    const streamed = new Request("http://127.0.0.1:3000/webhooks/orders/paid", {
      method: "POST",
      body,
      headers: { "X-Shopify-Shop-Domain": shop },
    });
    expect(streamed.headers.get("Content-Length")).toBeNull();
    expect((await orderPaid(routeArgs(streamed))).status).toBe(413);
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("GIVEN 2 MB with a valid HMAC THEN 413 and nothing is written", async () => {
    const shop = newShopDomain();
    const body = padded(2_000_000, "5310");
    const res = await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, body)));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await written(shop)).toEqual(NOTHING);
  });

  test("GIVEN 1 MB - 1 byte, signed valid JSON THEN it is processed; 1 MB + 1 byte is refused", async () => {
    const shop = newShopDomain();
    const under = padded(999_999, "5311");
    expect(new TextEncoder().encode(under).length).toBe(999_999);
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, under)))).status).toBe(200);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);

    const over = padded(1_000_001, "5312");
    expect((await orderPaid(routeArgs(rawWebhookRequest("orders/paid", shop, over)))).status).toBe(413);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
  });
});

describe("demo mode", () => {
  // This file's own copy of the config (vitest isolates modules per file), switched to demo
  // mode with a demo shop of its own, so no other test's demo shop rows are touched.
  const saved = { ...config };
  afterEach(() => {
    Object.assign(config, saved);
  });

  test("GIVEN the public demo secret WHEN it signs a webhook for a shop other than the demo shop THEN 401; for the demo shop it is accepted", async () => {
    Object.assign(config, { mode: "demo", apiSecret: DEMO_API_SECRET, demoShop: newShopDomain() });
    const other = newShopDomain();
    const forged = rawWebhookRequest("orders/paid", other, JSON.stringify(paidOrder("5313", "7313", 1)), { secret: DEMO_API_SECRET });
    expect(forged.headers.get("X-Shopify-Hmac-Sha256")).toBe(
      webhookSignature(JSON.stringify(paidOrder("5313", "7313", 1)), DEMO_API_SECRET),
    );
    expect((await orderPaid(routeArgs(forged))).status).toBe(401);
    expect(await written(other)).toEqual(NOTHING);

    const own = rawWebhookRequest("orders/paid", config.demoShop, JSON.stringify(paidOrder("5313", "7313", 1)), {
      secret: DEMO_API_SECRET,
    });
    expect((await orderPaid(routeArgs(own))).status).toBe(200);
    expect(await prisma.order.count({ where: { shop: { domain: config.demoShop } } })).toBe(1);
  });
});
