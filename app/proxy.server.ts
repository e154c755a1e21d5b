// Storefront requests through the App Proxy. The signature is checked before anything else
// (app/shopify/proxy-signature.ts); the shop and shopper are taken only from the signed query,
// and only from one where no key repeats.
import { createHmac } from "node:crypto";
import { unauthorized } from "./http.server";
import { config } from "./config.server";
import { verifyProxyQuery } from "./shopify/proxy-signature";

export interface StorefrontRequest {
  shop: string;
  /** Shopify's numeric customer id, or null for a guest. */
  customerId: string | null;
  /** The shopper's IP address, keyed-hashed (never stored or logged raw); null when unknown. */
  ipHash: string | null;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The signed shop and shopper, or a thrown 401. */
export function storefrontRequest(request: Request): StorefrontRequest {
  // Shopify's clock, not the demo's time travel: the timestamp is real time.
  const params = verifyProxyQuery(new URL(request.url).search, config.apiSecret, new Date());
  if (!params) throw unauthorized();
  const shop = params.get("shop") ?? "";
  if (!SHOP_DOMAIN.test(shop)) throw unauthorized();
  // The demo secret is public: in demo mode it may only ever speak for the demo shop.
  if (config.mode === "demo" && shop !== config.demoShop) throw unauthorized();
  const customerId = params.get("logged_in_customer_id") || null;
  if (customerId !== null && !/^\d{1,20}$/.test(customerId)) throw unauthorized();
  return { shop, customerId, ipHash: clientIpHash(request) };
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
