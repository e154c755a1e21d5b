import { useRouteLoaderData } from "@remix-run/react";
import { adminFormats, translate, type Locale, type MessageKey } from "~/i18n";

/**
 * Translations and the number and date formats for admin pages (`n`, `day`, `dateTime`, and the
 * Intl tag `intl` for other formats); the locale comes from the app layout's loader.
 */
export function useT() {
  const data = useRouteLoaderData<{ locale: Locale }>("routes/app");
  const locale = data?.locale ?? "en";
  return { locale, ...adminFormats(locale), t: (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars) };
}
