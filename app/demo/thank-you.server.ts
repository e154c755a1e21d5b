// Demo only: the thank-you page as Kembali's checkout extension shows it, without Shopify. It
// signs a checkout session token for a demo order with the local app secret (the buyer's
// customer id when the order has one, none for a guest's) exactly as Shopify's checkout would,
// and asks the app's real /api/checkout/order route with it, through the same server.
import prisma from "../db.server";
import { config } from "../config.server";
import { signSessionToken } from "../shopify/session-token";
import type { AppLoadContext } from "../load-context";
import type { OrderSummary } from "../../common/survey-api";
import { escapeHtml } from "./storefront.server";

export async function thankYouPage(request: Request, context: AppLoadContext): Promise<Response> {
  if (!context.internalFetch) throw new Error("The demo thank-you page needs server.js's load context (internalFetch)");
  const url = new URL(request.url);
  const shop = await prisma.shop.findUnique({ where: { domain: config.demoShop }, select: { id: true } });
  const wanted = url.searchParams.get("order") ?? "";
  const order = shop
    ? await prisma.order.findFirst({
        where: { shopId: shop.id, ...(/^\d{1,20}$/.test(wanted) ? { shopifyOrderId: wanted } : {}) },
        orderBy: { orderedAt: "desc" },
        select: { shopifyOrderId: true, customer: { select: { shopifyCustomerId: true, firstName: true } } },
      })
    : null;
  if (!order) return html(`<p>No demo order yet: place one in the <a href="/demo/store">demo store</a>.</p>`, 404);

  const token = signSessionToken({
    shop: config.demoShop,
    customerId: order.customer?.shopifyCustomerId ?? null,
    apiKey: config.apiKey,
    secret: config.apiSecret,
  });
  const api = new URL(`/api/checkout/order?order=${order.shopifyOrderId}`, url.origin);
  const answer = await context.internalFetch(
    new Request(api, { headers: { Authorization: `Bearer ${token}`, "X-Forwarded-For": "127.0.0.1, 127.0.0.1" } }),
  );
  const body = (await answer.json()) as OrderSummary | { error: { code: string; message: string } };
  const who = order.customer
    ? `${escapeHtml(order.customer.firstName ?? "A member")} (customer ${escapeHtml(order.customer.shopifyCustomerId)})`
    : "a guest";
  let card: string;
  if ("error" in body) {
    card = `<p data-testid="demo-thank-you-error">The app answered ${answer.status}: ${escapeHtml(body.error.message)}</p>`;
  } else if (body.order) {
    card = body.order.pending
      ? `<p data-testid="demo-thank-you-points">This order earns <strong>${body.order.points.toLocaleString("en")} points</strong>, pending until ${escapeHtml(body.order.availableAt?.slice(0, 10) ?? "")}.</p>`
      : `<p data-testid="demo-thank-you-points">This order earned <strong>${body.order.points.toLocaleString("en")} points</strong>.</p>`;
  } else if (body.claim) {
    card = `<p data-testid="demo-thank-you-claim">Create an account to claim <strong>${body.claim.points.toLocaleString("en")} points</strong> for this order.</p>`;
  } else {
    card = `<p data-testid="demo-thank-you-points">No points for this order.</p>`;
  }
  return html(`<h1>Thank you! Order ${escapeHtml(order.shopifyOrderId)}</h1>
  <p>Ordered by ${who}. This page plays Kembali's checkout extension: it sent a checkout session token signed with the
  local app secret to <code>GET /api/checkout/order</code> and shows the answer.</p>
  <section class="card">${card}</section>
  <details><summary>The app's answer (HTTP ${answer.status})</summary><pre data-testid="demo-thank-you-json">${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>
  <p><a href="/demo/store">Back to the demo store</a></p>`);
}

function html(main: string, status = 200): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you — demo checkout</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:24px auto;padding:0 24px;color:#1f2328}
.card{border:1px solid #e7dfd5;border-radius:8px;padding:12px 16px;background:#fff}pre{white-space:pre-wrap}</style></head>
<body><main>${main}</main></body></html>`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
  );
}
