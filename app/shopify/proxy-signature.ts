// Shopify's App Proxy signature: the hex HMAC-SHA256 (keyed with the app secret) of the
// query's `key=value` pairs, values of a repeated key joined with ",", sorted, concatenated
// with no separator, `signature` left out. Signs demo and test traffic, and verifies every
// incoming proxy request (decision 024: our own check, not the library's).
import { createHmac, timingSafeEqual } from "node:crypto";

export function proxySignature(query: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    // Byte order of the UTF-8 text, as Shopify sorts.
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** Shopify's tolerance for the signed `timestamp`, either way (the library's too). */
export const PROXY_CLOCK_TOLERANCE_SECONDS = 90;

/**
 * The query's parameters when it is exactly what Shopify signed, else null: every key once
 * (as decoded: `a`, `%61`; `a b`, `a+b`, `a%20b`), `signature` a hex HMAC of all the others,
 * `timestamp` whole seconds within the tolerance of `now`. With one value per key, what the
 * caller reads is what the signature covered: a key in front of or behind the signed ones
 * can never be read in their place.
 */
export function verifyProxyQuery(search: string, secret: string, now: Date): ReadonlyMap<string, string> | null {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(search)) {
    if (params.has(key)) return null;
    params.set(key, value);
  }
  const signature = params.get("signature");
  const timestamp = params.get("timestamp");
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return null;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return null;
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > PROXY_CLOCK_TOLERANCE_SECONDS) return null;
  const expected = Buffer.from(proxySignature(new URLSearchParams([...params]), secret), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex")) ? params : null;
}

/** Adds shop, path_prefix, timestamp, logged_in_customer_id and signature, as Shopify does. */
export function signProxyQuery(
  query: URLSearchParams,
  {
    shop,
    customerId,
    secret,
    now = new Date(),
    pathPrefix = "/apps/kembali",
  }: { shop: string; customerId: string | null; secret: string; now?: Date; pathPrefix?: string },
): URLSearchParams {
  const signed = new URLSearchParams(query);
  for (const key of ["shop", "path_prefix", "timestamp", "logged_in_customer_id", "signature"]) signed.delete(key);
  signed.set("shop", shop);
  signed.set("path_prefix", pathPrefix);
  signed.set("timestamp", String(Math.floor(now.getTime() / 1000)));
  signed.set("logged_in_customer_id", customerId ?? "");
  signed.set("signature", proxySignature(signed, secret));
  return signed;
}
