import { readFileSync, existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig, TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { API_VERSION, SCOPES } from "~/shopify.server";
import { ALL_ORDERS_SCOPE } from "~/shopify/admin/port";

describe("demo mode can never switch on in production", () => {
  test("it needs the explicit flag: without DEMO_MODE=1 real credentials are required", () => {
    expect(() => loadConfig({ HOST: "127.0.0.1" })).toThrow(ConfigError);
    expect(() => loadConfig({ DEMO_MODE: "true", HOST: "127.0.0.1" })).toThrow(/SHOPIFY_API_KEY/);
  });

  test("it binds to loopback only", () => {
    expect(() => loadConfig({ DEMO_MODE: "1" })).toThrow(/loopback/);
    expect(() => loadConfig({ DEMO_MODE: "1", HOST: "0.0.0.0" })).toThrow(/loopback/);
    expect(() => loadConfig({ DEMO_MODE: "1", HOST: "192.168.1.20" })).toThrow(/loopback/);
    expect(loadConfig({ DEMO_MODE: "1", HOST: "127.0.0.1", PORT: "3456" })).toMatchObject({
      mode: "demo",
      appUrl: "http://127.0.0.1:3456",
    });
  });

  test("it refuses to start when real Shopify credentials are configured", () => {
    expect(() => loadConfig({ DEMO_MODE: "1", HOST: "127.0.0.1", SHOPIFY_API_SECRET: "shpss_real" })).toThrow(/credentials/);
    expect(() => loadConfig({ DEMO_MODE: "1", HOST: "127.0.0.1", SHOPIFY_API_KEY: "abc" })).toThrow(/credentials/);
  });

  test("TRUSTED_PROXY_HOPS: production refuses to start without it, saying what it is and how to count it", () => {
    const env = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://kembali.example" };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      /TRUSTED_PROXY_HOPS is required in production.*X-Forwarded-For.*0 when Shopify connects to the app directly, 1 behind one load balancer/,
    );
    // Reported beside any other missing setting, so one start shows them all.
    expect(() => loadConfig({ SHOPIFY_API_KEY: "key" })).toThrow(/SHOPIFY_API_SECRET.*TRUSTED_PROXY_HOPS is required/);
    expect(loadConfig({ ...env, TRUSTED_PROXY_HOPS: "0" }).proxyHops).toBe(0);
    expect(loadConfig({ ...env, TRUSTED_PROXY_HOPS: "2" }).proxyHops).toBe(2);
    for (const bad of ["-1", "6", "one", "1.5", "", " 1"])
      expect(() => loadConfig({ ...env, TRUSTED_PROXY_HOPS: bad })).toThrow(/TRUSTED_PROXY_HOPS must be a whole number/);
  });

  test("TRUSTED_PROXY_HOPS: demo and test keep one load balancer by default (their traffic is signed as from one)", () => {
    expect(loadConfig({ DEMO_MODE: "1", HOST: "127.0.0.1" }).proxyHops).toBe(1);
    expect(loadConfig({ NODE_ENV: "test" }).proxyHops).toBe(1);
    expect(loadConfig({ NODE_ENV: "test", TRUSTED_PROXY_HOPS: "0" }).proxyHops).toBe(0);
    expect(() => loadConfig({ NODE_ENV: "test", TRUSTED_PROXY_HOPS: "x" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  test("test mode (NODE_ENV=test) runs only on its fixed test credentials: beside real ones it refuses to start", () => {
    expect(loadConfig({ NODE_ENV: "test" })).toMatchObject({ mode: "test", apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET });
    expect(loadConfig({ NODE_ENV: "test", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" })).toMatchObject({ mode: "test" });
    expect(() => loadConfig({ NODE_ENV: "test", SHOPIFY_API_KEY: "abc", SHOPIFY_API_SECRET: "shpss_real" })).toThrow(
      /NODE_ENV=test.*credentials/,
    );
    expect(() => loadConfig({ NODE_ENV: "test", SHOPIFY_API_SECRET: "shpss_real" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "test", SHOPIFY_API_KEY: "abc" })).toThrow(ConfigError);
  });

  test("production with real credentials is production", () => {
    const env = {
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://kembali.example",
      TRUSTED_PROXY_HOPS: "1",
    };
    expect(loadConfig(env)).toMatchObject({ mode: "production", apiKey: "key", apiSecret: "secret" });
    expect(() => loadConfig({ ...env, SHOPIFY_APP_URL: "not a url" })).toThrow(/SHOPIFY_APP_URL/);
  });
});

describe("shopify.app.toml agrees with the code", () => {
  const toml = readFileSync("shopify.app.toml", "utf8");

  test("webhook API version equals the library's apiVersion", () => {
    expect(/^\s*api_version\s*=\s*"([^"]+)"/m.exec(toml)?.[1]).toBe(API_VERSION);
  });

  test("access scopes equal the ones the app requests", () => {
    const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1].split(",");
    expect(scopes?.sort()).toEqual([...SCOPES].sort());
  });

  test("the order-history import may read every order: read_all_orders is requested with read_orders", () => {
    const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1].split(",");
    expect(scopes).toEqual(expect.arrayContaining(["read_orders", ALL_ORDERS_SCOPE]));
    expect(SCOPES).toEqual(expect.arrayContaining(["read_orders", ALL_ORDERS_SCOPE]));
  });

  test("every webhook subscription has its route file, and the compliance topics are there", () => {
    const uris = [...toml.matchAll(/^\s*uri\s*=\s*"\/webhooks\/([^"]+)"/gm)].map((m) => m[1]);
    expect(uris).toEqual(
      expect.arrayContaining([
        "customers/data_request",
        "customers/redact",
        "shop/redact",
        "app/uninstalled",
        "orders/paid",
        "app_subscriptions/update",
      ]),
    );
    const missing = uris.filter((uri) => !existsSync(`app/routes/webhooks.${uri.replaceAll("/", ".")}.tsx`));
    expect(missing).toEqual([]);
  });

  test("the App Proxy serves /apps/kembali from /proxy", () => {
    expect(toml).toMatch(/\[app_proxy\][^[]*subpath = "kembali"[^[]*prefix = "apps"/);
    expect(/\[app_proxy\]\s*(?:#.*\n)*\s*url = "[^"]*\/proxy"/.test(toml)).toBe(true);
  });
});
