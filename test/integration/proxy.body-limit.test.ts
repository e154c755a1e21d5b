// The App Proxy's POST bodies are bounded before the signature is checked: over 1 MB is 413,
// signed or not, declared or streamed, and nothing is written (issue 10, item 4).
import { describe, expect, test } from "vitest";
import { TEST_API_SECRET } from "~/config.server";
import { MAX_BODY_BYTES } from "~/http.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { routeArgs } from "../helpers";
import { MEMBER, PROXY_ROUTES, proxyShop, shopSnapshot } from "./proxy-fixture";

const TWO_MB = 2 * 1024 * 1024;
/** JSON the route would otherwise parse: a long string in its first field. */
const bigJson = (size: number) => `{"code":"${"A".repeat(size - 11)}"}`;

function streamOf(text: string) {
  const bytes = new TextEncoder().encode(text);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(sent, sent + 64 * 1024));
      sent += 64 * 1024;
    },
  });
}

describe.each(PROXY_ROUTES.filter((r) => r.method === "POST"))("POST /proxy/$path with a body over 1 MB", (route) => {
  test("GIVEN 2 MB, signed or unsigned, declared or streamed THEN 413 PAYLOAD_TOO_LARGE and nothing written", async () => {
    const { shop } = await proxyShop();
    const signed = signProxyQuery(new URLSearchParams(), { shop, customerId: MEMBER, secret: TEST_API_SECRET });
    const before = await shopSnapshot([shop]);
    const body = bigJson(TWO_MB);
    const requests = [
      ["signed, declared", `?${signed}`, { "Content-Length": String(body.length) }, body],
      ["unsigned, declared", "", { "Content-Length": String(body.length) }, body],
      ["signed, streamed", `?${signed}`, {}, streamOf(body)],
      ["unsigned, streamed", "", {}, streamOf(body)],
      ["signed, declared small but 2 MB sent", `?${signed}`, { "Content-Length": "10" }, streamOf(body)],
    ] as const;
    for (const [name, query, headers, payload] of requests) {
      const res = await route.handler(
        routeArgs(
          new Request(`http://127.0.0.1:3000/proxy/${route.path}${query}`, {
            method: "POST",
            headers: { "Content-Type": "application/json", ...headers },
            body: payload,
            duplex: "half",
          } as RequestInit),
        ),
      );
      expect([name, res.status]).toEqual([name, 413]);
      expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    }
    expect(await shopSnapshot([shop])).toEqual(before);
  });

  test("GIVEN a body at the limit THEN it is read and judged by the route's schema (400), not refused for size", async () => {
    const { shop } = await proxyShop();
    const signed = signProxyQuery(new URLSearchParams(), { shop, customerId: MEMBER, secret: TEST_API_SECRET });
    const res = await route.handler(
      routeArgs(
        new Request(`http://127.0.0.1:3000/proxy/${route.path}?${signed}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: bigJson(MAX_BODY_BYTES),
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
  });
});
