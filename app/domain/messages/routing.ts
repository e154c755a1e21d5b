// Routing: each CustomerEvent not yet routed (routedAt null) becomes its MessageSend rows, one
// per channel, in one transaction per batch: the email (when the event is a message) and one
// row per other channel the event goes to. A row that will not be sent is recorded as
// "skipped" with its reason, so the admin sees why. The batch's events are claimed by one
// guarded update of routedAt first, so two servers routing at once never make a row twice (and
// MessageSend's unique [shopId, key] would refuse it anyway).
import type { TxDeps, Tx } from "../deps";
import { messageForEvent, MESSAGES } from "./catalog";
import { readMessagesSettings, type MessagesSettings } from "./settings";
import { AUDIENCE_CUSTOMER_SELECT, emailAudience, messageLocale } from "./audience";
import { channelsFor } from "./channels-for";

export const ROUTE_BATCH = 200;

/** The key of an event's row on a channel (unique per shop). */
export const sendKey = (channel: string, eventKey: string) => `${channel}:${eventKey}`;

interface RoutingShop {
  id: string;
  klaviyoKey: string | null;
  uninstalledAt: Date | null;
  appearance: unknown;
  settings: MessagesSettings;
  hooks: { id: string; events: unknown; active: boolean }[];
}

/**
 * The channels besides email an event goes to (klaviyo, flow, webhook:<id>): the one place
 * other channels are added; channels-for.ts decides, from the shop's settings and webhooks.
 */
export function otherChannels(shop: RoutingShop, eventType: string): string[] {
  return channelsFor(shop, shop.settings, shop.hooks, eventType);
}

interface PlannedRow {
  shopId: string;
  customerId: string | null;
  eventId: string;
  channel: string;
  message: string;
  key: string;
  recipient: string | null;
  locale: string | null;
  status: "queued" | "skipped";
  reason: string | null;
  runAfter: Date;
}

/**
 * Routes up to `limit` of the oldest unrouted events (of one shop when `shopId` is given, for
 * tests and the demo). Returns how many events this call routed and the rows it made.
 */
export async function routeEvents(
  deps: TxDeps,
  { limit = ROUTE_BATCH, shopId }: { limit?: number; shopId?: string } = {},
): Promise<{ events: number; sends: number }> {
  const events = await deps.db.customerEvent.findMany({
    where: { routedAt: null, ...(shopId ? { shopId } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
  });
  if (events.length === 0) return { events: 0, sends: 0 };
  const now = deps.clock();

  const shopIds = [...new Set(events.map((e) => e.shopId))];
  const customerIds = [...new Set(events.flatMap((e) => (e.customerId ? [e.customerId] : [])))];
  const [shopRows, hooks, customers] = await Promise.all([
    deps.db.shop.findMany({
      where: { id: { in: shopIds } },
      select: { id: true, klaviyoKey: true, uninstalledAt: true, appearance: true, messages: true },
    }),
    deps.db.outgoingWebhook.findMany({
      where: { shopId: { in: shopIds }, active: true },
      select: { id: true, shopId: true, events: true, active: true },
    }),
    deps.db.customer.findMany({ where: { id: { in: customerIds } }, select: AUDIENCE_CUSTOMER_SELECT }),
  ]);
  const shops = new Map<string, RoutingShop>(
    shopRows.map((s) => [
      s.id,
      {
        id: s.id,
        klaviyoKey: s.klaviyoKey,
        uninstalledAt: s.uninstalledAt,
        appearance: s.appearance,
        settings: readMessagesSettings(s.messages),
        hooks: hooks.filter((h) => h.shopId === s.id),
      },
    ]),
  );
  const customerById = new Map(customers.map((c) => [c.id, c]));

  const planned = new Map<string, PlannedRow[]>();
  for (const event of events) {
    const shop = shops.get(event.shopId);
    const rows: PlannedRow[] = [];
    planned.set(event.id, rows);
    if (!shop) continue; // the shop's rows are being deleted (shop/redact): nothing to send
    const customer = event.customerId ? (customerById.get(event.customerId) ?? null) : null;
    const base = { shopId: shop.id, customerId: customer ? event.customerId : null, eventId: event.id, runAfter: now };
    const message = messageForEvent(event.type, event.payload);
    if (message) {
      const { recipient, reason } = emailAudience(message, shop, shop.settings, customer);
      rows.push({
        ...base,
        channel: "email",
        message,
        key: sendKey("email", event.key),
        recipient,
        locale: MESSAGES[message].to === "merchant" ? messageLocale(shop, null) : messageLocale(shop, customer),
        status: reason ? "skipped" : "queued",
        reason,
      });
    }
    // Klaviyo events need a profile: an event about no member (a guest's answer) is not sent there.
    for (const channel of otherChannels(shop, event.type).filter((c) => c !== "klaviyo" || customer)) {
      // Held-out customers' events stay out of the merchant's other tools too (no flow there
      // may mail them): the holdout compares customers the program never reached.
      const reason = shop.uninstalledAt ? "uninstalled" : customer?.holdout ? "holdout" : null;
      rows.push({
        ...base,
        channel,
        message: message ?? event.type,
        key: sendKey(channel, event.key),
        recipient: null,
        locale: null,
        status: reason ? "skipped" : "queued",
        reason,
      });
    }
  }

  // A row already there (an event recorded again after its rows were made) is left as it is.
  const keys = [...planned.values()].flat().map((r) => r.key);
  const existing = new Set(
    keys.length === 0
      ? []
      : (
          await deps.db.messageSend.findMany({
            where: { shopId: { in: shopIds }, key: { in: keys } },
            select: { shopId: true, key: true },
          })
        ).map((r) => `${r.shopId} ${r.key}`),
  );

  // Two statements whatever the batch: the claim (another server that routed an event already
  // wins it), then the claimed events' rows. A transaction of a statement per event held the
  // database for seconds under load (and SQLite's one writer with it).
  return deps.transaction(async (tx: Tx) => {
    const claimed = await tx.customerEvent.updateManyAndReturn({
      where: { id: { in: events.map((e) => e.id) }, routedAt: null },
      data: { routedAt: now },
      select: { id: true },
    });
    const rows = claimed.flatMap((e) => planned.get(e.id) ?? []).filter((row) => !existing.has(`${row.shopId} ${row.key}`));
    if (rows.length > 0) await tx.messageSend.createMany({ data: rows });
    return { events: claimed.length, sends: rows.length };
  });
}
