// A signed App Proxy query with a repeated key is refused (401, nothing written) on every proxy
// route: a key in front of the signed one used to be read as the shopper's identity while the
// signature was checked against the last value (issue 10, item 1).
import { describe, expect, test } from "vitest";
import { TEST_API_SECRET } from "~/config.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { routeArgs } from "../helpers";
import { MEMBER, PROXY_ROUTES, VICTIM, proxyShop, shopSnapshot, type ProxyRoute, type ProxyShop } from "./proxy-fixture";

function send(route: ProxyRoute, fixture: ProxyShop, query: string, n: number) {
  const init: RequestInit = {
    method: route.method,
    headers: { "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.7, 10.0.0.1" },
  };
  if (route.body) init.body = JSON.stringify(route.body(fixture, n));
  return route.handler(routeArgs(new Request(`http://127.0.0.1:3000/proxy/${route.path}?${query}`, init)));
}

const signedFor = (route: ProxyRoute, shop: string, extra = "") =>
  signProxyQuery(new URLSearchParams(extra), { shop, customerId: route.customer ?? MEMBER, secret: TEST_API_SECRET }).toString();

/** The repeated keys an attacker would add, each in front of and behind the signed query. */
function variants(signed: string, otherShop: string): Array<[string, string]> {
  const params = new URLSearchParams(signed);
  const repeated: Record<string, string[]> = {
    shop: [otherShop, params.get("shop")!],
    logged_in_customer_id: [VICTIM, params.get("logged_in_customer_id")!, ""],
    timestamp: [String(Number(params.get("timestamp")) + 30), params.get("timestamp")!],
    path_prefix: ["/apps/other", params.get("path_prefix")!],
    signature: ["0".repeat(64), params.get("signature")!],
  };
  const out: Array<[string, string]> = [];
  for (const [key, values] of Object.entries(repeated)) {
    for (const value of values) {
      const pair = `${key}=${encodeURIComponent(value)}`;
      out.push([`${key}=${JSON.stringify(value)} in front`, `${pair}&${signed}`]);
      out.push([`${key}=${JSON.stringify(value)} behind`, `${signed}&${pair}`]);
    }
  }
  // The same key as the server decodes it: percent-encoded, without "=", "+" for a space.
  out.push(["percent-encoded key in front", `logged%5Fin%5Fcustomer%5Fid=${VICTIM}&${signed}`]);
  out.push(["percent-encoded shop key behind", `${signed}&%73hop=${otherShop}`]);
  out.push(["key without a value in front", `logged_in_customer_id&${signed}`]);
  out.push(["empty shop in front", `shop=&${signed}`]);
  out.push(["signature without a value behind", `${signed}&signature`]);
  return out;
}

describe.each(PROXY_ROUTES)("/proxy/$path with a repeated key", (route) => {
  test("GIVEN any key twice (signed, in front or behind, any encoding) THEN 401 and nothing written", async () => {
    const fixture = await proxyShop();
    const other = await proxyShop();
    const signed = signedFor(route, fixture.shop);
    const before = await shopSnapshot([fixture.shop, other.shop]);
    const answers: Record<string, number> = {};
    let n = 0;
    for (const [name, query] of variants(signed, other.shop)) answers[name] = (await send(route, fixture, query, n++)).status;
    // Both spellings of a repeated key were signed by Shopify's rule (values joined with ","): still refused.
    answers["both spellings of one key, signed"] = (
      await send(route, fixture, signedFor(route, fixture.shop, "x+y=1&x%20y=2"), n++)
    ).status;
    answers["a repeated key of the widget's own, signed"] = (
      await send(route, fixture, signedFor(route, fixture.shop, "ref=A&ref=B"), n++)
    ).status;
    expect(Object.entries(answers).filter(([, status]) => status !== 401)).toEqual([]);
    expect(await shopSnapshot([fixture.shop, other.shop])).toEqual(before);
    // The same query without the repeated key is served.
    expect((await send(route, fixture, signed, n++)).status).toBeLessThan(400);
  });
});
