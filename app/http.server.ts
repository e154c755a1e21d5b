// The edge between the domain and HTTP: domain errors become JSON with a stable code,
// anything unexpected a logged 500 that leaks nothing.
import { KembaliError } from "./domain/errors";
import { ShopifyAdminError } from "./shopify/admin/errors";
import { log } from "./log.server";

/** NUL and lone surrogates: text no database here can store (PostgreSQL refuses both). */
export const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

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

/** Shopify's webhook and App Proxy bodies are a few KB; 1 MB is ample and bounds what a stranger can make us read. */
export const MAX_BODY_BYTES = 1_000_000;

export function payloadTooLarge(limit: number): Response {
  return jsonResponse(
    { error: { code: "PAYLOAD_TOO_LARGE", message: `Request body over ${limit} bytes` } },
    { status: 413, headers: { Connection: "close" } },
  );
}

/**
 * How much of a refused body is still read, and dropped, so that the client hears the 413: a
 * server that stops reading and closes makes the client's next write meet a connection reset,
 * and the client never sees the answer. Past this the connection is cut.
 */
export const DRAIN_BODY_BYTES = 8_000_000;

/**
 * The request's raw body, refused with 413 (thrown) once it is known to be over `limit`: a
 * declared Content-Length over it is refused without keeping a byte, and an undeclared (chunked)
 * body is cut off at the limit. Runs before any signature check. The rest of a refused body is
 * read and dropped up to DRAIN_BODY_BYTES (see there), then the 413 is thrown.
 */
export async function readLimitedBody(request: Request, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared.trim()) || Number(declared) > limit)) {
    const drainable = /^\d{1,15}$/.test(declared.trim()) && Number(declared) <= DRAIN_BODY_BYTES;
    if (drainable && request.body) await drain(request.body.getReader(), 0);
    else await request.body?.cancel().catch(() => undefined);
    throw payloadTooLarge(limit);
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await drain(reader, size);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a refused body to its end, keeping nothing; cancels (cutting the connection) past DRAIN_BODY_BYTES. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > DRAIN_BODY_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing to answer.
  }
}
