// The checkout and customer-account UI extensions' bundles as the Shopify CLI writes them
// (extensions/<handle>/dist/<handle>.js): their targets, and their size gzipped (level 9)
// against Kembali's budget of 15,000 bytes each (Shopify allows 64 KB). Used by
// scripts/build-extensions.js after the build and by npm run bench.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

export const UI_BUDGET = 15_000;

export const UI_EXTENSIONS = [
  { handle: "kembali-checkout", targets: ["purchase.thank-you.block.render"] },
  { handle: "kembali-account", targets: ["customer-account.page.render", "customer-account.order-status.block.render"] },
];

export const bundlePath = (handle) => `extensions/${handle}/dist/${handle}.js`;

/** One figure per extension: {metric, file, value, budget, ok}; a missing bundle is not ok. */
export function measureExtensions() {
  return UI_EXTENSIONS.map(({ handle }) => {
    const file = bundlePath(handle);
    const value = existsSync(file) ? gzipSync(readFileSync(file), { level: 9 }).length : 0;
    return { metric: "extension_js_gzip_bytes", file, value, budget: UI_BUDGET, ok: value > 0 && value <= UI_BUDGET };
  });
}
