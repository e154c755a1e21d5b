// What the checkout and customer-account extensions show, as pure functions of the server's
// answers (common/survey-api.ts), the shopper's locale and what they did (no DOM, no Preact,
// no `shopify` global): the extensions' components only render these views. Every text is a
// message key of the extensions' own locales files (extensions/kembali-*/locales) with its
// placeholders; merchant and shopper words (a question, a reward's name) travel as `text` and
// are rendered as text, never as HTML.
import { formatMoney } from "./money";
import type { DueSurvey, OrderSummary, SurveyAnswerBody, SurveyAnswerResult } from "./survey-api";

/** A message of the extensions' locales files, with its placeholders. */
export interface Msg {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** Every key the views use: both extensions' en and id files must have all of them. */
export const MESSAGE_KEYS = [
  "points_pending",
  "points_pending_undated",
  "points_earned",
  "claim",
  "question_nps",
  "question_csat",
  "question_ces",
  "low_nps",
  "high_nps",
  "low_csat",
  "high_csat",
  "low_ces",
  "high_ces",
  "answer_points",
  "comment_label",
  "send",
  "sending",
  "thanks",
  "thanks_points",
  "sorry",
  "share_referral",
  "copy",
  "copied",
  "error_score",
  "error_comment",
  "error_session",
  "error_network",
  "account_heading",
  "balance",
  "pending",
  "tier",
  "next_tier_points",
  "next_tier_amount",
  "top_tier",
  "rewards",
  "reward_cost",
  "reward_redeem_in_store",
  "reward_locked",
  "reward_short",
  "codes",
  "apply",
  "code_expires",
  "history",
  "history_earned",
  "history_spent",
  "no_history",
  "referral",
  "join",
  "welcome",
  "stamps",
  "redeem",
  "redeeming",
  "redeem_done",
  "redeem_pending",
  "redeem_failed",
  "redeem_refused",
  "copy_code",
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

/** Comments longer than this are refused (the server stores at most 1,000 characters). */
export const COMMENT_MAX = 1000;

// --- formatting ------------------------------------------------------------------------

/** "1,250" (en) or "1.250" (id): whole points in the shopper's locale. */
export function formatPoints(points: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Math.trunc(points));
}

/** "January 12, 2027" (en) or "12 Januari 2027" (id); the server's dates are UTC days. */
export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

/** Shopify's numeric id from a GID ("gid://shopify/Order/123" → "123"), or null. */
export function numericId(gid: string | null | undefined): string | null {
  const m = /^(?:gid:\/\/shopify\/\w+\/)?(\d+)(?:\?.*)?$/.exec(gid ?? "");
  return m ? m[1] : null;
}

/** "en" or "id": the extensions speak these two; anything else reads English. */
export function shopperLocale(isoCode: string | null | undefined): "en" | "id" {
  return (isoCode ?? "").toLowerCase().startsWith("id") ? "id" : "en";
}

// --- the order's card (thank-you page, order-status page) ------------------------------

export interface SurveyView {
  /** The merchant's question as written (shown as text), else the built-in one. */
  question: { text: string } | Msg;
  /** The buttons, lowest first. */
  scores: number[];
  low: Msg;
  high: Msg;
  /** "Answer and earn N points" when the shop pays for answering. */
  reward: Msg | null;
}

export interface AnsweredView {
  thanks: Msg;
  /** A detractor's: we are sorry, the shop will read it. */
  sorry: Msg | null;
  /** A promoter's link to share right away. */
  referral: { url: string; code: string; label: Msg } | null;
}

export interface OrderView {
  points: Msg | null;
  claim: Msg | null;
  survey: SurveyView | null;
  answered: AnsweredView | null;
}

export function surveyView(survey: DueSurvey, locale: string): SurveyView {
  const scores: number[] = [];
  for (let s = survey.min; s <= survey.max; s++) scores.push(s);
  return {
    question: survey.question?.trim() ? { text: survey.question } : { key: `question_${survey.kind}` },
    scores,
    low: { key: `low_${survey.kind}` },
    high: { key: `high_${survey.kind}` },
    reward: survey.pointsForAnswer > 0 ? { key: "answer_points", vars: { points: formatPoints(survey.pointsForAnswer, locale) } } : null,
  };
}

export function answeredView(result: SurveyAnswerResult, locale: string): AnsweredView {
  return {
    thanks:
      result.pointsAwarded > 0 ? { key: "thanks_points", vars: { points: formatPoints(result.pointsAwarded, locale) } } : { key: "thanks" },
    sorry: result.group === "detractor" ? { key: "sorry" } : null,
    referral:
      result.group === "promoter" && result.referral
        ? { url: result.referral.url, code: result.referral.code, label: { key: "share_referral" } }
        : null,
  };
}

/**
 * What the order's card shows: the points this order earns (pending until the date), a
 * guest's claim, the survey while it is due, and after an answer the thanks (and a promoter's
 * referral link). null: nothing to show, the extension renders nothing.
 */
export function orderView(summary: OrderSummary | null, answer: SurveyAnswerResult | null, locale: string): OrderView | null {
  if (!summary) return null;
  const order = summary.order;
  let points: Msg | null = null;
  if (order && order.points > 0) {
    const amount = formatPoints(order.points, locale);
    const date = order.availableAt ? formatDate(order.availableAt, locale) : "";
    if (!order.pending) points = { key: "points_earned", vars: { points: amount } };
    else if (date) points = { key: "points_pending", vars: { points: amount, date } };
    else points = { key: "points_pending_undated", vars: { points: amount } };
  }
  const claim: Msg | null =
    summary.claim && summary.claim.points > 0 ? { key: "claim", vars: { points: formatPoints(summary.claim.points, locale) } } : null;
  const answered = answer ? answeredView(answer, locale) : null;
  const survey = !answered && summary.survey ? surveyView(summary.survey, locale) : null;
  if (!points && !claim && !survey && !answered) return null;
  return { points, claim, survey, answered };
}

/** The answer to send, or why not (a message to show; nothing is sent). */
export function answerBody(
  order: string,
  survey: DueSurvey,
  score: number | null,
  comment: string,
): { body: SurveyAnswerBody } | { error: Msg } {
  if (score === null || !Number.isInteger(score) || score < survey.min || score > survey.max) return { error: { key: "error_score" } };
  const text = comment.trim();
  if (text.length > COMMENT_MAX) return { error: { key: "error_comment", vars: { max: formatPoints(COMMENT_MAX, "en") } } };
  return { body: { order, score, comment: text || null } };
}

/** A failed call's message: a refused or expired session, or anything else (try again). */
export function failureMessage(status: number | null): Msg {
  return status === 401 || status === 403 ? { key: "error_session" } : { key: "error_network" };
}

// --- the account page (GET /api/account/summary: the widget's ShopperState) ------------

/** The part of app/domain/storefront.ts's ShopperState the account page reads. */
/** Shopify's discount permalink: the code applied to the shopper's cart on the shop's storefront. */
export function discountPermalink(shopDomain: string, code: string): string {
  return `https://${shopDomain}/discount/${encodeURIComponent(code)}`;
}

export interface AccountSummary {
  /** `domain` (the myshopify domain) is absent from apps answering before it was added. */
  shop: { currency: string; domain?: string };
  rewards: Array<{ id: string; name: string; pointsCost: number; tiers?: string[]; available?: boolean }>;
  customer: {
    balance: number;
    pending: number;
    history: Array<{ kind: string; points: number; reason: string | null; at: string }>;
    referral: { code: string; url: string } | null;
    tier: { name: string } | null;
    nextTier: { name: string; threshold: number; remaining: number; basis: "points_earned" | "amount_spent" } | null;
    redemptions: Array<{ id: string; rewardName: string; code: string | null; expiresAt: string | null }>;
    /** The welcome reward's code until used (absent from apps answering before it was added). */
    welcome?: { code: string; rewardName: string; expiresAt: string | null } | null;
    /** The stamp card: stamps on the current card, per card, and the points a full card pays. */
    stamps?: { count: number; target: number; rewardPoints: number } | null;
  } | null;
}

export interface AccountView {
  /** A shopper without a Kembali record yet: join by shopping (no numbers to show). */
  member: boolean;
  balance: Msg;
  pending: Msg | null;
  tier: { name: string; label: Msg } | null;
  /** Progress to the next tier: 0..1 and what is left. */
  progress: { ratio: number; label: Msg } | null;
  /** `redeemable`: a member's reward within their balance and tier, with a Redeem button (and no status line). */
  rewards: Array<{ id: string; name: string; cost: Msg; status: Msg | null; redeemable: boolean }>;
  /** `applyUrl`: Shopify's discount permalink, which puts the code on the shopper's cart in the store. */
  codes: Array<{ id: string; name: string; code: string; expires: Msg | null; applyUrl: string | null }>;
  /** The welcome gift's code (also left out of `codes`), with the same Apply to cart link. */
  welcome: { heading: Msg; name: string; code: string; expires: Msg | null; applyUrl: string | null } | null;
  /** "3 of 5 stamps — collect 2 more for 150 points", and 0..1 of the card. */
  stamps: { ratio: number; label: Msg } | null;
  history: Array<{ text: string | null; label: Msg; points: string; date: string; spent: boolean }>;
  referral: { url: string; code: string } | null;
}

export function accountView(state: AccountSummary, locale: string): AccountView {
  const c = state.customer;
  const balance = c?.balance ?? 0;
  const rewards = state.rewards.map((r) => {
    let status: Msg | null = null;
    if (r.available === false && r.tiers?.length) status = { key: "reward_locked", vars: { tiers: r.tiers.join(", ") } };
    else if (c && balance < r.pointsCost) status = { key: "reward_short", vars: { points: formatPoints(r.pointsCost - balance, locale) } };
    else if (!c) status = { key: "reward_redeem_in_store" };
    const cost = { key: "reward_cost" as const, vars: { points: formatPoints(r.pointsCost, locale) } };
    return { id: r.id, name: r.name, cost, status, redeemable: status === null };
  });
  let progress: AccountView["progress"] = null;
  if (c?.nextTier) {
    const { name, threshold, remaining, basis } = c.nextTier;
    const ratio = threshold > 0 ? Math.min(1, Math.max(0, (threshold - remaining) / threshold)) : 1;
    const left =
      basis === "amount_spent"
        ? formatMoney({ amount: remaining, currency: state.shop.currency }, locale)
        : formatPoints(remaining, locale);
    progress = { ratio, label: { key: basis === "amount_spent" ? "next_tier_amount" : "next_tier_points", vars: { left, tier: name } } };
  }
  const welcome = c?.welcome ?? null;
  const expires = (at: string | null): Msg | null => (at ? { key: "code_expires", vars: { date: formatDate(at, locale) } } : null);
  const applyUrl = (code: string) => (state.shop.domain ? discountPermalink(state.shop.domain, code) : null);
  return {
    member: c !== null,
    balance: { key: "balance", vars: { points: formatPoints(balance, locale) } },
    pending: c && c.pending > 0 ? { key: "pending", vars: { points: formatPoints(c.pending, locale) } } : null,
    tier: c?.tier ? { name: c.tier.name, label: c.nextTier ? { key: "tier" } : { key: "top_tier" } } : null,
    progress,
    rewards,
    codes: (c?.redemptions ?? [])
      .filter((r): r is typeof r & { code: string } => r.code !== null && r.code !== welcome?.code)
      .map((r) => ({
        id: r.id,
        name: r.rewardName,
        code: r.code,
        expires: expires(r.expiresAt),
        applyUrl: applyUrl(r.code),
      })),
    welcome: welcome
      ? {
          heading: { key: "welcome" },
          name: welcome.rewardName,
          code: welcome.code,
          expires: expires(welcome.expiresAt),
          applyUrl: applyUrl(welcome.code),
        }
      : null,
    stamps: stampsView(c?.stamps ?? null, locale),
    history: (c?.history ?? []).map((h) => ({
      text: h.reason,
      label: { key: h.points < 0 ? ("history_spent" as const) : ("history_earned" as const) },
      points: `${h.points < 0 ? "−" : "+"}${formatPoints(Math.abs(h.points), locale)}`,
      date: formatDate(h.at, locale),
      spent: h.points < 0,
    })),
    referral: c?.referral ? { url: c.referral.url, code: c.referral.code } : null,
  };
}

/** The stamp card's line ("3 of 5 stamps — collect 2 more for 150 points"); null without a card. */
export function stampsView(stamps: { count: number; target: number; rewardPoints: number } | null, locale: string): AccountView["stamps"] {
  if (!stamps || !(stamps.target > 0)) return null;
  const count = Math.min(Math.max(0, Math.trunc(stamps.count)), stamps.target);
  const vars = {
    count: formatPoints(count, locale),
    target: formatPoints(stamps.target, locale),
    left: formatPoints(stamps.target - count, locale),
    points: formatPoints(stamps.rewardPoints, locale),
  };
  return { ratio: count / stamps.target, label: { key: "stamps", vars } };
}

// --- redeeming from the account page (POST /api/account/redeem) ------------------------

/** The request's body: `requestId` is kept for the retries of one click, so a retry never spends twice. */
export interface RedeemBody {
  rewardId: string;
  requestId: string;
}

/** The part of the server's RedemptionView (app/domain/rewards/redemption.ts) the page reads. */
export interface Redemption {
  id: string;
  status: "pending" | "issued" | "failed" | "used" | "expired" | "refunded";
  rewardName: string;
  code: string | null;
  expiresAt: string | null;
  balance: number;
}

/** A fresh request id for one click on Redeem ("acct-" and 24 hex digits). */
export function redeemRequestId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return `acct-${[...random(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * What the reward's row says after the Redeem button's answer (`code`: the new code, also added
 * to the codes with their Apply to cart link), and whether a retry should keep the request id
 * (no answer, or the server busy: the spend may have happened, and the same id answers it).
 */
export function redeemOutcome(answer: { ok: true; data: { redemption: Redemption } } | { ok: false; status: number | null }): {
  msg: Msg;
  code: string | null;
  retrySameRequest: boolean;
} {
  if (!answer.ok) {
    const { status } = answer;
    if (status === 401) return { msg: { key: "error_session" }, code: null, retrySameRequest: true };
    if (status === 403 || status === 404 || status === 409) return { msg: { key: "redeem_refused" }, code: null, retrySameRequest: false };
    return { msg: { key: "error_network" }, code: null, retrySameRequest: true };
  }
  const r = answer.data.redemption;
  if (r.status === "failed") return { msg: { key: "redeem_failed" }, code: null, retrySameRequest: false };
  if (r.status === "pending") return { msg: { key: "redeem_pending" }, code: null, retrySameRequest: false };
  return { msg: { key: "redeem_done" }, code: r.code, retrySameRequest: false };
}

/** The page after a redemption: the balance the server answered, the new code first among the codes (once). */
export function withRedemption(state: AccountSummary, r: Redemption): AccountSummary {
  const c = state.customer;
  if (!c) return state;
  const others = c.redemptions.filter((x) => x.id !== r.id);
  const mine = r.code && r.status !== "failed" ? [{ id: r.id, rewardName: r.rewardName, code: r.code, expiresAt: r.expiresAt }] : [];
  return { ...state, customer: { ...c, balance: r.balance, redemptions: [...mine, ...others] } };
}

/** Fills a message's placeholders ({points}) — the extensions use `shopify.i18n.translate`; tests use this. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{\{?(\w+)\}?\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
