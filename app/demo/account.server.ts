// Demo only: what the customer-account extension's Rewards page gets from the app, without
// Shopify. It signs a customer-account session token for a demo member with the local app
// secret, exactly as Shopify's customer accounts would, and asks the app's real
// /api/account/summary route with it, through the same server; Redeem posts to the real
// /api/account/redeem the same way (the form's request id makes a resubmitted form answer the
// first redemption instead of spending twice).
import { randomUUID } from "node:crypto";
import prisma from "../db.server";
import { config } from "../config.server";
import type { AppLoadContext } from "../load-context";
import type { ShopperState } from "../domain/storefront";
import type { RedemptionView } from "../domain/rewards/redemption";
import { discountPermalink } from "../../common/post-purchase";
import { asExtension, demoSurfacePage } from "./thank-you.server";
import { escapeHtml, loggedInCustomer } from "./storefront.server";

const page = (main: string, status = 200) => demoSurfacePage("Rewards — demo customer account", main, status);

type ApiError = { error: { code: string; message: string } };
type Redeemed = { status: number; body: { redemption: RedemptionView } | ApiError };

/** The member the page speaks for: `?customer=`, else the demo store's logged-in shopper, else the newest order's member. */
async function demoMember(request: Request): Promise<string | null> {
  const asked = new URL(request.url).searchParams.get("customer");
  if (asked && /^\d{1,20}$/.test(asked)) return asked;
  const loggedIn = loggedInCustomer(request);
  if (loggedIn) return loggedIn;
  const order = await prisma.order.findFirst({
    where: { shop: { domain: config.demoShop }, customer: { isNot: null } },
    orderBy: { orderedAt: "desc" },
    select: { customer: { select: { shopifyCustomerId: true } } },
  });
  return order?.customer?.shopifyCustomerId ?? null;
}

/** The account page, after a redemption when `redeemed` is given. */
export async function accountPage(
  request: Request,
  context: AppLoadContext,
  redeemed: Redeemed | null = null,
  member: string | null = null,
): Promise<Response> {
  if (!context.internalFetch) throw new Error("The demo account page needs server.js's load context (internalFetch)");
  const customerId = member ?? (await demoMember(request));
  if (!customerId) return page(`<p>No demo member yet: log in and place an order in the <a href="/demo/store">demo store</a>.</p>`, 404);
  const url = new URL(request.url);
  const answer = await asExtension(context, url, customerId, "/api/account/summary");
  const body = (await answer.json()) as ShopperState | ApiError;
  const json = `<details><summary>The app's answer (HTTP ${answer.status})</summary><pre data-testid="demo-account-json">${escapeHtml(
    JSON.stringify(body, null, 2),
  )}</pre></details>`;
  const intro = `<h1>Rewards — customer ${escapeHtml(customerId)}</h1>
  <p>This page plays Kembali's customer-account extension: it sent a customer-account session token signed with the
  local app secret to <code>GET /api/account/summary</code> and shows the answer.</p>`;
  if ("error" in body || !body.customer) {
    const why = "error" in body ? `The app answered ${answer.status}: ${escapeHtml(body.error.message)}` : "Not a member yet.";
    return page(`${intro}<p class="card" data-testid="demo-account-error">${why}</p>${json}`, 200);
  }
  const c = body.customer;
  const n = (points: number) => points.toLocaleString("en");
  const domain = body.shop.domain;
  const apply = (code: string) => `<a href="${escapeHtml(discountPermalink(domain, code))}">Apply to cart</a>`;
  const rewards = body.rewards
    .map((r) => {
      const affordable = r.available !== false && c.balance >= r.pointsCost;
      const action = affordable
        ? `<form method="post" style="display:inline"><input type="hidden" name="customer" value="${escapeHtml(customerId)}">
        <input type="hidden" name="reward" value="${escapeHtml(r.id)}"><input type="hidden" name="request" value="demo-${randomUUID()}">
        <button type="submit" data-testid="demo-account-redeem">Redeem</button></form>`
        : r.available === false
          ? "locked"
          : `${n(r.pointsCost - c.balance)} more points needed`;
      return `<li>${escapeHtml(r.name)}: ${n(r.pointsCost)} points · ${action}</li>`;
    })
    .join("");
  const codes = c.redemptions
    .filter((r) => r.code)
    .map((r) => `<li><strong>${escapeHtml(r.code!)}</strong> ${escapeHtml(r.rewardName)} · ${apply(r.code!)}</li>`)
    .join("");
  const history = c.history
    .map((h) => `<li>${h.points < 0 ? "−" : "+"}${n(Math.abs(h.points))} · ${escapeHtml(h.at.slice(0, 10))}</li>`)
    .join("");
  return page(`${intro}
  ${redeemed ? redeemedCard(redeemed, apply) : ""}
  <section class="card" data-testid="demo-account-balance"><p><strong>${n(c.balance)} points</strong>${
    c.pending > 0 ? `, ${n(c.pending)} points pending` : ""
  }${c.tier ? ` · tier ${escapeHtml(c.tier.name)}` : ""}</p></section>
  <h2>Rewards to redeem</h2><ul data-testid="demo-account-rewards">${rewards || "<li>None yet.</li>"}</ul>
  <h2>Your reward codes</h2><ul data-testid="demo-account-codes">${codes || "<li>None yet.</li>"}</ul>
  <h2>History</h2><ul>${history || "<li>No points yet.</li>"}</ul>
  ${c.referral ? `<p>Refer a friend: <a href="${escapeHtml(c.referral.url)}">${escapeHtml(c.referral.url)}</a></p>` : ""}
  ${json}
  <p><a href="/demo/store">Back to the demo store</a></p>`);
}

/** Redeem from the page's form, sent as the extension would; then the page again. */
export async function redeemOnAccountPage(request: Request, context: AppLoadContext): Promise<Response> {
  const form = await request.formData();
  const customerId = String(form.get("customer") ?? "");
  if (!/^\d{1,20}$/.test(customerId)) return page(`<p>No such demo member.</p>`, 404);
  const answer = await asExtension(context, new URL(request.url), customerId, "/api/account/redeem", {
    rewardId: String(form.get("reward") ?? ""),
    requestId: String(form.get("request") ?? ""),
  });
  const body = (await answer.json()) as Redeemed["body"];
  return accountPage(request, context, { status: answer.status, body }, customerId);
}

function redeemedCard({ status, body }: Redeemed, apply: (code: string) => string): string {
  if ("error" in body)
    return `<p class="card" data-testid="demo-account-redeemed">The app answered ${status}: ${escapeHtml(body.error.message)}</p>`;
  const r = body.redemption;
  const code = r.code ? ` Your code: <strong>${escapeHtml(r.code)}</strong> · ${apply(r.code)}` : "";
  return `<p class="card" data-testid="demo-account-redeemed">Redeemed ${escapeHtml(r.rewardName)} for ${r.pointsSpent.toLocaleString(
    "en",
  )} points (${escapeHtml(r.status)}).${code}</p>`;
}
