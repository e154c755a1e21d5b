// Signed tokens in the links of an email: the one-click unsubscribe (a customer of a shop) and
// the open pixel (one send). HMAC-SHA256 under the app's secret, with the purpose in what is
// signed, so one kind of token is never accepted as the other. No expiry: an unsubscribe link
// in a year-old email still works. Pure: the secret is passed in.
import { createHmac, timingSafeEqual } from "node:crypto";

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function signature(secret: string, purpose: string, parts: string[]): string {
  return createHmac("sha256", secret)
    .update(["kembali-messages", purpose, ...parts].join("\n"))
    .digest("base64url")
    .slice(0, 32);
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The unsubscribe token of one customer of one shop. */
export function unsubscribeToken(secret: string, shopId: string, customerId: string): string {
  return `${customerId}.${shopId}.${signature(secret, "unsubscribe", [shopId, customerId])}`;
}

/** The customer and shop a token names, or null when it is not one we signed. */
export function readUnsubscribeToken(secret: string, token: unknown): { shopId: string; customerId: string } | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const [customerId, shopId, sig, ...rest] = token.split(".");
  if (rest.length > 0 || !customerId || !shopId || !sig || !ID.test(customerId) || !ID.test(shopId)) return null;
  return sameSignature(sig, signature(secret, "unsubscribe", [shopId, customerId])) ? { shopId, customerId } : null;
}

/** The open pixel's token of one send. */
export function openToken(secret: string, sendId: string): string {
  return `${sendId}.${signature(secret, "open", [sendId])}`;
}

export function readOpenToken(secret: string, token: unknown): { sendId: string } | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const [sendId, sig, ...rest] = token.split(".");
  if (rest.length > 0 || !sendId || !sig || !ID.test(sendId)) return null;
  return sameSignature(sig, signature(secret, "open", [sendId])) ? { sendId } : null;
}
