// POST /pixel/events: what Kembali's web pixel (extensions/kembali-pixel) saw on the storefront
// (decision 031). The pixel runs in Shopify's sandbox, on another origin, with no session token:
// every answer, errors included, carries CORS headers; the shop is known by its domain plus the
// pixel key the app gave it. Order: body size (413), JSON against the schema (400), the address's
// rate limit (429), shop and key (401), the shop's rate limit (429), then one write.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { errorResponse, jsonResponse, readLimitedBody, unauthorized } from "~/http.server";
import { appDeps } from "~/deps.server";
import { config } from "~/config.server";
import { clientIpHash } from "~/proxy.server";
import { KembaliError } from "~/domain/errors";
import { hitRateLimits } from "~/domain/rate-limit";
import { pixelEventSchema, pixelShop, recordPixelEvent } from "~/domain/recommendations/pixel";

/** One event is a few hundred bytes; a checkout naming 50 products stays under 4 KB. */
export const PIXEL_MAX_BODY_BYTES = 8_192;
// A shopper browsing fast sends a few events a minute; a script from one address does not get far.
const PER_ADDRESS = { max: 60, windowSeconds: 60 };
// Bounds what one shop's key can write in a minute, far above a real shop's storefront traffic.
const PER_SHOP = { max: 3_000, windowSeconds: 60 };

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

function withCors(response: Response): Response {
  for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
  return response;
}

const preflight = () => withCors(new Response(null, { status: 204 }));

// Remix hands a resource route's OPTIONS requests (the browser's preflight) to its loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? preflight()
    : withCors(
        jsonResponse({ error: { code: "METHOD_NOT_ALLOWED", message: "Use POST" } }, { status: 405, headers: { Allow: "POST, OPTIONS" } }),
      );

export async function action({ request }: ActionFunctionArgs) {
  if (request.method === "OPTIONS") return preflight();
  try {
    if (request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    const raw = await readLimitedBody(request, PIXEL_MAX_BODY_BYTES);
    const event = parseEvent(raw);
    // Direct from the shopper's browser: no Shopify proxy entry in X-Forwarded-For.
    const ipHash = clientIpHash(request, config.proxyHops - 1);
    if (ipHash) await hitRateLimits(appDeps, [{ key: `pixel:ip:${ipHash}`, limit: PER_ADDRESS }]);
    const shopId = await pixelShop(appDeps, event.shop, event.key);
    if (!shopId) throw unauthorized();
    await hitRateLimits(appDeps, [{ key: `${event.shop}:pixel`, limit: PER_SHOP }]);
    return withCors(jsonResponse(await recordPixelEvent(appDeps, shopId, event)));
  } catch (error) {
    return withCors(errorResponse(error, { route: "pixel/events" }));
  }
}

function parseEvent(raw: Buffer) {
  // The pixel sends JSON as text/plain (no preflight for a keepalive send); the type is not checked.
  let value: unknown = null;
  try {
    value = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new KembaliError("BAD_INPUT", "The body is not JSON");
  }
  const parsed = pixelEventSchema.safeParse(value);
  if (!parsed.success) throw new KembaliError("BAD_INPUT", "Not a Kembali pixel event");
  return parsed.data;
}
