// The real server (as deployed, not demo mode) answers a repeat storefront state call from its
// stored answer before Express and Remix, and never after a write to what it shows
// (decision 040). SQLite here; the same property is held on both databases by
// test/integration/state-snapshot.test.ts, and bench/state.ts measures the path on both.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../scripts/server.js";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { orderPaidPayload, DEMO_PRODUCTS } from "~/demo/catalog";

const FILE = ".tmp/e2e-state-fast-path.db";
const SECRET = "state-test-secret";
const SHOP = "state-test.myshopify.com";
const MEMBER = { id: "5150", firstName: "Fast", lastName: "Path", email: "fast@example.com" };
const port = 3583;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  mkdirSync(".tmp", { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${FILE}${suffix}`, { force: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: `file:./${FILE}` }, stdio: "ignore" });
  server = await startServer({
    port,
    quiet: true,
    env: {
      DATABASE_URL: `file:./${FILE}`,
      DEMO_MODE: "",
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "state-test-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      TRUSTED_PROXY_HOPS: "0",
    },
  });
});
afterAll(() => server?.stop());

async function paid(orderId: string) {
  const body = orderPaidPayload({ orderId, customer: MEMBER, lines: [{ product: DEMO_PRODUCTS[0]!, quantity: 2 }], createdAt: new Date() });
  const res = await fetch(
    signedWebhookRequest(`${server.url}/webhooks/orders/paid`, { topic: "orders/paid", shop: SHOP, body, secret: SECRET }),
  );
  expect(res.status).toBe(200);
}

async function state(customerId: string | null, secret = SECRET) {
  const query = signProxyQuery(new URLSearchParams({ lang: "id" }), { shop: SHOP, customerId, secret });
  const res = await fetch(`${server.url}/proxy/state?${query}`);
  return { status: res.status, stored: res.headers.get("x-kembali-state") === "stored", body: await res.text() };
}

/** Calls until the answer is served stored (the first calls build it; background work after a webhook may touch the member). */
async function untilStored(customerId: string | null) {
  for (let i = 0; i < 40; i++) {
    const answer = await state(customerId);
    if (answer.stored) return answer;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("never served from the stored answer");
}

describe("GET /proxy/state on the real server", () => {
  test("a repeat call is served stored, byte for byte what the route built; a paid order makes the next call fresh", async () => {
    await paid("81001");
    const built = await state(MEMBER.id);
    expect(built.status).toBe(200);
    const stored = await untilStored(MEMBER.id);
    expect(stored.body).toBe((await state(MEMBER.id)).body);
    const before = JSON.parse(stored.body).customer.pending;
    expect(before).toBeGreaterThan(0);

    await paid("81002");
    const after = await state(MEMBER.id);
    expect(after.stored).toBe(false);
    expect(JSON.parse(after.body).customer.pending).toBeGreaterThan(before);
    expect(JSON.parse((await untilStored(MEMBER.id)).body).customer.pending).toBe(JSON.parse(after.body).customer.pending);
  });

  test("guests are served stored too; a forged signature is never served, the route answers 401", async () => {
    const guest = await untilStored(null);
    expect(JSON.parse(guest.body).customer).toBeNull();
    const forged = await state(MEMBER.id, "forged-secret");
    expect(forged).toMatchObject({ status: 401, stored: false });
  });
});
