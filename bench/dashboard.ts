// The admin dashboard at scale, on SQLite and on PostgreSQL: a throwaway shop with 100,000
// customers, ~200,000 orders and 1,000,000 ledger entries (the same rows on both), then
//   dashboard_job_first_ms   the figures job on a shop that has no stored figures (every part
//                            computed; no ceiling, printed for comparison)
//   dashboard_job_ms         the job as it runs every day: the next day, after a day of orders
//                            and ledger entries and one late write (an order of last month
//                            cancelled), completed months kept unless a write landed in them
//                            (decision 039); ceiling 10,000 ms
//   dashboard_loader_p95_ms  the home page's real loader (session token checked, figures read
//                            from the stored parts), 60 runs; ceiling 50 ms
// Each job line has the time of every part (the analytics reports it runs) in its details.
// Run: npx tsx bench/dashboard.ts (both databases, one child process each; BENCH_DATABASE=sqlite
// or postgresql runs one; BENCH_CUSTOMERS scales the shop down for a quick look). PostgreSQL is
// benchPostgresUrl() (BENCH_POSTGRES_URL), created when missing and reset by this script.
import { spawnSync } from "node:child_process";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { exitOnMissedGoals, freshBenchDatabase, goalLine, type BenchDatabase } from "./goals";

const DATABASES = ["sqlite", "postgresql"] as const;
const only = process.env.BENCH_DATABASE as BenchDatabase | undefined;
if (!only) {
  // One process per database: the app's Prisma client is chosen by DATABASE_URL at import.
  let failed = false;
  for (const database of DATABASES) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      stdio: "inherit",
      env: { ...process.env, BENCH_DATABASE: database },
    });
    if (child.status !== 0) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
if (!DATABASES.includes(only as (typeof DATABASES)[number])) throw new Error(`BENCH_DATABASE must be one of ${DATABASES.join(", ")}`);
const database = only as (typeof DATABASES)[number];

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS || 100_000);
const ENTRIES = CUSTOMERS * 10;
const LOADER_RUNS = 60;
const JOB_MAX_MS = 10_000;
const LOADER_P95_MAX_MS = 50;

const url = await freshBenchDatabase(database, "bench-dashboard");
// The loader runs as in the test mode: a real session token, verified with the test secret.
process.env.DATABASE_URL = url;
process.env.NODE_ENV = "test";
// The route module imports its stylesheet, which the Remix compiler turns into a URL; here
// it becomes an empty string.
register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function load(url, context, next) { return url.endsWith(".css") ? { format: "module", source: "export default ''", shortCircuit: true } : next(url, context); }`,
    ),
);

const { default: db, transaction } = await import("../app/db.server");
const { ensureShop } = await import("../app/domain/shop/shops");
const { ANALYTICS_JOB, analyticsSnapshotJob, snapshotKeys } = await import("../app/domain/analytics/dashboard");
const { enqueueJob, runJob } = await import("../app/domain/jobs");

const DAY = 86_400_000;
const now = new Date();
// A deterministic generator, so every run seeds the same shop (relative to today) on both databases.
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
// DateTime as the app stores it: ISO text on SQLite; PostgreSQL reads the same literal.
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");

const t0 = Date.now();
const shop = await ensureShop(db, "bench-dashboard.myshopify.com", "IDR");
await db.shop.update({ where: { id: shop.id }, data: { onboardedAt: now } });
// Rows go in as multi-row INSERTs of generated literals (ids, numbers, dates: nothing from
// outside), far faster than createMany through the ORM; SQLite caps a statement's length.
const ROWS_PER_INSERT = database === "sqlite" ? 500 : 5_000;
type Row = Array<string | number | null>;
async function insertRows(table: string, columns: string[], rows: Row[]) {
  const literal = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows.slice(i, i + ROWS_PER_INSERT).map((r) => `(${r.map(literal).join(", ")})`);
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${values.join(", ")}`);
  }
}
const ORDER_COLUMNS = [
  "id",
  "shopId",
  "shopifyOrderId",
  "customerId",
  "currency",
  "totalMinor",
  "subtotalMinor",
  "orderedAt",
  "paidAt",
  "cancelledAt",
  "createdAt",
];
const ENTRY_COLUMNS = [
  "id",
  "shopId",
  "customerId",
  "kind",
  "points",
  "balanceAfter",
  "idempotencyKey",
  "sourceType",
  "sourceId",
  "createdAt",
];
let orderCount = 0;
const orderRow = (customerId: string | null, at: Date): Row => {
  const n = ++orderCount;
  const t = iso(at);
  return [
    `bo${n}`,
    shop.id,
    String(n),
    rand() < 0.05 ? null : customerId,
    "IDR",
    0,
    Math.floor(rand() * 50) * 2_500_000,
    t,
    t,
    rand() < 0.02 ? t : null,
    t,
  ];
};
const kinds = ["earn", "earn", "earn", "spend", "expire", "reverse", "adjust"] as const;
let entryCount = 0;
const entryRow = (at: Date): Row => {
  const i = entryCount++;
  const kind = kinds[i % kinds.length];
  const points = kind === "earn" || kind === "adjust" ? 100 : -50;
  return [`be${i}`, shop.id, `bc${i % CUSTOMERS}`, kind, points, 0, `b${i}`, kind === "reverse" ? "refund" : "order", String(i), iso(at)];
};

