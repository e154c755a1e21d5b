// The edge between the domain and HTTP: domain errors become JSON with a stable code,
// anything unexpected a logged 500 that leaks nothing.
import { KembaliError } from "./domain/errors";
import { ShopifyAdminError } from "./shopify/admin/errors";
import { log } from "./log.server";

export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json; charset=utf-8");
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorResponse(error: unknown, context: Record<string, unknown> = {}): Response {
  if (error instanceof Response) return error;
  if (error instanceof ShopifyAdminError) {
    // Shopify's own words for a refusal are safe to show; an outage is just "try later".
    log("warn", "Shopify Admin API call failed", { ...context, operation: error.operation, kind: error.kind });
    return error.kind === "rejected"
      ? errorResponse(new KembaliError("SHOPIFY_REJECTED", error.userErrors.map((e) => e.message).join("; ") || error.message))
      : errorResponse(new KembaliError("SHOPIFY_UNAVAILABLE", "Shopify is not answering right now; try again in a moment"));
  }
  if (error instanceof KembaliError) {
    const retryAfter = error.details?.retryAfterSeconds;
    return jsonResponse(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: error.status, headers: typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {} },
    );
  }
  log("error", "unexpected error", { ...context, error: error instanceof Error ? error.stack : String(error) });
  return jsonResponse({ error: { code: "INTERNAL", message: "Something went wrong" } }, { status: 500 });
}

export function unauthorized(): Response {
  return jsonResponse({ error: { code: "UNAUTHORIZED", message: "Signature missing or invalid" } }, { status: 401 });
}
