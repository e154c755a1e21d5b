// Every webhook route goes through here: HMAC on the raw body (bad -> 401, nothing written),
// the payload parsed with its schema (bad -> 400, nothing written), the event id recorded
// in the same transaction as the work (a second delivery -> 200, no effect).
import type { z } from "zod";
import prisma, { transaction, type Tx } from "./db.server";
import { authenticate } from "./shopify.server";
import { errorResponse, jsonResponse, unauthorized } from "./http.server";
import { isUniqueViolation } from "./domain/db-errors";
import { log } from "./log.server";

export interface WebhookContext {
  tx: Tx;
  shop: string;
  topic: string;
  eventId: string;
  triggeredAt: Date | null;
}

/**
 * `prepare` runs before the transaction, for what needs the network (Shopify's Admin API):
 * nothing slow ever runs while the transaction holds its locks.
 */
export interface WebhookSteps<S extends z.ZodType, P> {
  /** Before the transaction: what needs the network. */
  prepare?: (shop: string, payload: z.output<S>) => Promise<P>;
  /** After the commit: follow-up work that talks to Shopify. A failure is logged, not
   *  answered with an error (the data is saved; the follow-up is retried by its own sweep). */
  after?: (shop: string, payload: z.output<S>) => Promise<unknown>;
}

export async function handleWebhook<S extends z.ZodType, P = undefined>(
  request: Request,
  schema: S,
  work: (ctx: WebhookContext, payload: z.output<S>, prepared: P) => Promise<unknown>,
  { prepare, after }: WebhookSteps<S, P> = {},
): Promise<Response> {
  let webhook: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    webhook = await authenticate.webhook(request);
  } catch (error) {
    // The library answers 400 for missing headers and 401 for a bad HMAC; both are
    // requests we cannot trust, and Shopify expects 401.
    if (error instanceof Response && (error.status === 400 || error.status === 401)) return unauthorized();
    return errorResponse(error);
  }
  const { shop, topic, payload } = webhook;
  const eventId = webhook.eventId ?? webhook.webhookId;
  const triggeredAt = webhook.triggeredAt ? new Date(webhook.triggeredAt) : null;

  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    log("warn", "webhook payload rejected", { topic, shop, eventId, issues: parsed.error.issues.length });
    return jsonResponse({ error: { code: "BAD_INPUT", message: "Unexpected payload" } }, { status: 400 });
  }

  const seen = () => prisma.webhookEvent.findUnique({ where: { shopDomain_eventId: { shopDomain: shop, eventId } } });
  if (await seen()) return jsonResponse({ ok: true, duplicate: true });
  try {
    const prepared = (prepare ? await prepare(shop, parsed.data) : undefined) as P;
    await transaction(prisma)(async (tx) => {
      await tx.webhookEvent.create({ data: { shopDomain: shop, eventId, topic: String(topic) } });
      await work({ tx, shop, topic: String(topic), eventId, triggeredAt }, parsed.data, prepared);
    });
  } catch (error) {
    // A concurrent delivery of the same event won the race: its work is done.
    if (isUniqueViolation(error) && (await seen())) return jsonResponse({ ok: true, duplicate: true });
    return errorResponse(error, { topic, shop, eventId });
  }
  if (after) {
    try {
      await after(shop, parsed.data);
    } catch (error) {
      log("warn", "webhook follow-up failed; it is retried later", {
        topic, shop, eventId, error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return jsonResponse({ ok: true });
}
