// npm run bench: prints measured figures as JSON lines.
// 1. The storefront JavaScript's gzipped sizes (decision 026): the launcher on every page
//    (budget 3,000 bytes), the panel (10,000), each card (5,000) and all together (25,000);
//    one JSON line each, exits 1 when any is over. Then the checkout and customer-account
//    extensions' bundles, built with the Shopify CLI (budget 15,000 bytes gzipped each).
// 2. The App Proxy state endpoint (signature check, database read, JSON) under 50
//    connections, next to a bare Node http server answering the same JSON from memory,
//    measured in the same run on the same machine, with the ratio.
// 3. The admin dashboard's loader on a shop of 100,000 customers (budget 300 ms; exits 1 over it).
// 4. The recommender: the offline protocol on the groceries baskets (goal HR@10 ≥ 0.42 and
//    ≥ 1.05× best sellers, in under 10 s), a full build of 100,000 synthetic orders (budget 30 s)
//    and query latency from the stored lists (exits 1 when a goal is missed).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import autocannon from "autocannon";
import { startServer } from "../scripts/server.js";
import { measureExtensions } from "../scripts/extension-bundles.js";
import { measureScripts } from "../widget/budgets.js";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const DURATION = Number(process.env.BENCH_SECONDS || 10);
const print = (line) => console.log(JSON.stringify(line));
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });

// --- 1. storefront script sizes (decision 026) ------------------------------------------
run(process.execPath, ["widget/build.js"]);
const figures = await measureScripts("extensions/kembali-theme/assets");
for (const figure of figures) print(figure);
const over = figures.filter((f) => !f.ok);
if (over.length) {
  for (const f of over) console.error(`${f.file ?? "All storefront scripts"}: ${f.value} bytes gzipped, over the ${f.budget}-byte budget.`);
  process.exit(1);
}

// The UI extensions: scripts/build-extensions.js builds every extension with the CLI (and
// fails over budget); the figures are printed here.
let extensionsBuilt = true;
try {
  run(process.execPath, ["scripts/build-extensions.js"]);
} catch {
  extensionsBuilt = false;
}
const extensionFigures = measureExtensions();
for (const figure of extensionFigures) print(figure);
for (const f of extensionFigures.filter((f) => !f.ok))
  console.error(`${f.file}: ${f.value ? `${f.value} bytes gzipped, over the ${f.budget}-byte budget` : "missing"}.`);
if (!extensionsBuilt || extensionFigures.some((f) => !f.ok)) process.exit(1);

