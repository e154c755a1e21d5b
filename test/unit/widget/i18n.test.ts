import { describe, expect, it } from "vitest";
import { messages } from "../../../widget/src/i18n";

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

describe("widget strings", () => {
  it("has the same keys in English and Indonesian", () => {
    expect(Object.keys(messages.id).sort()).toEqual(Object.keys(messages.en).sort());
  });

  it("has no empty strings", () => {
    for (const dictionary of Object.values(messages)) {
      for (const [key, text] of Object.entries(dictionary)) {
        expect(text.trim(), key).not.toBe("");
      }
    }
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, text] of Object.entries(messages.en)) {
      expect(placeholders(messages.id[key as keyof typeof messages.en]), key).toEqual(placeholders(text));
    }
  });

  it("has a one and an other form for every plural key", () => {
    const keys = Object.keys(messages.en);
    for (const key of keys.filter((k) => k.endsWith("_one"))) {
      expect(keys).toContain(key.replace(/_one$/, "_other"));
    }
  });
});
