// Builds the app's extensions with the Shopify CLI, offline (no login, no Partner app needed),
// and checks the bundles:
// - the web pixel's: written, the app's URL inlined, under Shopify's 128 KB;
// - the checkout and customer-account UI extensions' (Preact): written, the app's URL inlined,
//   every target of the toml registered, Preact's JSX (not React's, which renders nothing), at
//   most 15,000 bytes gzipped each; then each runs in a vm with a stand-in for Shopify's
//   sandbox (scripts/extension-sandbox.js) and must render the question of a due survey.
// APP_URL is the address the extensions call (`${APP_URL}/pixel/events`, `${APP_URL}/api/…`);
// the CLI inlines it at build time, so set your app's URL when you deploy. Without it this
// check uses a placeholder.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { bundlePath, measureExtensions, UI_EXTENSIONS } from "./extension-bundles.js";
import { loadExtension, until } from "./extension-sandbox.js";

const PIXEL = "extensions/kembali-pixel/dist/kembali-pixel.js";
const LIMIT = 128 * 1024;
const appUrl = process.env.APP_URL || "https://app.example.com";

for (const dir of ["kembali-pixel", ...UI_EXTENSIONS.map((e) => e.handle)])
  rmSync(`extensions/${dir}/dist`, { recursive: true, force: true });
// The CLI loops forever on some esbuild errors: a time limit turns that into a failure.
const r = spawnSync("npx", ["shopify", "app", "build", "--path", ".", "--skip-dependencies-installation", "--no-color"], {
  stdio: "inherit",
  timeout: 180_000,
  env: { ...process.env, APP_URL: appUrl, SHOPIFY_CLI_NO_ANALYTICS: "1" },
});
const fail = (message) => {
  console.error(`✗ ${message}`);
  process.exit(1);
};
if (r.error || r.status !== 0) fail(`shopify app build failed (${r.error?.message ?? `exit ${r.status}`})`);
if (!existsSync(PIXEL)) fail(`the web pixel's bundle ${PIXEL} is missing`);
const code = readFileSync(PIXEL, "utf8");
if (code.includes("process.env")) fail("APP_URL was not inlined into the web pixel (it would throw in Shopify's sandbox)");
if (!code.includes(`${appUrl}/pixel/events`)) fail("the web pixel does not post to APP_URL/pixel/events");
if (Buffer.byteLength(code) > LIMIT) fail(`the web pixel is ${Buffer.byteLength(code)} bytes, over Shopify's ${LIMIT}`);
console.log(`Web pixel built: ${Buffer.byteLength(code)} bytes, posting to ${appUrl}/pixel/events`);

const due = {
  order: { id: "6001", points: 120, pending: true, availableAt: "2027-01-12T00:00:00.000Z" },
  claim: null,
  survey: { kind: "nps", question: null, min: 0, max: 10, pointsForAnswer: 0 },
  noSurvey: null,
};
const figures = new Map(measureExtensions().map((f) => [f.file, f]));
for (const { handle, targets } of UI_EXTENSIONS) {
  const file = bundlePath(handle);
  if (!existsSync(file)) fail(`the ${handle} extension's bundle ${file} is missing`);
  const ui = readFileSync(file, "utf8");
  if (ui.includes("process.env")) fail(`APP_URL was not inlined into ${handle} (it would throw in Shopify's sandbox)`);
  if (!ui.includes(appUrl)) fail(`${handle} does not call APP_URL`);
  if (ui.includes("react.production"))
    fail(`${handle} uses React's JSX runtime: Preact would render nothing (a tsconfig with jsxImportSource preact is missing)`);
  const { value, budget, ok } = figures.get(file);
  if (!ok) fail(`${handle} is ${value} bytes gzipped, over its ${budget}-byte budget`);
  const surface = handle === "kembali-checkout" ? "checkout" : "account";
  const orderTarget = targets.find((t) => t.startsWith("purchase.") || t.includes("order-status"));
  const ext = loadExtension(ui, {
    localesDir: `extensions/${handle}/locales`,
    routes: { [`GET /api/${surface}/order`]: { status: 200, body: due } },
  });
  if (ext.targets.sort().join() !== [...targets].sort().join())
    fail(`${handle} registers ${ext.targets.join(", ") || "no target"}, not ${targets.join(", ")}`);
  ext.run(orderTarget);
  try {
    await until(() => ext.body.textContent.includes("How likely are you to recommend us"));
  } catch {
    fail(`${handle} did not render the survey's question for a due survey (${orderTarget})`);
  }
  if (ext.body.all("s-button").length < 11) fail(`${handle} did not render the 0–10 scale`);
  console.log(`${handle} built: ${value} bytes gzipped (budget ${budget}), registers ${targets.join(", ")}, renders a due survey`);
}
