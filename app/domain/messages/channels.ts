// Where an event goes besides email: Klaviyo's Events API, Shopify Flow triggers and the
// merchant's signed outgoing webhooks. The dispatcher (dispatch.ts) makes one MessageSend row per
// event and channel (key <channel>:<event key>) and hands each due row to its channel's sender.

/** The event as a channel sends it: what happened, to whom, with its payload (catalog.ts). */
export interface ChannelDelivery {
  shop: { id: string; domain: string; name: string | null; currency: string; timezone: string; klaviyoKey: string | null };
  send: { id: string; key: string; channel: string; attempts: number };
  event: {
    id: string;
    type: string;
    key: string;
    payload: unknown;
    createdAt: Date;
    customer: {
      id: string;
      shopifyCustomerId: string;
      email: string | null;
      firstName: string | null;
      lastName: string | null;
      balance: number;
      tier: string | null;
    } | null;
  };
}

/** A failure worth trying again (a timeout, a 429 or 5xx): the row is retried with backoff. */
export class RetryLater extends Error {
  constructor(
    message: string,
    /** At least this long before the next try (a Retry-After); otherwise the backoff decides. */
    readonly afterMs?: number,
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/**
 * Delivers one event on one channel. Resolves when the other side accepted it; throws RetryLater
 * for a failure worth retrying; any other error fails the row for good (a 4xx: the request is
 * wrong and would be wrong again), with its message kept for the admin's delivery log.
 */
export type ChannelSender = (delivery: ChannelDelivery) => Promise<void>;

/** Tries after a failure: 1 min, 5 min, 30 min, 2 h, 12 h, then the row fails. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
