// Demo only: the thank-you page as Kembali's checkout extension shows it, without Shopify. It
// signs a checkout session token for a demo order with the local app secret (the buyer's
// customer id when the order has one, none for a guest's) exactly as Shopify's checkout would,
// and asks the app's real /api/checkout/order route with it, through the same server; the
// survey's answer goes to the real /api/checkout/survey the same way.
import prisma from "../db.server";
import { config } from "../config.server";
import { signSessionToken } from "../shopify/session-token";
import type { AppLoadContext } from "../load-context";
import type { OrderSummary, SurveyAnswerResult } from "../../common/survey-api";
import { escapeHtml } from "./storefront.server";

const THANK_YOU = "Thank you — demo checkout";

type ApiError = { error: { code: string; message: string } };

/** The thank-you page, after the survey's answer when `answered` is given. */
export async function thankYouPage(
  request: Request,
  context: AppLoadContext,
  answered: { status: number; body: SurveyAnswerResult | ApiError } | null = null,
  orderId: string | null = null,
): Promise<Response> {
  if (!context.internalFetch) throw new Error("The demo thank-you page needs server.js's load context (internalFetch)");
  const url = new URL(request.url);
  const shop = await prisma.shop.findUnique({ where: { domain: config.demoShop }, select: { id: true } });
  const wanted = orderId ?? url.searchParams.get("order") ?? "";
  const order = shop
    ? await prisma.order.findFirst({
        where: { shopId: shop.id, ...(/^\d{1,20}$/.test(wanted) ? { shopifyOrderId: wanted } : {}) },
        orderBy: { orderedAt: "desc" },
        select: { shopifyOrderId: true, customer: { select: { shopifyCustomerId: true, firstName: true } } },
      })
    : null;
  if (!order) return demoSurfacePage(THANK_YOU, `<p>No demo order yet: place one in the <a href="/demo/store">demo store</a>.</p>`, 404);

  const locale = url.searchParams.get("locale") === "id" ? "id" : "en";
  const answer = await asExtension(
    context,
    url,
    order.customer?.shopifyCustomerId ?? null,
    `/api/checkout/order?order=${order.shopifyOrderId}&locale=${locale}`,
  );
  const body = (await answer.json()) as OrderSummary | ApiError;
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
  const survey = answered ? answeredCard(answered) : "error" in body ? "" : surveyCard(order.shopifyOrderId, body, locale);
  return demoSurfacePage(
    THANK_YOU,
    `<h1>Thank you! Order ${escapeHtml(order.shopifyOrderId)}</h1>
  <p>Ordered by ${who}. This page plays Kembali's checkout extension: it sent a checkout session token signed with the
  local app secret to <code>GET /api/checkout/order</code> and shows the answer.</p>
  <section class="card">${card}</section>
  ${survey}
  <details><summary>The app's answer (HTTP ${answer.status})</summary><pre data-testid="demo-thank-you-json">${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>
  <p>${
    order.customer
      ? `<a href="/demo/account?customer=${escapeHtml(order.customer.shopifyCustomerId)}" data-testid="demo-account-link">The member's account page</a> · `
      : ""
  }<a href="/demo/store">Back to the demo store</a></p>`,
  );
}

/**
 * A request as the checkout or customer-account extension makes it: a session token Shopify
 * would sign (here the local secret) for the demo shop and the customer (none: a guest).
 */
export function asExtension(context: AppLoadContext, url: URL, customerId: string | null, path: string, body?: unknown): Promise<Response> {
  const token = signSessionToken({ shop: config.demoShop, customerId, apiKey: config.apiKey, secret: config.apiSecret });
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, "X-Forwarded-For": "127.0.0.1, 127.0.0.1" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return context.internalFetch!(
    new Request(new URL(path, url.origin), {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** The survey's answer from the page's form, sent as the extension would; then the page again. */
export async function answerThankYouSurvey(request: Request, context: AppLoadContext): Promise<Response> {
  const form = await request.formData();
  const orderId = String(form.get("order") ?? "");
  const shop = await prisma.shop.findUnique({ where: { domain: config.demoShop }, select: { id: true } });
  const order =
    shop && /^\d{1,20}$/.test(orderId)
      ? await prisma.order.findUnique({
          where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: orderId } },
          select: { customer: { select: { shopifyCustomerId: true } } },
        })
      : null;
  if (!order) return demoSurfacePage(THANK_YOU, `<p>No such demo order.</p>`, 404);
  const comment = String(form.get("comment") ?? "");
  const answer = await asExtension(context, new URL(request.url), order.customer?.shopifyCustomerId ?? null, "/api/checkout/survey", {
    order: orderId,
    score: Number(form.get("score")),
    comment: comment === "" ? null : comment,
  });
  const body = (await answer.json()) as SurveyAnswerResult | ApiError;
  return thankYouPage(request, context, { status: answer.status, body }, orderId);
}

function surveyCard(orderId: string, summary: OrderSummary, locale: "en" | "id"): string {
  if (!summary.survey)
    return `<p data-testid="demo-thank-you-no-survey">No survey for this order now (${escapeHtml(summary.noSurvey ?? "")}).</p>`;
  const { question, min, max, pointsForAnswer } = summary.survey;
  const builtIn =
    locale === "id"
      ? "Seberapa besar kemungkinan Anda merekomendasikan kami kepada teman?"
      : "How likely are you to recommend us to a friend?";
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map((n) => `<button type="submit" name="score" value="${n}">${n}</button>`)
    .join(" ");
  return `<form method="post" class="card" data-testid="demo-thank-you-survey">
    <input type="hidden" name="order" value="${escapeHtml(orderId)}">
    <p><strong>${escapeHtml(question ?? builtIn)}</strong>${pointsForAnswer > 0 ? ` (${pointsForAnswer} points for answering)` : ""}</p>
    <p><label>Comment (optional) <input name="comment" maxlength="1000" style="width:100%"></label></p>
    <p>${scores}</p>
  </form>`;
}

function answeredCard({ status, body }: { status: number; body: SurveyAnswerResult | ApiError }): string {
  if ("error" in body)
    return `<p class="card" data-testid="demo-thank-you-answer">The app answered ${status}: ${escapeHtml(body.error.message)}</p>`;
  const referral = body.referral ? ` Share your link: <a href="${escapeHtml(body.referral.url)}">${escapeHtml(body.referral.url)}</a>` : "";
  return `<p class="card" data-testid="demo-thank-you-answer">Thank you for answering (${escapeHtml(body.group)})${
    body.pointsAwarded > 0 ? `: ${body.pointsAwarded} points added` : ""
  }.${referral}</p>`;
}

/** A demo page standing in for a Shopify surface (the thank-you page, the customer account). */
export function demoSurfacePage(title: string, main: string, status = 200): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:24px auto;padding:0 24px;color:#1f2328}
.card{border:1px solid #e7dfd5;border-radius:8px;padding:12px 16px;background:#fff}pre{white-space:pre-wrap}</style></head>
<body><main>${main}</main></body></html>`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
  );
}
