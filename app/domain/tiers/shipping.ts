// A VIP tier's free shipping, made real in Shopify (decision 025): for each tier that gives it,
// a customer segment of the members tagged kembali-tier-<key> and an automatic free-shipping
// discount whose context is that segment. Members get it at checkout with no code; Shopify
// keeps the segment current as Kembali re-tags members who move tier (syncTierChanges), so a
// tier move needs nothing here. A tier program save marks what changed pending, in its
// transaction; the background sync makes it so, never in a request, never inside a transaction.
import type { Tx } from "../../db-types";
import type { Deps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import type { TierProgramInput } from "./rules";

const DAY_MS = 86_400_000;
/** Longer than a call with its retries on throttling: two servers never work one row at once. */
const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 60_000;

/** pending: to create or bring in line; active: members get free shipping; off: switched off. */
export type TierShippingStatus = "pending" | "active" | "off";

/** The tag of a tier's members (as tierTag in index.ts; repeated to keep this file free of that module). */
const tagOf = (key: string) => `kembali-tier-${key}`;
/** The segment's name in Shopify: unique per shop, and how Kembali finds its own again. */
export const tierSegmentName = (key: string) => `Kembali VIP tier ${key}`;
/** The automatic discount's title in Shopify: how Kembali finds its own again. */
export const tierShippingTitle = (key: string) => `Kembali VIP free shipping: ${key}`;
/** Free shipping on top of a member's reward codes (order and product discounts), not with another shipping discount. */
export const TIER_SHIPPING_COMBINES_WITH = { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false } as const;

/**
 * Brings the rows in line with the program, in the caller's transaction: a tier that now gives
 * free shipping, or no longer does (unticked, or the tier removed), is marked pending with a
 * raised revision (a sync in flight then cannot settle on what it read before). Tiers whose
 * benefit did not change are left alone, so calling it again (the hourly sweep) is cheap.
 */
export async function markTierShipping(db: Tx, shopId: string, program: Pick<TierProgramInput, "tiers"> | null): Promise<number> {
  const wanted = new Map((program?.tiers ?? []).map((t) => [t.key, t.freeShippingReward]));
  const rows = await db.tierShipping.findMany({ where: { shopId }, select: { tierKey: true, wanted: true } });
  const known = new Set(rows.map((r) => r.tierKey));
  let marked = 0;
  for (const r of rows) {
    const want = wanted.get(r.tierKey) ?? false;
    if (r.wanted === want) continue;
    await db.tierShipping.updateMany({
      where: { shopId, tierKey: r.tierKey },
      data: { wanted: want, status: "pending", revision: { increment: 1 }, retryAt: null, attempts: 0 },
    });
    marked++;
  }
  for (const [tierKey, want] of wanted) {
    if (!want || known.has(tierKey)) continue;
    await db.tierShipping.create({ data: { shopId, tierKey, wanted: true } });
    marked++;
  }
  return marked;
}

type SyncDeps = Pick<Deps, "db" | "clock"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> };

/** Rows that need work now and that no server is working on. */
function ready(now: Date) {
  return {
    status: "pending",
    AND: [{ OR: [{ retryAt: null }, { retryAt: { lte: now } }] }, { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] }],
  };
}

/**
 * Creates, switches on or switches off each pending tier's free shipping in Shopify (or only
 * one shop's). Each row is leased first; the outcome is recorded only if nothing changed
 * meanwhile. A failure is recorded on the row and retried later (1 minute, doubling, at most
 * a day). Uninstalled shops are left alone.
 */
export async function syncTierShipping(
  deps: SyncDeps,
  { shopId, limit = 50 }: { shopId?: string; limit?: number } = {},
): Promise<{ synced: number; failed: Array<{ shop: string; error: unknown }> }> {
  const now = deps.clock();
  const due = await deps.db.tierShipping.findMany({
    where: { ...(shopId ? { shopId } : {}), ...ready(now) },
    orderBy: { createdAt: "asc" },
    select: { id: true, shopId: true },
    take: limit,
  });
  const shops = new Map(
    (
      await deps.db.shop.findMany({
        where: { id: { in: [...new Set(due.map((d) => d.shopId))] }, uninstalledAt: null },
        select: { id: true, domain: true },
      })
    ).map((s) => [s.id, s.domain]),
  );
  let synced = 0;
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const row of due) {
    const domain = shops.get(row.shopId);
    if (!domain) continue;
    try {
      if (await syncOne(deps, row.id, domain)) synced++;
    } catch (error) {
      failed.push({ shop: domain, error });
    }
  }
  return { synced, failed };
}

async function syncOne(deps: SyncDeps, id: string, domain: string): Promise<boolean> {
  const now = deps.clock();
  const lease = new Date(now.getTime() + LEASE_MS);
  const { count } = await deps.db.tierShipping.updateMany({ where: { id, ...ready(now) }, data: { lockedUntil: lease } });
  if (count !== 1) return false;
  // Read after taking the lease: a save made while an earlier sync was in flight is applied now.
  const row = await deps.db.tierShipping.findUniqueOrThrow({ where: { id } });
  const held = { id, lockedUntil: lease };
  const ids = { segmentId: row.segmentId, discountId: row.discountId };
  try {
    const admin = await deps.shopifyFor(domain);
    if (row.wanted) {
      ids.segmentId ??= (await admin.createTagSegment({ name: tierSegmentName(row.tierKey), tag: tagOf(row.tierKey) })).segmentId;
      if (ids.discountId) await admin.setAutomaticDiscountActive(ids.discountId, true);
      else {
        ids.discountId = (
          await admin.createSegmentFreeShipping({
            title: tierShippingTitle(row.tierKey),
            segmentId: ids.segmentId,
            startsAt: now,
            combinesWith: TIER_SHIPPING_COMBINES_WITH,
          })
        ).discountId;
      }
    } else if (ids.discountId) {
      await admin.setAutomaticDiscountActive(ids.discountId, false);
    }
  } catch (error) {
    const attempts = row.attempts + 1;
    await deps.db.tierShipping.updateMany({
      where: held,
      data: {
        ...ids,
        error: error instanceof Error ? error.message.slice(0, 300) : "Shopify did not answer",
        attempts,
        retryAt: new Date(now.getTime() + Math.min(DAY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1))),
        lockedUntil: null,
      },
    });
    throw error;
  }
  const status: TierShippingStatus = row.wanted ? "active" : "off";
  const settled = await deps.db.tierShipping.updateMany({
    where: { ...held, revision: row.revision },
    data: { ...ids, status, error: null, attempts: 0, retryAt: null, lockedUntil: null },
  });
  if (settled.count === 0) {
    // Changed meanwhile: it stays pending for the next run, which starts from what Shopify now holds.
    await deps.db.tierShipping.updateMany({ where: held, data: { ...ids, lockedUntil: null } });
  }
  return settled.count === 1;
}
