// Builds the storefront widget into the theme extension's assets and enforces its budgets
// (widget/budgets.js, decision 026):
//   kembali-widget.js     the launcher (src/launcher.ts), the app embed's script on every page
//   kembali-panel.js      the panel (src/panel.tsx, Preact), loaded on idle, hover or first open
//   kembali-card-<n>.js   each card (src/cards/<n>.tsx), loaded only when shown (picked: the
//                         panel's "picked for you" card)
//   kembali-widget.css    the panel's stylesheet (not counted: CSS)
// Prints one {"metric":…} JSON line per script and the total; exits 1 when any is over budget.
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { LAUNCHER, PANEL, measureScripts } from "./budgets.js";

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, "../extensions/kembali-theme/assets");

const minifyCss = async (path) => (await transform(await readFile(path, "utf8"), { loader: "css", minify: true })).code.trim();

// Imported stylesheets (the launcher's) become minified strings that the element puts into its shadow root.
const cssAsText = {
  name: "css-as-text",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.css$/ }, async ({ path }) => ({ contents: await minifyCss(path), loader: "text" }));
  },
};

const cards = existsSync(join(here, "src/cards")) ? (await readdir(join(here, "src/cards"))).filter((f) => /\.tsx?$/.test(f)) : [];
const entries = [
  ["src/launcher.ts", LAUNCHER],
  ["src/panel.tsx", PANEL],
  ...cards.map((file) => [`src/cards/${file}`, `kembali-card-${file.replace(/\.tsx?$/, "")}.js`]),
];

for (const [entry, out] of entries) {
  await build({
    entryPoints: [join(here, entry)],
    outfile: join(assets, out),
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
}

await writeFile(join(assets, "kembali-widget.css"), `${await minifyCss(join(here, "src/widget.css"))}\n`);

for (const figure of await measureScripts(assets)) {
  console.log(JSON.stringify(figure));
  if (!figure.ok) {
    console.error(`Over budget: ${figure.file ?? "all storefront scripts"} is ${figure.value} bytes gzipped (budget ${figure.budget}).`);
    process.exitCode = 1;
  }
}
