// The widget's data and text, as pure functions of the state, the strings and the locale (no DOM).
import { moneyText } from "../../common/money";
import type { Config } from "./config";
import type { Key, Messages, PluralKey } from "./i18n";

export interface Earning {
  points: number;
  /** Minor units of the shop currency. */
  perAmount: number;
}

export interface Way {
  /** "signup", "birthday" or the merchant's action key. */
  key: string;
  kind: "signup" | "birthday" | "action";
  /** Merchant text for actions. */
  label: string | null;
  points: number;
}

export interface FriendReward {
  type: "fixed_amount" | "percentage";
  /** Minor units, or percent. */
  value: number;
}

export interface ReferralOffer {
  referrerPoints: number;
  friendReward: FriendReward;
}

export interface Reward {
  id: string;
  /** Merchant text. */
  name: string;
  type: string;
  pointsCost: number;
  value: number;
  minimumSubtotal: number | null;
  /** Exclusive to these VIP tiers (names); with `available` false the reward is locked. */
  tiers?: string[];
  available?: boolean;
}

export interface PointsEntry {
  kind: string;
  points: number;
  /** Words shown as written: a custom action's name, or an older entry the server does not recognise. */
  reason: string | null;
  /** The server's classification of the entry (app/domain/entry-labels.ts): the key of its "src_" string. */
  label?: string | null;
  /** That string's placeholders ({name}: the merchant's reward name, as it is). */
  vars?: Record<string, string>;
  at: string;
}

export interface Issued {
  id: string;
  rewardName: string;
  /** null for store credit. */
  code: string | null;
  status: string;
  expiresAt: string | null;
}

export interface NextTier {
  name: string;
  /** Points, or minor units for amount_spent. */
  remaining: number;
  basis: "points_earned" | "amount_spent";
  /** Where the next tier starts, in the same unit; the progress bar needs it. */
  threshold?: number;
}

export interface Member {
  balance: number;
  /** Earned, still in the return window: spendable later. */
  pending: number;
  history: PointsEntry[];
  redemptions: Issued[];
  tier?: { name: string } | null;
  nextTier?: NextTier | null;
  /** checkout: the code is also a discount code friends can type at checkout. */
  referral?: { code: string; url: string; checkout?: boolean } | null;
  birthdaySet?: boolean;
  /** The welcome gift's code until used (app/domain/messages/welcome.ts). */
  welcome?: { code: string; rewardName: string; expiresAt: string | null } | null;
  /** The stamp card: stamps on the current card, per card, and the points a full card pays. */
  stamps?: { count: number; target: number; rewardPoints: number } | null;
}

export interface State {
  currency: string;
  earning: Earning | null;
  ways: Way[];
  referral: ReferralOffer | null;
  rewards: Reward[];
  customer: Member | null;
}

/** The JSON of `GET {proxy}/state`; an older server may leave any part out. */
export interface StateBody {
  shop?: { currency?: string };
  program?: { earning?: Earning | null; ways?: Way[]; referral?: ReferralOffer | null };
  rewards?: Reward[];
  customer?: Partial<Member> | null;
}

/** What the redeem call answers. */
export interface Redemption {
  status: "issued" | "failed" | "pending";
  code: string | null;
}

/** The panel's status line: a message, and a code to copy when one was issued. */
export interface Outcome {
  text: string;
  code?: string;
}

export function readState(body: StateBody, fallbackCurrency: string): State {
  const currency = body.shop?.currency || fallbackCurrency;
  const program = { ways: [], referral: null, ...body.program };
  const { earning } = program;
  const c = body.customer;
  return {
    ...program,
    currency,
    earning: currency && earning && earning.points > 0 && earning.perAmount > 0 ? earning : null,
    rewards: body.rewards || [],
    customer: c ? { balance: 0, pending: 0, history: [], redemptions: [], ...c } : null,
  };
}

export function formatNumber(n: number, locale: string): string {
  return n.toLocaleString(locale);
}

/** The _one or _other form of key for n, unfilled. */
function plural(m: Messages, key: PluralKey, n: number, locale: string): string {
  return m[`${key}_${new Intl.PluralRules(locale).select(n) == "one" ? "one" : "other"}` as Key] || "";
}

/**
 * The string for key, or for n its plural form, with {n} and the other placeholders filled
 * in. A string the page did not provide reads as "".
 */
export function tr(m: Messages, key: Key | PluralKey, locale: string, vars: Record<string, string> = {}, n?: number): string {
  return (n == null ? m[key as Key] || "" : plural(m, key as PluralKey, n, locale)).replace(/\{(\w+)\}/g, (_, name: string) =>
    name == "n" ? formatNumber(n!, locale) : vars[name],
  );
}

/** ["", "1,250", " points"]: the number apart, so the panel can mark it up on its own. */
export function pointsParts(m: Messages, n: number, locale: string): string[] {
  const [before, after = ""] = plural(m, "points", n, locale).split("{n}");
  return [before, formatNumber(n, locale), after];
}

/** "1,250 points" / "1.250 poin". */
export function pointsText(m: Messages, n: number, locale: string): string {
  return tr(m, "points", locale, {}, n);
}

/**
 * "Rp125.000" in the shop's own money format (the one its theme shows prices in), else the
 * locale's currency format ("IDR 125,000").
 */
export function money(amount: number, currency: string, locale: string, format?: string): string {
  return moneyText({ amount, currency }, format, locale);
}

