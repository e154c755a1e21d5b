// POST /pixel/events: the web pixel's reports. CORS on every answer, the body bounded and
// validated, the shop and its key checked, rate limits, and a retried event counted once.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action, loader, PIXEL_MAX_BODY_BYTES } from "~/routes/pixel.events";
import { ensureShop } from "~/domain/shop/shops";
import { newShopDomain, routeArgs } from "../helpers";

const URL = "http://127.0.0.1:3000/pixel/events";
const byte = () => Math.floor(Math.random() * 256);
/**
 * A fresh shopper address per request, so address limits never carry over. The pixel calls the
 * app directly: the load balancer (TRUSTED_PROXY_HOPS=1 in tests) appends it as the last entry.
 */
const newAddress = () => `10.${byte()}.${byte()}.${byte()}`;

async function pixelShop(key = `key-${Math.random().toString(36).slice(2)}`) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "IDR");
  await prisma.shop.update({ where: { id: shop.id }, data: { pixelKey: key } });
  return { domain, id: shop.id, key };
}

function post(body: unknown, opts: { address?: string; raw?: string; headers?: Record<string, string> } = {}) {
  return action(
    routeArgs(
      new Request(URL, {
        method: "POST",
        headers: { "Content-Type": "text/plain", "X-Forwarded-For": opts.address ?? newAddress(), ...opts.headers },
        body: opts.raw ?? JSON.stringify(body),
      }),
    ),
  );
}

const click = (shop: { domain: string; key: string }, overrides: Record<string, unknown> = {}) => ({
  shop: shop.domain,
  key: shop.key,
  id: `sh-${Math.random().toString(36).slice(2)}`,
  kind: "click",
  surface: "product",
  productId: "8001",
  ...overrides,
});

function expectCors(res: Response) {
  expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(res.headers.get("Access-Control-Allow-Methods")).toContain("POST");
}

const events = (shopId: string) => prisma.recsEvent.findMany({ where: { shopId } });

