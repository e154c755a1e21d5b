// The extension's own locales files (en, id) through Shopify's i18n: a view's message in words.
import { shopperLocale, type Msg } from "../../common/post-purchase";

interface I18n {
  translate: (key: string, vars?: Record<string, string | number>) => unknown;
}

export function sayWith(i18n: I18n): (msg: Msg) => string {
  return (msg) => String(i18n.translate(msg.key, msg.vars));
}

/** The shopper's language (en or id) for numbers and dates. */
export function localeOf(isoCode: string | null | undefined): "en" | "id" {
  return shopperLocale(isoCode);
}
