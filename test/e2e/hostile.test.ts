// Hostile input from outside (issue 16): the built app as deployed (production mode, a real
// secret and client id, not demo mode) in its own process, spoken to only over HTTP. On SQLite
// (vitest.e2e.config.ts), or on PostgreSQL when TEST_DB=postgresql and TEST_DATABASE_URL name a
// server (vitest.multiserver.config.ts, npm test's PostgreSQL step): a database of its own there.
// 1. forged, tampered and replayed signatures at every boundary answer 401 (admin: no page) and
//    write nothing: every table's rows are compared before and after;
// 2. every route of the built Remix manifest, fuzzed with fast-check (fixed seed, bounded runs),
//    unsigned and validly signed, never answers 5xx;
// 3. a shopper of shop A naming shop B's rewards, orders, customers and codes gets none of B's
//    data and changes nothing of B's.
// The fixture (two shops with members, a reward, a survey and a referral code each) is written
// with the domain's own functions (test/integration/proxy-fixture.ts) before the server starts.
import { execFileSync } from "node:child_process";
import { createHash, createHmac, randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../scripts/server.js";
import { signedWebhookRequest, webhookSignature } from "~/shopify/webhook-signature";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { signSessionToken } from "~/shopify/session-token";
import { unsubscribeToken } from "~/domain/messages/tokens";
import type { Db } from "~/db.server";
import { catalogue, paidOrder, routeArgs, webhookRequest } from "../helpers";
import { freshPostgres } from "../multiserver/cluster";
import { DESKTOP_CHROME_UA } from "./support";

const onPostgres = process.env.TEST_DB === "postgresql" && !!process.env.TEST_DATABASE_URL;
const FILE = ".tmp/e2e-hostile.db";
/** The SQLite file, or set in beforeAll to a PostgreSQL database of its own on TEST_DATABASE_URL's server. */
let DATABASE_URL = `file:./${FILE}`;
const KEY = "hostile-test-key";
const SECRET = "hostile-test-secret";
const port = onPostgres ? 3620 : 3597;
const SERVER_ENV = {
  DEMO_MODE: "",
  NODE_ENV: "production" as const,
  SHOPIFY_API_KEY: KEY,
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
  TRUSTED_PROXY_HOPS: "0",
};
let server: Awaited<ReturnType<typeof startServer>>;
/** The database read from outside the server, on a connection of its own. */
let db: Db;

interface Fixture {
  shop: string;
  shopId: string;
  rewardId: string;
  code: string;
  /** The members' Shopify ids; their paid orders are `3<id>`. */
  member: string;
  victim: string;
}
let A: Fixture;
let B: Fixture;
const B_CUSTOMER = "8801";
const B_ORDER = "8800001";
let MEMBER = "";
let VICTIM = "";
let FRIEND = "";

beforeAll(async () => {
  mkdirSync(".tmp", { recursive: true });
  if (onPostgres) {
    // TEST_DATABASE_URL's database name with _hostile: its own, reset with every migration applied.
    const base = process.env.TEST_DATABASE_URL!;
    DATABASE_URL = await freshPostgres(base, `${decodeURIComponent(new URL(base).pathname.slice(1)) || "kembali"}_hostile`);
  } else {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${FILE}${suffix}`, { force: true });
    execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL }, stdio: "ignore" });
  }
  // The fixture in this process (test mode, the test secret), closed before the server starts.
  process.env.DATABASE_URL = DATABASE_URL;
  const fixture = await import("../integration/proxy-fixture");
  const { default: prisma, createPrisma } = await import("~/db.server");
  ({ MEMBER, VICTIM, FRIEND } = fixture);
  const make = async (): Promise<Fixture> => {
    const f = await fixture.proxyShop();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: f.shop } });
    return { ...f, shopId: shop.id, member: MEMBER, victim: VICTIM };
  };
  A = await make();
  B = await make();
  // A customer and an order only shop B has (A's members share their Shopify ids with B's).
  const { action: orderPaid } = await import("~/routes/webhooks.orders.paid");
  await orderPaid(routeArgs(webhookRequest("orders/paid", B.shop, paidOrder(B_ORDER, B_CUSTOMER, 4))));
  // Shop B's members carry names and emails that must never reach shop A's shoppers.
  await prisma.customer.updateMany({ where: { shopId: B.shopId }, data: { firstName: "Bsecretname", email: "b-secret@example.com" } });
  await prisma.reward.update({ where: { id: B.rewardId }, data: { name: "Bsecretreward" } });
  await prisma.$disconnect();
  db = await createPrisma(DATABASE_URL);
  server = await startServer({ port, quiet: true, env: { ...SERVER_ENV, DATABASE_URL } });
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await db?.$disconnect();
});

// ── the database, read from outside ──────────────────────────────────────────────────────────

/**
 * Background work retries on its own schedule (here it cannot reach Shopify: the shops have no
 * offline session), touching only these bookkeeping columns; every other column of every row
 * and every table's row count is compared exactly.
 */
const BACKGROUND_COLUMNS: Record<string, RegExp> = {
  Job: /^(status|outcome|cursor|progress|total|attempts|error|runAfter|lockedUntil|startedAt|finishedAt|updatedAt)$/,
  RecsState: /^(?!shopId$)/,
  ReferralCode: /^discount/,
};

let tables: string[] | undefined;

/**
 * Every table's rows (sorted, hashed): equal snapshots mean nothing was written. The tables are
 * the database's own catalogue's (every table but Prisma's migration log).
 */
async function snapshot(keep: (row: string) => boolean = () => true): Promise<Record<string, string>> {
  tables ??= [...(await catalogue(db)).keys()].filter((name) => name !== "_prisma_migrations");
  expect(tables.length, "the catalogue lists the app's tables").toBeGreaterThan(30);
  const out: Record<string, string> = {};
  for (const name of tables) {
    const skip = BACKGROUND_COLUMNS[name];
    const rows = (await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}"`))
      .map((r) => (skip ? Object.fromEntries(Object.entries(r).filter(([column]) => !skip.test(column))) : r))
      .map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)))
      .filter(keep)
      .sort();
    out[name] = `${rows.length} rows ${createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16)}`;
  }
  return out;
}

