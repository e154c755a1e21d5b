// Klaviyo: each event as a Klaviyo event (Events API, JSON:API), on the customer's profile,
// so the merchant builds flows on it there. The merchant pastes a private API key; it is stored
// on the shop, shown only as its last four characters, and never logged or put in a message.
import { z } from "zod";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { parseInput } from "../validation";
import type { EventType } from "./catalog";
import type { ChannelDelivery, ChannelSender } from "./channels";
import { judge, post, type FetchLike } from "./http-delivery";

export const KLAVIYO_EVENTS_URL = "https://a.klaviyo.com/api/events";
/** The API revision the requests are shaped for (Klaviyo's `revision` header). */
export const KLAVIYO_REVISION = "2025-01-15";

/** Each event's Klaviyo metric (the name the merchant picks in a Klaviyo flow's trigger). */
export const KLAVIYO_METRICS: Record<EventType, string> = {
  member_joined: "Kembali Member Joined",
  points_earned: "Kembali Points Earned",
  points_available: "Kembali Points Available",
  points_expiring: "Kembali Points Expiring",
  reward_issued: "Kembali Reward Issued",
  reward_expiring: "Kembali Reward Expiring",
  tier_changed: "Kembali Tier Changed",
  referral_rewarded: "Kembali Referral Rewarded",
  friend_rewarded: "Kembali Friend Rewarded",
  stamp_reward: "Kembali Stamp Reward",
  survey_due: "Kembali Survey Due",
  detractor_alert: "Kembali Detractor Alert",
  win_back: "Kembali Win Back",
  replenishment_due: "Kembali Replenishment Due",
};

/** A Klaviyo private API key: pk_ and letters or digits. */
const KEY = /^pk_[A-Za-z0-9]{20,100}$/;

/** The stored key as the admin shows it: its last four characters only (null: none). */
export function maskedKlaviyoKey(key: string | null): string | null {
  return key ? `…${key.slice(-4)}` : null;
}

const keyInput = z.object({ key: z.string().trim().regex(KEY, "Not a Klaviyo private API key (pk_…)") });

/** Saves the merchant's private key (bad input is a 400 and changes nothing); answers the masked key. */
export async function saveKlaviyoKey(deps: Pick<Deps, "db">, shopDomain: string, input: unknown): Promise<string> {
  const { key } = parseInput(keyInput, input, "Invalid Klaviyo key");
  const { count } = await deps.db.shop.updateMany({ where: { domain: shopDomain }, data: { klaviyoKey: key } });
  if (count === 0) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return maskedKlaviyoKey(key)!;
}

/** Forgets the key: nothing more goes to Klaviyo (rows still queued fail, as without a key). */
export async function removeKlaviyoKey(deps: Pick<Deps, "db">, shopDomain: string): Promise<void> {
  const { count } = await deps.db.shop.updateMany({ where: { domain: shopDomain }, data: { klaviyoKey: null } });
  if (count === 0) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
}

/** The Create Event request body for one delivery (JSON:API). */
export function klaviyoEventBody(delivery: ChannelDelivery) {
  const { event, shop, send } = delivery;
  const customer = event.customer;
  if (!customer) throw new Error("The event has no customer: Klaviyo needs a profile");
  const profile: Record<string, string> = { external_id: customer.shopifyCustomerId };
  if (customer.email) profile.email = customer.email;
  if (customer.firstName) profile.first_name = customer.firstName;
  if (customer.lastName) profile.last_name = customer.lastName;
  const metric = KLAVIYO_METRICS[event.type as EventType] ?? `Kembali ${event.type}`;
  return {
    data: {
      type: "event",
      attributes: {
        properties: {
          ...(typeof event.payload === "object" && event.payload !== null ? event.payload : {}),
          event_type: event.type,
          shop: shop.domain,
          balance: customer.balance,
          tier: customer.tier,
        },
        time: event.createdAt.toISOString(),
        // The send's key: a retry of the same row is the same event to Klaviyo, which keeps one.
        unique_id: send.key,
        metric: { data: { type: "metric", attributes: { name: metric } } },
        profile: { data: { type: "profile", attributes: profile } },
      },
    },
  };
}

/** Klaviyo's first error detail, short, with the key taken out should it ever be echoed. */
async function errorDetail(response: Response, key: string): Promise<string> {
  const body = (await response.json().catch(() => null)) as { errors?: Array<{ detail?: unknown; title?: unknown }> } | null;
  const first = body?.errors?.[0];
  const detail = typeof first?.detail === "string" ? first.detail : typeof first?.title === "string" ? first.title : "";
  return detail.split(key).join("[key]").slice(0, 200);
}

/**
 * Sends one event to Klaviyo's Events API. 202: done. 429, 5xx, a timeout: RetryLater (after
 * Retry-After when Klaviyo gives one). Any other answer fails the row with Klaviyo's reason.
 */
export function klaviyoSender(fetchImpl: FetchLike = fetch, now: () => Date = () => new Date()): ChannelSender {
  return async (delivery) => {
    const key = delivery.shop.klaviyoKey;
    if (!key) throw new Error("No Klaviyo key: connect Klaviyo on the Connections page");
    const body = JSON.stringify(klaviyoEventBody(delivery));
    const response = await post(
      fetchImpl,
      KLAVIYO_EVENTS_URL,
      {
        headers: {
          Authorization: `Klaviyo-API-Key ${key}`,
          revision: KLAVIYO_REVISION,
          accept: "application/vnd.api+json",
          "content-type": "application/vnd.api+json",
        },
        body,
      },
      "Klaviyo",
    );
    const ok = response.status >= 200 && response.status < 300;
    judge(response, "Klaviyo", now(), ok ? "" : await errorDetail(response, key));
  };
}
