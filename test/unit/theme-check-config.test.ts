// The theme extension passes Shopify's theme check with its default rules (decision 026):
// its config extends the theme-app-extension preset and turns nothing off.
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";

test("the theme check config turns no check off and changes no threshold", () => {
  const config = readFileSync("extensions/kembali-theme/.theme-check.yml", "utf8").replace(/#.*$/gm, "").trim();
  expect(config).toBe("extends: theme-check:theme-app-extension");
});
