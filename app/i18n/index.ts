// Admin translations. Shopify opens embedded apps with ?locale=<admin language>; outside the
// admin the browser's Accept-Language decides. English is the fallback.
import { en, type MessageKey } from "./en";
import { id } from "./id";

export type Locale = "en" | "id";
export type { MessageKey };
export const messages: Record<Locale, Record<MessageKey, string>> = { en, id };

export const LOCALE_COOKIE = "kembali_locale";

function parse(value: string | null | undefined): Locale | null {
  if (!value) return null;
  return /^(id|in)\b/i.test(value.trim()) ? "id" : /^[a-z]{2}\b/i.test(value.trim()) ? "en" : null;
}

/** ?locale= (set by Shopify on each admin load), then the remembered choice, then the browser. */
export function pickLocale(request: Request): Locale {
  const fromQuery = parse(new URL(request.url).searchParams.get("locale"));
  const cookie = /(?:^|;\s*)kembali_locale=(\w+)/.exec(request.headers.get("Cookie") ?? "")?.[1];
  return fromQuery ?? parse(cookie) ?? parse(request.headers.get("Accept-Language")) ?? "en";
}

/** Remembers the admin language across client-side navigations, which carry no ?locale=. */
export function localeCookie(locale: Locale): string {
  return `${LOCALE_COOKIE}=${locale}; Path=/; SameSite=None; Secure; Max-Age=31536000`;
}

export type MessageVars = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, vars: MessageVars = {}): string {
  return formatMessage(locale, messages[locale][key], vars);
}

/** The index of the brace closing the one at `open`. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * A plural form chosen by the language's own rules (CLDR, through Intl.PluralRules): English
 * has "one" and "other", Indonesian only "other". `=N` matches one exact number first. In the
 * chosen form `#` is the number, in the admin's number format. A number given as text
 * ("1,000" or "1.000", already formatted) is counted by its digits.
 */
function plural(locale: Locale, value: string | number | undefined, forms: string, vars: MessageVars): string {
  const n = typeof value === "number" ? value : Number(String(value ?? "").replace(/(?!^-)[^\d]/g, ""));
  const shown = typeof value === "number" ? new Intl.NumberFormat(intlLocale(locale)).format(value) : String(value ?? "");
  const options = new Map<string, string>();
  const form = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  for (let at = 0; ;) {
    form.lastIndex = at;
    const m = form.exec(forms);
    if (!m) break;
    const open = form.lastIndex - 1;
    const close = closingBrace(forms, open);
    if (close < 0) break;
    options.set(m[1], forms.slice(open + 1, close));
    at = close + 1;
  }
  const chosen = options.get(`=${n}`) ?? options.get(new Intl.PluralRules(intlLocale(locale)).select(n)) ?? options.get("other") ?? "";
  return formatMessage(locale, chosen.replace(/#/g, shown), vars);
}

/**
 * A message's text with its arguments: `{name}` is replaced by the value as given, and
 * `{name, plural, one {# point} other {# points}}` (ICU MessageFormat's plural argument)
 * picks the form for the number.
 */
export function formatMessage(locale: Locale, template: string, vars: MessageVars = {}): string {
  let out = "";
  for (let at = 0; at < template.length;) {
    const open = template.indexOf("{", at);
    const close = open < 0 ? -1 : closingBrace(template, open);
    if (open < 0 || close < 0) {
      out += template.slice(at);
      break;
    }
    out += template.slice(at, open);
    const inner = template.slice(open + 1, close);
    const pluralArg = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
    if (pluralArg) out += plural(locale, vars[pluralArg[1]], pluralArg[2], vars);
    else if (/^\w+$/.test(inner)) out += String(vars[inner] ?? `{${inner}}`);
    else out += template.slice(open, close + 1);
    at = close + 1;
  }
  return out;
}

/** The arguments a message takes, plain or plural ("{amount}", "{points, plural, …}"). */
export function messageArguments(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\s*(\w+)\s*(?:\}|,\s*plural\s*,)/g)].map((m) => m[1]))].sort();
}

/** BCP 47 tag for Intl formatting. */
export function intlLocale(locale: Locale): string {
  return locale === "id" ? "id-ID" : "en-US";
}

/** The admin's number and date formats in one language and the shop's time zone, made once per pair. */
export interface AdminFormats {
  /** The BCP 47 tag for Intl (e.g. "en-US", "id-ID"). */
  intl: string;
  /** The IANA time zone dates are shown in (the shop's; UTC when unknown). */
  timeZone: string;
  n: Intl.NumberFormat;
  /** A day, e.g. "7 Dec 2026", in the shop's time zone. */
  day: Intl.DateTimeFormat;
  /** A day and time, e.g. "7 Dec 2026, 08:50", in the shop's time zone. */
  dateTime: Intl.DateTimeFormat;
  /** A day of a UTC calendar (a plan's billing month, a UTC month key), whatever the shop's zone. */
  utcDay: Intl.DateTimeFormat;
}

const adminFormatsByKey = new Map<string, AdminFormats>();

/** A time zone Intl knows, or UTC (a shop's stored zone is checked on the way in; this keeps a bad one harmless). */
export function knownTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return "UTC";
  }
}

export function adminFormats(locale: Locale, timeZone = "UTC"): AdminFormats {
  const key = `${locale}|${timeZone}`;
  let f = adminFormatsByKey.get(key);
  if (!f) {
    const intl = intlLocale(locale);
    const zone = knownTimeZone(timeZone);
    f = {
      intl,
      timeZone: zone,
      n: new Intl.NumberFormat(intl),
      day: new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeZone: zone }),
      dateTime: new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone: zone }),
      utcDay: new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeZone: "UTC" }),
    };
    adminFormatsByKey.set(key, f);
  }
  return f;
}
