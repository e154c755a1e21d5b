import { useRouteLoaderData } from "@remix-run/react";
import { translate, type Locale, type MessageKey } from "~/i18n";

/** Translations for admin pages; the locale comes from the app layout's loader. */
export function useT() {
  const data = useRouteLoaderData<{ locale: Locale }>("routes/app");
  const locale = data?.locale ?? "en";
  return { locale, t: (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars) };
}
