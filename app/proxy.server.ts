// Storefront requests through the App Proxy. Every proxy route is one call to handleProxy:
// body size (413) before anything else, the signature (401), the method, guests, the holdout,
// the body against the route's schema (400), rate limits, then one domain call whose answer
// is the JSON reply; errors map to stable codes (app/http.server.ts). The shopper is taken
// only from the signed `logged_in_customer_id`, and only from a query where no key repeats.
import { createHmac } from "node:crypto";
import type { z } from "zod";
import { appDeps, type AppDeps } from "./deps.server";
import { errorResponse, jsonResponse, readLimitedBody, unauthorized, UNSTORABLE } from "./http.server";
import { config } from "./config.server";
import { verifyProxyQuery } from "./shopify/proxy-signature";
import { KembaliError } from "./domain/errors";
import { refuseHeldOut } from "./domain/shop/holdout";
import { addressKey } from "./domain/ip-address";
import { hitRateLimits, type Limit } from "./domain/rate-limit";
import type { ShopifyAdmin } from "./shopify/admin/port";

/** For routes that did not ask for Shopify: any use is a bug, said loudly. */
const noShopify = new Proxy({} as ShopifyAdmin, {
  get: (_, name) => {
    throw new Error(`This proxy route did not ask for the Shopify port (used: ${String(name)})`);
  },
});

export interface StorefrontRequest {
  shop: string;
  /** Shopify's numeric customer id, or null for a guest. */
  customerId: string | null;
  /** The shopper's address (an IPv6 one by its /64), keyed-hashed (never stored or logged raw); null when unknown. */
  ipHash: string | null;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The signed shop and shopper, or a thrown 401. */
export function storefrontRequest(request: Request): StorefrontRequest {
  const signed = signedShopper(new URL(request.url).search);
  if (!signed) throw unauthorized();
  return { shop: signed.shop, customerId: signed.customerId, ipHash: clientIpHash(request) };
}

/**
 * The shop and shopper a query signed by Shopify's App Proxy speaks for, with its parameters
 * (each key once, all signed), or null when it is not one.
 */
export function signedShopper(search: string): { shop: string; customerId: string | null; params: ReadonlyMap<string, string> } | null {
  // Shopify's clock, not the demo's time travel: the timestamp is real time.
  const params = verifyProxyQuery(search, config.apiSecret, new Date());
  if (!params) return null;
  const shop = params.get("shop") ?? "";
  if (!SHOP_DOMAIN.test(shop)) return null;
  // The demo secret is public: in demo mode it may only ever speak for the demo shop.
  if (config.mode === "demo" && shop !== config.demoShop) return null;
  const customerId = params.get("logged_in_customer_id") || null;
  if (customerId !== null && !/^\d{1,20}$/.test(customerId)) return null;
  return { shop, customerId, params };
}

export interface ProxyContext extends StorefrontRequest {
  /** The domain's dependencies; the Shopify port only for routes that ask for it (`shopify: true`). */
  deps: AppDeps & { shopify: ShopifyAdmin };
}

export interface ProxyOptions {
  /** Member-only routes: what a guest is told (403 NOT_A_MEMBER). Guests are served otherwise. */
  members?: string;
  /** BAD_INPUT's message when the body does not fit the route's schema. */
  badInput?: string;
  /** The limits one call counts against; counted only for valid input. */
  limits?: (shopper: StorefrontRequest) => Array<{ key: string; limit: Limit }>;
  /** False where the domain call refuses held-out shoppers itself. */
  holdout?: boolean;
  /** True where the domain call talks to Shopify (deps.shopify). */
  shopify?: boolean;
}

type Input<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * A proxy route: `schema` is the POST body's (a route without one is a GET loader, no body).
 * `work` makes the route's one domain call; what it returns is answered as JSON.
 */
export async function handleProxy<S extends z.ZodType | null>(
  request: Request,
  schema: S,
  work: (ctx: ProxyContext, input: Input<S>) => Promise<unknown>,
  { members, badInput = "Unexpected request body", limits, holdout = true, shopify = false }: ProxyOptions = {},
): Promise<Response> {
  try {
    // A stranger's body is bounded before a byte of it is trusted (413).
    const raw = schema && request.method === "POST" ? await readLimitedBody(request) : null;
    const shopper = storefrontRequest(request);
    if (schema && request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    if (members && !shopper.customerId) throw new KembaliError("NOT_A_MEMBER", members);
    if (holdout) await refuseHeldOut(appDeps.db, shopper.shop, shopper.customerId);
    const input = (schema ? parseBody(schema, raw!, badInput) : undefined) as Input<S>;
    if (limits) await hitRateLimits(appDeps, limits(shopper));
    const port = shopify ? await appDeps.shopifyFor(shopper.shop) : noShopify;
    return jsonResponse(await work({ ...shopper, deps: { ...appDeps, shopify: port } }, input));
  } catch (error) {
    return errorResponse(error, { proxy: new URL(request.url).pathname });
  }
}

function parseBody<S extends z.ZodType>(schema: S, raw: Buffer, message: string): z.output<S> {
  // As fetch's request.json() reads it: UTF-8, a leading byte order mark dropped.
  const text = new TextDecoder().decode(raw);
  let value: unknown = null;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: the schema refuses null below.
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success || hasUnstorable(parsed.data)) throw new KembaliError("BAD_INPUT", message);
  return parsed.data;
}

/** Text with U+0000 or a lone surrogate, which the database cannot store (both failed as a 500). The parsed body is as shallow as its schema. */
function hasUnstorable(value: unknown): boolean {
  if (typeof value === "string") return new RegExp(UNSTORABLE.source).test(value);
  if (value && typeof value === "object") return Object.values(value).some(hasUnstorable);
  return false;
}

/**
 * The shopper's address. Shopify's proxy appends it to X-Forwarded-For, and each proxy of ours
 * after it appends its own peer (config.proxyHops of them): the shopper's is that many entries
 * from the right. Entries to the left of it are whatever the shopper's request carried, so they
 * never count (a shopper could otherwise pose as a new address per request).
 */
export function clientIp(header: string | null, hops: number): string | null {
  const entries = (header ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  return entries[entries.length - 1 - hops] ?? null;
}

/**
 * The keyed hash of the shopper's address. `hops`: entries of ours right of it (the App Proxy's
 * default; a browser's direct request, such as the web pixel's, has Shopify's proxy entry missing,
 * so one fewer, and null when none of ours added one).
 */
export function clientIpHash(request: Request, hops = config.proxyHops): string | null {
  if (hops < 0) return null;
  const ip = clientIp(request.headers.get("X-Forwarded-For"), hops);
  const key = ip === null ? null : addressKey(ip);
  if (!key) return null;
  return createHmac("sha256", config.apiSecret).update(`ip:${key}`).digest("hex").slice(0, 32);
}
