// Our App Proxy signature check (decision 024): Shopify's algorithm, every key once, the
// timestamp within 90 s either way, a timing-safe compare.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { proxySignature, signProxyQuery, verifyProxyQuery } from "~/shopify/proxy-signature";

const SECRET = "hush";
const NOW = new Date("2026-12-07T10:00:00Z");
const seconds = Math.floor(NOW.getTime() / 1000);
const signed = (extra = "", at = NOW) =>
  signProxyQuery(new URLSearchParams(extra), { shop: "shop-name.myshopify.com", customerId: "1", secret: SECRET, now: at }).toString();

describe("proxySignature", () => {
  test("reproduces the signature of Shopify's documented forwarded request", () => {
    const query = new URLSearchParams(
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555",
    );
    expect(proxySignature(query, SECRET)).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
  });

  test("sorts the key=value pairs as text, as Shopify does (not the keys: 'a-b=' before 'a=')", () => {
    const query = new URLSearchParams("a=1&a-b=2");
    expect(proxySignature(query, SECRET)).toBe(createHmac("sha256", SECRET).update("a-b=2a=1").digest("hex"));
  });
});

describe("verifyProxyQuery", () => {
  test("a query as Shopify signs it: its parameters, exactly", () => {
    const params = verifyProxyQuery(signed("ref=ABC"), SECRET, NOW);
    expect(params && Object.fromEntries(params)).toEqual({
      ref: "ABC",
      shop: "shop-name.myshopify.com",
      path_prefix: "/apps/kembali",
      timestamp: String(seconds),
      logged_in_customer_id: "1",
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test("the timestamp may be 90 s off either way, not 91; it must be whole seconds", () => {
    for (const off of [-90, 0, 90]) expect(verifyProxyQuery(signed("", new Date(NOW.getTime() + off * 1000)), SECRET, NOW)).not.toBeNull();
    for (const off of [-91, 91, -3600]) expect(verifyProxyQuery(signed("", new Date(NOW.getTime() + off * 1000)), SECRET, NOW)).toBeNull();
    for (const timestamp of ["", "1e9", " 1", "1.5", "abc", "-1"]) {
      const query = new URLSearchParams({ shop: "s.myshopify.com", timestamp });
      query.set("signature", proxySignature(query, SECRET));
      expect(verifyProxyQuery(query.toString(), SECRET, NOW)).toBeNull();
    }
    // No timestamp at all (the library let this through: |now - NaN| > 90 is false).
    const bare = new URLSearchParams({ shop: "s.myshopify.com" });
    bare.set("signature", proxySignature(bare, SECRET));
    expect(verifyProxyQuery(bare.toString(), SECRET, NOW)).toBeNull();
  });

  test("anything not signed is refused: another secret, a changed or added parameter (hmac too), a malformed signature", () => {
    expect(verifyProxyQuery(signed(), "other", NOW)).toBeNull();
    expect(verifyProxyQuery(signed().replace("logged_in_customer_id=1", "logged_in_customer_id=2"), SECRET, NOW)).toBeNull();
    expect(verifyProxyQuery(`${signed()}&extra=1`, SECRET, NOW)).toBeNull();
    // The library leaves `hmac` out of the message, so it could be added to a signed query.
    expect(verifyProxyQuery(`${signed()}&hmac=1`, SECRET, NOW)).toBeNull();
    const signature = new URLSearchParams(signed()).get("signature")!;
    expect(verifyProxyQuery(signed().replace(signature, signature.toUpperCase()), SECRET, NOW)).toBeNull();
    expect(verifyProxyQuery(signed().replace(signature, signature.slice(0, 63)), SECRET, NOW)).toBeNull();
    expect(verifyProxyQuery("", SECRET, NOW)).toBeNull();
  });

  test("any key twice is refused, whatever its value and spelling, even where Shopify signed both values", () => {
    const query = signed();
    for (const key of ["shop", "logged_in_customer_id", "timestamp", "path_prefix", "signature"]) {
      const value = new URLSearchParams(query).get(key)!;
      expect(verifyProxyQuery(`${key}=${encodeURIComponent(value)}&${query}`, SECRET, NOW)).toBeNull();
      expect(verifyProxyQuery(`${query}&${key}=${encodeURIComponent(value)}`, SECRET, NOW)).toBeNull();
      expect(verifyProxyQuery(`${key}&${query}`, SECRET, NOW)).toBeNull();
    }
    expect(verifyProxyQuery(`%73%68%6f%70=x&${query}`, SECRET, NOW)).toBeNull();
    expect(verifyProxyQuery(signed("a+b=1&a%20b=2"), SECRET, NOW)).toBeNull();
    expect(verifyProxyQuery(signed("a=&a"), SECRET, NOW)).toBeNull();
    // Shopify's own documented example repeats `extra`: refused too (the widget never repeats a key).
    const documented =
      "extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb";
    expect(verifyProxyQuery(documented, SECRET, new Date(1317327555_000))).toBeNull();
    expect(verifyProxyQuery(documented.replace("extra=1&extra=2", "extra=1%2C2"), SECRET, new Date(1317327555_000))).not.toBeNull();
  });
});
