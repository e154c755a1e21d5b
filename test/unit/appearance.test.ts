// The appearance schema: what a merchant may save, and how older or broken stored data reads.
import { describe, expect, test } from "vitest";
import { KembaliError } from "~/domain/errors";
import {
  appearanceErrorFields,
  appearanceForm,
  appearanceInput,
  appearanceMetafield,
  DEFAULT_APPEARANCE,
  metafieldDigest,
  parseAppearance,
  readAppearance,
  WIDGET_STRINGS,
} from "~/domain/shop/appearance";
import { defaultSettings } from "~/domain/earning/program";

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseAppearance(input);
  } catch (error) {
    expect(error).toBeInstanceOf(KembaliError);
    expect((error as KembaliError).code).toBe("BAD_INPUT");
    return (error as KembaliError).details!.issues as Array<{ path: string; message: string }>;
  }
  throw new Error("expected BAD_INPUT");
}

describe("appearance schema", () => {
  test("GIVEN nothing THEN the defaults: bottom right, Kembali's teal, translated titles, both languages, English first", () => {
    expect(DEFAULT_APPEARANCE).toEqual({
      position: "right",
      accent: "#0f766e",
      titles: { en: null, id: null },
      languages: ["en", "id"],
      defaultLanguage: "en",
    });
  });

  test("GIVEN a colour in capitals and padded titles THEN the colour is lower-cased and titles trimmed", () => {
    expect(parseAppearance({ accent: " #A1B2C3 ", titles: { en: "  Club  ", id: "" } })).toMatchObject({
      accent: "#a1b2c3",
      titles: { en: "Club", id: null },
    });
  });

  test.each([["red"], ["#abc"], ["#abcdeg"], ["#1234567"], ["url(x)"], ["#12345;}"], [""]])(
    "GIVEN the colour %j THEN it is refused",
    (accent) => {
      expect(issuesOf({ accent }).map((i) => i.path)).toEqual(["accent"]);
    },
  );

  test("GIVEN a title of 40 characters (emoji count once) THEN it is kept; 41 is refused", () => {
    const forty = "🎁".repeat(40);
    expect(parseAppearance({ titles: { id: forty } }).titles.id).toBe(forty);
    expect(issuesOf({ titles: { id: `${forty}x` } }).map((i) => i.path)).toEqual(["titles.id"]);
  });

  test("GIVEN languages repeated or out of order THEN each is kept once, in a fixed order", () => {
    expect(parseAppearance({ languages: ["id", "en", "id"] }).languages).toEqual(["en", "id"]);
  });

  test("GIVEN no language, or a default that is not offered THEN one clear problem each", () => {
    expect(issuesOf({ languages: [] }).map((i) => i.path)).toEqual(["languages"]);
    expect(issuesOf({ languages: ["id"], defaultLanguage: "en" }).map((i) => i.path)).toEqual(["defaultLanguage"]);
    expect(issuesOf({ languages: ["de"] }).map((i) => i.path)).toEqual(["languages.0"]);
  });

  test("GIVEN stored data that is missing, partial or broken THEN it reads without failing", () => {
    expect(readAppearance(null)).toEqual(DEFAULT_APPEARANCE);
    expect(readAppearance({ position: "left" })).toEqual({ ...DEFAULT_APPEARANCE, position: "left" });
    expect(readAppearance({ position: "middle" })).toEqual(DEFAULT_APPEARANCE);
    expect(readAppearance("not an object")).toEqual(DEFAULT_APPEARANCE);
  });

  test("GIVEN issues THEN each points at its form field", () => {
    expect(
      appearanceErrorFields([{ path: "titles.en" }, { path: "titles.id" }, { path: "languages.1" }, { path: "accent" }, { path: "other" }]),
    ).toEqual(["titleEn", "titleId", "languages", "accent"]);
  });

  test("GIVEN a saved appearance THEN the form shows it and posting that form saves the same thing", () => {
    const saved = parseAppearance({
      position: "left",
      accent: "#123456",
      titles: { id: "Poin" },
      languages: ["id"],
      defaultLanguage: "id",
    });
    expect(parseAppearance(appearanceInput(appearanceForm(saved)))).toEqual(saved);
  });

  test("GIVEN the metafield THEN it carries the default language's strings and only the titles set; its digest follows its content", () => {
    const a = parseAppearance({ titles: { en: "Club" }, defaultLanguage: "id" });
    const value = appearanceMetafield(a);
    expect(value).toEqual({
      position: "right",
      accent: "#0f766e",
      titles: { en: "Club" },
      languages: ["en", "id"],
      defaultLanguage: "id",
      strings: WIDGET_STRINGS.id,
      earn: null,
    });
    expect(metafieldDigest(value)).toBe(metafieldDigest(appearanceMetafield(a)));
    expect(metafieldDigest(value)).not.toBe(metafieldDigest(appearanceMetafield({ ...a, accent: "#000000" })));
    // A program change changes the digest, so the metafield is written again.
    const program = (points: number) => ({
      settings: { ...defaultSettings("USD"), earning: { ...defaultSettings("USD").earning, points } },
      currency: "USD",
    });
    expect(appearanceMetafield(a, program(3)).earn).toEqual({ points: 3, per: 100, skipTags: [], skipCollections: [] });
    expect(metafieldDigest(appearanceMetafield(a, program(3)))).not.toBe(metafieldDigest(appearanceMetafield(a, program(4))));
  });
});
