// In demo mode the app secret is public (it is in the source): a proxy request signed with it
// speaks only for the demo shop; any other shop is 401.
import { afterAll, describe, expect, test, vi } from "vitest";
import { DEMO_API_SECRET, DEMO_SHOP } from "~/config.server";
import { signProxyQuery } from "~/shopify/proxy-signature";

describe("the App Proxy in demo mode", () => {
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  test("GIVEN the demo secret THEN only the demo shop is served; another shop signed with it is 401", async () => {
    vi.stubEnv("DEMO_MODE", "1");
    vi.stubEnv("HOST", "127.0.0.1");
    vi.resetModules();
    const { config } = await import("~/config.server");
    const { storefrontRequest } = await import("~/proxy.server");
    expect(config.mode).toBe("demo");
    const call = (shop: string) => {
      const query = signProxyQuery(new URLSearchParams(), { shop, customerId: "1", secret: DEMO_API_SECRET });
      try {
        return storefrontRequest(new Request(`http://127.0.0.1:3000/proxy/state?${query}`));
      } catch (error) {
        return error as Response;
      }
    };
    expect(call(DEMO_SHOP)).toMatchObject({ shop: DEMO_SHOP, customerId: "1" });
    const other = call("real-store.myshopify.com") as Response;
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });
});
