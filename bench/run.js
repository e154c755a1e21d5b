// npm run bench: prints measured figures as JSON lines.
// 1. The storefront JavaScript's gzipped sizes (decision 026): the launcher on every page
//    (budget 3,000 bytes), the panel (10,000), each card (5,000) and all together (25,000);
//    one JSON line each, exits 1 when any is over. Then the checkout and customer-account
//    extensions' bundles, built with the Shopify CLI (budget 15,000 bytes gzipped each).
// 2. The hot paths against their goals (bench/goals.ts lines), on SQLite and PostgreSQL: the
//    App Proxy state call beside a bare Node server answering the same JSON from memory
//    (bench/state.ts), webhook ingest beside a bare loop of its three writes (bench/ingest.ts),
//    concurrent redemptions beside the ledger note's bare recipe (bench/redemption.ts).
//    Then a soak: mixed storefront reads, webhooks and redemptions for 60 s against one and
//    against two production servers on PostgreSQL: errors, lost or doubled entries, growth of
//    each server's JS heap after a full garbage collection (resident memory as a detail)
//    (bench/soak.ts).
// 3. The admin dashboard at 100,000 customers: the figures job's daily run (goal 10 s) and the
//    home page's loader (p95 goal 50 ms), on both databases (bench/dashboard.ts).
// 4. The recommender: the offline protocol on the groceries baskets (goal HR@10 ≥ 0.42 and
//    ≥ 1.05× best sellers, in under 10 s), a full build of 100,000 synthetic orders (budget 30 s)
//    and query latency from the stored lists (exits 1 when a goal is missed).
// 5. What the storefront widget costs Lighthouse (mobile) on the demo store's home and product
//    pages, Kembali on against its assets blocked (goal: score -1 point at most, FCP and LCP
//    +50 ms at most; bench/lighthouse.ts), and the Web Vitals of every admin page of the demo
//    (LCP 2.5 s, CLS 0.1, INP 200 ms; bench/admin-vitals.ts).
import { execFileSync, spawn } from "node:child_process";
import { measureExtensions } from "../scripts/extension-bundles.js";
import { measureScripts } from "../widget/budgets.js";

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

// --- 2. The hot paths (issue 15), each in its own process, on SQLite and on PostgreSQL ------
// (BENCH_POSTGRES_URL, else a local database kembali_bench, created when missing and reset):
// the storefront state call, webhook ingest and redemptions. Every script runs to its end (all
// figures printed) and npm run bench exits 1 when any missed a goal.
run(process.execPath, ["scripts/setup.js", "--generate-only"]);
run(process.execPath, ["scripts/build-app.js"]);
for (const script of ["bench/state.ts", "bench/ingest.ts", "bench/redemption.ts", "bench/soak.ts"]) {
  const child = spawn("npx", ["tsx", script], { stdio: "inherit" });
  if ((await new Promise((resolve) => child.once("exit", resolve))) !== 0) {
    console.error(`${script} missed a goal or failed.`);
    process.exitCode = 1;
  }
}

// --- 3. The admin dashboard at 100,000 customers and 1,000,000 ledger entries -------------
// (bench/dashboard.ts: seeds the shop on each database, runs the figures job first and a day
// later, times the home page's loader; goal lines, exits 1 when one is missed.)
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

// --- 5. Storefront Lighthouse and admin Web Vitals (issue 16) ------------------------------
for (const script of ["bench/lighthouse.ts", "bench/admin-vitals.ts"]) {
  const child = spawn("npx", ["tsx", script], { stdio: "inherit" });
  if ((await new Promise((resolve) => child.once("exit", resolve))) !== 0) {
    console.error(`${script} missed a goal or failed.`);
    process.exitCode = 1;
  }
}
