// The storefront JavaScript budgets (decision 026), in bytes gzipped (level 9), and their
// measurement over the theme extension's assets. Used by widget/build.js and npm run bench.
//   launcher  kembali-widget.js, on every page, with the app embed's inline
//             loader that requests it after the page's load event (decision 048)  3,000
//   panel     kembali-panel.js, loaded on idle, hover or first open         10,000
//   card      each kembali-card-<name>.js, loaded only when shown (picked)   5,000
//   total     every assets/*.js together                                     25,000
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGETS = { launcher: 3_000, panel: 10_000, card: 5_000, total: 25_000 };
export const LAUNCHER = "kembali-widget.js";
export const PANEL = "kembali-panel.js";
const CARD = /^kembali-card-[\w-]+\.js$/;

/**
 * The app embed's inline scripts (blocks/app_embed.liquid, every `<script>` without a type: the
 * launcher's loader), as Liquid source: they come with every page, so they count with the launcher.
 */
export async function inlineLoader(assets) {
  const liquid = await readFile(join(assets, "../blocks/app_embed.liquid"), "utf8");
  return [...liquid.matchAll(/<script>[\s\S]*?<\/script>/g)].map((m) => m[0]).join("\n");
}

/** One figure per script and the total: {metric, value, budget, ok, file?}. */
export async function measureScripts(assets) {
  const files = (await readdir(assets)).filter((name) => name.endsWith(".js")).sort();
  const loader = await inlineLoader(assets);
  const figures = [];
  let total = 0;
  for (const file of files) {
    const code = await readFile(join(assets, file));
    // The launcher's figure is its file and the loader gzipped together, as one download.
    const value = gzipSync(file === LAUNCHER ? Buffer.concat([Buffer.from(`${loader}\n`), code]) : code, { level: 9 }).length;
    total += value;
    const part = file === LAUNCHER ? "launcher" : file === PANEL ? "panel" : CARD.test(file) ? "card" : null;
    if (part) figures.push({ metric: `widget_${part}_js_gzip_bytes`, file, value, budget: BUDGETS[part], ok: value <= BUDGETS[part] });
  }
  for (const required of [LAUNCHER, PANEL]) {
    if (!files.includes(required)) figures.push({ metric: "widget_missing_script", file: required, value: 0, budget: 0, ok: false });
  }
  figures.push({ metric: "widget_js_gzip_bytes", files, value: total, budget: BUDGETS.total, ok: total <= BUDGETS.total });
  return figures;
}
