// Shopify Flow: the events that start a merchant's workflows, as the app's Flow triggers
// (extensions/kembali-flow-*/shopify.extension.toml, toml only), and the sender that fires them
// with the Admin API's flowTriggerReceive. Each trigger's payload keys are its toml field keys
// (letters and spaces), a customer or order reference being customer_id / order_id;
// test/unit/messages/flow-extensions.test.ts checks that the two agree.
import type { ShopifyFor } from "../deps";
import { ShopifyAdminError } from "../../shopify/admin/errors";
import type { EventPayloads, EventType } from "./catalog";
import { RetryLater, type ChannelDelivery, type ChannelSender } from "./channels";

type Payload = Record<string, string | number>;
type Reference = "customer" | "order";

interface FlowTrigger<E extends EventType> {
  handle: string;
  /** The reference field the trigger carries (customer_id or order_id in the payload). */
  reference: Reference;
  /** Every other field, by its toml key. */
  fields: (payload: EventPayloads[E], delivery: ChannelDelivery) => Payload;
}

const text = (value: string | null | undefined) => value ?? "";

/** The events that have a Flow trigger, and how each one's payload is made. */
export const FLOW_TRIGGERS: { [E in EventType]?: FlowTrigger<E> } = {
  points_earned: {
    handle: "kembali-flow-points-earned",
    reference: "customer",
    fields: (p, d) => ({ points: p.points, balance: d.event.customer?.balance ?? 0, "order name": text(p.orderName) }),
  },
  points_expiring: {
    handle: "kembali-flow-points-expiring",
    reference: "customer",
    fields: (p) => ({ points: p.points, "expires at": p.expiresAt }),
  },
  tier_changed: {
    handle: "kembali-flow-tier-changed",
    reference: "customer",
    fields: (p) => ({ tier: text(p.toName ?? p.to), "previous tier": text(p.from), direction: p.direction }),
  },
  reward_issued: {
    handle: "kembali-flow-reward-issued",
    reference: "customer",
    fields: (p) => ({ "reward name": p.rewardName, code: text(p.code), source: p.source }),
  },
  referral_rewarded: {
    handle: "kembali-flow-referral-rewarded",
    reference: "customer",
    fields: (p) => ({ points: p.points }),
  },
  detractor_alert: {
    handle: "kembali-flow-detractor-alert",
    reference: "order",
    fields: (p) => ({ score: p.score, comment: text(p.comment), "survey kind": p.kind }),
  },
  win_back: {
    handle: "kembali-flow-win-back",
    reference: "customer",
    fields: (p) => ({ segment: p.to, "previous segment": text(p.from) }),
  },
};

export function flowTriggerFor(eventType: string): FlowTrigger<EventType> | null {
  return (FLOW_TRIGGERS as Record<string, FlowTrigger<EventType> | undefined>)[eventType] ?? null;
}

/** A Shopify numeric id as Flow's reference wants it: a number while it is exact, else the digits. */
const referenceId = (id: string) => (Number.isSafeInteger(Number(id)) ? Number(id) : id);

/** The trigger and payload for one delivery; an error when the event cannot go to Flow. */
export function flowRequest(delivery: ChannelDelivery): { handle: string; payload: Payload } {
  const trigger = flowTriggerFor(delivery.event.type);
  if (!trigger) throw new Error(`No Flow trigger for ${delivery.event.type}`);
  const payload = delivery.event.payload as never;
  const reference: Payload = {};
  if (trigger.reference === "customer") {
    const customer = delivery.event.customer;
    if (!customer) throw new Error("The event has no customer for the Flow trigger");
    reference.customer_id = referenceId(customer.shopifyCustomerId);
  } else {
    const orderId = (delivery.event.payload as { shopifyOrderId?: unknown } | null)?.shopifyOrderId;
    if (typeof orderId !== "string" || !/^\d+$/.test(orderId)) throw new Error("The event has no order for the Flow trigger");
    reference.order_id = referenceId(orderId);
  }
  return { handle: trigger.handle, payload: { ...reference, ...trigger.fields(payload, delivery) } };
}

/**
 * Fires the event's Flow trigger in the shop. Throttling or a Shopify failure is retried later
 * (the row's backoff); a refusal (userErrors) fails the row.
 */
export function flowSender(shopifyFor: ShopifyFor): ChannelSender {
  return async (delivery) => {
    const { handle, payload } = flowRequest(delivery);
    const shopify = await shopifyFor(delivery.shop.domain);
    try {
      await shopify.flowTriggerReceive(handle, payload);
    } catch (error) {
      if (error instanceof ShopifyAdminError && (error.kind === "throttled" || error.kind === "failed")) {
        throw new RetryLater(`Shopify Flow: ${error.message}`);
      }
      throw error;
    }
  };
}
