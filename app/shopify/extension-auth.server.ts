// Requests from Kembali's checkout and customer-account extensions (decision 035). They run in
// Shopify's sandbox on another origin and carry a session token Shopify signed with the app's
// secret: the library checks its signature, expiry and not-before; this file adds what the
// library leaves out (its audience, and a shop that has Kembali installed), reads the shop and
// the customer from it, and puts CORS headers on every answer, refusals and the preflight
// included: the library's own 401 has none, so the extension would see a network error.
import { authenticate } from "~/shopify.server";
import { config } from "~/config.server";
import { appDeps, type AppDeps } from "~/deps.server";
import type { z } from "zod";
import { errorResponse, jsonResponse, readLimitedBody } from "~/http.server";
import { KembaliError } from "~/domain/errors";
import { clientIpHash } from "~/proxy.server";
import { hitRateLimits, type Limit } from "~/domain/rate-limit";
import { SHOP_DOMAIN } from "~/domain/shop/shops";
import { refuseHeldOut } from "~/domain/shop/holdout";

export type ExtensionSurface = "checkout" | "customerAccount";

export interface ExtensionShopper {
  shopDomain: string;
  /** Shopify's numeric customer id from the token's `sub`; null for a guest's checkout. */
  shopifyCustomerId: string | null;
}

export const EXTENSION_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Max-Age": "7200",
};

export function withExtensionCors(response: Response): Response {
  for (const [name, value] of Object.entries(EXTENSION_CORS)) response.headers.set(name, value);
  return response;
}

function refused(message: string): Response {
  return withExtensionCors(jsonResponse({ error: { code: "UNAUTHORIZED", message } }, { status: 401 }));
}

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/;

/**
 * The verified shop and customer of an extension's request, or a thrown 401 (with CORS): no
 * or a forged token, expired, another app's (aud), a shop that is not a myshopify domain or
 * has no installed Kembali, a customer-account token without a customer.
 */