const created = iso(new Date(now.getTime() - 900 * DAY));
const customers: Row[] = [];
const orderRows: Row[] = [];
for (let i = 0; i < CUSTOMERS; i++) {
  const id = `bc${i}`;
  customers.push([id, shop.id, String(1_000_000 + i), Math.floor(rand() * 2000), i % 7 ? 0 : 100, created, created]);
  const count = 1 + Math.floor(rand() * rand() * 6);
  for (let k = 0; k < count; k++)
    orderRows.push(orderRow(id, new Date(now.getTime() - Math.floor(rand() * 900) * DAY - Math.floor(rand() * DAY))));
}
await insertRows("Customer", ["id", "shopId", "shopifyCustomerId", "balance", "pendingPoints", "createdAt", "updatedAt"], customers);
await insertRows("Order", ORDER_COLUMNS, orderRows);
const CHUNK = 50_000;
for (let c = 0; c < ENTRIES; c += CHUNK) {
  const entries: Row[] = [];
  for (let i = c; i < Math.min(ENTRIES, c + CHUNK); i++) entries.push(entryRow(new Date(now.getTime() - Math.floor(rand() * 700) * DAY)));
  await insertRows("PointsEntry", ENTRY_COLUMNS, entries);
}
// After a load like this one PostgreSQL's autovacuum vacuums and analyzes the tables (the
// planner's statistics; the visibility map that lets a covering index answer alone).
if (database === "postgresql") await db.$executeRawUnsafe("VACUUM ANALYZE");
const seedMs = Date.now() - t0;

/** Runs the figures job as of `asOf`, timing each step (one dashboard part each). */
async function timedJob(asOf: Date) {
  const jobDeps = { db, clock: () => asOf, transaction: transaction(db) };
  const handler = analyticsSnapshotJob();
  const parts: Record<string, number> = {};
  const keys = snapshotKeys(asOf);
  const timed = {
    async step(deps: Parameters<typeof handler.step>[0], job: Parameters<typeof handler.step>[1]) {
      const begin = performance.now();
      const result = await handler.step(deps, job);
      const key = keys[Number(job.cursor ?? 0)] ?? "drop parts no longer shown";
      parts[key] = Math.round(performance.now() - begin);
      return result;
    },
  };
  const job = await enqueueJob(jobDeps, { shopDomain: shop.domain, type: ANALYTICS_JOB, input: { asOf: asOf.toISOString() } });
  const begin = performance.now();
  const outcome = await runJob(jobDeps, { [ANALYTICS_JOB]: timed }, job.id);
  const ms = Math.round(performance.now() - begin);
  if (outcome !== "done") throw new Error(`The figures job ended ${outcome}`);
  const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { outcome: true } });
  return { ms, parts, outcome: done.outcome };
}

