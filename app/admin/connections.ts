// What the admin's Messages → Connections page shows and changes: the Klaviyo key (only its
// last four characters), the Klaviyo and Flow switches (messages settings), and the outgoing
// webhooks with their delivery logs.
import type { Deps } from "~/domain/deps";
import { KembaliError } from "~/domain/errors";
import { EVENT_TYPES, type EventType } from "~/domain/messages/catalog";
import { FLOW_TRIGGERS } from "~/domain/messages/flow";
import { maskedKlaviyoKey } from "~/domain/messages/klaviyo";
import { messagesSettings, saveMessagesSettings } from "~/domain/messages/settings";
import { listOutgoingWebhooks, webhookDeliveries, type OutgoingWebhookView, type WebhookDelivery } from "~/domain/messages/webhooks";

/** Delivery log rows shown per webhook on the page. */
export const PAGE_LOG_SIZE = 10;

export interface ConnectionsPage {
  klaviyo: { enabled: boolean; key: string | null };
  flow: { enabled: boolean; events: EventType[] };
  webhooks: Array<OutgoingWebhookView & { deliveries: WebhookDelivery[] }>;
  eventTypes: readonly EventType[];
}

export async function connectionsPage(deps: Pick<Deps, "db">, shopDomain: string): Promise<ConnectionsPage> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { klaviyoKey: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const [settings, hooks] = await Promise.all([messagesSettings(deps, shopDomain), listOutgoingWebhooks(deps, shopDomain)]);
  const webhooks = await Promise.all(
    hooks.map(async (hook) => ({ ...hook, deliveries: await webhookDeliveries(deps, shopDomain, hook.id, PAGE_LOG_SIZE) })),
  );
  return {
    klaviyo: { enabled: settings.klaviyo, key: maskedKlaviyoKey(shop.klaviyoKey) },
    flow: { enabled: settings.flow, events: EVENT_TYPES.filter((e) => FLOW_TRIGGERS[e]) },
    webhooks,
    eventTypes: EVENT_TYPES,
  };
}

/**
 * Switches Klaviyo and Flow: the whole stored messages settings read, changed and saved
 * (validated again). The stored object itself is the base, not its parsed reading, which would
 * be the defaults if it no longer validated: then the save is refused and nothing is lost.
 */
export async function saveConnectionSwitches(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  switches: { klaviyo: boolean; flow: boolean },
): Promise<void> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { messages: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const stored = typeof shop.messages === "object" && shop.messages !== null && !Array.isArray(shop.messages) ? shop.messages : {};
  await saveMessagesSettings(deps, shopDomain, { ...stored, klaviyo: switches.klaviyo, flow: switches.flow });
}
