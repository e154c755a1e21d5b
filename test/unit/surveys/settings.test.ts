// The survey's settings: defaults (off, NPS), refusals, and which scores are detractors,
// passives and promoters for each kind of question.
import { describe, expect, test } from "vitest";
import { DEFAULT_SURVEY_SETTINGS, readSurveySettings, scoreGroup, SCALES, surveySettingsSchema } from "~/domain/surveys/settings";

describe("survey settings", () => {
  test("nothing saved reads as the defaults: off, NPS, no points, 7 days after fulfilment, once in 90 days", () => {
    expect(readSurveySettings(null)).toEqual({
      enabled: false,
      kind: "nps",
      question: { en: null, id: null },
      pointsForAnswer: 0,
      delayDays: 7,
      throttleDays: 90,
    });
    expect(readSurveySettings({ kind: "stars" })).toEqual(DEFAULT_SURVEY_SETTINGS);
  });

  test("refuses what a merchant cannot mean", () => {
    for (const bad of [
      { kind: "stars" },
      { pointsForAnswer: -1 },
      { pointsForAnswer: 1.5 },
      { delayDays: 91 },
      { question: { en: "x".repeat(201) } },
    ]) {
      expect(surveySettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(surveySettingsSchema.parse({ question: { en: "  How was it?  " } }).question).toEqual({ en: "How was it?", id: null });
  });

  test("groups every score of every scale", () => {
    const letter = { detractor: "D", passive: "-", promoter: "P" } as const;
    const groups = (kind: "nps" | "csat" | "ces") => {
      let out = "";
      for (let s = SCALES[kind].min; s <= SCALES[kind].max; s++) out += letter[scoreGroup(kind, s)];
      return out;
    };
    expect(groups("nps")).toBe("DDDDDDD--PP");
    expect(groups("csat")).toBe("DD--P");
    expect(groups("ces")).toBe("DDD--PP");
  });
});
