// The post-purchase survey's settings, as the merchant sets them on the Surveys page: stored on
// the shop (Shop.survey, one zod schema; missing or old data reads as the defaults, and the
// survey is off until the merchant turns it on) and read by every channel that asks it.
import { z } from "zod";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { merchantText, parseInput } from "../validation";

/** NPS 0–10 ("how likely are you to recommend…"), CSAT 1–5 (satisfaction), CES 1–7 (effort). */
export const SURVEY_KINDS = ["nps", "csat", "ces"] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

/** The scale of each kind: the lowest and highest score a shopper can give. */
export const SCALES: Record<SurveyKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** Where an answer came from. One answer per order, whichever channel answers first. */
export const SURVEY_CHANNELS = ["checkout", "account", "storefront"] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

export const QUESTION_MAX = 200;
export const COMMENT_MAX = 1000;

export const surveySettingsSchema = z.object({
  enabled: z.boolean().default(false),
  kind: z.enum(SURVEY_KINDS).default("nps"),
  /** The merchant's own wording per language; null: the built-in question of the kind. */
  question: z
    .object({
      en: merchantText(QUESTION_MAX).nullable().default(null),
      id: merchantText(QUESTION_MAX).nullable().default(null),
    })
    .default({ en: null, id: null }),
  /** Points for answering, paid whatever the score (so they cannot bias it), once per order. */
  pointsForAnswer: z.number().int().min(0).max(100_000).default(0),
  /** The storefront card asks this many days after the order was fulfilled. */
  delayDays: z.number().int().min(0).max(90).default(7),
  /** A customer is asked at most once in this many days, across every channel. */
  throttleDays: z.number().int().min(0).max(365).default(90),
});

export type SurveySettings = z.output<typeof surveySettingsSchema>;

export const DEFAULT_SURVEY_SETTINGS: SurveySettings = surveySettingsSchema.parse({});

/** Stored settings as they read today: anything unreadable is the defaults (the survey off). */
export function readSurveySettings(stored: unknown): SurveySettings {
  const parsed = surveySettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_SURVEY_SETTINGS;
}

/** The shop's survey settings. */
export async function surveySettings(deps: Pick<Deps, "db">, shopDomain: string): Promise<SurveySettings> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { survey: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return readSurveySettings(shop.survey);
}

/** Validates and saves the merchant's settings; bad input is a 400 and changes nothing. */
export async function saveSurveySettings(deps: Pick<Deps, "db">, shopDomain: string, input: unknown): Promise<SurveySettings> {
  const settings = parseInput(surveySettingsSchema, input, "Invalid survey settings");
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  await deps.db.shop.update({ where: { id: shop.id }, data: { survey: settings } });
  return settings;
}

/**
 * Detractors (NPS 0–6; the two lowest CSAT scores; CES 1–3), passives and promoters (NPS 9–10;
 * CSAT 5; CES 6–7). A detractor's answer opens an alert; a promoter is shown the referral link.
 */
export function scoreGroup(kind: SurveyKind, score: number): "detractor" | "passive" | "promoter" {
  if (kind === "nps") return score <= 6 ? "detractor" : score >= 9 ? "promoter" : "passive";
  if (kind === "csat") return score <= 2 ? "detractor" : score >= 5 ? "promoter" : "passive";
  return score <= 3 ? "detractor" : score >= 6 ? "promoter" : "passive";
}
