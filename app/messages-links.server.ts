// The pages behind an email's links: the unsubscribe page (a confirmation with a button that
// POSTs; a GET alone never unsubscribes, since mail scanners follow links), its RFC 8058
// one-click POST, and the open pixel (a 1x1 GIF whatever happens). Used by the thin routes
// messages.unsubscribe.tsx and messages.open.tsx.
import { appDeps } from "./deps.server";
import { config } from "./config.server";
import { log } from "./log.server";
import { errorResponse, readLimitedBody } from "./http.server";
import { KembaliError } from "./domain/errors";
import { recordOpen, unsubscribe, unsubscribeTarget } from "./domain/messages/unsubscribe";
import { pickLocale, translate, type Locale } from "./i18n";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  // The token is in the URL: never sent on to another site, never indexed.
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

function page(locale: Locale, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(translate(locale, "unsubscribe.title"))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#0f766e;color:#fff;cursor:pointer}
.note{color:#555;font-size:.9rem}</style></head>
<body>${body}</body></html>`;
  return new Response(html, { status, headers: PAGE_HEADERS });
}

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("t");

function shopLabel(locale: Locale, name: string | null) {
  return name ?? translate(locale, "unsubscribe.thisShop");
}

/** GET: what the link would do, and a button that POSTs. A forged token: 400, nothing written. */
export async function unsubscribePage(request: Request): Promise<Response> {
  const token = tokenOf(request);
  let target;
  try {
    target = await unsubscribeTarget(appDeps, config.apiSecret, token);
  } catch (error) {
    if (error instanceof KembaliError)
      return page(pickLocale(request), `<p>${escapeHtml(translate(pickLocale(request), "unsubscribe.invalid"))}</p>`, 400);
    throw error;
  }
  const locale = target.locale ?? pickLocale(request);
  const shop = shopLabel(locale, target.shopName);
  if (target.unsubscribed) return page(locale, `<p>${escapeHtml(translate(locale, "unsubscribe.already", { shop }))}</p>`);
  const action = `/messages/unsubscribe?t=${encodeURIComponent(token ?? "")}`;
  return page(
    locale,
    `<h1>${escapeHtml(translate(locale, "unsubscribe.title"))}</h1>
<p>${escapeHtml(translate(locale, "unsubscribe.question", { shop }))}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(translate(locale, "unsubscribe.button"))}</button></form>
<p class="note">${escapeHtml(translate(locale, "unsubscribe.note"))}</p>`,
  );
}

/**
 * POST: unsubscribes. The same for a mail provider's RFC 8058 one-click POST (body
 * List-Unsubscribe=One-Click) and the page's button; the token in the URL says who.
 */
export async function unsubscribeAction(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response("Use GET or POST", { status: 405, headers: { Allow: "GET, POST" } });
  const token = tokenOf(request);
  // The body says nothing the URL does not (a mail client's one-click sends
  // List-Unsubscribe=One-Click): it is read, bounded, and dropped. Cancelling it unread
  // closed the connection before any answer.
  try {
    await readLimitedBody(request, 16_384);
  } catch (error) {
    return errorResponse(error);
  }
  try {
    await unsubscribe(appDeps, config.apiSecret, token);
  } catch (error) {
    if (error instanceof KembaliError)
      return page(pickLocale(request), `<p>${escapeHtml(translate(pickLocale(request), "unsubscribe.invalid"))}</p>`, 400);
    throw error;
  }
  const target = await unsubscribeTarget(appDeps, config.apiSecret, token);
  const locale = target.locale ?? pickLocale(request);
  return page(locale, `<p>${escapeHtml(translate(locale, "unsubscribe.done", { shop: shopLabel(locale, target.shopName) }))}</p>`);
}

/** A transparent 1x1 GIF. */
export const PIXEL_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/** GET /messages/open?t=: records the first open of a send; always the GIF, never an error. */
export async function openPixel(request: Request): Promise<Response> {
  try {
    await recordOpen(appDeps, config.apiSecret, tokenOf(request));
  } catch (error) {
    log("warn", "email open not recorded", { error: error instanceof Error ? error.message : String(error) });
  }
  return new Response(new Uint8Array(PIXEL_GIF), {
    status: 200,
    headers: { "Content-Type": "image/gif", "Cache-Control": "no-store, private", "Content-Length": String(PIXEL_GIF.length) },
  });
}
