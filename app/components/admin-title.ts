import type { MetaFunction } from "@remix-run/node";
import { translate, type Locale, type MessageKey } from "~/i18n";

/** "Program · Kembali", or "Siti Rahma · Customers · Kembali" with a detail (the page's own subject). */
export function adminTitle(locale: Locale, key: MessageKey, detail?: string | null): string {
  return [detail, translate(locale, key), "Kembali"].filter(Boolean).join(" · ");
}

/**
 * An admin page's `meta`: its <title> in the admin's language (the app layout's loader picks
 * it), which the browser tab and, inside the Shopify admin, App Bridge show.
 */
export function adminMeta<Data = unknown>(key: MessageKey, detail?: (data: Data) => string | null | undefined): MetaFunction {
  return ({ matches, data }) => {
    const layout = matches.find((m) => m.id === "routes/app")?.data as { locale?: Locale } | undefined;
    return [{ title: adminTitle(layout?.locale ?? "en", key, data ? detail?.(data as Data) : null) }];
  };
}
