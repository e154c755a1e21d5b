import { afterAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseBaskets } from "../../../scripts/recs-baskets";
import { syntheticBaskets } from "../../../bench/recs-synthetic";

const dir = mkdtempSync(path.join(tmpdir(), "recs-eval-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/recs-eval.ts", ...args], { encoding: "utf8" });
  const lines = r.stdout.trim().split("\n");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, last: lines[lines.length - 1] };
}

describe("reading a basket file", () => {
  test("plain lines: trimmed items, empty lines and empty items skipped, an item twice counted once", () => {
    expect(parseBaskets("a, b ,c\n\n  \nb,b, a\r\nsoup ,\n,\nwhole milk\n")).toEqual([
      ["a", "b", "c"],
      ["b", "a"],
      ["soup"],
      ["whole milk"],
    ]);
  });

  test("quoted CSV fields: commas, quotes and line breaks inside a field, a byte-order mark, CRLF", () => {
    const text = '\uFEFF"salt, sea",pepper\r\n"12"" pizza","salt, sea"\r\n"two\nlines",x\r\n';
    expect(parseBaskets(text)).toEqual([
      ["salt, sea", "pepper"],
      ['12" pizza', "salt, sea"],
      ["two\nlines", "x"],
    ]);
  });

  test("an empty file has no baskets", () => {
    expect(parseBaskets("")).toEqual([]);
    expect(parseBaskets("\n\n ,, \n")).toEqual([]);
  });
});

describe("npm run recs:eval", () => {
  const KEYS = ["baskets", "items", "hr5", "hr10", "hr10_sd", "popularity_hr10", "ms"];

  test("on a small synthetic file it prints a table, then one JSON object with the figures", () => {
    const baskets = syntheticBaskets({ products: 60, orders: 400, seed: 3 });
    const data = file("small.csv", baskets.map((b) => b.join(",")).join("\n") + "\n");
    const r = run("--data", data, "--seeds", "2");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("HR@10");
    const json = JSON.parse(r.last);
    expect(Object.keys(json)).toEqual(KEYS);
    expect(json.baskets).toBe(400);
    expect(json.items).toBe(new Set(baskets.flat()).size);
    for (const key of ["hr5", "hr10", "popularity_hr10"]) {
      expect(json[key]).toBeGreaterThanOrEqual(0);
      expect(json[key]).toBeLessThanOrEqual(1);
    }
    expect(json.hr10).toBeGreaterThanOrEqual(json.hr5);
    expect(json.hr10_sd).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(json.ms)).toBe(true);
    // The same file and seeds give the same figures.
    const again = JSON.parse(run("--data", data, "--seeds", "2").last);
    expect({ ...again, ms: 0 }).toEqual({ ...json, ms: 0 });
  }, 60_000);

  test("an oddly formatted file (quotes, blank lines, spaces, CRLF, duplicates) and another K", () => {
    const data = file(
      "odd.csv",
      ' "bread, rye" , butter,butter\r\n\r\njam,"bread, rye"\r\n  tea  \r\n"tea",honey,jam\r\nbutter,jam,"bread, rye"\r\n,,\r\nhoney,tea\r\n',
    );
    const r = run("--data", data, "--k", "3", "--seeds", "3");
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.last);
    expect(json).toMatchObject({ baskets: 6, items: 5 });
    expect(Object.keys(json)).toEqual([...KEYS.slice(0, -1), "hr3", "hr3_sd", "popularity_hr3", "ms"]);
  }, 60_000);

  test("bad arguments and unreadable files are reported, with no figures", () => {
    const missing = run();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("usage");
    expect(run("--data", path.join(dir, "none.csv")).status).toBe(1);
    expect(run("--data", file("x.csv", "a,b\n"), "--seeds", "0").status).toBe(2);
    expect(run("--data", file("y.csv", "a,b\n"), "--k", "ten").status).toBe(2);
  }, 60_000);
});
