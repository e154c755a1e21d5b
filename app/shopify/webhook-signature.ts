// Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app secret.
// Incoming webhooks are verified by the library (authenticate.webhook); this signs demo
// and test traffic so that the real verification runs on it.
import { createHmac, randomUUID } from "node:crypto";

export function webhookSignature(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export function signedWebhookRequest(
  url: string,
  { topic, shop, body, secret, eventId = randomUUID(), apiVersion = "2025-10", triggeredAt = new Date() }:
    { topic: string; shop: string; body: unknown; secret: string; eventId?: string; apiVersion?: string; triggeredAt?: Date },
): Request {
  const raw = JSON.stringify(body);
  return new Request(url, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": webhookSignature(raw, secret),
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Triggered-At": triggeredAt.toISOString(),
    },
  });
}
