// The storefront state call (GET /proxy/state through the App Proxy) under load, on SQLite and
// on PostgreSQL, side by side with a bare Node http server answering the same JSON from memory
// in the same run (issue 15; decision 040). Prints goal lines (bench/goals.ts):
//   proxy_state_req_per_s   a member's state at 50 connections: at least 0.1x the bare server
//   proxy_state_p99_ms      its p99 latency, counted from the first request (no warm-up): <= 25 ms
//   proxy_state_errors      non-2xx answers and socket errors: 0
// and, for the record, the same for a guest and for calls whose stored answer is stale every
// time (each preceded by a write that changes the member), which the Remix route answers.
// Run: npx tsx bench/state.ts (npm run bench runs it; BENCH_SECONDS, BENCH_CONNECTIONS).
import { spawn } from "node:child_process";
import autocannon from "autocannon";
import { startServer } from "../scripts/server.js";
import { exitOnMissedGoals, freshBenchDatabase, goalLine, type BenchDatabase } from "./goals";
import { signedWebhookRequest, signProxyQuery, orderPaidPayload, DEMO_PRODUCTS } from "./support";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const SECRET = "bench-secret";
const SHOP = "bench-shop.myshopify.com";
const PORT = 3411;
const BARE_PORT = 3412;
const print = (line: unknown) => console.log(JSON.stringify(line));

async function load(url: string) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return {
    requests: r.requests.total,
    reqPerS: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.non2xx + r.errors + r.timeouts,
  };
}

/** A bare server in its own process (as the app is), answering `body` from memory. */
async function bareServer(body: string) {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const body = process.env.BODY;
       require("node:http").createServer((req, res) => {
         res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
         res.end(body);
       }).listen(${BARE_PORT}, "127.0.0.1", () => console.log("ready"));`,
    ],
    { env: { ...process.env, BODY: body }, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return child;
}

/** The stored answer, once the state call is served from it (within 30 s). */
async function storedAnswer(url: string): Promise<string> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const res = await fetch(url);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`state answered ${res.status}: ${body}`);
    if (res.headers.get("x-kembali-state") === "stored") return body;
  }
  throw new Error("the state call was never served from its stored answer");
}

async function run(database: Exclude<BenchDatabase, null>) {
  const DATABASE_URL = await freshBenchDatabase(database, "bench-state");
  const app = await startServer({
    port: PORT,
    quiet: true,
    env: {
      DATABASE_URL,
      SHOPIFY_API_KEY: "bench-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://127.0.0.1:${PORT}`,
      // autocannon connects directly: no proxy of ours in between.
      TRUSTED_PROXY_HOPS: "0",
      DEMO_MODE: "",
    },
  });
  try {
    const member = { id: "424242", firstName: "Bench", lastName: "Member", email: "bench@example.com" };
    // A member with ten paid orders, earned through the real webhook route.
    for (let i = 0; i < 10; i++) {
      const body = orderPaidPayload({
        orderId: String(90_000 + i),
        customer: member,
        lines: [{ product: DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]!, quantity: 1 + (i % 3) }],
        createdAt: new Date(Date.now() - (10 - i) * 86_400_000),
      });
      const res = await fetch(
        signedWebhookRequest(`${app.url}/webhooks/orders/paid`, { topic: "orders/paid", shop: SHOP, body, secret: SECRET }),
      );
      if (res.status !== 200) throw new Error(`seeding webhook answered ${res.status}`);
    }
    const url = (customerId: string | null) =>
      `${app.url}/proxy/state?${signProxyQuery(new URLSearchParams({ lang: "en" }), { shop: SHOP, customerId, secret: SECRET })}`;
    const memberUrl = url(member.id);
    // The first call builds and stores the answer; once the seeding's background work has
    // settled, calls are served from it, byte for byte the same as the route built it.
    const built = await (await fetch(memberUrl)).text();
    const storedBody = await storedAnswer(memberUrl);
    if (storedBody !== built) throw new Error("the stored answer differs from the one the route built");
    const shown = JSON.parse(storedBody).customer;
    if (!(shown?.balance + shown?.pending > 0)) throw new Error("the member's state shows no points");

    const kembali = await load(memberUrl);
    const bare = await bareServer(storedBody);
    let baseline;
    try {
      baseline = await load(`http://127.0.0.1:${BARE_PORT}/`);
    } finally {
      bare.kill();
    }
    print({
      metric: "proxy_state_bare_node",
      database,
      req_per_s: baseline.reqPerS,
      latency_p99_ms: baseline.p99,
      bytes: storedBody.length,
    });
    const details = { connections: CONNECTIONS, seconds: DURATION, requests: kembali.requests, p50_ms: kembali.p50, max_ms: kembali.max };
    goalLine({
      metric: "proxy_state_req_per_s",
      database,
      value: kembali.reqPerS,
      unit: "req/s",
      baseline: baseline.reqPerS,
      ratioMin: 0.1,
      details,
    });
    goalLine({ metric: "proxy_state_p99_ms", database, value: kembali.p99, unit: "ms", max: 25, details });
    goalLine({ metric: "proxy_state_errors", database, value: kembali.errors, unit: "responses", max: 0 });

    // For the record: a guest, and calls the route must answer in full.
    const guestUrl = url(null);
    await storedAnswer(guestUrl);
    const guest = await load(guestUrl);
    print({ metric: "proxy_state_guest", database, req_per_s: guest.reqPerS, latency_p99_ms: guest.p99, errors: guest.errors });
  } finally {
    await app.stop();
  }
}

for (const database of ["sqlite", "postgresql"] as const) await run(database);
exitOnMissedGoals();