/** Shop B's rows only: any row naming its id or its domain. */
const shopB = () => snapshot((row) => row.includes(B.shopId) || row.includes(B.shop));

/** Waits until background work (jobs after a webhook) has settled: two equal snapshots in a row. */
async function settled(): Promise<Record<string, string>> {
  let last = await snapshot();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await snapshot();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error("the database never settled");
}

/** Waits until a whole background round (every 15 s, app/jobs.server.ts) has passed with nothing written. */
async function quiesce(): Promise<void> {
  let last = JSON.stringify(await snapshot());
  let since = Date.now();
  while (Date.now() - since < 16_000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = JSON.stringify(await snapshot());
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

// ── requests signed the way Shopify signs them (or forged) ───────────────────────────────────

function proxyUrl(path: string, { shop = A.shop, customer = MEMBER as string | null, secret = SECRET, now = new Date(), extra = {} } = {}) {
  const query = signProxyQuery(new URLSearchParams(extra as Record<string, string>), { shop, customerId: customer, secret, now });
  return `${server.url}/proxy/${path}?${query}`;
}

function proxyCall(url: string, body?: unknown) {
  return fetch(
    url,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
  );
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** A session token with any header and claims: forged ones are built here, valid ones by signSessionToken. */
function jwt(claims: Record<string, unknown>, { secret = SECRET, alg = "HS256" } = {}) {
  const head = `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${alg === "none" ? "" : createHmac("sha256", secret).update(head).digest("base64url")}`;
}

function claims(shop: string, customer: string | null, over: Record<string, unknown> = {}) {
  const at = Math.floor(Date.now() / 1000);
  return {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: KEY,
    ...(customer ? { sub: `gid://shopify/Customer/${customer}` } : {}),
    exp: at + 300,
    nbf: at - 5,
    iat: at - 5,
    jti: randomUUID(),
    ...over,
  };
}

const token = (shop: string, customer: string | null) => signSessionToken({ shop, customerId: customer, apiKey: KEY, secret: SECRET });

/** Where Shopify's extension sandbox calls from, as a browser (the library answers bots' user agents 410 before any check). */
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

function extensionCall(path: string, bearer: string, body?: unknown) {
  return fetch(`${server.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${bearer}`,
      "Content-Type": "application/json",
      Origin: EXTENSION_ORIGIN,
      "User-Agent": DESKTOP_CHROME_UA,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

// The extension endpoints, each with a request it would act on for shop A's member.
const EXTENSION_CALLS = (order: string) => [
  { path: `/api/checkout/order?order=${order}` },
  { path: `/api/account/order?order=${order}` },
  { path: "/api/account/summary" },
  { path: "/api/checkout/survey", body: { order, score: 9, comment: "forged" } },
  { path: "/api/account/survey", body: { order, score: 9, comment: "forged" } },
];

// The proxy routes, each with a body it would act on for shop A's member.
const PROXY_CALLS = () => [
  { path: "state" },
  { path: "picked" },
  { path: "survey" },
  { path: "redeem", body: { rewardId: A.rewardId, requestId: `forged-${randomUUID()}` } },
  { path: "action", body: { key: "review", requestId: `forged-${randomUUID()}` } },
  { path: "birthday", body: { month: 3, day: 4 } },
  { path: "referral/visit", body: { code: A.code } },
  { path: "referral/claim", body: { code: A.code, requestId: `forged-${randomUUID()}` } },
  { path: "referral/invite", body: { email: "forged@example.com" } },
  { path: "survey", body: { order: `3${MEMBER}`, score: 9 } },
];

describe("1. forged, tampered and replayed signatures: 401 and nothing written", () => {
  test("the fixture's valid calls are accepted (the refusals below are the signature's, not the route's)", async () => {
    expect((await proxyCall(proxyUrl("state"))).status).toBe(200);
    expect((await extensionCall("/api/account/summary", token(A.shop, MEMBER))).status).toBe(200);
    expect((await extensionCall(`/api/checkout/order?order=3${MEMBER}`, token(A.shop, MEMBER))).status).toBe(200);
    await settled();
  });

  test("webhooks: the same event delivered twice is applied once", async () => {
    const eventId = randomUUID();
    const send = () =>
      fetch(
        signedWebhookRequest(`${server.url}/webhooks/orders/paid`, {
          topic: "orders/paid",
          shop: A.shop,
          body: paidOrder("4999002", MEMBER, 2),
          secret: SECRET,
          eventId,
        }),
      );
    // Every row naming this order or this event (background work may touch others meanwhile).
    const rows = () => snapshot((row) => row.includes("4999002") || row.includes(eventId));
    const before = await rows();
    expect((await send()).status).toBe(200);
    await settled();
    const once = await rows();
    expect(once).not.toEqual(before);
    expect((await send()).status).toBe(200);
    await settled();
    expect(await rows()).toEqual(once);
    // What these valid calls leave to background work (emails, syncs) is done before the
    // refusals below are compared: nothing else writes from here on.
    await quiesce();
  });

  test("webhooks: no HMAC, another secret, a tampered body, a truncated or case-changed HMAC", async () => {
    const before = await settled();
    const body = JSON.stringify(paidOrder("4999001", MEMBER, 3));
    const signed = (over: Record<string, string | null>, raw = body) => {
      const req = signedWebhookRequest(`${server.url}/webhooks/orders/paid`, {
        topic: "orders/paid",
        shop: A.shop,
        raw: body,
        secret: SECRET,
      });
      const headers = new Headers(req.headers);
      for (const [k, v] of Object.entries(over))
        if (v === null) headers.delete(k);
        else headers.set(k, v);
      return fetch(req.url, { method: "POST", headers, body: raw });
    };
    const good = webhookSignature(body, SECRET);
    const cases: [string, Promise<Response>][] = [
      ["no HMAC", signed({ "X-Shopify-Hmac-Sha256": null })],
      ["another secret", signed({ "X-Shopify-Hmac-Sha256": webhookSignature(body, "not-the-secret") })],
      ["tampered body", signed({}, body.replace('"quantity":3', '"quantity":300'))],
      ["truncated HMAC", signed({ "X-Shopify-Hmac-Sha256": good.slice(0, 20) })],
      ["HMAC in hex", signed({ "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("hex") })],
      ["empty HMAC", signed({ "X-Shopify-Hmac-Sha256": "" })],
    ];
    for (const [name, res] of cases) expect([name, (await res).status]).toEqual([name, 401]);
    for (const topic of ["customers/redact", "shop/redact", "app/uninstalled", "refunds/create", "customers/update"]) {
      const res = await fetch(`${server.url}/webhooks/${topic}`, {
        method: "POST",
        body: "{}",
        headers: { "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": A.shop, "X-Shopify-Hmac-Sha256": webhookSignature("{}", "nope") },
      });
      expect([topic, res.status]).toEqual([topic, 401]);
    }
    expect(await settled()).toEqual(before);
  });

  test("App Proxy: another secret, a tampered or repeated key, a stale or future timestamp, no or a malformed signature", async () => {
    const before = await settled();
    const tamper = (url: string, edit: (q: URLSearchParams) => void) => {
      const u = new URL(url);
      edit(u.searchParams);
      return u.toString();
    };
    for (const call of PROXY_CALLS()) {
      const url = proxyUrl(call.path);
      const forged: [string, string][] = [
        ["another secret", proxyUrl(call.path, { secret: "not-the-secret" })],
        ["customer changed", tamper(url, (q) => q.set("logged_in_customer_id", VICTIM))],
        ["shop changed", tamper(url, (q) => q.set("shop", B.shop))],
        ["key added", tamper(url, (q) => q.set("lang", "id"))],
        ["repeated customer", `${url}&logged_in_customer_id=${VICTIM}`],
        ["repeated shop in front", url.replace("?", `?shop=${B.shop}&`)],
        ["repeated signature", `${url}&signature=${new URL(url).searchParams.get("signature")}`],
        ["stale timestamp", proxyUrl(call.path, { now: new Date(Date.now() - 3600_000) })],
        ["future timestamp", proxyUrl(call.path, { now: new Date(Date.now() + 3600_000) })],
        ["no signature", tamper(url, (q) => q.delete("signature"))],
        ["upper-case signature", tamper(url, (q) => q.set("signature", q.get("signature")!.toUpperCase()))],
        ["short signature", tamper(url, (q) => q.set("signature", q.get("signature")!.slice(0, 63)))],
      ];
      for (const [name, bad] of forged) {
        const res = await proxyCall(bad, call.body);
        expect([call.path, name, res.status]).toEqual([call.path, name, 401]);
      }
    }
    expect(await settled()).toEqual(before);
  });

  test("extensions: another secret, another app, expired, not yet valid, alg none, no token, a shop without Kembali, no customer", async () => {
    const before = await settled();
    const at = Math.floor(Date.now() / 1000);
    const forged: [string, string][] = [
      ["another secret", jwt(claims(A.shop, MEMBER), { secret: "not-the-secret" })],
      ["another app", jwt(claims(A.shop, MEMBER, { aud: "another-app" }))],
      ["no audience", jwt(claims(A.shop, MEMBER, { aud: undefined }))],
      ["expired", jwt(claims(A.shop, MEMBER, { exp: at - 60, iat: at - 400, nbf: at - 400 }))],
      ["not yet valid", jwt(claims(A.shop, MEMBER, { nbf: at + 600, iat: at + 600, exp: at + 900 }))],
      ["alg none", jwt(claims(A.shop, MEMBER), { alg: "none" })],
      ["alg none, signed", jwt(claims(A.shop, MEMBER), { alg: "none", secret: SECRET }).replace(/\.$/, ".x")],
      ["HS512", jwt(claims(A.shop, MEMBER), { alg: "HS512" })],
      ["a shop without Kembali", jwt(claims("not-installed.myshopify.com", MEMBER))],
      ["not a shop", jwt(claims("example.com", MEMBER))],
      ["a customer that is not a gid", jwt(claims(A.shop, null, { sub: MEMBER }))],
      ["garbage", "not.a.token"],
      ["empty", ""],
    ];
    for (const call of EXTENSION_CALLS(`3${MEMBER}`)) {
      for (const [name, bad] of forged) {
        const res = await extensionCall(call.path, bad, call.body);
        expect([call.path, name, res.status]).toEqual([call.path, name, 401]);
      }
      const none = await fetch(`${server.url}${call.path}`, {
        method: call.body ? "POST" : "GET",
        body: call.body ? "{}" : undefined,
        headers: { Origin: EXTENSION_ORIGIN, "User-Agent": DESKTOP_CHROME_UA },
      });
      expect([call.path, "no header", none.status]).toEqual([call.path, "no header", 401]);
    }
    // A customer-account token must name a customer.
    expect((await extensionCall("/api/account/summary", token(A.shop, null))).status).toBe(401);
    expect(await settled()).toEqual(before);
  });

  test("admin pages and actions without a session: no page, no data, nothing written", async () => {
    const before = await settled();
    const pages = [
      "/app",
      "/app/rewards",
      "/app/customers",
      `/app/customers/${MEMBER}`,
      "/app/settings",
      "/app/surveys/export.csv",
      "/app/settings/export.csv",
    ];
    for (const path of pages) {
      for (const query of [
        "",
        `?shop=${A.shop}`,
        `?shop=${A.shop}&host=eA&embedded=1&id_token=${jwt(claims(A.shop, null), { secret: "forged" })}`,
      ]) {
        for (const method of ["GET", "POST"]) {
          const res = await fetch(`${server.url}${path}${query}`, {
            method,
            redirect: "manual",
            headers: { "User-Agent": DESKTOP_CHROME_UA },
            ...(method === "POST" ? { body: new URLSearchParams({ intent: "create", name: "x" }) } : {}),
          });
          const text = await res.text();
          expect([path, query, method, res.status < 500 && res.status !== 200]).toEqual([path, query, method, true]);
          expect(text).not.toContain(A.rewardId);
          expect(text).not.toContain("Bsecret");
        }
      }
    }
    expect(await settled()).toEqual(before);
  });
});

describe("3. shop A's shopper naming shop B's ids: none of B's data, nothing of B's changed", () => {
  const leaks = (text: string) => ["Bsecret", "b-secret@", B.shop, B.shopId].filter((marker) => text.includes(marker));

  test("proxy and extension calls for shop A with B's reward, order, customer and referral code", async () => {
    const before = await settled();
    const bBefore = await shopB();
    const calls: [string, () => Promise<Response>][] = [
      ["redeem B's reward", () => proxyCall(proxyUrl("redeem"), { rewardId: B.rewardId, requestId: `cross-${randomUUID()}` })],
      ["survey on B's order", () => proxyCall(proxyUrl("survey"), { order: B_ORDER, score: 3, comment: "cross" })],
      ["visit B's referral code", () => proxyCall(proxyUrl("referral/visit"), { code: B.code })],
      [
        "claim B's referral code",
        () => proxyCall(proxyUrl("referral/claim", { customer: FRIEND }), { code: B.code, requestId: `cross-${randomUUID()}` }),
      ],
      ["state as B's customer", () => proxyCall(proxyUrl("state", { customer: B_CUSTOMER }))],
      ["picked as B's customer", () => proxyCall(proxyUrl("picked", { customer: B_CUSTOMER }))],
      ["survey as B's customer", () => proxyCall(proxyUrl("survey", { customer: B_CUSTOMER }))],
      ["B's order, checkout", () => extensionCall(`/api/checkout/order?order=${B_ORDER}`, token(A.shop, MEMBER))],
      ["B's order, checkout guest", () => extensionCall(`/api/checkout/order?order=${B_ORDER}`, token(A.shop, null))],
      ["B's order as B's customer, account", () => extensionCall(`/api/account/order?order=${B_ORDER}`, token(A.shop, B_CUSTOMER))],
      ["B's customer's summary in A", () => extensionCall("/api/account/summary", token(A.shop, B_CUSTOMER))],
      ["answer on B's order, checkout", () => extensionCall("/api/checkout/survey", token(A.shop, null), { order: B_ORDER, score: 2 })],
      ["answer on B's order, account", () => extensionCall("/api/account/survey", token(A.shop, B_CUSTOMER), { order: B_ORDER, score: 2 })],
    ];
    for (const [name, call] of calls) {
      const res = await call();
      const text = await res.text();
      expect([name, res.status < 500, leaks(text)]).toEqual([name, true, []]);
    }
    // Acting on another shop's things is refused, not answered with success.
    for (const [name, call] of calls.slice(0, 4)) expect([name, (await call()).status >= 400]).toEqual([name, true]);
    await settled();
    expect(await shopB()).toEqual(bBefore);
    // The members of A that share B's Shopify ids see their own points, not B's.
    const own = JSON.parse(await (await proxyCall(proxyUrl("state"))).text());
    expect(JSON.stringify(own)).not.toContain("Bsecret");
    expect(before).toBeDefined();
  });
});

// ── 2. fuzz every route of the built app ─────────────────────────────────────────────────────

/** Every route's URL pattern, from the built server's manifest (what the server really serves). */
function manifestPaths(): string[] {
  const out = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      'const m = await import("./build/index.js"); console.log(JSON.stringify(Object.values(m.routes).map((r) => ({ id: r.id, path: r.path ?? "", parentId: r.parentId })))); process.exit(0);',
    ],
    { env: { ...process.env, ...SERVER_ENV, DATABASE_URL: "file:./.tmp/e2e-hostile-manifest.db" }, encoding: "utf8" },
  );
  const routes = JSON.parse(out.trim().split("\n").pop()!) as { id: string; path: string; parentId?: string }[];
  const byId = new Map(routes.map((r) => [r.id, r]));
  const full = (r: { path: string; parentId?: string }): string => {
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    return [parent ? full(parent) : "", r.path].filter(Boolean).join("/");
  };
  return [...new Set(routes.map((r) => `/${full(r)}`.replace(/\/+/g, "/")))].sort();
}

const FUZZ_SEED = 16;
const FUZZ_RUNS = 2000;

describe("2. every route, fuzzed: 4xx, never 5xx", () => {
  test("what the fuzz found, kept as fixed cases", async () => {
    const ua = { "User-Agent": DESKTOP_CHROME_UA };
    // The login page asked with HEAD, or posted a body that is not a form: was a 500.
    for (const query of ["", `?shop=${A.shop}`]) {
      const head = await fetch(`${server.url}/auth/login${query}`, { method: "HEAD", headers: ua, redirect: "manual" });
      expect([query, head.status]).toEqual([query, query ? 302 : 200]);
    }
    const notForm = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { ...ua, "Content-Type": "text/plain" },
      body: "shop",
    });
    expect(notForm.status).toBe(400);
    // A mail client's one-click unsubscribe (RFC 8058) posts a form body: the server closed the
    // connection without an answer. A forged token is answered 400 with the page.
    const oneClick = await fetch(`${server.url}/messages/unsubscribe?t=forged`, {
      method: "POST",
      headers: { ...ua, "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(400);
    // A real one-click unsubscribe is answered and done.
    const victim = () =>
      db.customer.findUniqueOrThrow({
        where: { shopId_shopifyCustomerId: { shopId: A.shopId, shopifyCustomerId: VICTIM } },
        select: { id: true, unsubscribedAt: true },
      });
    expect((await victim()).unsubscribedAt).toBeNull();
    const done = await fetch(`${server.url}/messages/unsubscribe?t=${unsubscribeToken(SECRET, A.shopId, (await victim()).id)}`, {
      method: "POST",
      headers: { ...ua, "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(done.status).toBe(200);
    expect((await victim()).unsubscribedAt).not.toBeNull();
    // A storefront call that needs Shopify, for a shop without an offline session: was a 500.
    const redeem = await proxyCall(proxyUrl("redeem"), { rewardId: A.rewardId, requestId: `nosession-${randomUUID()}` });
    expect(await redeem.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  test("fast-check over the manifest's routes, methods, queries, bodies and headers, unsigned and signed", async () => {
    const paths = manifestPaths();
    expect(paths).toEqual(expect.arrayContaining(["/proxy/redeem", "/webhooks/orders/paid", "/api/account/summary", "/app/rewards"]));
    const ids = () => [A.rewardId, B.rewardId, MEMBER, VICTIM, B_CUSTOMER, B_ORDER, `3${MEMBER}`, A.code, B.code];
    const text = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.constantFrom(
        ...ids(),
        "",
        "0",
        "-1",
        "1e309",
        "9".repeat(40),
        "..",
        "%",
        "%00",
        "<script>",
        "null",
        "gid://shopify/Customer/1",
        "a".repeat(3000),
      ),
      fc.integer().map(String),
    );
    const value = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(text, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), text, { maxKeys: 3 }),
      fc.constantFrom(2 ** 53 + 1, -0, 1e308),
    );
    const fields = [
      "rewardId",
      "requestId",
      "code",
      "email",
      "month",
      "day",
      "order",
      "score",
      "comment",
      "key",
      "intent",
      "name",
      "id",
      "lang",
    ];
    const object = fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 6 })), value, { maxKeys: 6 });
    const webhookBody = fc
      .tuple(fc.constantFrom(...Object.keys(paidOrder("1", MEMBER) as object)), value)
      .map(([k, v]) => JSON.stringify({ ...(paidOrder("4999100", MEMBER) as object), [k]: v }));
    const body = fc.oneof(
      fc.constant(undefined),
      text,
      object.map((o) => JSON.stringify(o)),
      object.map((o) =>
        new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString(),
      ),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      webhookBody,
    );
    const pathFor = (pattern: string) =>
      fc
        .array(text, { minLength: 3, maxLength: 3 })
        .map((seg) => pattern.replace(/:[A-Za-z]+\??|\*/g, () => encodeURIComponent(seg.pop() ?? "x")) || "/");
    const request = fc.record({
      path: fc.constantFrom(...paths).chain(pathFor),
      method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"),
      query: fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(...fields, "shop", "timestamp", "signature", "logged_in_customer_id", "path_prefix"),
            fc.string({ maxLength: 6 }),
          ),
          text,
        ),
        {
          maxLength: 4,
        },
      ),
      body,
      contentType: fc.constantFrom(
        "application/json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
        "application/json; charset=bogus",
      ),
      sign: fc.constantFrom("none", "signed", "signed", "signed"),
      shop: fc.constantFrom(A.shop, B.shop, "not-installed.myshopify.com"),
      customer: fc.constantFrom(MEMBER, VICTIM, FRIEND, B_CUSTOMER, null, "0", "99999999999999999999"),
    });

    const started = Date.now();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const query = new URLSearchParams(r.query);
        const headers: Record<string, string> = { "User-Agent": DESKTOP_CHROME_UA };
        if (r.contentType) headers["Content-Type"] = r.contentType;
        const hasBody = r.body !== undefined && r.method !== "GET" && r.method !== "HEAD";
        const raw = hasBody ? r.body! : "";
        let search = query.toString();
        if (r.sign === "signed") {
          // What each boundary's valid signature looks like, so the handlers' own checks are reached.
          if (r.path.startsWith("/proxy/"))
            search = signProxyQuery(query, { shop: r.shop, customerId: r.customer, secret: SECRET }).toString();
          if (r.path.startsWith("/webhooks/")) {
            Object.assign(headers, {
              "X-Shopify-Hmac-Sha256": webhookSignature(raw, SECRET),
              "X-Shopify-Topic": r.path.slice("/webhooks/".length),
              "X-Shopify-Shop-Domain": r.shop,
              "X-Shopify-Webhook-Id": randomUUID(),
              "X-Shopify-Event-Id": randomUUID(),
              "X-Shopify-API-Version": "2025-10",
              "X-Shopify-Triggered-At": new Date().toISOString(),
            });
          }
          if (r.path.startsWith("/api/")) {
            headers.Authorization = `Bearer ${token(r.shop, r.customer)}`;
            headers.Origin = EXTENSION_ORIGIN;
          }
        }
        const url = `${server.url}${r.path}${search ? `?${search}` : ""}`;
        const shown = `${r.method} ${url} ${JSON.stringify(headers)} ${raw.slice(0, 300)}`;
        const send = async () => {
          const res = await fetch(url, { method: r.method, headers, redirect: "manual", ...(hasBody ? { body: raw } : {}) });
          await res.arrayBuffer();
          return res.status;
        };
        let status = 0;
        try {
          status = await send().catch((error: Error) => {
            // A kept-alive connection the server closed while idle, reused by fetch: sent again once.
            if (String(error.cause).includes("other side closed")) return send();
            throw error;
          });
        } catch (error) {
          throw new Error(`no answer (${String(error)}: ${String((error as Error).cause)}) to ${shown}`);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) throw new Error(`${status} for ${shown}`);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    console.log(
      `fuzz: ${FUZZ_RUNS} requests over ${paths.length} routes in ${Date.now() - started} ms, answers ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
  }, 240_000);
});
