// Every webhook route (every topic in shopify.app.toml) against generated requests: bytes that
// are not UTF-8, JSON of the wrong types, deep nesting, huge and tiny numbers, exotic amounts,
// NUL and HTML strings, missing and malformed headers, wrong and missing signatures, bodies
// around and over 1 MB. Whatever arrives: never a 5xx, never an error logged, and a refused
// request leaves every row of the shop as it was.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import fc from "fast-check";
import prisma from "~/db.server";
import { TEST_API_SECRET } from "~/config.server";
import { webhookSignature } from "~/shopify/webhook-signature";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { defaultSettings } from "~/domain/earning/program";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

type Action = (args: ReturnType<typeof routeArgs>) => Promise<Response>;

const TOPICS = [...readFileSync("shopify.app.toml", "utf8").matchAll(/^\s*uri\s*=\s*"\/webhooks\/([^"]+)"/gm)].map((m) => m[1]);
const routes: Record<string, Action> = {};

const SEEDED = newShopDomain();
const ORDER_ID = 6100;
const CUSTOMER_ID = 7100;

/** A payload each route accepts, to be mutated. */
function validPayload(topic: string, shop: string): Record<string, unknown> {
  const order = paidOrder(String(ORDER_ID + 1), String(CUSTOMER_ID), 2);
  const customer = { id: CUSTOMER_ID, email: "seed@example.com", first_name: "Seed", last_name: "Member", tags: "vip, wholesale" };
  const privacy = { shop_id: 1, shop_domain: shop, customer: { id: CUSTOMER_ID, email: "seed@example.com" }, orders_to_redact: [ORDER_ID] };
  switch (topic) {
    case "orders/paid":
      return order;
    case "orders/cancelled":
      return { ...order, cancelled_at: "2026-11-22T10:00:00Z" };
    case "orders/fulfilled":
      return { ...order, updated_at: "2026-11-23T10:00:00Z", fulfillments: [{ created_at: "2026-11-23T09:00:00Z", status: "success" }] };
    case "refunds/create":
      return {
        id: 9100,
        order_id: ORDER_ID,
        created_at: "2026-11-21T10:00:00Z",
        refund_line_items: [{ subtotal: "125000.00", subtotal_set: { shop_money: { amount: "125000.00", currency_code: "IDR" } } }],
        transactions: [{ kind: "refund", status: "success", amount: "125000.00", currency: "IDR" }],
      };
    case "customers/create":
    case "customers/update":
    case "customers/enable":
      return customer;
    case "customers/data_request":
    case "customers/redact":
      return privacy;
    case "shop/redact":
      return { shop_id: 1, shop_domain: shop };
    case "app/uninstalled":
      return { id: 1, name: "Seed shop", domain: shop };
    case "app_subscriptions/update":
      return {
        app_subscription: {
          admin_graphql_api_id: "gid://shopify/AppSubscription/1029266947",
          name: "Kembali Growth",
          status: "ACTIVE",
          created_at: "2026-11-01T00:00:00Z",
          updated_at: "2026-11-02T00:00:00Z",
        },
      };
    default:
      throw new Error(`No payload for ${topic}: add one when a topic is added to shopify.app.toml`);
  }
}

/** A JSON token written as is (numbers JSON.stringify cannot write: 1e400, 64-bit integers). */
const raw = (text: string) => ({ __raw: text });
const EXOTIC: unknown[] = [
  raw("1e308"),
  raw("-1e308"),
  raw("1e400"),
  raw("5e-324"),
  raw("-0"),
  raw("0"),
  raw("-1"),
  raw("0.1"),
  raw("9007199254740993"),
  raw("18446744073709551616"),
  raw("123456789012345678901234567890"),
  raw("1.000000000000000000001"),
  "0.001",
  "0.01",
  "1e5",
  "-1.00",
  "12,50",
  " 1.00",
  "99999999999999999999.99",
  "99999999999.99",
  "21474836.48",
  "9007199254740.99",
  "90071992547409.91",
  "0.000000001",
  "1.",
  ".5",
  "",
  "NaN",
  "Infinity",
  "１２",
  "٣",
  "\u0000",
  "a\u0000b",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "\ud800",
  "x\udfffy",
  "💥",
  "x".repeat(5_000),
  '\'; DROP TABLE "Shop"; --',
  "gid://shopify/Order/1",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59-05:00",
  "2026-02-30T00:00:00Z",
  "not a date",
  "IDR",
  "JPY",
  "KWD",
  "XXX",
  "usd",
  null,
  true,
  false,
  [],
  {},
  [1, 2],
  { a: 1 },
  [{ code: "\u0000" }],
];