export async function extensionShopper(request: Request, surface: ExtensionSurface): Promise<ExtensionShopper> {
  let payload: { aud?: unknown; dest?: unknown; sub?: unknown };
  try {
    const { sessionToken } =
      surface === "checkout" ? await authenticate.public.checkout(request) : await authenticate.public.customerAccount(request);
    payload = sessionToken as typeof payload;
  } catch (error) {
    if (error instanceof Response) throw refused("Session token missing or invalid");
    throw error;
  }
  // The library does not check the audience for extension tokens: a token another app's
  // extension got, for the same shop and customer, must not speak to Kembali.
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audience.includes(config.apiKey)) throw refused("Session token is not for this app");
  let shopDomain = "";
  try {
    shopDomain = new URL(String(payload.dest)).hostname;
  } catch {
    throw refused("Session token names no shop");
  }
  if (!SHOP_DOMAIN.test(shopDomain)) throw refused("Session token names no shop");
  // The demo secret is public: in demo mode it may only ever speak for the demo shop.
  if (config.mode === "demo" && shopDomain !== config.demoShop) throw refused("Session token names another shop");
  const shop = await appDeps.db.shop.findUnique({ where: { domain: shopDomain }, select: { uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) throw refused("Kembali is not installed on this shop");
  let shopifyCustomerId: string | null = null;
  if (payload.sub !== undefined && payload.sub !== null && payload.sub !== "") {
    const match = CUSTOMER_GID.exec(String(payload.sub));
    if (!match) throw refused("Session token names no customer");
    shopifyCustomerId = match[1];
  }
  if (surface === "customerAccount" && !shopifyCustomerId) throw refused("Session token names no customer");
  return { shopDomain, shopifyCustomerId };
}

export interface ExtensionContext extends ExtensionShopper {
  deps: AppDeps;
}

/** A member's lookups per minute, and an address's (guests: one shopper's thank-you page, reloaded). */
const PER_CUSTOMER: Limit = { max: 30, windowSeconds: 60 };
const PER_ADDRESS: Limit = { max: 30, windowSeconds: 60 };
/** Guests of one shop together: bounds how many order ids a script can try, whatever its addresses. */
const GUESTS_PER_SHOP: Limit = { max: 600, windowSeconds: 60 };

/** A survey answer is a few hundred bytes (a comment is at most 1,000 characters). */
export const EXTENSION_MAX_BODY_BYTES = 16_384;

type Input<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ExtensionOptions {
  /** The route's own rate limits in place of the lookups' (the proxy's, for an action the storefront also offers). */
  limits?: (shopper: ExtensionShopper, ipHash: string | null) => Array<{ key: string; limit: Limit }>;
  /** Refuse a member the merchant's holdout keeps out of the program (403), as the App Proxy does. */
  holdout?: boolean;
}

/**
 * An extension route: the preflight (204), a POST's body size (413), the token (401), the body
 * against `schema` (400), the route's rate limits (429), then one domain call whose answer is
 * the JSON reply; every answer with CORS headers. `schema`: the POST body's (null: a GET).
 */
export async function handleExtension<S extends z.ZodType | null>(
  request: Request,
  surface: ExtensionSurface,
  action: string,
  schema: S,
  work: (ctx: ExtensionContext, input: Input<S>) => Promise<unknown>,
  { limits, holdout = false }: ExtensionOptions = {},
): Promise<Response> {
  if (request.method === "OPTIONS") return withExtensionCors(new Response(null, { status: 204 }));
  try {
    const raw = schema ? await readLimitedBody(request, EXTENSION_MAX_BODY_BYTES) : null;
    const shopper = await extensionShopper(request, surface);
    const input = (schema ? parseBody(schema, raw!) : undefined) as Input<S>;
    // Straight from the shopper's browser: no App Proxy entry in X-Forwarded-For.
    const ipHash = clientIpHash(request, config.proxyHops - 1);
    const { shopDomain: shop, shopifyCustomerId: customer } = shopper;
    if (holdout) await refuseHeldOut(appDeps.db, shop, customer);
    if (limits) await hitRateLimits(appDeps, limits(shopper, ipHash));
    else
      await hitRateLimits(appDeps, [
        ...(customer ? [{ key: `${shop}:${action}:customer:${customer}`, limit: PER_CUSTOMER }] : []),
        ...(ipHash ? [{ key: `${shop}:${action}:ip:${ipHash}`, limit: PER_ADDRESS }] : []),
        ...(customer ? [] : [{ key: `${shop}:${action}:guests`, limit: GUESTS_PER_SHOP }]),
      ]);
    return withExtensionCors(jsonResponse(await work({ ...shopper, deps: appDeps }, input)));
  } catch (error) {
    return withExtensionCors(errorResponse(error, { extension: new URL(request.url).pathname }));
  }
}

function parseBody<S extends z.ZodType>(schema: S, raw: Buffer): z.output<S> {
  let value: unknown = null;
  try {
    value = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    // Not JSON: the schema refuses null below.
  }
  const parsed = schema.safeParse(value);
  // The comment's own rules (length, characters that cannot be stored) are the survey's (responses.ts).
  if (!parsed.success) throw new KembaliError("BAD_INPUT", "Unexpected request body");
  return parsed.data;
}

/** The shopper's language for texts the app words (the merchant's survey question): `?locale=id`, else English. */
export function extensionLocale(request: Request): "en" | "id" {
  return new URL(request.url).searchParams.get("locale") === "id" ? "id" : "en";
}

/** What an extension route answers to a method it does not take. */
export function extensionMethodNotAllowed(allow: "GET" | "POST" = "GET"): Response {
  return withExtensionCors(
    jsonResponse(
      { error: { code: "METHOD_NOT_ALLOWED", message: `Use ${allow}` } },
      { status: 405, headers: { Allow: `${allow}, OPTIONS` } },
    ),
  );
}
