// Builds the storefront widget into the theme extension (kembali-widget.js, and the panel's
// stylesheet kembali-widget.css, which the budget does not count) and enforces the size
// budget: prints {"metric":"widget_js_gzip_bytes",...} and exits 1 when all assets/*.js
// together gzip (level 9) to more than BUDGET bytes.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const BUDGET = 10_000;
const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, "../extensions/kembali-theme/assets");

const minifyCss = async (path) =>
  (await transform(await readFile(path, "utf8"), { loader: "css", minify: true })).code.trim();

// Imported stylesheets (the launcher's) become minified strings that the element puts into its shadow root.
const cssAsText = {
  name: "css-as-text",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.css$/ }, async ({ path }) => ({ contents: await minifyCss(path), loader: "text" }));
  },
};

await build({
  entryPoints: [join(here, "src/index.tsx")],
  outfile: join(assets, "kembali-widget.js"),
  bundle: true,
  format: "iife",
  minify: true,
  // Native class fields (with tsconfig's ES2022 target) minify shorter than constructor
  // assignments; every browser Shopify themes support runs them.
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  sourcemap: false,
  plugins: [cssAsText],
  logLevel: "warning",
});

await writeFile(join(assets, "kembali-widget.css"), `${await minifyCss(join(here, "src/widget.css"))}\n`);

let total = 0;
for (const name of await readdir(assets)) {
  if (name.endsWith(".js")) total += gzipSync(await readFile(join(assets, name)), { level: 9 }).length;
}
console.log(JSON.stringify({ metric: "widget_js_gzip_bytes", value: total, budget: BUDGET }));
if (total > BUDGET) process.exitCode = 1;