/** Every path into a payload (objects and arrays), so a mutation can land anywhere. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function setAt(target: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(target) ? [...target] : { ...(target as object) }) as Record<string | number, unknown>;
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), value);
  return copy;
}

function serialise(value: unknown): string {
  const tokens: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v && typeof v === "object" && "__raw" in v) {
      tokens.push(String((v as { __raw: string }).__raw));
      return `@@raw${tokens.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => tokens[Number(i)]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Bodies, by kind. `validPayload` bodies are mutated at random paths with exotic values. */
function bodies(topic: string, shop: string): fc.Arbitrary<{ kind: string; bytes: Uint8Array }> {
  const base = validPayload(topic, shop);
  const allPaths = paths(base);
  const mutated = fc
    .array(fc.tuple(fc.constantFrom(...allPaths), fc.constantFrom(...EXOTIC)), { minLength: 1, maxLength: 3 })
    .map((edits) => ({ kind: "mutated", bytes: utf8(serialise(edits.reduce<unknown>((v, [p, x]) => setAt(v, p, x), base))) }));
  const nested = fc
    .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom("[", '{"a":'), fc.boolean())
    .map(([depth, open, inside]) => {
      const close = open === "[" ? "]" : "}";
      const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
      return { kind: "nested", bytes: utf8(inside ? serialise({ ...base, customer: raw(deep), line_items: raw(deep) }) : deep) };
    });
  const badUtf8 = fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]).map((bad) => {
    const text = serialise({ ...base, email: "@@bad@@" });
    const [head, tail] = text.split("@@bad@@");
    return { kind: "invalid-utf8", bytes: new Uint8Array([...utf8(head), ...bad, ...utf8(tail)]) };
  });
  const sized = fc.constantFrom(0, 999_999, 1_000_000, 1_000_001, 2_000_000).map((size) => {
    if (size === 0) return { kind: "empty", bytes: new Uint8Array(0) };
    const bare = serialise({ ...base, padding: "" });
    return { kind: `size-${size}`, bytes: utf8(serialise({ ...base, padding: "p".repeat(Math.max(0, size - bare.length)) })) };
  });
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: "bytes", bytes })) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((s) => ({ kind: "json", bytes: utf8(s) })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("{", "NaN", "Infinity", "-", "1e999", "null", "[]", "true", '"\\u0000"', "{}", '{"id":1,"id":2}')
        .map((s) => ({ kind: "literal", bytes: utf8(s) })),
    },
    { weight: 1, arbitrary: nested },
    { weight: 1, arbitrary: badUtf8 },
    { weight: 1, arbitrary: sized },
    { weight: 1, arbitrary: fc.constant({ kind: "valid", bytes: utf8(serialise(base)) }) },
  );
}

interface Shape {
  method: string;
  hmac: "valid" | "missing" | "wrong-secret" | "other-body" | "hex" | "garbage" | "empty";
  drop: readonly string[];
  shop: "seeded" | "fresh" | string;
  eventId: "fresh" | string;
  topicHeader: "same" | string;
  triggeredAt: "now" | "absent" | string;
  contentLength: "absent" | "actual" | "smaller" | "larger" | string;
}

const REQUIRED = ["X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"];

const shapes: fc.Arbitrary<Shape> = fc.record({
  method: fc.oneof({ weight: 30, arbitrary: fc.constant("POST") }, { weight: 1, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE") }),
  hmac: fc.oneof(
    { weight: 20, arbitrary: fc.constant("valid" as const) },
    {
      weight: 3,
      arbitrary: fc.constantFrom("missing", "wrong-secret", "other-body", "hex", "garbage", "empty") as fc.Arbitrary<Shape["hmac"]>,
    },
  ),
  drop: fc.oneof(
    { weight: 20, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.subarray(REQUIRED.slice(1), { minLength: 1 }) },
  ),
  shop: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom("seeded", "fresh") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "EVIL.myshopify.com",
        "evil.example.com",
        "<b>x</b>.myshopify.com",
        "",
        "a".repeat(300) + ".myshopify.com",
        "ünï.myshopify.com",
      ),
    },
  ),
  eventId: fc.oneof(
    { weight: 10, arbitrary: fc.constant("fresh") },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "e".repeat(300), "<script>", "seed-event") },
  ),
  topicHeader: fc.oneof(
    { weight: 12, arbitrary: fc.constant("same") },
    { weight: 1, arbitrary: fc.constantFrom("orders/paid", "ORDERS/PAID", "", "../../etc", "a".repeat(200)) },
  ),
  triggeredAt: fc.oneof(
    { weight: 4, arbitrary: fc.constant("now") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "absent",
        "garbage",
        "0000-01-01T00:00:00Z",
        "+275760-09-13T00:00:00.000Z",
        "2026-13-45T99:99:99Z",
        "1969-12-31T23:59:59Z",
      ),
    },
  ),
  contentLength: fc.oneof(
    { weight: 10, arbitrary: fc.constant("absent") },
    { weight: 1, arbitrary: fc.constantFrom("actual", "smaller", "larger", "abc", "-1", "99999999999999999999", "") },
  ),
});

