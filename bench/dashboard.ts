// Times the dashboard's analytics on a throwaway SQLite shop with 100,000 customers, ~300,000
// orders and 1,000,000 ledger entries. Prints JSON lines. Run: npx tsx bench/dashboard.ts
// (BENCH_CUSTOMERS scales it down for a quick look). Not part of npm test: it is a measurement.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 100_000);
const ENTRIES = CUSTOMERS * 10;
const FILE = ".tmp/bench-dashboard.db";
const url = `file:./${FILE}`;
const print = (line: unknown) => console.log(JSON.stringify(line));

mkdirSync(".tmp", { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) rmSync(`${FILE}${suffix}`, { force: true });
execFileSync("npx", ["prisma", "migrate", "reset", "--force", "--skip-generate", "--skip-seed"], {
  env: { ...process.env, DATABASE_URL: url },
  stdio: "ignore",
});
process.env.DATABASE_URL = url;

const { default: db } = await import("../app/db.server");
const { ensureShop } = await import("../app/domain/shops");
const { retentionReport } = await import("../app/domain/analytics/retention");
const { segmentsReport } = await import("../app/domain/analytics/segments");
const { cohortReport } = await import("../app/domain/analytics/cohorts");
const { programmeReport } = await import("../app/domain/analytics/programme");
const { impactReport } = await import("../app/domain/analytics/impact");

const DAY = 86_400_000;
const now = new Date("2026-06-01T00:00:00Z");
// A deterministic generator, so every run seeds the same shop.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const CHUNK = 5_000;
async function insert<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

const t0 = Date.now();
const shop = await ensureShop(db, "bench-dashboard.myshopify.com", "IDR");
const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => `bc${i}`);
await insert(customerIds, (ids) =>
  db.customer.createMany({
    // A 10 % holdout assigned at random to the half seen while it was on.
    data: ids.map((id, i) => {
      const bucket = i % 2 ? Math.floor(rand() * 10_000) : null;
      return {
        id, shopId: shop.id, shopifyCustomerId: id, balance: Math.floor(rand() * 2000), pendingPoints: i % 7 ? 0 : 100,
        holdoutBucket: bucket, holdout: bucket !== null && bucket < 1000,
      };
    }),
  }),
);
const orders = [];
let n = 0;
for (const customerId of customerIds) {
  const count = 1 + Math.floor(rand() * rand() * 6);
  for (let k = 0; k < count; k++) {
    const at = new Date(now.getTime() - Math.floor(rand() * 900) * DAY - Math.floor(rand() * DAY));
    orders.push({
      shopId: shop.id, shopifyOrderId: String(++n), customerId: rand() < 0.05 ? null : customerId, currency: "IDR",
      subtotalMinor: BigInt(Math.floor(rand() * 50) * 2_500_000), totalMinor: BigInt(0), orderedAt: at, paidAt: at,
      cancelledAt: rand() < 0.02 ? at : null,
    });
  }
}
await insert(orders, (chunk) => db.order.createMany({ data: chunk }));
const kinds = ["earn", "earn", "earn", "spend", "expire", "reverse", "adjust"] as const;
let e = 0;
await insert(Array.from({ length: ENTRIES }, (_, i) => i), (chunk) =>
  db.pointsEntry.createMany({
    data: chunk.map((i) => {
      const kind = kinds[i % kinds.length];
      return {
        shopId: shop.id, customerId: customerIds[i % CUSTOMERS], kind, points: kind === "earn" || kind === "adjust" ? 100 : -50,
        balanceAfter: 0, idempotencyKey: `b${++e}`, sourceType: kind === "reverse" ? "refund" : "order", sourceId: String(i),
        createdAt: new Date(now.getTime() - Math.floor(rand() * 700) * DAY),
      };
    }),
  }),
);
print({ metric: "analytics_seed", customers: CUSTOMERS, orders: orders.length, ledgerEntries: ENTRIES, ms: Date.now() - t0 });

const deps = { db };
const from = new Date(now.getTime() - 90 * DAY);
const shopDomain = shop.domain;
const runs: Array<[string, () => Promise<unknown>]> = [
  ["retentionReport", () => retentionReport(deps, { shopDomain, from, to: now })],
  ["segmentsReport", () => segmentsReport(deps, { shopDomain, now })],
  ["cohortReport", () => cohortReport(deps, { shopDomain, now, months: 12 })],
  ["programmeReport", () => programmeReport(deps, { shopDomain, from, to: now })],
  ["impactReport", () => impactReport(deps, { shopDomain, from, to: now })],
];
for (const [name, fn] of runs) {
  await fn(); // warm the page cache and the query plan
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await fn();
    times.push(Math.round(performance.now() - start));
  }
  print({ metric: `analytics_${name}_ms`, runs: times, best: Math.min(...times) });
}
const start = performance.now();
await Promise.all(runs.map(([, fn]) => fn()));
print({ metric: "analytics_all_ms", value: Math.round(performance.now() - start) });
await db.$disconnect();
