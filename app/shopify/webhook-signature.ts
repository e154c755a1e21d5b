// Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app secret.
// Incoming webhooks are verified here on the raw bytes (app/webhooks.server.ts), before any
// parsing; the signing side signs demo and test traffic so that the real verification runs on it.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export function webhookSignature(rawBody: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** Timing-safe: the header is compared as text with the expected base64 digest (44 characters). */
export function verifyWebhookSignature(rawBody: Uint8Array, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret), "utf8");
  const given = Buffer.from(header, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signedWebhookRequest(
  url: string,
  {
    topic,
    shop,
    body,
    raw,
    secret,
    eventId = randomUUID(),
    apiVersion = "2025-10",
    triggeredAt = new Date(),
  }: {
    topic: string;
    shop: string;
    secret: string;
    eventId?: string;
    apiVersion?: string;
    triggeredAt?: Date;
  } & ({ body: unknown; raw?: undefined } | { body?: undefined; raw: string | Uint8Array }),
): Request {
  // `raw` sends exact bytes (ids above 2^53 as JSON numbers, malformed bodies in tests).
  const bytes = raw ?? JSON.stringify(body);
  return new Request(url, {
    method: "POST",
    body: typeof bytes === "string" ? bytes : new Uint8Array(bytes),
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": webhookSignature(bytes, secret),
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Triggered-At": triggeredAt.toISOString(),
    },
  });
}
