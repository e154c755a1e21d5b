// The admin's preview shows the survey as shoppers read it: its texts are the checkout
// extension's own, in both languages, for every kind of question.
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { SURVEY_TEXTS, surveyPointsLine } from "../../../common/survey-questions";

const locale = (file: string) => JSON.parse(readFileSync(`extensions/kembali-checkout/locales/${file}`, "utf8")) as Record<string, string>;

describe("the preview's shopper texts", () => {
  for (const [lang, file] of [
    ["en", "en.default.json"],
    ["id", "id.json"],
  ] as const) {
    test(`equal the checkout extension's (${lang})`, () => {
      const texts = locale(file);
      for (const kind of ["nps", "csat", "ces"] as const) {
        expect(SURVEY_TEXTS[lang][kind]).toEqual({
          question: texts[`question_${kind}`],
          low: texts[`low_${kind}`],
          high: texts[`high_${kind}`],
        });
      }
      expect(surveyPointsLine(lang, 25)).toBe(texts.answer_points.replace("{{points}}", "25"));
    });
  }
  test("writes the number the locale's way", () => {
    expect(surveyPointsLine("en", 1500)).toContain("1,500");
    expect(surveyPointsLine("id", 1500)).toContain("1.500");
  });
});
