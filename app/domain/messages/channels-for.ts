// Which channels besides email an event goes to: the dispatcher makes one MessageSend row per
// channel this answers (key <channel>:<event key>), and hands each row to channelSender(channel).
import type { Deps, ShopifyFor } from "../deps";
import { isEventType } from "./catalog";
import type { ChannelSender } from "./channels";
import { flowSender, flowTriggerFor } from "./flow";
import type { FetchLike } from "./http-delivery";
import { klaviyoSender } from "./klaviyo";
import type { MessagesSettings } from "./settings";
import { WEBHOOK_CHANNEL_PREFIX, webhookChannel, webhookSender } from "./webhooks";

/** An OutgoingWebhook row as channelsFor reads it. */
export interface HookForRouting {
  id: string;
  events: unknown;
  active: boolean;
}

/**
 * The event's other channels: "klaviyo" when Klaviyo is on and the shop has a key, "flow" when
 * Flow is on and the event has a Flow trigger, "webhook:<id>" for each active webhook that asked
 * for the event. Events of an unknown type go nowhere.
 */
export function channelsFor(
  shop: { klaviyoKey: string | null },
  settings: Pick<MessagesSettings, "klaviyo" | "flow">,
  hooks: HookForRouting[],
  eventType: string,
): string[] {
  if (!isEventType(eventType)) return [];
  const channels: string[] = [];
  if (settings.klaviyo && shop.klaviyoKey) channels.push("klaviyo");
  if (settings.flow && flowTriggerFor(eventType)) channels.push("flow");
  for (const hook of hooks) {
    if (hook.active && Array.isArray(hook.events) && hook.events.includes(eventType)) channels.push(webhookChannel(hook.id));
  }
  return channels;
}

/**
 * The sender of a non-email channel (null for email or an unknown channel), built once per
 * dispatcher run: senders(channel) then delivery.
 */
export function channelSenders(deps: Pick<Deps, "db" | "clock"> & { shopifyFor: ShopifyFor; fetchImpl?: FetchLike }) {
  const klaviyo = klaviyoSender(deps.fetchImpl ?? fetch, deps.clock);
  const flow = flowSender(deps.shopifyFor);
  const webhook = webhookSender(deps, { fetchImpl: deps.fetchImpl });
  return (channel: string): ChannelSender | null => {
    if (channel === "klaviyo") return klaviyo;
    if (channel === "flow") return flow;
    if (channel.startsWith(WEBHOOK_CHANNEL_PREFIX)) return webhook;
    return null;
  };
}
