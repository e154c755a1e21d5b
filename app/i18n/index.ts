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

export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** BCP 47 tag for Intl formatting. */
export function intlLocale(locale: Locale): string {
  return locale === "id" ? "id-ID" : "en-US";
}
