// Webhook ingest (issue 15): signed orders/paid webhooks through the route's own action, beside a
// bare loop of the same three writes through the app's Prisma client, on SQLite and PostgreSQL.
// Per database, in its own process (the app's client is one per process, chosen by DATABASE_URL):
//   bare loop   N orders, each one interactive transaction (the app's `transaction`) with the
//               three writes: the event row, the ledger entry, the balance update; IN_FLIGHT at once
//   ingest      N signed orders/paid webhooks with a realistic payload (the demo catalogue: 1-4
//               lines, a customer with email consent, most of them returning), IN_FLIGHT at once,
//               through `action({ request })` of app/routes/webhooks.orders.paid.tsx: body, HMAC,
//               JSON, schema, the transaction and the follow-up after the commit. In-process on
//               purpose: the HTTP server's routing is measured by the state benchmark, and this
//               figure does not depend on how server.js dispatches /webhooks/*.
//   statements  every statement the database driver is handed (better-sqlite3's prepare, pg's
//               Client.query: BEGIN and COMMIT included), counted while ingest runs, per order
//   verified    every order has exactly one earn entry, every balance + pending equals the
//               customer's ledger sum, and replaying every webhook (same event ids, then new
//               event ids for the same orders) changes no row that matters
// The shop is installed with the default program (referrals on) and a three-tier program, so
// the tier evaluation runs after every order. Prints goalLine JSON lines: ingest_orders_per_s
// (baseline: the bare loop, at least 0.5x), ingest_statements_per_order (at most 12),
// ingest_lost_or_doubled (0); then ingest_statements_sample: the statements of one order of a
// new and of a returning customer. Exits 1 when a goal is missed.
// Run: npx tsx bench/ingest.ts. BENCH_INGEST_ORDERS (default 1000), BENCH_INGEST_IN_FLIGHT (10);
// BENCH_POSTGRES_URL names the PostgreSQL database, which is RESET (created when missing);
// BENCH_INGEST_DATABASES=sqlite (or postgresql) runs one; BENCH_INGEST_CPU_PROF=1 profiles the
// ingest phase (.tmp/prof/ingest-<database>.cpuprofile) and prints its top entries by self time.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import { benchPostgresUrl, exitOnMissedGoals, freshBenchDatabase, goalLine, type BenchDatabase } from "./goals";

const ORDERS = Number(process.env.BENCH_INGEST_ORDERS || 1000);
const IN_FLIGHT = Number(process.env.BENCH_INGEST_IN_FLIGHT || 10);
const SQLITE_FILE = ".tmp/bench-ingest.db";

const runUrl = process.env.BENCH_INGEST_URL;
if (runUrl) await measure(runUrl);
else orchestrate();