// --- 2. App Proxy throughput ------------------------------------------------------------
run(process.execPath, ["scripts/setup.js", "--generate-only"]);
run(process.execPath, ["scripts/build-app.js"]);
mkdirSync(".tmp", { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) rmSync(`.tmp/bench.db${suffix}`, { force: true });
const DATABASE_URL = "file:./.tmp/bench.db";
run("npx", ["prisma", "migrate", "deploy"], { DATABASE_URL });

const secret = "bench-secret";
const port = 3411;
const app = await startServer({
  port,
  quiet: true,
  env: {
    DATABASE_URL,
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    // autocannon connects directly: no proxy of ours in between.
    TRUSTED_PROXY_HOPS: "0",
    DEMO_MODE: "",
  },
});

const { signedWebhookRequest, signProxyQuery, orderPaidPayload, DEMO_PRODUCTS } = await import("./support.js");
const shop = "bench-shop.myshopify.com";
const member = { id: "424242", firstName: "Bench", lastName: "Member", email: "bench@example.com" };
// A member with ten paid orders, earned through the real webhook route.
for (let i = 0; i < 10; i++) {
  const body = orderPaidPayload({
    orderId: String(90_000 + i),
    customer: member,
    lines: [{ product: DEMO_PRODUCTS[i % DEMO_PRODUCTS.length], quantity: 1 + (i % 3) }],
    createdAt: new Date(Date.now() - (10 - i) * 86_400_000),
  });
  const res = await fetch(signedWebhookRequest(`${app.url}/webhooks/orders/paid`, { topic: "orders/paid", shop, body, secret }));
  if (res.status !== 200) throw new Error(`seeding webhook answered ${res.status}`);
}
const query = signProxyQuery(new URLSearchParams(), { shop, customerId: member.id, secret });
const stateUrl = `${app.url}/proxy/state?${query}`;
const sample = await fetch(stateUrl);
const sampleBody = await sample.text();
if (sample.status !== 200) throw new Error(`state endpoint answered ${sample.status}: ${sampleBody}`);

// The bare server runs in its own process, as the app does, so neither shares autocannon's loop.
const bare = spawn(
  process.execPath,
  [
    "-e",
    `const body = process.env.BODY;
     require("node:http").createServer((req, res) => {
       res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
       res.end(body);
     }).listen(3412, "127.0.0.1", () => console.log("ready"));`,
  ],
  { env: { ...process.env, BODY: sampleBody }, stdio: ["ignore", "pipe", "inherit"] },
);
await new Promise((resolve) => bare.stdout.once("data", resolve));

async function measure(name, url) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  const line = {
    metric: "proxy_state_load",
    target: name,
    connections: CONNECTIONS,
    seconds: DURATION,
    requests: result.requests.total,
    req_per_s: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  print(line);
  return line;
}

try {
  const kembali = await measure("kembali /proxy/state (SQLite)", stateUrl);
  const baseline = await measure("bare node http, same JSON from memory", "http://127.0.0.1:3412/");
  print({
    metric: "proxy_state_vs_bare",
    throughput_ratio: Number((kembali.req_per_s / baseline.req_per_s).toFixed(3)),
    p99_ratio: Number((kembali.latency_p99_ms / Math.max(baseline.latency_p99_ms, 1)).toFixed(2)),
  });
  if (kembali.non2xx > 0 || kembali.errors > 0) {
    console.error("The state endpoint returned errors under load.");
    process.exitCode = 1;
  }
} finally {
  bare.kill();
  await app.stop();
}

// --- 3. The admin dashboard at 100,000 customers and 1,000,000 ledger entries -------------
// (bench/dashboard.ts: seeds the shop, runs the figures job, times the home page's loader
// against its 300 ms budget and exits 1 over it.)
const dashboard = spawn("npx", ["tsx", "bench/dashboard.ts"], { stdio: "inherit" });
const dashboardCode = await new Promise((resolve) => dashboard.once("exit", resolve));
if (dashboardCode !== 0) {
  console.error("The dashboard benchmark failed.");
  process.exitCode = 1;
}

// --- 4. The recommender ------------------------------------------------------------------
// npm run recs:eval on the groceries baskets (Hahsler, Hornik and Reutterer 2006; protocol in
// ../shared/data/README.md): its last line is the JSON of figures.
const evalOut = execFileSync("npx", ["tsx", "scripts/recs-eval.ts", "--data", "../shared/data/groceries.csv"], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const recs = JSON.parse(evalOut.trim().split("\n").at(-1));
const recsGoal = { hr10: 0.42, vs_popularity: 1.05, ms: 10_000 };
const recsOk = recs.hr10 >= recsGoal.hr10 && recs.hr10 >= recsGoal.vs_popularity * recs.popularity_hr10 && recs.ms < recsGoal.ms;
print({
  metric: "recs_groceries_eval",
  ...recs,
  vs_popularity: Number((recs.hr10 / recs.popularity_hr10).toFixed(3)),
  goal: recsGoal,
  ok: recsOk,
});
if (!recsOk) {
  console.error("The recommender misses its goal on the groceries baskets.");
  process.exitCode = 1;
}
const recsScale = spawn("npx", ["tsx", "bench/recs.ts"], { stdio: "inherit" });
if ((await new Promise((resolve) => recsScale.once("exit", resolve))) !== 0) {
  console.error("The recommender's scale benchmark failed.");
  process.exitCode = 1;
}
