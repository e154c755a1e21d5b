// Every webhook route goes through here, in this order, and nothing is written before the last step:
//   1. the raw body, at most 1 MB (413; a larger one is read and dropped, readLimitedBody);
//   2. the headers Shopify always sends, and the HMAC of the raw bytes (missing or bad -> 401);
//   3. the body as JSON, ids past 2^53 kept exact (not UTF-8 JSON -> 400 BAD_INPUT);
//   4. the payload's schema, money included (-> 400 BAD_INPUT);
//   5. the event id recorded in the same transaction as the work (a second delivery -> 200, no effect).
// Why 400 and not a 200 no-op for a signed body we cannot read: docs/decisions/017-webhook-bad-input-is-400.md.
import type { z } from "zod";
import type { Tx } from "./db.server";
import { config } from "./config.server";
import { errorResponse, jsonResponse, readLimitedBody, unauthorized } from "./http.server";
import { isUniqueViolation } from "./domain/db-errors";
import { KembaliError } from "./domain/errors";
import { verifyWebhookSignature } from "./shopify/webhook-signature";
import { parseWebhookJson } from "./shopify/webhook-json";
import { log } from "./log.server";
import { appDeps, txDeps, type AppDeps } from "./deps.server";
import { hasFollowUp } from "./domain/earning/events";
import { runFollowUp } from "./follow-up.server";

export interface WebhookContext {
  tx: Tx;
  /** The domain's dependencies, with the webhook's transaction as `db`. */
  deps: AppDeps;
  shop: string;
  topic: string;
  eventId: string;
  triggeredAt: Date | null;
}

/**
 * `prepare` runs before the transaction, for what needs the network (Shopify's Admin API):
 * nothing slow ever runs while the transaction holds its locks. A `work` that returns an event
 * outcome (domain/earning/events.ts) has its follow-up run after the commit (follow-up.server.ts);
 * a failure there is logged, not answered with an error (the data is saved; the follow-up is
 * retried by its own sweep).
 */
export interface WebhookSteps<S extends z.ZodType, P> {
  /** Before the transaction: what needs the network. */
  prepare?: (shop: string, payload: z.output<S>) => Promise<P>;
}

interface WebhookHeaders {
  hmac: string;
  shop: string;
  /** As the library stored it before: "orders/paid" -> "ORDERS_PAID". */
  topic: string;
  eventId: string;
  triggeredAt: Date | null;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,99}\.myshopify\.com$/;
const TOPIC = /^[a-z0-9_]{1,60}(\/[a-z0-9_]{1,60}){1,2}$/;
const TOKEN = /^[\x21-\x7e]{1,255}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The headers Shopify sends with every webhook (HMAC, topic, shop, API version, webhook id),
 * or null when one is missing or not what Shopify sends. None of them is signed, so they are
 * held to their shapes: they become keys and rows.
 */
function webhookHeaders(headers: Headers): WebhookHeaders | null {
  const get = (name: string) => headers.get(name)?.trim() ?? "";
  const hmac = get("X-Shopify-Hmac-Sha256");
  const topic = get("X-Shopify-Topic");
  const shop = get("X-Shopify-Shop-Domain");
  const webhookId = get("X-Shopify-Webhook-Id");
  const eventId = get("X-Shopify-Event-Id") || webhookId;
  const triggered = get("X-Shopify-Triggered-At");
  if (!hmac || !TOKEN.test(get("X-Shopify-API-Version")) || !TOKEN.test(webhookId) || !TOKEN.test(eventId)) return null;
  if (!TOPIC.test(topic) || !SHOP_DOMAIN.test(shop)) return null;
  // Optional: a value that is not an instant the databases keep is ignored, as if absent.
  const at = INSTANT.test(triggered) ? new Date(triggered) : null;
  const year = at?.getUTCFullYear() ?? NaN;
  return {
    hmac,
    shop,
    topic: topic.toUpperCase().replace(/\/|\./g, "_"),
    eventId,
    triggeredAt: at && year >= 1900 && year <= 9999 ? at : null,
  };
}

function badInput(message: string, context: Record<string, unknown>, issues?: number): Response {
  log("warn", "webhook payload rejected", { ...context, reason: message, ...(issues ? { issues } : {}) });
  return jsonResponse({ error: { code: "BAD_INPUT", message } }, { status: 400 });
}

export async function handleWebhook<S extends z.ZodType, P = undefined>(
  request: Request,
  schema: S,
  work: (ctx: WebhookContext, payload: z.output<S>, prepared: P) => Promise<unknown>,
  { prepare }: WebhookSteps<S, P> = {},
): Promise<Response> {
  if (request.method !== "POST") {
    return jsonResponse(
      { error: { code: "METHOD_NOT_ALLOWED", message: "Webhooks are POST" } },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  let raw: Buffer;
  try {
    raw = await readLimitedBody(request);
  } catch (error) {
    return errorResponse(error);
  }
  const headers = webhookHeaders(request.headers);
  if (!headers || !verifyWebhookSignature(raw, headers.hmac, config.apiSecret)) return unauthorized();
  const { shop, topic, eventId, triggeredAt } = headers;
  // The demo's secret is public: what it signs is only ever about the demo shop.
  if (config.mode === "demo" && shop !== config.demoShop) return unauthorized();

  let body: unknown;
  try {
    body = parseWebhookJson(raw);
  } catch (error) {
    if (error instanceof KembaliError) return badInput(error.message, { topic, shop, eventId });
    throw error;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return badInput("Unexpected payload", { topic, shop, eventId }, parsed.error.issues.length);

  // A second delivery is found by the event id's unique key inside the transaction, not by a read
  // before it: one statement less for every first delivery, which is nearly every delivery.
  const seen = () =>
    appDeps.db.webhookEvent.findUnique({ where: { shopDomain_eventId: { shopDomain: shop, eventId } }, select: { id: true } });
  let outcome: unknown;
  try {
    const prepared = (prepare ? await prepare(shop, parsed.data) : undefined) as P;
    outcome = await appDeps.transaction(async (tx) => {
      await tx.webhookEvent.create({ data: { shopDomain: shop, eventId, topic }, select: { id: true } });
      return work({ tx, deps: txDeps(tx), shop, topic, eventId, triggeredAt }, parsed.data, prepared);
    });
  } catch (error) {
    // An earlier or concurrent delivery of the same event recorded it: its work is done.
    if (isUniqueViolation(error) && (await seen())) return jsonResponse({ ok: true, duplicate: true });
    // Refused by a domain rule (an amount out of range, a points limit): rolled back, and said in the log.
    if (error instanceof KembaliError) log("warn", "webhook refused", { topic, shop, eventId, code: error.code, reason: error.message });
    return errorResponse(error, { topic, shop, eventId });
  }
  if (hasFollowUp(outcome)) {
    try {
      await runFollowUp(shop, outcome.followUp);
    } catch (error) {
      log("warn", "webhook follow-up failed; it is retried later", {
        topic,
        shop,
        eventId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return jsonResponse({ ok: true });
}
