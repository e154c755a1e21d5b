// Shopify's App Proxy signature: the hex HMAC-SHA256 (keyed with the app secret) of the
// query's `key=value` pairs, values of a repeated key joined with ",", sorted, concatenated
// with no separator, `signature` left out. Used to sign demo and test traffic; incoming
// requests are verified by the library (authenticate.public.appProxy).
import { createHmac } from "node:crypto";

export function proxySignature(query: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** Adds shop, path_prefix, timestamp, logged_in_customer_id and signature, as Shopify does. */
export function signProxyQuery(
  query: URLSearchParams,
  { shop, customerId, secret, now = new Date(), pathPrefix = "/apps/kembali" }:
    { shop: string; customerId: string | null; secret: string; now?: Date; pathPrefix?: string },
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
