// Builds the app's extensions with the Shopify CLI, offline (no login, no Partner app needed),
// and checks the web pixel's bundle: written, the app's URL inlined, under Shopify's 128 KB.
// APP_URL is the address the pixel posts to (`${APP_URL}/pixel/events`); the CLI inlines it at
// build time, so set your app's URL when you deploy. Without it this check uses a placeholder.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const PIXEL = "extensions/kembali-pixel/dist/kembali-pixel.js";
const LIMIT = 128 * 1024;
const appUrl = process.env.APP_URL || "https://app.example.com";

rmSync("extensions/kembali-pixel/dist", { recursive: true, force: true });
// The CLI loops forever on some esbuild errors: a time limit turns that into a failure.
const r = spawnSync("npx", ["shopify", "app", "build", "--path", ".", "--skip-dependencies-installation", "--no-color"], {
  stdio: "inherit",
  timeout: 120_000,
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
