// Several production app servers (server.js as deployed, not demo mode) on one PostgreSQL
// database, with one Shopify Admin API stand-in they all talk to (test/mocks/admin-graphql.ts
// behind a real HTTP server; ./shopify-admin-redirect.mjs points each server's Admin API calls
// at it). Used by test/multiserver/*.test.ts and bench/soak.ts.
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { startServer } from "../../scripts/server.js";
import { signedWebhookRequest } from "../../app/shopify/webhook-signature";
import { signProxyQuery } from "../../app/shopify/proxy-signature";
import { fakeShopifyAdmin } from "../mocks/admin-graphql";

export const SECRET = "multiserver-test-secret";
export const ACCESS_TOKEN = "shpat_multiserver_test";

export type AppServer = Awaited<ReturnType<typeof startServer>>;

/**
 * A PostgreSQL database `name` on the server of `baseUrl` (created when missing), reset with
 * every migration applied (prisma migrate deploy after dropping its schema). Returns its URL.
 */
export async function freshPostgres(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(baseUrl), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
  execFileSync("npx", ["prisma", "migrate", "reset", "--force", "--skip-generate", "--skip-seed"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "ignore",
  });
  return url;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * One Shopify for every server: each shop's Admin API is a fake (state shared by all servers,
 * as Shopify's is). `delayMs` slows an operation down (a long job step).
 */
export async function startShopifyStandIn() {
  const fakes = new Map<string, ReturnType<typeof fakeShopifyAdmin>>();
  const delayMs = new Map<string, number>();
  const fakeFor = (shop: string) => {
    let fake = fakes.get(shop);
    if (!fake) {
      fake = fakeShopifyAdmin({ shop, accessToken: ACCESS_TOKEN });
      fakes.set(shop, fake);
    }
    return fake;
  };
  const server = createServer(async (req, res) => {
    try {
      const shop = String(req.headers["x-test-shop"] ?? "");
      const body = JSON.parse(await bodyOf(req)) as { query?: string };
      const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query ?? "")?.[1] ?? "";
      const delay = delayMs.get(operation);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const answer = await fakeFor(shop).respond(body, (req.headers["x-shopify-access-token"] as string | undefined) ?? null);
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(await answer.text());
    } catch (error) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fakeFor,
    /** Every call of `operation` waits `ms` first (0 removes the delay). */
    slow(operation: string, ms: number) {
      delayMs.set(operation, ms);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The environment of one production server of the cluster. */
export function serverEnv(port: number, databaseUrl: string, shopifyUrl: string, env: Record<string, string> = {}) {
  const redirect = pathToFileURL(path.resolve("test/multiserver/shopify-admin-redirect.mjs")).href;
  return {
    DATABASE_URL: databaseUrl,
    DEMO_MODE: "",
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "multiserver-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    TRUSTED_PROXY_HOPS: "0",
    NODE_OPTIONS: `--import=${redirect}`,
    KEMBALI_TEST_SHOPIFY_ADMIN: shopifyUrl,
    ...env,
  };
}

/**
 * Starts `count` servers on ports firstPort, firstPort + 1, ... at the same time; with
 * `inspectFirstPort`, each with Node's inspector on 127.0.0.1:inspectFirstPort + i (for
 * ./inspector.ts's heapAfterGc).
 */
export async function startCluster(opts: {
  count: number;
  firstPort: number;
  databaseUrl: string;
  shopifyUrl: string;
  env?: Record<string, string>;
  inspectFirstPort?: number;
}): Promise<AppServer[]> {
  return Promise.all(
    Array.from({ length: opts.count }, (_, i) => {
      const env = serverEnv(opts.firstPort + i, opts.databaseUrl, opts.shopifyUrl, opts.env);
      if (opts.inspectFirstPort) env.NODE_OPTIONS = `${env.NODE_OPTIONS} --inspect=127.0.0.1:${opts.inspectFirstPort + i}`;
      return startServer({
        port: opts.firstPort + i,
        quiet: true,
        // Two servers starting at once on a busy 2-core machine can take longer than one alone.
        startTimeoutMs: 90_000,
        env,
      });
    }),
  );
}

/**
 * Stops the servers as a deploy does (SIGTERM: no new connections, requests in flight finish),
 * then SIGKILL after 5 s: a server whose background work ticks faster than its idle database
 * connections close (the tests' 0.5 s tick) would otherwise not exit.
 */
export async function stopServers(servers: AppServer[]): Promise<void> {
  await Promise.all(
    servers.map(async (s) => {
      await Promise.race([s.stop(), new Promise((r) => setTimeout(r, 5_000))]);
      await s.kill();
    }),
  );
}

/** The shop's offline session, as the OAuth install stores it: the servers' Admin API calls use it. */
export async function installSession(db: pg.Client, shop: string): Promise<void> {
  await db.query(
    `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, $3, $4)
     ON CONFLICT (id) DO NOTHING`,
    [`offline_${shop}`, shop, "read_orders,read_all_orders,write_discounts,read_customers,write_customers", ACCESS_TOKEN],
  );
}

/** A signed webhook to one server. */
export function sendWebhook(server: AppServer, topic: string, shop: string, body: unknown, eventId?: string): Promise<Response> {
  return fetch(signedWebhookRequest(`${server.url}/webhooks/${topic}`, { topic, shop, body, secret: SECRET, eventId }));
}

/**
 * A signed App Proxy call to one server (GET, or POST with a JSON body), from the shopper's
 * address `ip` when given (the X-Forwarded-For entry Shopify's proxy appends).
 */
export function proxyCall(
  server: AppServer,
  route: string,
  shop: string,
  customerId: string | null,
  body?: unknown,
  ip?: string,
): Promise<Response> {
  const query = signProxyQuery(new URLSearchParams({ lang: "en" }), { shop, customerId, secret: SECRET });
  const headers: Record<string, string> = ip ? { "X-Forwarded-For": ip } : {};
  return fetch(
    `${server.url}/proxy/${route}?${query}`,
    body === undefined
      ? { headers }
      : { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) },
  );
}

/** Resident memory of a process, in MiB (Linux /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 102.4) / 10;
}