const first = await timedJob(now);
goalLine({
  metric: "dashboard_job_first_ms",
  database,
  value: first.ms,
  unit: "ms",
  details: {
    customers: CUSTOMERS,
    orders: orderCount,
    ledgerEntries: ENTRIES,
    seedMs,
    note: "no stored figures yet: every part computed",
    job: first.outcome,
    parts: first.parts,
  },
});

// A day later: the day's orders and ledger entries, and one late write, an order of last
// month cancelled (its month and every later one are recomputed).
const tomorrow = new Date(now.getTime() + DAY);
const dayOrders = Math.round(orderCount / 900);
await insertRows(
  "Order",
  ORDER_COLUMNS,
  Array.from({ length: dayOrders }, () => orderRow(`bc${Math.floor(rand() * CUSTOMERS)}`, new Date(now.getTime() + rand() * DAY))),
);
await insertRows(
  "PointsEntry",
  ENTRY_COLUMNS,
  Array.from({ length: Math.round(ENTRIES / 700) }, () => entryRow(new Date(now.getTime() + rand() * DAY))),
);
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
const late = await db.order.findFirstOrThrow({
  where: { shopId: shop.id, cancelledAt: null, paidAt: { not: null }, orderedAt: { gte: lastMonth } },
  orderBy: { orderedAt: "asc" },
});
await db.order.update({ where: { id: late.id }, data: { cancelledAt: tomorrow } });
const daily = await timedJob(tomorrow);
const recomputed = await db.analyticsSnapshot.count({ where: { shopId: shop.id, key: { startsWith: "month:" }, computedAt: tomorrow } });
goalLine({
  metric: "dashboard_job_ms",
  database,
  value: daily.ms,
  unit: "ms",
  max: JOB_MAX_MS,
  details: {
    note: "the daily run: a day later, after the day's writes and one late cancellation in last month",
    lateWrite: late.orderedAt.toISOString().slice(0, 10),
    monthsRecomputed: recomputed,
    job: daily.outcome,
    parts: daily.parts,
  },
});

// The home page's loader as Shopify calls it: a session token in the request, checked.
const { RequestType, setUpValidRequest, setUpValidSession } = await import("@shopify/shopify-api/test-helpers");
const { sessionStorage } = await import("../app/shopify.server");
const { TEST_API_KEY, TEST_API_SECRET } = await import("../app/config.server");
const { loader } = await import("../app/routes/app._index/route");
await sessionStorage.storeSession(setUpValidSession({ shop: shop.domain, expires: undefined }));
const creds = { store: shop.domain.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
const loadOnce = async (days: number) => {
  const request = await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000/app?days=${days}`));
  const begin = performance.now();
  const data = await loader({ request, params: {}, context: {} });
  const ms = performance.now() - begin;
  if (data.dashboard.status !== "ready") throw new Error(`dashboard not ready: ${data.dashboard.status}`);
  return ms;
};
await loadOnce(30); // warm-up
const times: number[] = [];
for (let i = 0; i < LOADER_RUNS; i++) times.push(await loadOnce([30, 90, 365][i % 3]));
times.sort((a, b) => a - b);
const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]);
goalLine({
  metric: "dashboard_loader_p95_ms",
  database,
  value: pct(95),
  unit: "ms",
  max: LOADER_P95_MAX_MS,
  details: { runs: LOADER_RUNS, p50: pct(50), max: Math.round(times[times.length - 1]) },
});
await db.$disconnect();
exitOnMissedGoals();
