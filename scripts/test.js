// npm test: everything a change must pass, in order.
//   1. Prisma clients, type check, lint (the architecture's boundaries, eslint.config.js),
//      formatting (prettier --check; `npm run format` fixes it)
//   2. unit + integration tests on SQLite
//   3. the same tests on PostgreSQL: TEST_DATABASE_URL, else a PostgreSQL server on
//      127.0.0.1:5432 (database kembali_test, created if missing); skipped with a one-line
//      how-to when there is none, required when CI=true; a non-PostgreSQL URL fails at once;
//      then the app built and production servers on PostgreSQL: two on one database
//      (test/multiserver: webhooks and redemptions spread over both, jobs once, a killed server's
//      job taken over) and the hostile-input suite (test/e2e/hostile.test.ts: forged signatures,
//      fuzzed routes, cross-shop requests; step 5 runs it on SQLite)
//   4. storefront widget build (size budget), theme check, and the extensions built with the
//      Shopify CLI (offline; the web pixel's and the UI extensions' bundles checked)
//   5. browser tests in Chromium (skipped with install instructions if it is missing,
//      required when CI=true)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { probeLocalPostgres, testDatabaseDecision } from "./test-database.js";

const ci = process.env.CI === "true" || process.env.CI === "1";
const results = [];
let failed = false;

function step(name, cmd, args, env = {}) {
  console.log(`\n━━ ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    failed = true;
    console.error(`✗ ${name} failed`);
  }
  return r.status === 0;
}

function vitest(name, config, env, report) {
  mkdirSync(".tmp", { recursive: true });
  step(name, "npx", ["vitest", "run", "-c", config, "--reporter=default", "--reporter=json", `--outputFile.json=.tmp/${report}.json`], env);
  if (existsSync(`.tmp/${report}.json`)) {
    const r = JSON.parse(readFileSync(`.tmp/${report}.json`, "utf8"));
    results.push({ name, passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests });
  }
}

function skip(name, why) {
  console.log(`\n━━ ${name}\n⚠ SKIPPED: ${why}`);
  results.push({ name, skipped: "all", why });
  if (ci) {
    failed = true;
    console.error(`✗ ${name} must run in CI`);
  }
}

let appBuilt = false;
const database = testDatabaseDecision(process.env, process.env.TEST_DATABASE_URL ? null : await probeLocalPostgres());
if ("error" in database) {
  console.error(`✗ ${database.error}`);
  process.exit(1);
}

step("Prisma clients", process.execPath, ["scripts/setup.js", "--generate-only"]);
step("Type check", "npx", ["tsc", "--noEmit"]);
step("Type check (widget)", "npx", ["tsc", "--noEmit", "-p", "widget"]);
step("Type check (web pixel)", "npx", ["tsc", "--noEmit", "-p", "extensions/kembali-pixel"]);
step("Type check (checkout extension)", "npx", ["tsc", "--noEmit", "-p", "extensions/kembali-checkout"]);
step("Type check (customer account extension)", "npx", ["tsc", "--noEmit", "-p", "extensions/kembali-account"]);
step("Lint", "npx", ["eslint", "--max-warnings", "0", "."]);
step("Formatting", "npx", ["prettier", "--check", "--log-level", "warn", "."]);
vitest("Unit and integration tests (SQLite)", "vitest.config.ts", { TEST_DB: "sqlite" }, "vitest-sqlite");
if ("use" in database) {
  if (database.source === "local")
    console.log(`\nPostgreSQL found on this computer: the tests use its database kembali_test (reset on every run).`);
  vitest(
    "Integration tests (PostgreSQL)",
    "vitest.config.ts",
    { TEST_DB: "postgresql", TEST_DATABASE_URL: database.use },
    "vitest-postgresql",
  );
  appBuilt = step("App build", process.execPath, ["scripts/build-app.js"]);
  if (appBuilt) {
    vitest(
      "App servers on PostgreSQL (several on one database, the hostile-input suite)",
      "vitest.multiserver.config.ts",
      { TEST_DB: "postgresql", TEST_DATABASE_URL: database.use },
      "vitest-multiserver",
    );
  }
} else {
  skip("Integration tests (PostgreSQL)", database.skip);
}
step("Storefront widget: build and size budget", process.execPath, ["widget/build.js"]);
step("Theme check", process.execPath, ["widget/theme-check.js"]);
step(
  "Extensions: Shopify CLI build (offline), the web pixel's bundle, the UI extensions' bundles (size budget, smoke run)",
  process.execPath,
  ["scripts/build-extensions.js"],
);
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (existsSync(chromium)) {
  if (appBuilt || step("App build", process.execPath, ["scripts/build-app.js"])) {
    // On SQLite whatever the shell says (the hostile-input suite follows TEST_DB; step 3 runs it on PostgreSQL).
    vitest("Browser tests (Chromium)", "vitest.e2e.config.ts", { CHROMIUM_PATH: chromium, TEST_DB: "sqlite" }, "vitest-e2e");
  }
} else {
  skip(
    "Browser tests (Chromium)",
    `no Chromium at ${chromium}. Install it with \`sudo apt-get install chromium\` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary. Never a downloaded browser.`,
  );
}

console.log("\n━━ Summary");
for (const r of results) {
  console.log(
    r.skipped === "all"
      ? `  ${r.name}: skipped (${r.why.split(". ")[0]})`
      : `  ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`,
  );
}
const passed = results.reduce((s, r) => s + (r.passed ?? 0), 0);
const failedTests = results.reduce((s, r) => s + (r.failed ?? 0), 0);
console.log(`${passed} passed, ${failedTests} failed`);
process.exit(failed || failedTests > 0 ? 1 : 0);
