// What Kembali knows of each product it may recommend, read from Shopify (the port's
// productCards): title, handle, image, lowest price and whether it can be bought now (active,
// on the online store, some variant for sale). Rows are read again when never read or a day
// old; a product Shopify no longer has is marked deleted and is never recommended.
import type { Deps, Tx } from "../deps";
import { isUniqueViolation } from "../db-errors";
import { PRODUCT_CARDS_MAX_IDS, type ProductCard, type ShopifyAdmin } from "../../shopify/admin/port";

/** Facts older than this are read again. */
export const FACTS_MAX_AGE_MS = 86_400_000;
/** Rows read per run by default: a big catalogue is refreshed over a few runs, not in one. */
export const REFRESH_LIMIT = 5_000;

export type ProductDeps = Pick<Deps, "db" | "clock"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> };

export interface RefreshOutcome {
  /** Rows read from Shopify in this run. */
  checked: number;
  /** Rows whose availability (or existence) changed. */
  changed: number;
  /** Rows still due after this run (more than `limit`). */
  remaining: number;
}

/** Numeric product ids from a JSON column (pins, picks); anything else in it is ignored. */
export function readProductIds(json: unknown): string[] {
  if (!Array.isArray(json)) return [];
  return [...new Set(json.filter((id): id is string => typeof id === "string" && /^\d+$/.test(id)))];
}

/** Ids per `in (…)` list: well under SQLite's limit on bound parameters in one statement. */
const IDS_PER_QUERY = 500;

/** Creates the rows of products Kembali has not seen yet (picks, pins, best sellers), unchecked. */
export async function ensureProducts(db: Tx, shopId: string, productIds: readonly string[]): Promise<void> {
  const ids = [...new Set(productIds)].filter((id) => /^\d+$/.test(id));
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const known = new Set(
      (await db.product.findMany({ where: { shopId, productId: { in: chunk } }, select: { productId: true } })).map((p) => p.productId),
    );
    const missing = chunk.filter((id) => !known.has(id));
    if (missing.length === 0) continue;
    try {
      await db.product.createMany({ data: missing.map((productId) => ({ shopId, productId })) });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another writer (an order being counted) created some meanwhile: create the rest one by one.
      for (const productId of missing) {
        try {
          await db.product.create({ data: { shopId, productId } });
        } catch (again) {
          if (!isUniqueViolation(again)) throw again;
        }
      }
    }
  }
}

/**
 * Reads from Shopify the facts of the shop's products never read or read more than a day ago
 * (of `only` these, when given; their rows are created first), oldest first, at most `limit`
 * rows, PRODUCT_CARDS_MAX_IDS per call. When a product's availability changes, the lists are
 * due to be written again (RecsState.publishedVersion is cleared).
 */
export async function refreshProducts(
  deps: ProductDeps,
  shopDomain: string,
  opts: { only?: readonly string[]; limit?: number } = {},
): Promise<RefreshOutcome> {
  const none = { checked: 0, changed: 0, remaining: 0 };
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) return none;
  if (opts.only) await ensureProducts(deps.db, shop.id, opts.only);
  const limit = opts.limit ?? REFRESH_LIMIT;
  const now = deps.clock();
  const where = {
    shopId: shop.id,
    ...(opts.only ? { productId: { in: [...opts.only] } } : {}),
    OR: [{ checkedAt: null }, { checkedAt: { lt: new Date(now.getTime() - FACTS_MAX_AGE_MS) } }],
  };
  const due = await deps.db.product.findMany({
    where,
    // Never-read rows first (a null sorts first ascending on SQLite, last on PostgreSQL, so ask).
    orderBy: [{ checkedAt: { sort: "asc", nulls: "first" } }, { productId: "asc" }],
    take: limit,
    select: {
      productId: true,
      title: true,
      handle: true,
      imageUrl: true,
      imageAlt: true,
      priceMinor: true,
      available: true,
      deletedAt: true,
      checkedAt: true,
    },
  });
  if (due.length === 0) return none;
  const shopify = await deps.shopifyFor(shopDomain);
  let changed = 0;
  for (let i = 0; i < due.length; i += PRODUCT_CARDS_MAX_IDS) {
    const batch = due.slice(i, i + PRODUCT_CARDS_MAX_IDS);
    const cards = new Map((await shopify.productCards(batch.map((p) => p.productId))).map((c) => [c.productId, c]));
    const checkedAt = deps.clock();
    const same: string[] = [];
    for (const row of batch) {
      const card = cards.get(row.productId);
      const next = card ? factsOf(card) : null;
      if (showable(row) !== (next?.available ?? false)) changed += 1;
      if (next && sameFacts(row, next)) {
        same.push(row.productId);
      } else if (next) {
        await deps.db.product.update({
          where: { shopId_productId: { shopId: shop.id, productId: row.productId } },
          data: { ...next, checkedAt, deletedAt: null },
        });
      } else {
        // Shopify no longer has it: never recommended again, and its own metafield went with it.
        await deps.db.product.update({
          where: { shopId_productId: { shopId: shop.id, productId: row.productId } },
          data: { available: false, checkedAt, deletedAt: row.deletedAt ?? checkedAt, alsoBoughtWritten: null },
        });
      }
    }
    if (same.length > 0) {
      await deps.db.product.updateMany({ where: { shopId: shop.id, productId: { in: same } }, data: { checkedAt } });
    }
  }
  if (changed > 0) await deps.db.recsState.updateMany({ where: { shopId: shop.id }, data: { publishedVersion: null } });
  const remaining = due.length < limit ? 0 : await deps.db.product.count({ where });
  return { checked: due.length, changed, remaining };
}

type Facts = ReturnType<typeof factsOf>;

function factsOf(card: ProductCard) {
  return {
    title: card.title,
    handle: card.handle,
    imageUrl: card.imageUrl,
    imageAlt: card.imageAlt,
    priceMinor: BigInt(card.price),
    available: card.available,
  };
}

/** Whether the row, as it stands, lets the product be shown (exclusion aside). */
function showable(row: { available: boolean; deletedAt: Date | null; checkedAt: Date | null }): boolean {
  return row.checkedAt !== null && row.available && row.deletedAt === null;
}

type StoredFacts = { [K in keyof Facts]: Facts[K] | null } & { deletedAt: Date | null; checkedAt: Date | null };

function sameFacts(row: StoredFacts, next: Facts): boolean {
  return (
    row.checkedAt !== null &&
    row.deletedAt === null &&
    row.title === next.title &&
    row.handle === next.handle &&
    row.imageUrl === next.imageUrl &&
    row.imageAlt === next.imageAlt &&
    row.priceMinor === next.priceMinor &&
    row.available === next.available
  );
}

/**
 * Of these products, the ones that may be shown: read from Shopify, still there, can be bought,
 * and not excluded by the merchant. A product Kembali has no row for is not shown.
 */
export async function showableProducts(db: Tx, shopId: string, productIds?: readonly string[]): Promise<Set<string>> {
  const rows = await db.product.findMany({
    where: {
      shopId,
      ...(productIds ? { productId: { in: [...new Set(productIds)] } } : {}),
      available: true,
      excluded: false,
      deletedAt: null,
      checkedAt: { not: null },
    },
    select: { productId: true },
  });
  return new Set(rows.map((r) => r.productId));
}
