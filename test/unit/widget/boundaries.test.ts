// The storefront widget imports nothing from the server (app/): only its own files, the
// dependency-free shared modules in common/, and Preact. The launcher, on every page, does
// not import Preact or the panel at all (decision 026).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve("widget/src");
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(import|export)\s(type\s)?[^;]*?from\s+"([^"]+)"|import\s*\(\s*"([^"]+)"\s*\)/gm)].map(
    (m) => ({
      typeOnly: !!m[2],
      specifier: m[3] ?? m[4],
    }),
  );

describe("widget boundaries", () => {
  const sources = files(SRC).filter((f) => /\.tsx?$/.test(f));

  it.each(sources.map((f) => [path.relative(SRC, f), f]))("%s imports only widget/, common/ and Preact", (_, file) => {
    for (const { specifier } of importsOf(file)) {
      if (!specifier.startsWith(".")) {
        expect(specifier).toMatch(/^preact(\/|$)/);
        continue;
      }
      const target = path.resolve(path.dirname(file), specifier);
      const inside = [SRC, path.resolve("common")].some((dir) => target.startsWith(dir + path.sep));
      expect(inside, `${specifier} from ${path.relative(SRC, file)}`).toBe(true);
    }
  });

  it("the launcher reaches neither Preact nor the panel's App", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { specifier, typeOnly } of importsOf(file)) {
        expect(specifier, `${path.relative(SRC, file)} imports ${specifier}`).not.toMatch(/^preact|\/app$|\/panel$/);
        if (typeOnly || !specifier.startsWith(".") || specifier.endsWith(".css")) continue;
        const base = path.resolve(path.dirname(file), specifier);
        visit([".ts", ".tsx"].map((ext) => base + ext).find((f) => existsSync(f))!);
      }
    };
    visit(path.join(SRC, "launcher.ts"));
    expect([...seen].map((f) => path.relative(process.cwd(), f)).sort()).toEqual([
      "common/money.ts",
      "widget/src/api.ts",
      "widget/src/config.ts",
      "widget/src/format.ts",
      "widget/src/i18n.ts",
      "widget/src/launcher.ts",
      "widget/src/referral.ts",
    ]);
  });
});
