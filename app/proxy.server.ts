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

/**
 * The shopper's address, keyed-hashed. Shopify's proxy appends it to X-Forwarded-For, and each
 * proxy of ours after it appends its own peer (config.proxyHops of them): the shopper's is that
 * many entries from the right. Entries to the left of it are whatever the shopper's request
 * carried, so they never count (a shopper could otherwise pose as a new address per request).
 */
export function clientIp(header: string | null, hops: number): string | null {
  const entries = (header ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  return entries[entries.length - 1 - hops] ?? null;
}

function clientIpHash(request: Request): string | null {
  const ip = clientIp(request.headers.get("X-Forwarded-For"), config.proxyHops);
  if (!ip) return null;
  return createHmac("sha256", config.apiSecret).update(`ip:${ip}`).digest("hex").slice(0, 32);
}
