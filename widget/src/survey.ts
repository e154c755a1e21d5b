// The survey card's rules (kembali-card-survey.js, app/routes/proxy.survey.tsx): what it shows
// when, the scale of each kind and what an answer says. Plain functions, unit-tested; the card
// only renders them. The contract with the app is common/survey-api.ts.
import type { DueSurvey, SurveyAnswerResult } from "../../common/survey-api";
import type { Key, Messages } from "./i18n";
import { errorText, tr } from "./format";

/** GET {proxy}/survey. */
export type DueAnswer = { survey: (DueSurvey & { order: string }) | null };
export type Due = DueSurvey & { order: string };

/** The same limit as the app's (COMMENT_MAX): a longer comment is refused there with 400. */
export const COMMENT_MAX = 1000;

/**
 * What the card shows: nothing (no survey due, a broken answer, a survey whose scale is not
 * one the card knows), the question, or — once answered — the thanks.
 */
export type View = { kind: "none" } | { kind: "ask"; due: Due } | { kind: "thanks"; text: string; paid: string; referral: string | null };

const KINDS = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

/** The due survey from the proxy's answer, or null: anything unexpected shows no card. */
export function dueSurvey(answer: unknown): Due | null {
  const s = (answer as DueAnswer | null)?.survey;
  if (!s || typeof s != "object") return null;
  const scale = KINDS[s.kind];
  if (!scale || s.min !== scale[0] || s.max !== scale[1] || !/^\d{1,20}$/.test(s.order)) return null;
  return {
    kind: s.kind,
    question: typeof s.question == "string" && s.question.trim() ? s.question : null,
    min: s.min,
    max: s.max,
    pointsForAnswer: Number.isInteger(s.pointsForAnswer) && s.pointsForAnswer > 0 ? s.pointsForAnswer : 0,
    order: s.order,
  };
}

/** Every score of the scale, lowest first. */
export function scale(due: Pick<Due, "min" | "max">): number[] {
  return Array.from({ length: due.max - due.min + 1 }, (_, i) => due.min + i);
}

/** The merchant's wording (text), else the built-in question of the kind. */
export function question(m: Messages, due: Due): string {
  return due.question || m[`survey_${due.kind}` as Key] || "";
}

/** The words under the scale's two ends ("Not likely" … "Very likely"). */
export function ends(m: Messages, due: Due): [string, string] {
  return [m[`survey_${due.kind}_low` as Key] || "", m[`survey_${due.kind}_high` as Key] || ""];
}

/** "Answer and earn 50 points", "" when answering pays nothing. */
export function offer(m: Messages, due: Due, locale: string): string {
  return due.pointsForAnswer ? tr(m, "survey_offer", locale, {}, due.pointsForAnswer) : "";
}

/** The body of POST {proxy}/survey; null while no score is chosen. The comment is trimmed, and dropped when empty. */
export function answerBody(
  due: Due,
  score: number | null,
  comment: string,
): { order: string; score: number; comment: string | null } | null {
  if (score == null || score < due.min || score > due.max) return null;
  const text = comment.trim().slice(0, COMMENT_MAX);
  return { order: due.order, score, comment: text || null };
}

/**
 * The view after POST {proxy}/survey: the thanks with the points paid and a promoter's referral
 * link (only an https or same-origin link), or the error's words (`error`) and the question again.
 */
export function afterAnswer(m: Messages, answer: unknown, locale: string): { view: View; error?: string } | { error: string } {
  const a = answer as (SurveyAnswerResult & { error?: { code?: string } }) | null;
  if (!a || a.error || !a.group) return { error: errorText(m, a?.error?.code) };
  const url = a.referral?.url;
  return {
    view: {
      kind: "thanks",
      text: m.survey_thanks,
      paid: a.pointsAwarded > 0 ? tr(m, "survey_paid", locale, {}, a.pointsAwarded) : "",
      referral: a.group == "promoter" && url && /^(https:\/\/|\/(?![/\\]))/i.test(url) ? url : null,
    },
  };
}
