// Reads and checks the environment once at start-up. Three modes:
// - production: real Shopify credentials are required;
// - demo (DEMO_MODE=1): local credentials, loopback only, refuses real credentials;
// - test (NODE_ENV=test, set by vitest): fixed test credentials, refuses real credentials.
import { z } from "zod";
import { LOOPBACK_HOSTS } from "./demo-guard.js";

export { LOOPBACK_HOSTS };

// The local app identity used by demo mode. It only ever signs loopback traffic on a
// server that refused to start with real credentials configured.
export const DEMO_API_KEY = "kembali-demo-api-key";
export const DEMO_API_SECRET = "kembali-demo-secret-local-only";
export const DEMO_SHOP = "kembali-demo.myshopify.com";
export const TEST_API_KEY = "kembali-test-api-key";
export const TEST_API_SECRET = "kembali-test-secret";

export type AppMode = "production" | "demo" | "test";
export interface AppConfig {
  mode: AppMode;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  demoShop: string;
  /**
   * Proxies between Shopify's App Proxy and this server that append to X-Forwarded-For (a load
   * balancer: 1; required in production, no default fits every host). The shopper's address is
   * that many entries from the right: entries further left came with the shopper's own request
   * and prove nothing.
   */
  proxyHops: number;
}

export class ConfigError extends Error {
  name = "ConfigError";
}

const KEY = "SHOPIFY_API_KEY is required (your app's client id)";
const SECRET = "SHOPIFY_API_SECRET is required (your app's client secret)";
const productionEnv = z.object({
  SHOPIFY_API_KEY: z.string({ error: KEY }).min(1, KEY),
  SHOPIFY_API_SECRET: z.string({ error: SECRET }).min(1, SECRET),
  SHOPIFY_APP_URL: z.url({ error: "SHOPIFY_APP_URL must be the app's public https URL" }),
});

const HOPS = "TRUSTED_PROXY_HOPS must be a whole number from 0 to 5";
const HOPS_REQUIRED =
  "TRUSTED_PROXY_HOPS is required in production: the number of proxies of your own between Shopify's App Proxy " +
  "and this server that add to X-Forwarded-For (0 when Shopify connects to the app directly, 1 behind one load " +
  "balancer or reverse proxy, one more for each further proxy). Count them: too few and a shopper can choose the " +
  "address their limits and welcome codes are kept under; too many and every shopper shares your proxy's address.";
/** Demo and test traffic comes as from one load balancer (app/demo/storefront.server.ts); production must say. */
function proxyHops(env: Record<string, string | undefined>, required: boolean): number {
  const raw = env.TRUSTED_PROXY_HOPS ?? (required ? undefined : "1");
  if (raw === undefined) throw new ConfigError(HOPS_REQUIRED);
  if (!/^[0-5]$/.test(raw)) throw new ConfigError(HOPS);
  return Number(raw);
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  if (env.DEMO_MODE === "1") {
    if (!LOOPBACK_HOSTS.has(env.HOST ?? "")) {
      throw new ConfigError("DEMO_MODE=1 needs HOST=127.0.0.1 (or ::1, localhost): demo mode only serves loopback. Refusing to start.");
    }
    if (env.SHOPIFY_API_KEY || env.SHOPIFY_API_SECRET) {
      throw new ConfigError(
        "DEMO_MODE=1 with real Shopify credentials (SHOPIFY_API_KEY / SHOPIFY_API_SECRET) configured. " +
          "Demo mode never runs beside a real app: unset them or DEMO_MODE. Refusing to start.",
      );
    }
    const port = env.PORT || "3000";
    const host = env.HOST === "::1" ? "[::1]" : env.HOST!;
    return {
      mode: "demo",
      apiKey: DEMO_API_KEY,
      apiSecret: DEMO_API_SECRET,
      appUrl: `http://${host}:${port}`,
      demoShop: DEMO_SHOP,
      proxyHops: proxyHops(env, false),
    };
  }
  if (env.NODE_ENV === "test") {
    // Test mode signs and accepts everything with the fixed test secret: beside a real app's
    // credentials it would answer a real shop's traffic with test rules.
    if (env.SHOPIFY_API_KEY || env.SHOPIFY_API_SECRET) {
      throw new ConfigError(
        "NODE_ENV=test with real Shopify credentials (SHOPIFY_API_KEY / SHOPIFY_API_SECRET) configured. " +
          "Test mode never runs beside a real app: unset them or NODE_ENV. Refusing to start.",
      );
    }
    return {
      mode: "test",
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl: "http://127.0.0.1:3000",
      demoShop: DEMO_SHOP,
      proxyHops: proxyHops(env, false),
    };
  }
  const parsed = productionEnv.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  let hops = 0;
  try {
    hops = proxyHops(env, true);
  } catch (error) {
    problems.push((error as ConfigError).message);
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError("Missing or bad configuration: " + problems.join("; "));
  }
  return {
    mode: "production",
    apiKey: parsed.data.SHOPIFY_API_KEY,
    apiSecret: parsed.data.SHOPIFY_API_SECRET,
    appUrl: parsed.data.SHOPIFY_APP_URL,
    demoShop: DEMO_SHOP,
    proxyHops: hops,
  };
}

export const config = loadConfig(process.env);
