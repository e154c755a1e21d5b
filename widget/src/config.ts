// Reads the <kembali-widget> attributes that Liquid renders. Every value is untrusted text
// from a theme setting or the page, so each one is validated and has a safe default.
export const DEFAULT_ACCENT = "#0f766e";
export const DEFAULT_PROXY = "/apps/kembali";
/** The dialog's id: the launcher's aria-controls names it before the panel is loaded. */
export const PANEL_ID = "kembali-panel";

export interface Config {
  proxy: string;
  /** Also the Intl locale, so numbers and dates match the language of the strings. */
  lang: "en" | "id";
  /** Shopify customer id, "" for a guest. */
  customer: string;
  /** Balance Liquid rendered from the customer metafield, shown before any network call. */
  balance: number | null;
  currency: string;
  /** The shop's money format (Liquid's shop.money_format: merchant text, never markup here). */
  moneyFormat: string;
  accent: string;
  /** Text colour readable on the accent: Liquid picks it with color_contrast. */
  onAccent: string;
  /** Launcher and panel title (the merchant's, else the translated default), "" if not given. */
  title: string;
  loginUrl: string;
  registerUrl: string;
  /** Where "Apply to cart" leads after the discount is applied (routes.cart_url). */
  cartUrl: string;
  /** The panel's stylesheet (the extension asset's CDN URL), "" when none was given. */
  css: string;
  /** The panel's script (the extension asset's CDN URL), loaded on idle, hover or first open. */
  panel: string;
  /** The "picked for you" card's script, loaded when the panel shows a member's card; "" when none was given. */
  picked: string;
  /** The survey card's script, loaded when the panel shows a member's card; "" when none was given. */
  survey: string;
}

/** Only `#rgb` / `#rrggbb`: the value is written into the shadow root's stylesheet. */
export function accentColour(value: string, fallback = DEFAULT_ACCENT): string {
  return /^#(?:[\da-f]{3}){1,2}$/i.test(value) ? value.toLowerCase() : fallback;
}

/** `id`, `id-ID`, `id_ID` → Indonesian; anything else → English. */
export function chooseLang(locale: string): "en" | "id" {
  return /^id(?![a-z])/i.test(locale) ? "id" : "en";
}

/** Same-origin path: the proxy call sends the shopper's cookies. */
export function localPath(value: string, fallback: string): string {
  return /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** Same-origin path or https URL (new customer accounts live on another host); never javascript:. */
export function linkUrl(value: string, fallback: string): string {
  return /^https:\/\//i.test(value) ? value : localPath(value, fallback);
}

/** A path or an https (or scheme-relative, as asset_url may give) URL for the stylesheet link. */
export function assetUrl(value: string): string {
  return /^(https:)?\/\/[\w.-]|^\/(?![/\\])/i.test(value) ? value : "";
}

export function readBalance(value: string): number | null {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** `attr` returns the attribute's trimmed value, "" when it is absent. */
export function readConfig(attr: (name: string) => string): Config {
  const customer = attr("data-customer");
  const currency = attr("data-currency").toUpperCase();
  return {
    proxy: localPath(attr("data-proxy"), DEFAULT_PROXY).replace(/\/+$/, ""),
    lang: chooseLang(attr("data-locale")),
    customer,
    // A cached page may carry a balance without a customer; never show it to a guest.
    balance: customer ? readBalance(attr("data-balance")) : null,
    currency: /^[A-Z]{3}$/.test(currency) ? currency : "",
    // Used only as text; money() falls back to Intl when it has no placeholder we know.
    moneyFormat: attr("data-money-format"),
    accent: accentColour(attr("data-accent")),
    onAccent: accentColour(attr("data-on-accent"), "#fff"),
    title: attr("data-title"),
    loginUrl: linkUrl(attr("data-login-url"), "/account/login"),
    registerUrl: linkUrl(attr("data-register-url"), "/account/register"),
    cartUrl: localPath(attr("data-cart-url"), "/cart"),
    css: assetUrl(attr("data-css")),
    panel: assetUrl(attr("data-panel")),
    picked: assetUrl(attr("data-picked")),
    survey: assetUrl(attr("data-survey")),
  };
}
