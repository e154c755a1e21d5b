// Input the App Proxy routes refuse before the domain sees it (issue 10, item 2, found by the
// property test): text with U+0000 or a lone surrogate (the database cannot store either; both
// answered 500).
import { describe, expect, test } from "vitest";
import { TEST_API_SECRET } from "~/config.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { routeArgs } from "../helpers";
import { MEMBER, PROXY_ROUTES, proxyShop, shopSnapshot } from "./proxy-fixture";

describe.each(PROXY_ROUTES.filter((r) => r.body))("POST /proxy/$path", (route) => {
  test("GIVEN a text field containing NUL or a lone surrogate THEN 400 BAD_INPUT and nothing written", async () => {
    const fixture = await proxyShop();
    const valid = route.body!(fixture, 1) as Record<string, unknown>;
    const before = await shopSnapshot([fixture.shop]);
    const answers: string[] = [];
    for (const field of Object.keys(valid).filter((k) => typeof valid[k] === "string")) {
      for (const nul of [
        "a\u0000@example.com",
        "\u0000".repeat(10),
        `${String(valid[field])}\u0000`,
        "\ud800",
        "x\udfffy",
        `${String(valid[field])}\ud83d`,
      ]) {
        const query = signProxyQuery(new URLSearchParams(), {
          shop: fixture.shop,
          customerId: route.customer ?? MEMBER,
          secret: TEST_API_SECRET,
        });
        const res = await route.handler(
          routeArgs(
            new Request(`http://127.0.0.1:3000/proxy/${route.path}?${query}`, {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ ...valid, [field]: nul }),
            }),
          ),
        );
        answers.push(`${field}=${JSON.stringify(nul)} -> ${res.status} ${(await res.json()).error?.code}`);
      }
    }
    expect(answers.filter((a) => !a.endsWith("-> 400 BAD_INPUT"))).toEqual([]);
    expect(await shopSnapshot([fixture.shop])).toEqual(before);
  });
});