function request(topic: string, shop: string, bytes: Uint8Array, s: Shape): Request {
  const headers = new Headers({
    "Content-Type": "application/json",
    "X-Shopify-Topic": s.topicHeader === "same" ? topic : s.topicHeader,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2025-10",
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Event-Id": s.eventId === "fresh" ? randomUUID() : s.eventId,
  });
  const hmac = {
    valid: webhookSignature(bytes, TEST_API_SECRET),
    "wrong-secret": webhookSignature(bytes, "not-the-secret"),
    // Signed, but over other bytes than those sent (never the same: a fixed "{}" was, when "{}" was the body).
    "other-body": webhookSignature(Buffer.concat([bytes, Buffer.from(" ")]), TEST_API_SECRET),
    hex: Buffer.from(webhookSignature(bytes, TEST_API_SECRET), "base64").toString("hex"),
    garbage: "<script>alert(1)</script>",
    empty: "",
    missing: null,
  }[s.hmac];
  if (hmac !== null) headers.set("X-Shopify-Hmac-Sha256", hmac);
  if (s.triggeredAt === "now") headers.set("X-Shopify-Triggered-At", new Date().toISOString());
  else if (s.triggeredAt !== "absent") headers.set("X-Shopify-Triggered-At", s.triggeredAt);
  const lengths: Record<string, string> = {
    actual: String(bytes.length),
    smaller: String(Math.max(0, bytes.length - 1)),
    larger: String(bytes.length + 1),
  };
  if (s.contentLength !== "absent") headers.set("Content-Length", lengths[s.contentLength] ?? s.contentLength);
  for (const name of s.drop) headers.delete(name);
  return new Request(`http://127.0.0.1:3000/webhooks/${topic}`, {
    method: s.method,
    headers,
    body: new Uint8Array(bytes),
  });
}

const canonical = (_k: string, v: unknown) => {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v) && v.every((x) => x && typeof x === "object" && "id" in x)) {
    return [...v].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  }
  return v;
};

/**
 * The background sync's bookkeeping (what was last written to Shopify, what should be, retries
 * and leases), left out of the comparison. Sweeps over every shop at once write these columns of
 * any shop, this one included, whatever a request does: other test files run them in parallel
 * (refreshAppearanceDigests marks the digest of a shop made again by a webhook after shop/redact),
 * so they could change between `before` and `after` of a request that wrote nothing. A request
 * that writes one of them writes a compared column too (settings, balance, uninstalledAt, a code's
 * discountRevision); every other column, and every row, is compared.
 */
const SYNC_ONLY = {
  shop: {
    appearanceDigest: true,
    appearanceSyncedDigest: true,
    appearanceLockedUntil: true,
    pixelConnectedAt: true,
    pixelLockedUntil: true,
    bestSellersWritten: true,
  },
  customer: { metafieldBalance: true, metafieldHoldout: true },
  // The messages dispatcher marks every shop's new events as routed.
  customerEvent: { routedAt: true },
  referralCode: {
    discountStatus: true,
    discountId: true,
    discountTerms: true,
    discountError: true,
    discountAttempts: true,
    discountRetryAt: true,
    discountLockedUntil: true,
  },
} as const;

