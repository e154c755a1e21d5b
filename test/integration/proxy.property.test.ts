// Any request to any App Proxy route answers 2xx or 4xx, never 5xx; a refused one (4xx) writes
// nothing, and so does every request whose input is invalid (issue 10, item 2). Generated:
// query strings (signed, then tampered, repeated, stale, or unsigned junk), methods, headers,
// bodies (random bytes, JSON of the wrong types, deep nesting, huge numbers, strings with NUL
// and HTML, over the size limit). Cases are plain data, so a failure prints readably.
import { beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import prisma from "~/db.server";
import { TEST_API_SECRET } from "~/config.server";
import { MAX_BODY_BYTES } from "~/http.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { routeArgs } from "../helpers";
import { FRIEND, MEMBER, PROXY_ROUTES, VICTIM, proxyShop, routeFor, shopSnapshot, type ProxyRoute, type ProxyShop } from "./proxy-fixture";

let fixture: ProxyShop;
let other: ProxyShop;
/** What the shops held after the previous case: each case is compared with it (one snapshot per case). */
let last: Record<string, string[]>;
beforeAll(async () => {
  fixture = await proxyShop();
  other = await proxyShop();
  last = await shopSnapshot([fixture.shop, other.shop]);
});

const NASTY = [
  "\u0000",
  "a\u0000b",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>\u0000",
  "\ud800",
  "'; DROP TABLE x; --",
  "%00",
  "\u202e",
  " ",
  "x".repeat(300),
  "7".repeat(500),
];
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`),
);
const junkValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [1, 2], { $gt: "" }, "text"),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---- bodies ------------------------------------------------------------------------------

/** A body as data; `invalid` when the route must refuse it whatever else the request carries. */
type BodyCase =
  | { kind: "valid" | "valid + identity fields"; n: number; invalid: false }
  | { kind: "a field of the wrong type"; n: number; field: number; junk: unknown; invalid: true }
  | { kind: "a field missing"; n: number; field: number; invalid: true }
  | { kind: "text fields NUL, HTML or junk"; n: number; nasty: string; invalid: true }
  | { kind: "one text field NUL, HTML or junk"; n: number; field: number; nasty: string; invalid: false }
  | { kind: "raw text"; text: string; invalid: true }
  | { kind: "deep nesting"; depth: number; objects: boolean; invalid: true }
  | { kind: "random bytes"; bytes: number[]; invalid: true }
  | { kind: "over the size limit"; size: number; invalid: true }
  | { kind: "none"; invalid: boolean };

const bodyCases: fc.Arbitrary<BodyCase> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("valid" as const), n: fc.nat(), invalid: fc.constant(false as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("valid + identity fields" as const), n: fc.nat(), invalid: fc.constant(false as const) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("a field of the wrong type" as const),
      n: fc.nat(),
      field: fc.nat(),
      junk: junkValue,
      invalid: fc.constant(true as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("a field missing" as const),
      n: fc.nat(),
      field: fc.nat(),
      invalid: fc.constant(true as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("text fields NUL, HTML or junk" as const),
      n: fc.nat(),
      nasty: nastyString,
      invalid: fc.constant(true as const),
    }),
  },
  // The other fields valid, so the request goes as far as it can (a reward found, an id with NUL).
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("one text field NUL, HTML or junk" as const),
      n: fc.nat(),
      field: fc.nat(),
      nasty: nastyString,
      invalid: fc.constant(false as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("raw text" as const),
      text: fc.oneof(
        fc.constantFrom(
          "1e999",
          "-0",
          "123456789012345678901234567890",
          "NaN",
          "{",
          '{"a":',
          "[]",
          "null",
          '"x"',
          "",
          "\ufeff{}",
          '{"__proto__":{"admin":true}}',
        ),
        fc.json({ maxDepth: 4 }),
      ),
      invalid: fc.constant(true as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deep nesting" as const),
      depth: fc.integer({ min: 1, max: 200_000 }),
      objects: fc.boolean(),
      invalid: fc.constant(true as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("random bytes" as const),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 2048 }),
      invalid: fc.constant(true as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("over the size limit" as const),
      size: fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES + 50_000 }),
      invalid: fc.constant(true as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const, invalid: true }) },
);

function bodyText(route: ProxyRoute, body: BodyCase): string | Uint8Array | null {
  const valid = (n: number) => route.body!(fixture, n) as Record<string, unknown>;
  const json = (value: unknown) => JSON.stringify(value);
  switch (body.kind) {
    case "valid":
      return json(valid(body.n));
    case "valid + identity fields":
      return json({ ...valid(body.n), customerId: VICTIM, logged_in_customer_id: VICTIM, shop: other.shop });
    case "a field of the wrong type": {
      const fields = valid(body.n);
      const key = Object.keys(fields)[body.field % Object.keys(fields).length];
      // Never the right type: a text field gets a non-string, a number field a non-integer or one out of range.
      const junk =
        typeof fields[key] === "number"
          ? typeof body.junk === "number" && Number.isInteger(body.junk) && Math.abs(body.junk) <= 31
            ? 1_000_000
            : body.junk
          : typeof body.junk === "string"
            ? 42
            : body.junk;
      return json({ ...fields, [key]: junk });
    }
    case "a field missing": {
      const fields = valid(body.n);
      delete fields[Object.keys(fields)[body.field % Object.keys(fields).length]];
      return json(fields);
    }
    case "text fields NUL, HTML or junk": {
      const fields = valid(body.n);
      // A birthday has no text field: its numbers become the string.
      const numbers = Object.values(fields).some((v) => typeof v !== "string");
      return json(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, numbers || typeof v === "string" ? body.nasty : v])));
    }
    case "one text field NUL, HTML or junk": {
      const fields = valid(body.n);
      const texts = Object.keys(fields).filter((k) => typeof fields[k] === "string");
      if (texts.length > 0) fields[texts[body.field % texts.length]] = body.nasty;
      return json(fields);
    }
    case "raw text":
      return body.text;
    case "deep nesting":
      return body.objects
        ? `${'{"a":'.repeat(body.depth)}1${"}".repeat(body.depth)}`
        : `${"[".repeat(body.depth)}${"]".repeat(body.depth)}`;
    case "random bytes":
      return Uint8Array.from(body.bytes);
    case "over the size limit":
      return `{"code":"${"A".repeat(body.size - 11)}"}`;
    case "none":
      return null;
  }
}

// ---- queries -----------------------------------------------------------------------------

/** A customer id as Shopify signs it (digits, or empty for a guest), or junk it never sends. */
const customers = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<string | null>(MEMBER, VICTIM, FRIEND, null).map((id) => ({ id, junk: false })) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 63n }).map((n) => ({ id: String(n) as string | null, junk: false })) },
  { weight: 1, arbitrary: nastyString.filter((s) => s !== "" && !/^\d+$/.test(s)).map((id) => ({ id: id as string | null, junk: true })) },
);

type ShopCase = "fixture" | "other" | "never installed" | { junk: string };
const shopCases: fc.Arbitrary<ShopCase> = fc.oneof(
  { weight: 5, arbitrary: fc.constant("fixture" as const) },
  { weight: 1, arbitrary: fc.constantFrom("other" as const, "never installed" as const) },
  { weight: 1, arbitrary: nastyString.map((junk) => ({ junk })) },
);
const shopDomain = (s: ShopCase) =>
  s === "fixture" ? fixture.shop : s === "other" ? other.shop : s === "never installed" ? "never-installed.myshopify.com" : s.junk;

const RESERVED = ["shop", "logged_in_customer_id", "timestamp", "path_prefix", "signature"] as const;
const keyArb = fc.oneof(
  fc.constantFrom(...RESERVED),
  fc.constantFrom("ref", "index", "_data", "hmac", "a b", "a+b", "%61"),
  fc.string({ maxLength: 8 }),
);

/** What is done to the signed query. Every mutation but "none" makes the request unacceptable. */
type Mutation =
  | { kind: "none" }
  | { kind: "repeat"; key: string; value: string; front: boolean; spelling: "plain" | "percent" | "bare" }
  | { kind: "change"; key: string; value: string }
  | { kind: "signature removed" | "signature in capitals" }
  | { kind: "unsigned"; junk: string };

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "none" as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("repeat" as const),
      key: fc.constantFrom(...RESERVED),
      value: fc.oneof(nastyString, fc.constantFrom(VICTIM, "")),
      front: fc.boolean(),
      spelling: fc.constantFrom("plain" as const, "percent" as const, "bare" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("change" as const), key: fc.constantFrom(...RESERVED), value: nastyString }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "signature removed" as const }, { kind: "signature in capitals" as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("unsigned" as const),
      junk: fc.oneof(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.webQueryParameters(),
        fc.constantFrom("%", "%zz", "&&&", "=", "+", "?", "#x", "signature=&timestamp="),
      ),
    }),
  },
);

function mutate(signed: string, m: Mutation): string {
  switch (m.kind) {
    case "none":
      return signed;
    case "repeat": {
      const key = m.spelling === "percent" ? [...m.key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("") : m.key;
      // As a form encoder writes it (a lone surrogate too, which encodeURIComponent refuses).
      const value = new URLSearchParams([["", m.value]]).toString().slice(1);
      const pair = m.spelling === "bare" ? key : `${key}=${value}`;
      return m.front ? `${pair}&${signed}` : `${signed}&${pair}`;
    }
    case "change": {
      const params = new URLSearchParams(signed);
      params.set(m.key, params.get(m.key) === m.value ? `${m.value}x` : m.value);
      return params.toString();
    }
    case "signature removed":
      return signed.replace(/&?signature=[0-9a-f]+/, "");
    case "signature in capitals":
      return signed.replace(/signature=([0-9a-f]+)/, (_m, s: string) => `signature=${s.toUpperCase()}`);
    case "unsigned":
      return m.junk;
  }
}

// ---- headers and the whole case -------------------------------------------------------------

const headerText = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const addresses = fc.oneof(fc.ipV4(), fc.ipV6());
const ips = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.oneof(
      addresses,
      fc.ipV4Extended(),
      headerText,
      fc.array(addresses, { maxLength: 4 }).map((list) => list.join(", ")),
    ),
  },
);
const contentLengths = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom("0", "5", "1e9", "-1", "abc", String(MAX_BODY_BYTES + 1), "99999999999999999999") },
);

interface Case {
  method: string;
  customer: { id: string | null; junk: boolean };
  shop: ShopCase;
  extra: Array<[string, string]>;
  /** Seconds between Shopify signing and the app reading. */
  age: number;
  mutation: Mutation;
  body: BodyCase;
  ip: string | null;
  contentLength: string | null;
}

const noBody = fc.constant<BodyCase>({ kind: "none", invalid: false });

/** Any query, method and headers (mostly with a body the route takes). */
const envelopes = (route: ProxyRoute): fc.Arbitrary<Case> =>
  fc.record({
    method: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string>(route.method) },
      { weight: 1, arbitrary: fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE") },
    ),
    customer: customers,
    shop: shopCases,
    extra: fc.array(fc.tuple(keyArb, fc.oneof(nastyString, fc.constantFrom(VICTIM, ""))), { maxLength: 3 }),
    // Within Shopify's 90 s tolerance, or well outside it.
    age: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -60, max: 60 }) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 120, max: 10 ** 6 }), fc.integer({ min: -(10 ** 6), max: -120 })) },
    ),
    mutation: mutations,
    body: route.body
      ? fc.oneof(
          { weight: 3, arbitrary: fc.record({ kind: fc.constant("valid" as const), n: fc.nat(), invalid: fc.constant(false as const) }) },
          { weight: 1, arbitrary: bodyCases },
        )
      : noBody,
    ip: ips,
    contentLength: contentLengths,
  });

/** Any body, in a request Shopify signed for a shopper of the shop (so the body gets as far as it can). */
const bodiesFor = (route: ProxyRoute): fc.Arbitrary<Case> =>
  fc.record({
    method: fc.constant<string>(route.method),
    customer: fc.constantFrom(route.customer ?? MEMBER, route.customer ?? MEMBER, VICTIM, null).map((id) => ({ id, junk: false })),
    shop: fc.constant<ShopCase>("fixture"),
    extra: fc.constant([]),
    age: fc.integer({ min: 0, max: 30 }),
    mutation: fc.constant<Mutation>({ kind: "none" }),
    body: route.body ? bodyCases : noBody,
    ip: fc.option(addresses, { nil: null, freq: 10 }),
    contentLength: fc.constant(null),
  });

/**
 * Why the request certainly carries invalid input, or null. Invalid input is refused (4xx) and
 * writes nothing at all. Text the schema may take (a code of junk or HTML) is only known to be
 * wrong by the domain: it may count against rate limits (guessing codes must cost attempts)
 * but writes nothing else.
 */
function certainlyInvalid(c: Case, route: ProxyRoute, query: string): { reason: string; counted: boolean } | null {
  const keys = [...new URLSearchParams(query).keys()];
  const refused = (reason: string) => ({ reason, counted: false });
  if (c.mutation.kind !== "none") return refused(c.mutation.kind);
  if (new Set(keys).size !== keys.length) return refused("a key repeats");
  if (Math.abs(c.age) > 90) return refused("stale signature");
  if (c.customer.junk) return refused("a customer id that is not a number");
  if (typeof c.shop === "object") return refused("a shop that is not a shop domain");
  if (route.method === "POST" && c.method !== "POST") return refused("wrong method");
  if (route.method === "POST" && c.contentLength !== null && !/^\d+$/.test(c.contentLength)) return refused("malformed Content-Length");
  if (route.method === "POST" && c.contentLength !== null && Number(c.contentLength) > MAX_BODY_BYTES)
    return refused("declared over the limit");
  if (c.body.kind === "text fields NUL, HTML or junk") return { reason: c.body.kind, counted: true };
  if (c.body.invalid) return refused(c.body.kind);
  return null;
}

async function check(route: ProxyRoute, c: Case): Promise<void> {
  const handler = routeFor(route, c.method);
  fc.pre(handler !== null);
  const signed = signProxyQuery(new URLSearchParams(c.extra), {
    shop: shopDomain(c.shop),
    customerId: c.customer.id,
    secret: TEST_API_SECRET,
    now: new Date(Date.now() - c.age * 1000),
  });
  const query = mutate(signed.toString(), c.mutation);
  const headers = new Headers({ "Content-Type": "application/json" });
  if (c.ip !== null) headers.set("X-Forwarded-For", c.ip);
  const text = c.method === "GET" || c.method === "HEAD" ? null : bodyText(route, c.body);
  if (text !== null && c.contentLength !== null) headers.set("Content-Length", c.contentLength);
  const request = new Request(`http://127.0.0.1:3000/proxy/${route.path}?${query}`, {
    method: c.method,
    headers,
    ...(text !== null ? { body: text as BodyInit } : {}),
  });
  // Limits are tested elsewhere: here a 429 would hide how far the input gets, so each case starts unlimited.
  await prisma.rateLimitHit.deleteMany({ where: { OR: [fixture.shop, other.shop].map((d) => ({ key: { startsWith: `${d}:` } })) } });
  const before = { ...last, rateLimitHit: [] };
  const res = await handler!(routeArgs(request));
  const after = await shopSnapshot([fixture.shop, other.shop]);
  last = after;
  const invalid = certainlyInvalid(c, route, query);
  const label = `${c.method} ${route.path} [${invalid?.reason ?? "valid"}] -> ${res.status} ${res.status >= 400 ? await res.clone().text() : ""}`;
  expect(res.status, label).toBeLessThan(500);
  expect(res.headers.get("Content-Type"), label).toMatch(/^application\/json/);
  if (invalid && !invalid.counted) expect(res.status, label).toBeGreaterThanOrEqual(400);
  if (invalid || res.status >= 400) {
    // A refusal by the domain has counted the attempt, as a limit must; nothing else may change.
    const allowed = !invalid || invalid.counted ? { ...before, rateLimitHit: after.rateLimitHit } : before;
    expect(after, label).toEqual(allowed);
  }
}

describe.each(PROXY_ROUTES)("/proxy/$path, any query, method and headers", (route) => {
  test("answers below 500 with JSON; a refused or invalid request writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(envelopes(route), (c) => check(route, c)),
      { numRuns: 40 },
    );
  }, 600_000);
});

describe.each(PROXY_ROUTES.filter((r) => r.body))("POST /proxy/$path, any body signed for a shopper", (route) => {
  test("answers below 500 with JSON; a refused or invalid request writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(bodiesFor(route), (c) => check(route, c)),
      { numRuns: 50 },
    );
  }, 600_000);
});
