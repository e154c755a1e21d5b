// Text the widget shows, as pure functions of data, strings and locale (no DOM).
import { formatMoney } from "../../app/domain/money";
import type { Config } from "./config";
import type { Messages } from "./i18n";

export interface Earning {
  points: number;
  /** Minor units of the shop currency. */
  perAmount: number;
}

export interface PointsEntry {
  kind: string;
  points: number;
  reason: string | null;
  at: string;
}

export interface Member {
  balance: number;
  /** Earned, still in the return window: spendable later. */
  pending: number;
  history: PointsEntry[];
}

export interface State {
  currency: string;
  earning: Earning | null;
  customer: Member | null;
}

/** The JSON of `GET {proxy}/state`, as far as the widget relies on it. */
export interface StateBody {
  shop?: { currency?: string };
  program?: { earning?: Earning | null };
  customer?: { balance?: number; pending?: number; history?: PointsEntry[] } | null;
}

export function readState(body: StateBody, fallbackCurrency: string): State {
  const currency = body.shop?.currency || fallbackCurrency;
  const earning = body.program?.earning;
  return {
    currency,
    earning: currency && earning && earning.points > 0 && earning.perAmount > 0 ? earning : null,
    customer: body.customer
      ? { balance: body.customer.balance || 0, pending: body.customer.pending || 0, history: body.customer.history || [] }
      : null,
  };
}

function plural(m: Messages, key: "points" | "earn", n: number, locale: string): string {
  const form = new Intl.PluralRules(locale).select(n) == "one" ? "one" : "other";
  return m[`${key}_${form}` as const];
}

export function formatNumber(n: number, locale: string): string {
  return n.toLocaleString(locale);
}

/** ["", "1,250", " points"]: the number apart, so the panel can mark it up on its own. */
export function pointsParts(m: Messages, n: number, locale: string): [string, string, string] {
  const [before, after = ""] = plural(m, "points", n, locale).split("{n}");
  return [before, formatNumber(n, locale), after];
}

/** "1,250 points" / "1.250 poin". */
export function pointsText(m: Messages, n: number, locale: string): string {
  return pointsParts(m, n, locale).join("");
}

/** "Earn 1 point for every IDR 1,000 spent" / "Dapatkan 1 poin setiap belanja Rp 1.000". */
export function earningSentence(m: Messages, earning: Earning, currency: string, locale: string): string {
  return plural(m, "earn", earning.points, locale)
    .replace("{n}", formatNumber(earning.points, locale))
    .replace("{amount}", formatMoney({ amount: earning.perAmount, currency }, locale));
}

export function signedPoints(n: number, locale: string): string {
  return n.toLocaleString(locale, { signDisplay: "exceptZero" });
}

export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  return isNaN(date.getTime())
    ? ""
    : date.toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric" });
}

/** The server's reason when it gave one, else a translated name for the entry's kind. */
export function entryLabel(m: Messages, entry: PointsEntry): string {
  return entry.reason || (m as unknown as Record<string, string>)[`kind_${entry.kind}`] || m.kind_adjust;
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