/** Every row of the shop that a webhook can write (less the sync's bookkeeping, SYNC_ONLY). */
async function snapshot(domain: string): Promise<string> {
  const shop = await prisma.shop.findUnique({
    where: { domain },
    omit: SYNC_ONLY.shop,
    include: {
      customers: { omit: SYNC_ONLY.customer },
      orders: { include: { lines: true } },
      refunds: true,
      pointsEntries: true,
      dataRequests: true,
      redemptions: true,
      referrals: true,
      referralCodes: { omit: SYNC_ONLY.referralCode },
      friendRewards: true,
      referralInvites: true,
      orderContacts: true,
    },
  });
  const shopId = shop?.id ?? "-";
  const [events, customerEvents, tierChanges, jobs] = await Promise.all([
    prisma.webhookEvent.findMany({ where: { shopDomain: domain } }),
    prisma.customerEvent.findMany({ where: { shopId }, omit: SYNC_ONLY.customerEvent }),
    prisma.tierChange.findMany({ where: { shopId } }),
    prisma.job.findMany({ where: { shopDomain: domain } }),
  ]);
  return JSON.stringify({ shop, events, customerEvents, tierChanges, jobs }, canonical);
}

const errors: string[] = [];

beforeAll(async () => {
  for (const topic of TOPICS) {
    const route = (await import(`../../app/routes/webhooks.${topic.replaceAll("/", ".")}.tsx`)) as { action: Action };
    routes[topic] = route.action;
  }
  // The seeded shop: a member with an order, stamps counted per product bought, referrals on (the default).
  await ensureShop(prisma, SEEDED, "IDR");
  const defaults = defaultSettings("IDR");
  await updateProgramSettings(prisma, SEEDED, { ...defaults, stamps: { ...defaults.stamps, enabled: true, counts: "products" } });
  const seeded = await routes["orders/paid"](
    routeArgs(webhookRequest("orders/paid", SEEDED, paidOrder(String(ORDER_ID), String(CUSTOMER_ID), 3), { eventId: "seed-event" })),
  );
  expect(seeded.status).toBe(200);
  // The routes log refusals (warn) on stdout and anything unexpected (error) on stderr.
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(" ")));
}, 60_000);

afterAll(() => {
  vi.restoreAllMocks();
});

describe("every webhook route, any request", () => {
  test("the routes under test are exactly the topics in shopify.app.toml", () => {
    expect(TOPICS.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(routes).sort()).toEqual([...TOPICS].sort());
  });

  test("never 5xx; unsigned never passes 401/405/413; signed answers 200 or 400; refused writes nothing", async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TOPICS).chain((topic) => fc.tuple(fc.constant(topic), shapes, bodies(topic, SEEDED))),
        async ([topic, s, body]) => {
          const shop = s.shop === "seeded" ? SEEDED : s.shop === "fresh" ? newShopDomain() : s.shop;
          const bytes = body.bytes;
          const before = await snapshot(shop);
          const errorsBefore = errors.length;
          const res = await routes[topic](routeArgs(request(topic, shop, bytes, s)));
          const key = `${body.kind}:${res.status}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);

          expect(res.status, `${topic} ${body.kind} ${JSON.stringify(s)}`).toBeLessThan(500);
          expect(errors.slice(errorsBefore)).toEqual([]);
          if (res.status >= 300) expect(await snapshot(shop)).toBe(before);

          const tooLarge =
            bytes.length > 1_000_000 ||
            (s.contentLength !== "absent" &&
              s.contentLength !== "smaller" &&
              s.contentLength !== "actual" &&
              s.contentLength !== "larger") ||
            (s.contentLength === "larger" && bytes.length + 1 > 1_000_000) ||
            (s.contentLength === "actual" && bytes.length > 1_000_000);
          const trusted =
            s.method === "POST" &&
            s.hmac === "valid" &&
            s.drop.length === 0 &&
            s.topicHeader !== "" &&
            s.topicHeader !== "ORDERS/PAID" &&
            s.topicHeader !== "../../etc" &&
            s.topicHeader.length < 100 &&
            (s.shop === "seeded" || s.shop === "fresh") &&
            s.eventId.length <= 255;
          if (s.method !== "POST") expect(res.status).toBe(405);
          else if (tooLarge) expect(res.status).toBe(413);
          else if (!trusted) expect(res.status).toBe(401);
          else expect([200, 400]).toContain(res.status);
          if (res.status !== 200)
            expect((await res.json()) as unknown).toMatchObject({ error: { code: expect.stringMatching(/^[A-Z_]+$/) } });
        },
      ),
      { numRuns: Number(process.env.WEBHOOK_PROPERTY_RUNS ?? 300) },
    );
    if (process.env.WEBHOOK_PROPERTY_STATS) process.stderr.write(JSON.stringify([...seen].sort()) + "\n");
    // The generators reached every kind of outcome (a generator that never gets past the HMAC tests nothing).
    const statuses = new Set([...seen.keys()].map((k) => k.split(":")[1]));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["200", "400", "401", "413"]));
  }, 600_000);
});
