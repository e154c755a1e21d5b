// Storefront requests through the App Proxy. The signature is verified by the library before
// anything else; the shopper is taken only from the signed `logged_in_customer_id`.
import { createHmac } from "node:crypto";
import { authenticate } from "./shopify.server";
import { unauthorized } from "./http.server";
import { config } from "./config.server";

export interface StorefrontRequest {
  shop: string;
  /** Shopify's numeric customer id, or null for a guest. */
  customerId: string | null;
  /** The shopper's IP address, keyed-hashed (never stored or logged raw); null when unknown. */
  ipHash: string | null;
}

export async function storefrontRequest(request: Request): Promise<StorefrontRequest> {
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    // The library answers 400 for a missing, bad or stale signature: to us that is 401.
    if (error instanceof Response && (error.status === 400 || error.status === 401)) throw unauthorized();
    throw error;
  }
  const query = new URL(request.url).searchParams;
  const customerId = query.get("logged_in_customer_id") || null;
  if (customerId !== null && !/^\d+$/.test(customerId)) throw unauthorized();
  return { shop: query.get("shop")!, customerId, ipHash: clientIpHash(request) };
}

/** Shopify's proxy forwards the shopper's address in X-Forwarded-For (first entry). */
function clientIpHash(request: Request): string | null {
  const ip = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
  if (!ip) return null;
  return createHmac("sha256", config.apiSecret).update(`ip:${ip}`).digest("hex").slice(0, 32);
}
