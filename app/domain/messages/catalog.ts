// What Kembali can tell a customer (or the merchant), in the merchant's words: the events the
// domain records (CustomerEvent.type) and the messages they become. One list, read by the
// event producers, the dispatcher, the templates, the admin's Messages page, Klaviyo, Flow and
// the merchant's outgoing webhooks.

/**
 * CustomerEvent.type values messages act on. Each is recorded once per key, in the same
 * transaction as what it reports (a sweep or a second server records it once).
 */
export const EVENT_TYPES = [
  "member_joined",
  "points_earned",
  "points_available",
  "points_expiring",
  "reward_issued",
  "reward_expiring",
  "tier_changed",
  "referral_rewarded",
  "friend_rewarded",
  "stamp_reward",
  "survey_due",
  "detractor_alert",
  "win_back",
  "replenishment_due",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What each event's CustomerEvent.payload holds (JSON). Dates are ISO strings, money is minor
 * units as a string (BigInt-safe), Shopify ids are strings. A template reads the customer's
 * current balance, tier and referral link itself; the payload holds what only the event knows.
 */
export interface EventPayloads {
  /** The customer became a member (Kembali first knew they have an account). */
  member_joined: Record<string, never>;
  /** A paid order earned points (pending until availableAt when the program holds them). */
  points_earned: { shopifyOrderId: string; orderName: string | null; points: number; availableAt: string | null };
  /** Points held for the return period became spendable. */
  points_available: { points: number };
  /** Points will expire (recorded warnDays ahead by the expiry sweep). */
  points_expiring: { points: number; expiresAt: string };
  /** A reward code or store credit was issued (a redemption, an apology, a welcome reward). */
  reward_issued: { redemptionId: string; rewardName: string; code: string | null; expiresAt: string | null; source: string };
  /** An unused reward code expires soon. */
  reward_expiring: { redemptionId: string; rewardName: string; code: string | null; expiresAt: string };
  /** The customer's VIP tier changed (direction up | down | same). */
  tier_changed: { from: string | null; to: string | null; toName: string | null; direction: string; version: number; reason: string };
  /** The advocate's referral reward was released (a friend's order passed its hold). */
  referral_rewarded: { referralId: string; points: number };
  /** The friend's welcome reward for coming through a referral. */
  friend_rewarded: { referralId: string; code: string | null };
  /** A completed stamp card paid its reward ("buy 5, get the 6th free"). */
  stamp_reward: { shopifyOrderId: string; points: number; target: number };
  /** A fulfilled order's survey is due (the survey's delay has passed, the throttle allows it). */
  survey_due: { shopifyOrderId: string; orderName: string | null };
  /** A detractor answered (to the merchant). */
  detractor_alert: { responseId: string; shopifyOrderId: string; score: number; kind: string; comment: string | null };
  /** The customer moved into the at-risk or lapsed segment. */
  win_back: { from: string | null; to: "at_risk" | "lapsed" };
  /** A product's usual repurchase interval has passed since the customer last bought it. */
  replenishment_due: { productId: string; lastBoughtAt: string; intervalDays: number };
}

/** The messages, keyed as the merchant reads them on the Messages page. */
export const MESSAGE_KEYS = [
  "welcome",
  "points_earned",
  "points_available",
  "points_expiring",
  "reward_issued",
  "reward_expiring",
  "tier_up",
  "referral_rewarded",
  "friend_rewarded",
  "stamp_reward",
  "survey_due",
  "detractor_alert",
  "win_back",
  "replenishment",
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

/**
 * transactional: sent whatever the marketing consent (the shopper asked for it, or it is the
 * merchant's own alert); marketing: only with Shopify email-marketing consent, never after an
 * unsubscribe, within the frequency cap and outside quiet hours.
 */
export type MessageKind = "transactional" | "marketing";

export interface MessageDefinition {
  key: MessageKey;
  event: EventType;
  kind: MessageKind;
  /** customer: to the customer's email; merchant: to the merchant's alert address. */
  to: "customer" | "merchant";
}

export const MESSAGES: Record<MessageKey, MessageDefinition> = {
  welcome: { key: "welcome", event: "member_joined", kind: "marketing", to: "customer" },
  points_earned: { key: "points_earned", event: "points_earned", kind: "marketing", to: "customer" },
  points_available: { key: "points_available", event: "points_available", kind: "marketing", to: "customer" },
  points_expiring: { key: "points_expiring", event: "points_expiring", kind: "marketing", to: "customer" },
  reward_issued: { key: "reward_issued", event: "reward_issued", kind: "transactional", to: "customer" },
  reward_expiring: { key: "reward_expiring", event: "reward_expiring", kind: "marketing", to: "customer" },
  tier_up: { key: "tier_up", event: "tier_changed", kind: "marketing", to: "customer" },
  referral_rewarded: { key: "referral_rewarded", event: "referral_rewarded", kind: "marketing", to: "customer" },
  friend_rewarded: { key: "friend_rewarded", event: "friend_rewarded", kind: "marketing", to: "customer" },
  stamp_reward: { key: "stamp_reward", event: "stamp_reward", kind: "marketing", to: "customer" },
  survey_due: { key: "survey_due", event: "survey_due", kind: "marketing", to: "customer" },
  detractor_alert: { key: "detractor_alert", event: "detractor_alert", kind: "transactional", to: "merchant" },
  win_back: { key: "win_back", event: "win_back", kind: "marketing", to: "customer" },
  replenishment: { key: "replenishment", event: "replenishment_due", kind: "marketing", to: "customer" },
};

/**
 * The email message an event becomes, or null: a tier change only when it goes up (a member
 * is not mailed a demotion).
 */
export function messageForEvent(type: string, payload: unknown): MessageKey | null {
  const found = Object.values(MESSAGES).find((m) => m.event === type);
  if (!found) return null;
  if (type === "tier_changed") return (payload as { direction?: string } | null)?.direction === "up" ? "tier_up" : null;
  return found.key;
}

export function isEventType(type: string): type is EventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

/** The variables a template may use ({{name}}); every one is escaped where it is put. */
export const TEMPLATE_VARIABLES = [
  "name",
  "shop_name",
  "balance",
  "points",
  "reward_name",
  "code",
  "expires_on",
  "tier",
  "referral_link",
  "survey_link",
  "order_name",
  "products",
  "stamps",
  "score",
  "comment",
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** A {{variable}} in a subject or body (spaces inside the braces allowed). */
export const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Variables a text uses that do not exist (a typo would otherwise reach customers as "{{nmae}}"). */
export function unknownVariables(text: string): string[] {
  const known = new Set<string>(TEMPLATE_VARIABLES);
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1]!).filter((v) => !known.has(v)))];
}
