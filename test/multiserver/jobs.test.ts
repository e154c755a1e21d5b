// Background work across two production app servers on one PostgreSQL database (issue 16):
// what is due at a time (the hourly sweep, the daily reconciliation, the dashboard figures)
// runs once across the servers, not once per server; a job whose server was killed mid-run is
// taken over by another server once its lease has expired, and finishes with every order
// imported once. The servers run with an 8 s lease and a 0.5 s worker tick
// (KEMBALI_JOB_LEASE_MS, KEMBALI_WORKER_INTERVAL_MS). PostgreSQL only (TEST_DB=postgresql).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import pg from "pg";
import type { Db } from "~/db.server";
import type { AdminOrder } from "~/shopify/admin/port";
import { freshPostgres, installSession, startCluster, startShopifyStandIn, stopServers, type AppServer } from "./cluster";

const onPostgres = process.env.TEST_DB === "postgresql" && !!process.env.TEST_DATABASE_URL;
if (!onPostgres) {
  console.warn("test/multiserver: skipped, it needs PostgreSQL (TEST_DB=postgresql TEST_DATABASE_URL=postgresql://...)");
}

const SHOP = "multi-jobs.myshopify.com";
const FAST = { KEMBALI_JOB_LEASE_MS: "8000", KEMBALI_WORKER_INTERVAL_MS: "500" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const value = await check();
    if (value) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

function adminOrder(i: number): AdminOrder {
  const at = new Date(Date.now() - (100 - i) * 3_600_000);
  return {
    id: String(880_000 + i),
    customer: { id: String(9_300 + (i % 10)), email: `jobs-${i % 10}@example.com`, firstName: "Jobs", lastName: String(i % 10) },
    currency: "IDR",
    subtotal: 25_000_000,
    total: 27_750_000,
    shipping: 0,
    tax: 2_750_000,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    cancelledAt: null,
    financialStatus: "PAID",
    lineItems: [{ productId: "7001", variantId: "8001", title: "Kopi", quantity: 2, price: 12_500_000 }],
    refunds: [],
    truncated: false,
  };
}

describe.skipIf(!onPostgres)("background work across two app servers", () => {
  let url: string;
  let db: Db;
  let raw: pg.Client;
  let shopify: Awaited<ReturnType<typeof startShopifyStandIn>>;
  const running: AppServer[] = [];

  beforeAll(async () => {
    url = await freshPostgres(process.env.TEST_DATABASE_URL!, "kembali_multiserver_jobs");
    process.env.DATABASE_URL = url;
    db = (await import("~/db.server")).default;
    raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const { ensureShop } = await import("~/domain/shop/shops");
    await ensureShop(db, SHOP, "IDR");
    await installSession(raw, SHOP);
    shopify = await startShopifyStandIn();
  });
  afterAll(async () => {
    await stopServers(running);
    await shopify?.close();
    await raw?.end();
    await db?.$disconnect();
  });

  test("the hourly sweep, the daily reconciliation and the dashboard figures run once across both servers", async () => {
    const servers = await startCluster({ count: 2, firstPort: 3711, databaseUrl: url, shopifyUrl: shopify.url, env: FAST });
    running.push(...servers);
    // Both servers tick at once when they start, and every half second after.
    const jobsDone = await until("the sweep's jobs to finish", async () => {
      const jobs = await db.job.findMany({ where: { shopDomain: { in: [SHOP, "*"] } } });
      const due = jobs.filter((j) => j.type === "reconcile" || j.type === "analytics_snapshot");
      return due.length >= 2 && due.every((j) => j.status === "done") ? jobs : null;
    });
    await sleep(3_000);
    const jobs = await db.job.findMany({ where: { shopDomain: { in: [SHOP, "*"] } } });
    const byType = (type: string) => jobs.filter((j) => j.type === type);
    const hour = new Date().toISOString().slice(0, 13);
    expect(byType("sweep-hourly").map((j) => j.dueKey)).toEqual([hour]);
    expect(byType("sweep-daily").map((j) => j.dueKey)).toEqual([hour.slice(0, 10)]);
    expect(byType("reconcile")).toHaveLength(1);
    expect(byType("analytics_snapshot")).toHaveLength(1);
    // Each ran once: claimed by one server, never a second time.
    for (const job of [...byType("reconcile"), ...byType("analytics_snapshot")]) expect(job).toMatchObject({ status: "done", attempts: 1 });
    expect(jobsDone.length).toBeLessThanOrEqual(jobs.length);
    await stopServers(servers);
    running.length = 0;
  });

  test("two servers asking for the same due job at the same instant enqueue it once", async () => {
    const { enqueueJobOnce } = await import("~/domain/jobs");
    const { createPrisma } = await import("~/db.server");
    const other = await createPrisma(url);
    try {
      const clock = () => new Date();
      const answers = await Promise.all(
        [db, other, db, other].map((client) =>
          enqueueJobOnce({ db: client, clock }, { shopDomain: SHOP, type: "reconcile", dueKey: "2026-01-01" }),
        ),
      );
      expect(answers.filter((a) => a !== null)).toHaveLength(1);
      expect(await db.job.count({ where: { shopDomain: SHOP, type: "reconcile", dueKey: "2026-01-01" } })).toBe(1);
      await db.job.deleteMany({ where: { shopDomain: SHOP, dueKey: "2026-01-01" } });
    } finally {
      await other.$disconnect();
    }
  });

  test("a job whose server is killed mid-run is taken over once its lease expires, each order imported once", async () => {
    const ORDERS = 60;
    const fake = shopify.fakeFor(SHOP);
    for (let i = 0; i < ORDERS; i++) fake.state.orders.push(adminOrder(i));
    // Each page of 10 orders takes 1 s to arrive (a step stays well inside the lease).
    shopify.slow("KembaliPaidOrders", 1_000);
    const { enqueueJob } = await import("~/domain/jobs");
    const job = await enqueueJob({ db, clock: () => new Date() }, { shopDomain: SHOP, type: "backfill", input: { earnPoints: true } });

    const [first] = await startCluster({ count: 1, firstPort: 3713, databaseUrl: url, shopifyUrl: shopify.url, env: FAST });
    running.push(first!);
    await until("the first server's progress", async () => {
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return row.status === "running" && row.progress >= 10 && row.progress < ORDERS;
    });
    await first!.kill();
    running.splice(running.indexOf(first!), 1);
    const orphan = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(orphan).toMatchObject({ status: "running", attempts: 1 });
    const leaseEnd = orphan.lockedUntil!.getTime();
    expect(leaseEnd).toBeGreaterThan(Date.now());

    // A second server is up at once, but leaves the job alone until the lease has expired.
    const [second] = await startCluster({ count: 1, firstPort: 3714, databaseUrl: url, shopifyUrl: shopify.url, env: FAST });
    running.push(second!);
    const takenAt = await until("the second server's claim", async () => {
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return row.attempts === 2 ? Date.now() : null;
    });
    expect(takenAt).toBeGreaterThanOrEqual(leaseEnd);
    const done = await until("the job to finish", async () => {
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
      return row.status === "done" ? row : null;
    });
    expect(done).toMatchObject({ attempts: 2, error: null });
    expect(done.progress).toBeGreaterThanOrEqual(ORDERS);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
    const orders = await db.order.findMany({ where: { shopId: shop.id }, select: { shopifyOrderId: true } });
    expect(new Set(orders.map((o) => o.shopifyOrderId)).size).toBe(ORDERS);
    expect(orders).toHaveLength(ORDERS);
    const earned = await db.pointsEntry.findMany({ where: { shopId: shop.id, kind: "earn" }, select: { idempotencyKey: true } });
    expect(earned).toHaveLength(ORDERS);
  });
});
