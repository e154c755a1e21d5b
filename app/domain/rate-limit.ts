// Fixed-window rate limits kept in the database, so every app server sees the same counts.
// Keys are built by the caller from the shop, the action and a customer id or a hashed IP
// (never a raw IP address).
import type { Deps } from "./deps";
import { KembaliError } from "./errors";

export interface Limit {
  /** How many requests a key may make per window. */
  max: number;
  windowSeconds: number;
}

/** Counts one request for each key; throws RATE_LIMITED when any key is over its limit. */
export async function hitRateLimits(deps: Deps, hits: Array<{ key: string; limit: Limit }>): Promise<void> {
  const now = deps.clock().getTime();
  for (const { key, limit } of hits) {
    const windowStart = new Date(Math.floor(now / (limit.windowSeconds * 1000)) * limit.windowSeconds * 1000);
    const row = await deps.db.rateLimitHit.upsert({
      where: { key_windowStart: { key, windowStart } },
      create: { key, windowStart, count: 1 },
      update: { count: { increment: 1 } },
    });
    if (row.count > limit.max) {
      const retryAfter = Math.ceil((windowStart.getTime() + limit.windowSeconds * 1000 - now) / 1000);
      throw new KembaliError("RATE_LIMITED", "Too many requests; try again later", { retryAfterSeconds: retryAfter });
    }
  }
}

/** Old windows are of no use: deleted by the background sweep. */
export async function pruneRateLimits(deps: Deps, olderThanSeconds = 86_400): Promise<number> {
  const { count } = await deps.db.rateLimitHit.deleteMany({
    where: { windowStart: { lt: new Date(deps.clock().getTime() - olderThanSeconds * 1000) } },
  });
  return count;
}

// Per shopper and per address: a person clicking fast stays well inside; a script does not.
const PER_CUSTOMER: Limit = { max: 10, windowSeconds: 60 };
const PER_IP: Limit = { max: 30, windowSeconds: 60 };

/** The limits of one storefront action for a customer and a hashed IP. */
export function storefrontLimits(shop: string, action: string, customerId: string | null, ipHash: string | null) {
  return [
    ...(customerId ? [{ key: `${shop}:${action}:customer:${customerId}`, limit: PER_CUSTOMER }] : []),
    ...(ipHash ? [{ key: `${shop}:${action}:ip:${ipHash}`, limit: PER_IP }] : []),
  ];
}
