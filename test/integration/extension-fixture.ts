// The checkout and customer-account extensions' requests as Shopify's sandbox sends them: a
// session token signed like Shopify's, the sandbox's origin; shared by the extension route tests.
import { expect } from "vitest";
import prisma from "~/db.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { signSessionToken } from "~/shopify/session-token";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

export type TokenOptions = { customerId?: string | null; secret?: string; apiKey?: string; expiresIn?: number; now?: Date };

export function token(shop: string, { customerId = null, secret = TEST_API_SECRET, apiKey = TEST_API_KEY, ...rest }: TokenOptions = {}) {
  return signSessionToken({ shop, customerId, secret, apiKey, ...rest });
}

export function extensionRequest(path: string, auth: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (auth !== null) headers.set("Authorization", `Bearer ${auth}`);
  headers.set("Origin", "https://extensions.shopifycdn.com");
  return new Request(`http://127.0.0.1:3000${path}`, { ...init, headers });
}

export function expectCors(res: Response) {
  expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
}

export async function shopWithMemberOrder(orderId: string, customerId: string) {
  const shop = newShopDomain();
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(orderId, customerId))));
  return shop;
}

export async function guestOrder(shop: string, orderId: string, createdAt = new Date()) {
  const payload = orderPaidPayload({ orderId, customer: null, lines: [{ product: DEMO_PRODUCTS[0], quantity: 2 }], createdAt });
  const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, payload)));
  expect(res.status).toBe(200);
}

/** A JSON POST from an extension. */
export function extensionPost(path: string, auth: string | null, body: unknown) {
  return extensionRequest(path, auth, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
}

/** A shop with the survey on (50 points for answering): member 8701's order 87001, member 8702's 87002, guest order 87003. */
export async function surveyShop() {
  const shop = await shopWithMemberOrder("87001", "8701");
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("87002", "8702"))));
  await guestOrder(shop, "87003");
  await saveSurveySettings({ db: prisma }, shop, {
    enabled: true,
    pointsForAnswer: 50,
    question: { en: "Would you tell a friend?", id: "Maukah Anda merekomendasikan kami?" },
  });
  return shop;
}