describe("pixel events route", () => {
  test("GIVEN a click with the shop's key THEN 200 with CORS and one event is stored, without the shopper's address", async () => {
    const shop = await pixelShop();
    const address = "10.77.88.99";
    const res = await post(click(shop, { id: "sh-1", productId: "gid://shopify/Product/8002", surface: "cart" }), { address });
    expect(res.status).toBe(200);
    expectCors(res);
    expect(await res.json()).toEqual({ stored: true });
    const rows = await events(shop.id);
    expect(rows).toEqual([expect.objectContaining({ eventId: "sh-1", kind: "click", surface: "cart", productId: "8002" })]);
    // The address itself (a bare "10." also matched a timestamp's seconds, "17:13:10.841Z").
    expect(JSON.stringify(rows)).not.toContain(address);
  });

  test("GIVEN the same event id sent twice THEN it is stored once", async () => {
    const shop = await pixelShop();
    const event = click(shop, { id: "sh-retry", kind: "add_to_cart" });
    const [a, b] = [await post(event), await post(event)];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.json()).toEqual({ stored: false });
    expect(await events(shop.id)).toHaveLength(1);
  });

  test("GIVEN the same event arriving eight times at once THEN it is stored once and every answer is 200", async () => {
    const shop = await pixelShop();
    const event = click(shop, { id: "sh-burst" });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(event)));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await events(shop.id)).toHaveLength(1);
  });

  test("GIVEN a checkout sent twice THEN each product of the order is stored once", async () => {
    const shop = await pixelShop();
    const checkout = {
      shop: shop.domain,
      key: shop.key,
      id: "sh-co",
      kind: "checkout",
      orderId: "gid://shopify/Order/5001",
      productIds: ["8001", "8002", "8001"],
    };
    expect((await post(checkout)).status).toBe(200);
    expect((await post({ ...checkout, id: "sh-co-2" })).status).toBe(200);
    const rows = await prisma.recsCheckout.findMany({ where: { shopId: shop.id }, orderBy: { productId: "asc" } });
    expect(rows.map((r) => [r.shopifyOrderId, r.productId])).toEqual([
      ["5001", "8001"],
      ["5001", "8002"],
    ]);
  });

  test("GIVEN a wrong key, an unknown shop or an uninstalled one THEN 401 with CORS and nothing is stored", async () => {
    const shop = await pixelShop();
    const wrong = await post(click(shop, { key: "not-the-key" }));
    expect(wrong.status).toBe(401);
    expectCors(wrong);
    expect((await wrong.json()).error.code).toBe("UNAUTHORIZED");
    const unknown = await post(click({ domain: newShopDomain(), key: shop.key }));
    expect(unknown.status).toBe(401);
    await prisma.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect((await post(click(shop))).status).toBe(401);
    expect(await events(shop.id)).toHaveLength(0);
  });

  test("GIVEN a shop whose pixel has no key yet THEN no key is accepted, not even an empty-looking one", async () => {
    const domain = newShopDomain();
    const { id } = await ensureShop(prisma, domain, "IDR");
    expect((await post(click({ domain, key: "x" }))).status).toBe(401);
    expect(await events(id)).toHaveLength(0);
  });

  test.each([
    ["not JSON", "{oops"],
    ["an unknown kind", JSON.stringify({ kind: "purchase" })],
    ["an unknown surface", "SURFACE"],
    ["a product id that is not a Shopify id", "PRODUCT"],
    ["extra fields", "EXTRA"],
    ["a checkout without products", "EMPTY_CHECKOUT"],
    ["an event id with control characters", "CONTROL"],
  ])("GIVEN %s THEN 400 BAD_INPUT with CORS and nothing is stored", async (_, raw) => {
    const shop = await pixelShop();
    const bodies: Record<string, unknown> = {
      SURFACE: click(shop, { surface: "homepage" }),
      PRODUCT: click(shop, { productId: "12; drop table" }),
      EXTRA: click(shop, { customerId: "7001" }),
      EMPTY_CHECKOUT: { shop: shop.domain, key: shop.key, id: "sh-x", kind: "checkout", orderId: "5001", productIds: [] },
      CONTROL: click(shop, { id: "sh-\u0000" }),
    };
    const res = await post(null, { raw: raw in bodies ? JSON.stringify(bodies[raw]) : raw });
    expect(res.status).toBe(400);
    expectCors(res);
    expect((await res.json()).error.code).toBe("BAD_INPUT");
    expect(await events(shop.id)).toHaveLength(0);
    expect(await prisma.recsCheckout.count({ where: { shopId: shop.id } })).toBe(0);
  });

  test("GIVEN a body over the limit THEN 413 with CORS before anything is read or stored", async () => {
    const shop = await pixelShop();
    const big = JSON.stringify({ ...click(shop), pad: "x".repeat(PIXEL_MAX_BODY_BYTES) });
    const res = await post(null, { raw: big });
    expect(res.status).toBe(413);
    expectCors(res);
    expect(await events(shop.id)).toHaveLength(0);
  });

  test("GIVEN one address sending fast THEN 429 with Retry-After and CORS once over its limit", async () => {
    const shop = await pixelShop();
    // What the shopper's request claimed, then the address the load balancer saw.
    const address = `192.0.2.1, ${newAddress()}`;
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 61; i++) {
      last = await post(click(shop), { address });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    expectCors(last!);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await events(shop.id)).toHaveLength(60);
  });

  test("GIVEN a preflight THEN 204 with CORS; a GET is 405 with CORS", async () => {
    // Remix gives a resource route's OPTIONS to its loader.
    const preflight = loader(routeArgs(new Request(URL, { method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } })));
    expect(preflight.status).toBe(204);
    expectCors(preflight);
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toContain("Content-Type");
    expect((await action(routeArgs(new Request(URL, { method: "OPTIONS" })))).status).toBe(204);
    const get = loader(routeArgs(new Request(URL)));
    expect(get.status).toBe(405);
    expectCors(get);
  });
});
