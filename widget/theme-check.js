// Runs Shopify Theme Check on the theme app extension (the theme-app-extension config,
// which includes the 10,000-byte compressed JavaScript limit). Prints every offense and
// exits 1 when any of them is an error.
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { check } from "@shopify/theme-check-node";

const root = fileURLToPath(new URL("../extensions/kembali-theme", import.meta.url));
const SEVERITY = ["error", "warning", "info"];

const offenses = await check(root);
for (const offense of offenses) {
  const file = relative(process.cwd(), fileURLToPath(offense.uri));
  const line = offense.start ? `:${offense.start.line + 1}` : "";
  console.log(`${SEVERITY[offense.severity]} ${offense.check} ${file}${line} ${offense.message}`);
}
console.log(`theme check: ${offenses.length} offense(s), ${offenses.filter((o) => o.severity === 0).length} error(s)`);
process.exitCode = offenses.some((offense) => offense.severity === 0) ? 1 : 0;