/** One process per database: each resets its database and prints its own goal lines. */
function orchestrate() {
  const wanted = (process.env.BENCH_INGEST_DATABASES || "sqlite,postgresql").split(",");
  const failed: string[] = [];
  for (const database of wanted) {
    const url = database === "postgresql" ? benchPostgresUrl() : `file:./${SQLITE_FILE}`;
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]], {
      stdio: "inherit",
      env: { ...process.env, BENCH_INGEST_URL: url },
    });
    if (child.status !== 0) failed.push(database);
  }
  if (failed.length) {
    console.error(`Ingest benchmark failed on: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
}

/** Every statement handed to the driver while `on`: counted below the Prisma client, whatever it batches. */
function statementCounter(database: BenchDatabase) {
  const counter = { on: false, statements: [] as string[] };
  const require = createRequire(import.meta.url);
  const record = (sql: string) => {
    if (counter.on) counter.statements.push(sql);
  };
  if (database === "postgresql") {
    const proto = (require("pg") as typeof pg).Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = proto.query;
    proto.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
      record(typeof config === "string" ? config : String((config as { text?: string })?.text ?? ""));
      return query.call(this, config, ...rest);
    };
  } else {
    const proto = (require("better-sqlite3") as { prototype: { prepare: (sql: string) => unknown } }).prototype;
    const prepare = proto.prepare;
    proto.prepare = function (this: unknown, sql: string) {
      record(sql);
      return prepare.call(this, sql);
    };
  }
  return counter;
}

/**
 * A CPU profile of the ingest phase only (node:inspector), saved for DevTools, and its top
 * entries by self time: functions, and the packages (or app folders) they belong to.
 */
async function startProfile() {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      mkdirSync(".tmp/prof", { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      const total = profile.endTime - profile.startTime;
      const self = new Map<number, number>();
      const deltas = profile.timeDeltas ?? [];
      (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
      const byFunction = new Map<string, number>();
      const byPlace = new Map<string, number>();
      for (const node of profile.nodes) {
        const time = self.get(node.id) ?? 0;
        const { functionName, url, lineNumber } = node.callFrame;
        const place = placeOf(url);
        const fn = `${functionName || "(anonymous)"} ${place}${url ? `:${lineNumber + 1}` : ""}`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
        byPlace.set(place, (byPlace.get(place) ?? 0) + time);
      }
      const top = (m: Map<string, number>, n: number) =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([name, t]) => `${((t / total) * 100).toFixed(1)}% ${name}`);
      return { file, functions: top(byFunction, 15), places: top(byPlace, 12) };
    },
  };
}

/** node_modules/<package> or the app's folder of a script URL; "(native)" and the like as they are. */
function placeOf(url: string): string {
  if (!url) return "(native/idle/gc)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const app = /\/(app|bench|common)\/(.*?)([^/]+)$/.exec(url);
  if (app) return `${app[1]}/${app[2]}${app[3].replace(/\?.*$/, "")}`;
  return url.replace(/^.*\//, "");
}

async function inFlight<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function measure(url: string) {
  const database: BenchDatabase = /^postgres/.test(url) ? "postgresql" : "sqlite";
  await freshBenchDatabase(/^postgres/.test(url) ? "postgresql" : "sqlite", "bench-ingest");
  process.env.DATABASE_URL = url;
  // Test mode: the fixed test secret signs the webhooks, and Shopify is the in-memory store.
  process.env.NODE_ENV = "test";
  const counter = statementCounter(database);

  const { default: db, transaction } = await import("../app/db.server");
  const { ensureShop } = await import("../app/domain/shop/shops");
  const { TEST_API_SECRET } = await import("../app/config.server");
  const { action } = await import("../app/routes/webhooks.orders.paid");
  const { signedWebhookRequest, orderPaidPayload, DEMO_PRODUCTS } = await import("./support");
  const { mulberry32 } = await import("../app/demo/catalog");

  const shopDomain = "bench-ingest.myshopify.com";
  const shop = await ensureShop(db, shopDomain, "IDR");
  await db.tierProgram.create({
    data: {
      shopId: shop.id,
      version: 1,
      basis: "amount_spent",
      period: "rolling_12_months",
      tiers: [
        { key: "bronze", name: "Bronze", threshold: 0, earnMultiplier: 1, freeShippingReward: false, exclusiveRewardIds: [] },
        { key: "silver", name: "Silver", threshold: 100_000_000, earnMultiplier: 1.25, freeShippingReward: false, exclusiveRewardIds: [] },
        { key: "gold", name: "Gold", threshold: 300_000_000, earnMultiplier: 1.5, freeShippingReward: false, exclusiveRewardIds: [] },
      ],
    },
  });

  // --- the orders: customers and payloads fixed by a seed, signed before the clock starts -----
  const random = mulberry32(15);
  const customers = Array.from({ length: Math.max(1, Math.round(ORDERS / 5)) }, (_, i) => {
    const id = String(7_000_000 + i);
    return { id, firstName: `Bench${i}`, lastName: "Member", email: `bench${i}@example.com` };
  });
  type Signed = { url: string; headers: Record<string, string>; body: string };
  const sign = (orderNumber: number, customer = customers[Math.floor(random() * customers.length)]): Signed => {
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
      product: DEMO_PRODUCTS[Math.floor(random() * DEMO_PRODUCTS.length)],
      quantity: 1 + Math.floor(random() * 3),
    }));
    const body = orderPaidPayload({
      orderId: String(orderNumber),
      customer,
      lines,
      createdAt: new Date(),
    });
    const request = signedWebhookRequest("http://127.0.0.1/webhooks/orders/paid", {
      topic: "orders/paid",
      shop: shopDomain,
      body,
      secret: TEST_API_SECRET,
    });
    return { url: request.url, headers: Object.fromEntries(request.headers), body: JSON.stringify(body) };
  };
  const send = async (s: Signed, headers: Record<string, string> = s.headers) => {
    const response = await action({ request: new Request(s.url, { method: "POST", headers, body: s.body }), params: {}, context: {} });
    if (response.status !== 200) throw new Error(`orders/paid answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { ok: boolean; duplicate?: boolean };
  };
  const warmUp = Array.from({ length: 30 }, (_, i) => sign(5_000_000 + i));
  // The first warm-up order's customer orders again: a returning customer, as most are.
  const returning = sign(5_100_000, customers[Number(JSON.parse(warmUp[0].body).customer.id) - 7_000_000]);
  const newcomer = { id: "9999999", firstName: "First", lastName: "Order", email: "first@example.com" };
  const orders = Array.from({ length: ORDERS }, (_, i) => sign(6_000_000 + i));

  // --- the bare loop: the three writes, one transaction per order ------------------------------
  const tx = transaction(db);
  const bareCustomers = await Promise.all(
    customers.map((c) => db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `bare-${c.id}` }, select: { id: true } })),
  );
  let bareSerial = 0;
  const bareOrder = async () => {
    const n = bareSerial++;
    const customerId = bareCustomers[n % bareCustomers.length].id;
    await tx(async (t) => {
      await t.webhookEvent.create({ data: { shopDomain, eventId: `bare-${n}`, topic: "ORDERS_PAID" } });
      await t.pointsEntry.create({
        data: {
          shopId: shop.id,
          customerId,
          kind: "earn",
          points: 100,
          balanceAfter: 0,
          idempotencyKey: `bare:${n}`,
          sourceType: "bare",
          sourceId: String(n),
        },
      });
      await t.customer.update({ where: { id: customerId }, data: { balance: { increment: 100 } } });
    });
  };
  const timed = async (count: number, concurrency: number, fn: () => Promise<void>) => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await inFlight(Array.from({ length: count }), concurrency, fn);
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      perSecond: Math.round((count / seconds) * 10) / 10,
      cpuMsPerOrder: Math.round(((used.user + used.system) / 1000 / count) * 100) / 100,
    };
  };
  await timed(30, IN_FLIGHT, bareOrder);
  const bareSequential = await timed(Math.min(ORDERS, 300), 1, bareOrder);
  counter.on = true;
  counter.statements = [];
  const bare = await timed(ORDERS, IN_FLIGHT, bareOrder);
  const bareStatements = counter.statements.length / ORDERS;
  counter.on = false;

  // --- ingest ----------------------------------------------------------------------------------
  await inFlight(warmUp, IN_FLIGHT, async (s) => void (await send(s)));
  const sample: Record<string, string[]> = {};
  for (const [name, s] of [
    ["returning_customer", returning],
    ["replayed_event", returning],
  ] as const) {
    counter.statements = [];
    counter.on = true;
    await send(s);
    counter.on = false;
    sample[name] = counter.statements.map((sql) => sql.replace(/\s+/g, " ").slice(0, 140));
  }
  counter.statements = [];
  counter.on = true;
  let queue = 0;
  const profiler = process.env.BENCH_INGEST_CPU_PROF ? await startProfile() : null;
  const ingest = await timed(ORDERS, IN_FLIGHT, async () => void (await send(orders[queue++])));
  const profile = await profiler?.stop(`.tmp/prof/ingest-${database}.cpuprofile`);
  counter.on = false;
  const statementsPerOrder = Math.round((counter.statements.length / ORDERS) * 10) / 10;
  // A customer seen for the first time.
  const fresh = sign(5_200_000, newcomer);
  counter.statements = [];
  counter.on = true;
  await send(fresh);
  counter.on = false;
  sample.new_customer = counter.statements.map((sql) => sql.replace(/\s+/g, " ").slice(0, 140));

  // --- verification: exactly once, balances, replays ---------------------------------------------
  // Grouped over the whole shop and matched here: an IN list of every order id is over SQLite's bind limit.
  const orderIds = new Set(orders.map((_, i) => String(6_000_000 + i)));
  const earns = (
    await db.pointsEntry.groupBy({
      by: ["sourceId"],
      where: { shopId: shop.id, kind: "earn", sourceType: "order" },
      _count: { _all: true },
    })
  ).filter((e) => orderIds.has(e.sourceId));
  const once = earns.filter((e) => e._count._all === 1).length;
  const doubled = earns.reduce((sum, e) => sum + Math.max(0, e._count._all - 1), 0);
  const lost = ORDERS - earns.length;
  const unbalanced = async () => {
    const rows = await db.customer.findMany({
      where: { shopId: shop.id },
      select: { balance: true, pendingPoints: true, pointsEntries: { select: { points: true } } },
    });
    return rows.filter((c) => c.balance + c.pendingPoints !== c.pointsEntries.reduce((sum, e) => sum + e.points, 0)).length;
  };
  const wrongBalances = await unbalanced();
  const snapshot = async () => ({
    entries: await db.pointsEntry.count({ where: { shopId: shop.id } }),
    points: (await db.pointsEntry.aggregate({ where: { shopId: shop.id }, _sum: { points: true } }))._sum.points,
    balances: (await db.customer.aggregate({ where: { shopId: shop.id }, _sum: { balance: true, pendingPoints: true, stamps: true } }))
      ._sum,
    customers: await db.customer.count({ where: { shopId: shop.id } }),
    orders: await db.order.count({ where: { shopId: shop.id } }),
    lines: await db.orderLine.count({ where: { order: { shopId: shop.id } } }),
    counted: await db.order.count({ where: { shopId: shop.id, recsCounted: true } }),
    baskets: (await db.recsState.findUnique({ where: { shopId: shop.id } }))?.baskets ?? 0,
    events: await db.customerEvent.count({ where: { shopId: shop.id } }),
    tierChanges: await db.tierChange.count({ where: { shopId: shop.id } }),
    contacts: await db.orderContact.count({ where: { shopId: shop.id } }),
  });
  const before = JSON.stringify(await snapshot());
  let duplicates = 0;
  await inFlight(orders, IN_FLIGHT, async (s) => void ((await send(s)).duplicate && duplicates++));
  const afterSameIds = JSON.stringify(await snapshot());
  // The same orders under new event ids (a second topic or a resend): the signature covers the body only.
  await inFlight(
    orders,
    IN_FLIGHT,
    async (s) => void (await send(s, { ...s.headers, "x-shopify-event-id": `again-${s.headers["x-shopify-event-id"]}` })),
  );
  const afterNewIds = JSON.stringify(await snapshot());
  const replayChanged = Number(afterSameIds !== before) + Number(afterNewIds !== before) + (ORDERS - duplicates) + (await unbalanced());

  goalLine({
    metric: "ingest_orders_per_s",
    database,
    value: ingest.perSecond,
    unit: "orders/s",
    baseline: bare.perSecond,
    ratioMin: 0.5,
    details: {
      orders: ORDERS,
      in_flight: IN_FLIGHT,
      cpu_ms_per_order: ingest.cpuMsPerOrder,
      bare_cpu_ms_per_order: bare.cpuMsPerOrder,
      bare_statements_per_order: bareStatements,
      bare_sequential_per_s: bareSequential.perSecond,
    },
  });
  goalLine({ metric: "ingest_statements_per_order", database, value: statementsPerOrder, unit: "statements", max: 12 });
  goalLine({
    metric: "ingest_lost_or_doubled",
    database,
    value: lost + doubled + wrongBalances + replayChanged,
    unit: "orders",
    max: 0,
    details: {
      earned_once: once,
      lost,
      doubled,
      wrong_balances: wrongBalances,
      replay_changed: replayChanged,
      replay_duplicates: duplicates,
    },
  });
  console.log(JSON.stringify({ metric: "ingest_statements_sample", database, ...sample }));
  if (profile) console.log(JSON.stringify({ metric: "ingest_cpu_profile", database, ...profile }));
  await db.$disconnect();
  exitOnMissedGoals();
}
