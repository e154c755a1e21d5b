// The page inside the Settings card's preview frame: the real built widget, drawn with the
// appearance the merchant is editing (sent by the card with postMessage, nothing saved), over
// the shop's real reward catalogue seen by a sample member. The widget's App Proxy calls are
// answered inside the page: the preview never reaches the storefront API or any other host.
import type { Tx } from "./db.server";
import type { Locale } from "./i18n";
import { appearanceForm, loadAppearance, type Appearance, type Language } from "./domain/shop/appearance";
import type { ShopperState } from "./domain/storefront";

export const PREVIEW_MESSAGE = "kembali-appearance-preview";

export interface PreviewPage {
  appearance: Appearance;
  /** The language the preview opens in (the admin's). */
  language: Language;
  state: ShopperState;
  strings: Record<Language, Record<string, string>>;
  /** The banner over the widget and its badge ("Preview"), in the admin's language. */
  label: string;
  badge: string;
  /** Origins allowed to frame the page besides the app itself (the shop's admin). */
  frameAncestors: string[];
}

/** JSON that is safe inside a <script> element: no "<" can close it. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Draws <kembali-widget> as the app embed would (a language not enabled gets the default one),
// opens its panel, and redraws on each message from the Settings card (same origin only).
const CONTROLLER = `
(() => {
  const data = JSON.parse(document.getElementById("kembali-preview").textContent);
  const json = (body, status) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
  // The state call carries the shopper's language (state?lang=en).
  window.fetch = (url, init) =>
    /\\/state(?:\\?|$)/.test(String(url)) && !(init && init.method === "POST")
      ? json(data.state, 200)
      : json({ error: { code: "PREVIEW", message: "Preview only" } }, 403);
  const stage = document.getElementById("stage");
  // White or near-black text on the accent, whichever contrasts more (app_embed.liquid's rule).
  const luminance = (hex) => [1, 3, 5].reduce((sum, i, k) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return sum + [0.2126, 0.7152, 0.0722][k] * (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }, 0);
  const onAccent = (hex) => (1.05 / (luminance(hex) + 0.05) >= (luminance(hex) + 0.05) / 0.05 ? "#fff" : "#1a1a1a");
  let current = data.appearance, language = data.language;
  function draw() {
    const a = current;
    const lang = a.languages.includes(language) ? language : a.defaultLanguage;
    const el = document.createElement("kembali-widget");
    const attrs = {
      "data-proxy": "/preview", "data-locale": lang, "data-currency": data.state.shop.currency,
      "data-customer": "preview", "data-balance": String(data.state.customer.balance),
      "data-position": a.position, "data-accent": a.accent, "data-on-accent": onAccent(a.accent), "data-title": (a.titles && a.titles[lang]) || "",
      "data-css": "/widget-assets/kembali-widget.css", "data-panel": "/widget-assets/kembali-panel.js",
    };
    for (const name in attrs) el.setAttribute(name, attrs[name]);
    const strings = document.createElement("script");
    strings.type = "application/json";
    strings.setAttribute("data-kembali-i18n", "");
    strings.textContent = JSON.stringify(data.strings[lang]);
    el.appendChild(strings);
    stage.replaceChildren(el);
    document.documentElement.dataset.accent = a.accent;
    customElements.whenDefined("kembali-widget").then(() => {
      const launcher = el.shadowRoot && el.shadowRoot.querySelector("[data-testid=kembali-launcher]");
      if (!launcher) return;
      launcher.dispatchEvent(new Event("pointerdown", { bubbles: true, composed: true }));
      if (launcher.getAttribute("aria-expanded") !== "true") launcher.click();
    });
  }
  window.addEventListener("message", (event) => {
    if (event.origin !== location.origin || !event.data || event.data.type !== "${PREVIEW_MESSAGE}") return;
    current = event.data.appearance;
    language = event.data.language;
    draw();
  });
  draw();
})();
`;

export function previewHtml(page: PreviewPage): Response {
  const data = { appearance: page.appearance, language: page.language, state: page.state, strings: page.strings };
  const html = `<!doctype html>
<html lang="${page.language}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(page.badge)}</title>
<style>
  body { margin: 0; min-height: 100vh; font: 13px/1.4 system-ui, sans-serif; color: #303030;
    background: repeating-linear-gradient(135deg, #f6f6f7 0 12px, #efeff1 12px 24px); }
  /* Above the widget (its z-index is 2147483000) and within the 24 px its tallest panel leaves free. */
  .label { position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; margin: 0; padding: 0 10px; height: 22px;
    line-height: 22px; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
    background: #fff4d6; border-bottom: 1px solid #e8d49a; }
  .label strong { text-transform: uppercase; letter-spacing: .04em; margin-right: 6px; }
</style>
</head>
<body>
<p class="label" data-testid="preview-label"><strong>${escapeHtml(page.badge)}</strong>${escapeHtml(page.label)}</p>
<div id="stage"></div>
<script type="application/json" id="kembali-preview">${scriptJson(data)}</script>
<script>${CONTROLLER}</script>
<script src="/widget-assets/kembali-widget.js" defer></script>
</body>
</html>`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // Framed by the Settings page (this app), itself framed by the shop's admin.
      "Content-Security-Policy": `frame-ancestors 'self'${page.frameAncestors.map((o) => ` ${o}`).join("")}`,
    },
  });
}

/**
 * What the Settings card needs: the saved appearance as form values, whether it is still being
 * written to Shopify, and the preview frame's address. In the Shopify admin the frame is a
 * document request of its own, so it carries the shop and host (and the card adds a fresh
 * session token); in demo mode the plain path is enough.
 */
export async function appearanceCard(db: Tx, shop: string, demo: boolean, locale: Locale) {
  const { appearance, syncPending } = await loadAppearance({ db }, shop);
  const query = new URLSearchParams({ locale });
  if (!demo) {
    query.set("shop", shop);
    query.set("host", Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64"));
    query.set("embedded", "1");
  }
  return { form: appearanceForm(appearance), syncPending, previewUrl: `/app/appearance-preview?${query}`, needsToken: !demo };
}
