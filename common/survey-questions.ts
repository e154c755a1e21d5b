// The built-in survey question of each kind and the lines around it, as shoppers read them in
// English and Bahasa Indonesia. The merchant's own wording (SurveySettings.question) replaces
// the question; the scale ends and the points line stay. Plain data: safe for any bundle.
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
    nps: { question: "How likely are you to recommend us to a friend?", low: "Not likely", high: "Very likely" },
    csat: { question: "How satisfied are you with your order?", low: "Very unsatisfied", high: "Very satisfied" },
    ces: { question: "How easy was it to shop with us?", low: "Very difficult", high: "Very easy" },
  },
  id: {
    nps: {
      question: "Seberapa besar kemungkinan Anda merekomendasikan kami kepada teman?",
      low: "Tidak mungkin",
      high: "Sangat mungkin",
    },
    csat: { question: "Seberapa puas Anda dengan pesanan Anda?", low: "Sangat tidak puas", high: "Sangat puas" },
    ces: { question: "Seberapa mudah berbelanja di toko kami?", low: "Sangat sulit", high: "Sangat mudah" },
  },
};

/** "Get 50 points for answering", with the number written the locale's way. */
export function surveyPointsLine(locale: ShopperLocale, points: number): string {
  const n = new Intl.NumberFormat(locale === "id" ? "id-ID" : "en-US").format(points);
  return locale === "id" ? `Dapatkan ${n} poin untuk menjawab` : `Get ${n} ${points === 1 ? "point" : "points"} for answering`;
}
