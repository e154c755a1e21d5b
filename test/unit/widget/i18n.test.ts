import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KEYS, readMessages } from "../../../widget/src/i18n";
import { en, id } from "./messages";

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
const liquid = readFileSync("extensions/kembali-theme/blocks/app_embed.liquid", "utf8");

describe("widget strings", () => {
  it.each([
    ["en.default.json", en],
    ["id.json", id],
  ])("%s has every key the widget uses, and no other", (_, strings) => {
    expect(Object.keys(strings).sort()).toEqual([...KEYS].sort());
  });

  it("renders every key in the app embed, as the demo storefront renders the whole section", () => {
    const rendered = [...liquid.matchAll(/"(\w+)": \{\{ 'widget\.(\w+)' \| t \| json \}\}/g)];
    for (const [, name, key] of rendered) expect(name).toBe(key);
    expect(rendered.map((r) => r[1]).sort()).toEqual([...KEYS].sort());
  });

  it("has no empty strings, and nothing the t filter would HTML-escape (the widget renders text)", () => {
    for (const strings of [en, id]) {
      for (const [key, text] of Object.entries(strings)) {
        expect(text.trim(), key).not.toBe("");
        expect(text, key).not.toMatch(/[&<>"']/);
      }
    }
  });

  it("uses the same placeholders in both languages", () => {
    for (const key of KEYS) expect(placeholders(id[key]), key).toEqual(placeholders(en[key]));
  });

  it("has a one and an other form for every plural key", () => {
    for (const key of KEYS.filter((k) => k.endsWith("_one"))) {
      expect(KEYS).toContain(key.replace(/_one$/, "_other"));
    }
  });

  it("reads the rendered JSON, and survives a missing or broken one", () => {
    expect(readMessages('{"close":"Tutup"}').close).toBe("Tutup");
    expect(readMessages(undefined)).toEqual({});
    expect(readMessages("")).toEqual({});
    expect(readMessages("{broken")).toEqual({});
  });
});
