// The built-in survey question of each kind and the lines around it, as shoppers read them in
// English and Bahasa Indonesia (the checkout extension's locale texts, kept equal by
// test/unit/surveys/survey-questions.test.ts), for the admin's preview. The merchant's own wording
// (SurveySettings.question) replaces the question; the scale ends and the points line stay.
import type { SurveyKind } from "./survey-api";

export type ShopperLocale = "en" | "id";

export interface SurveyTexts {
  question: string;
  /** What the lowest and highest scores mean. */
  low: string;
  high: string;
}

export const SURVEY_TEXTS: Record<ShopperLocale, Record<SurveyKind, SurveyTexts>> = {
  en: {
    nps: { question: "How likely are you to recommend us to a friend?", low: "0 = not at all likely", high: "10 = extremely likely" },
    csat: { question: "How satisfied are you with your order?", low: "1 = very unsatisfied", high: "5 = very satisfied" },
    ces: { question: "How easy was it to shop with us?", low: "1 = very difficult", high: "7 = very easy" },
  },
  id: {
    nps: {
      question: "Seberapa besar kemungkinan Anda merekomendasikan kami kepada teman?",
      low: "0 = sama sekali tidak mungkin",
      high: "10 = sangat mungkin",
    },
    csat: { question: "Seberapa puas Anda dengan pesanan Anda?", low: "1 = sangat tidak puas", high: "5 = sangat puas" },
    ces: { question: "Seberapa mudah berbelanja di toko kami?", low: "1 = sangat sulit", high: "7 = sangat mudah" },
  },
};

/** "Answer and earn 50 points, whatever your score.", with the number written the locale's way. */
export function surveyPointsLine(locale: ShopperLocale, points: number): string {
  const n = new Intl.NumberFormat(locale === "id" ? "id-ID" : "en-US").format(points);
  return locale === "id" ? `Jawab dan dapatkan ${n} poin, berapa pun nilai Anda.` : `Answer and earn ${n} points, whatever your score.`;
}
