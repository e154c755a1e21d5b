import { useRouteLoaderData } from "@remix-run/react";
import { adminFormats, translate, type Locale, type MessageKey } from "~/i18n";

/**
 * Translations and the number and date formats for admin pages (`n`, `day`, `dateTime`, and the
 * Intl tag `intl` for other formats); the locale and the shop's time zone (dates are shown in
 * it) come from the app layout's loader.
 */
export function useT() {
  const data = useRouteLoaderData<{ locale: Locale; timezone?: string }>("routes/app");
  const locale = data?.locale ?? "en";
  return {
    locale,
    ...adminFormats(locale, data?.timezone ?? "UTC"),
    t: (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars),
  };
}