/** "Earn 1 point for every Rp1.000 spent" / "Dapatkan 1 poin setiap belanja Rp1.000". */
export function earningSentence(m: Messages, earning: Earning, currency: string, locale: string, format?: string): string {
  return tr(m, "earn", locale, { amount: money(earning.perAmount, currency, locale, format) }, earning.points);
}

export function signedPoints(n: number, locale: string): string {
  return n.toLocaleString(locale, { signDisplay: "exceptZero" });
}

export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  return isNaN(+date) ? "" : date.toLocaleDateString(locale, { dateStyle: "medium" });
}

/** The entry in the shopper's language when the server classified it, else its words as written, else its kind. */
export function entryLabel(m: Messages, entry: PointsEntry): string {
  // The rules live on the server, shared with the admin; the words live in the theme locales.
  return (
    (entry.label && tr(m, `src_${entry.label}` as Key, "", entry.vars)) || entry.reason || m[`kind_${entry.kind}` as Key] || m.kind_adjust
  );
}

/**
 * The launcher shows the balance for a member, else the title. With a balance the title
 * goes into the accessible name too: "Rewards: 1,250 points".
 */
export function launcherLabel(config: Config, m: Messages, balance: number | null): { text: string; name?: string } {
  const title = config.title || m.title;
  if (balance == null) return { text: title };
  const text = pointsText(m, balance, config.lang);
  return { text, name: `${title}: ${text}` };
}

/** Rewards the shopper can afford first, each group in the server's order (cheapest first). */
export function sortRewards(rewards: Reward[], balance: number): Reward[] {
  return [...rewards].sort((a, b) => +(a.pointsCost > balance) - +(b.pointsCost > balance));
}

/** "Your rewards" without the code the status line shows already; store credit has no code and stays. */
export function issuedBesides(issued: Issued[], ...shown: Array<string | undefined>): Issued[] {
  return issued.filter((r) => !shown.includes(r.code!));
}

/** "3 of 5 stamps — collect 2 more for 100 points" (the theme's words, numbers in the locale). */
export function stampsText(m: Messages, s: NonNullable<Member["stamps"]>, locale: string): string {
  const f = (n: number) => formatNumber(n, locale);
  return tr(m, "stamps", locale, { count: f(s.count), target: f(s.target), left: f(s.target - s.count), points: f(s.rewardPoints) });
}

/** Members see the actions they can claim and their birthday treat; signing up is done. */
export function waysFor(ways: Way[], member: boolean): Way[] {
  return member ? ways.filter((w) => w.kind != "signup") : ways;
}

export function wayLabel(m: Messages, way: Way): string {
  return way.kind == "action" ? way.label || way.key : m[`way_${way.kind}`];
}

/** What the status line says when the friend's welcome code came back (nothing otherwise). */
export function welcomeOutcome(m: Messages, answer: any, currency: string, locale: string, format?: string): Outcome | null {
  const r = answer.reward;
  return r?.code ? { text: tr(m, "welcome", locale, { reward: friendReward(r.reward, currency, locale, format) }), code: r.code } : null;
}

/** "Rp50.000" or "10%". */
export function friendReward(reward: FriendReward, currency: string, locale: string, format?: string): string {
  return reward.type == "percentage" ? `${reward.value}%` : money(reward.value, currency, locale, format);
}

/** "1,200 points to Gold" / "Spend Rp500.000 more to reach Gold". */
export function nextTierText(m: Messages, next: NextTier, currency: string, locale: string, format?: string): string {
  const spend = next.basis == "amount_spent";
  const vars = { tier: next.name, amount: money(next.remaining, currency, locale, format) };
  return tr(m, spend ? "spend" : "next", locale, vars, spend ? undefined : next.remaining);
}

/** How far to the next tier, in percent, when the server says where it starts. */
export function tierProgress(next: NextTier): number | null {
  const { threshold: t, remaining } = next;
  return t ? Math.max(0, 100 - (100 * remaining) / t) : null;
}

/** WhatsApp and email links that share the referral link with its offer. */
export function shareLinks(m: Messages, url: string, reward: string, locale: string): [string, string] {
  const body = encodeURIComponent(tr(m, "share_body", locale, { url, reward }));
  return [`https://wa.me/?text=${body}`, `mailto:?subject=${encodeURIComponent(m.share_subject)}&body=${body}`];
}

/**
 * Shopify's discount permalink: it puts the code on the shopper's cart and goes on to the
 * cart, so nobody copies a code by hand.
 */
export function applyUrl(code: string, cartUrl: string): string {
  return `/discount/${encodeURIComponent(code)}?redirect=${encodeURIComponent(cartUrl)}`;
}

/** What the status line says after a redeem call answered. */
export function redeemOutcome(m: Messages, r: Redemption): Outcome {
  return r.status == "failed"
    ? { text: m.failed }
    : r.code
      ? { text: m.code, code: r.code }
      : { text: r.status == "issued" ? m.credit : m.preparing };
}

/** What the claim call answers (honour-based actions: the points are pending first). */
export interface Claim {
  awarded: boolean;
  points: number;
  availableAt?: string | null;
  limit?: string;
}

/** The status line after a claim: when the points become spendable, or when to come back. */
export function claimOutcome(m: Messages, c: Claim, locale: string): Outcome {
  return {
    text: c.awarded
      ? tr(m, "claimed", locale, { points: pointsText(m, c.points, locale), date: formatDate(c.availableAt!, locale) })
      : c.limit == "daily"
        ? m.already_today
        : m.already,
  };
}

/** A stable error code from the API, in the shopper's words. */
export function errorText(m: Messages, code: string | undefined): string {
  return m[`err_${code}` as Key] || m.oops;
}
