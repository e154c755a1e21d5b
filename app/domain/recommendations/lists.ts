// What each product's "Customers also bought" list holds (decision 033): the merchant's pins
// first, then what the product learned from co-purchases, then, to fill up, the shop's best
// sellers and the merchant's picks. A product with neither pins nor a learned list has no list
// of its own: its page shows the shop's list (best sellers, then picks). Never shown: the
// product itself, excluded products, products that cannot be bought or that Shopify no longer
// has, and any product twice.
import type { Deps } from "../deps";
import { bestSellers } from "./best-sellers";
import { readProductIds } from "./products";
import { recommend, type Neighbour } from "./model";
import { BASELINE } from "./stored";

export interface ListSources {
  /** The product whose page shows the list. */
  productId: string;
  /** Products kept in the list (RecsState.listLength). */
  listLength: number;
  /** The merchant's pins for this product, in order. */
  pins: readonly string[];
  /** Learned from co-purchases, best first; empty when the product has no list of its own. */
  learned: readonly string[];
  /** The shop's best sellers today, best first. */
  bestSellers: readonly string[];
  /** The merchant's picks, in order. */
  picks: readonly string[];
  /** Whether a product may be shown at all (known, can be bought, not excluded). */
  showable: (productId: string) => boolean;
}

/**
 * The product's own list, or [] when it has none (no pin or learned product can be shown):
 * then the block falls back to the shop's list, and a metafield written before is removed.
 */
export function productList(sources: ListSources): string[] {
  const list = new Taker(sources.listLength, sources.showable, [sources.productId]);
  list.add(sources.pins);
  list.add(sources.learned);
  if (list.ids.length === 0) return [];
  list.add(sources.bestSellers);
  list.add(sources.picks);
  return list.ids;
}

/** The shop's list (kembali.best_sellers): best sellers, then the merchant's picks, the showable ones only. */
export function shopList(sources: Pick<ListSources, "bestSellers" | "picks" | "showable"> & { limit: number }): string[] {
  const list = new Taker(sources.limit, sources.showable, []);
  list.add(sources.bestSellers);
  list.add(sources.picks);
  return list.ids;
}

/** Takes showable products not seen yet until the list is full. */
class Taker {
  readonly ids: string[] = [];
  private readonly seen: Set<string>;
  constructor(
    private readonly length: number,
    private readonly showable: (productId: string) => boolean,
    never: readonly string[],
  ) {
    this.seen = new Set(never);
  }
  add(candidates: readonly string[]) {
    for (const id of candidates) {
      if (this.ids.length >= this.length) return;
      if (this.seen.has(id) || !this.showable(id)) continue;
      this.seen.add(id);
      this.ids.push(id);
    }
  }
}

/** A product whose list is computed: what decides it, and what was last written for it. */
export interface ProductListRow {
  productId: string;
  list: string[];
  /** The list last written to its metafield (null: none written, or removed). */
  written: string[] | null;
  /** Shopify no longer has the product: nothing can be written to it. */
  deleted: boolean;
}

/**
 * Every product that has or had a list: products with a learned list (neighbour rows), pins,
 * or a list written before. Reads the shop's settings, best sellers and picks once; the
 * learned part of each list comes from the stored rows (learnedLists), co-purchase entries
 * only. Facts should be fresh (refreshProducts) before this runs.
 */
export async function loadProductLists(deps: Pick<Deps, "db" | "clock">, shopId: string): Promise<ProductListRow[]> {
  const { db } = deps;
  const [state, sellers, owners, products] = await Promise.all([
    db.recsState.findUnique({ where: { shopId }, select: { listLength: true, picks: true } }),
    bestSellers(deps, shopId),
    db.recsNeighbour.groupBy({ by: ["productId"], where: { shopId, neighbourId: { not: BASELINE } } }),
    // One row per product the shop has seen: small, and everything below reads from it.
    db.product.findMany({
      where: { shopId },
      select: {
        productId: true,
        pinned: true,
        alsoBoughtWritten: true,
        deletedAt: true,
        available: true,
        excluded: true,
        checkedAt: true,
      },
    }),
  ]);
  const listLength = state?.listLength ?? 8;
  const picks = readProductIds(state?.picks);
  const showable = new Set(
    products.filter((p) => p.available && !p.excluded && p.deletedAt === null && p.checkedAt !== null).map((p) => p.productId),
  );
  const blocked = products.map((p) => p.productId).filter((id) => !showable.has(id));
  const byId = new Map(products.map((p) => [p.productId, p]));
  const learnedOwners = new Set(owners.map((o) => o.productId));
  const targets = [
    ...new Set([
      ...learnedOwners,
      ...products.filter((p) => readProductIds(p.pinned).length > 0 || p.alsoBoughtWritten !== null).map((p) => p.productId),
    ]),
  ].sort();
  const learned = await learnedLists(deps, shopId, [...learnedOwners].sort(), (productId) => ({
    // Pins come first anyway, and what cannot be shown would only take room.
    exclude: [...readProductIds(byId.get(productId)?.pinned), ...blocked],
    limit: listLength,
  }));
  return targets.map((productId) => {
    const row = byId.get(productId);
    const pins = readProductIds(row?.pinned);
    const own = learned.get(productId) ?? [];
    const list = productList({
      productId,
      listLength,
      pins,
      learned: own,
      bestSellers: sellers,
      picks,
      showable: (id) => showable.has(id),
    });
    return { productId, list, written: readWritten(row?.alsoBoughtWritten ?? null), deleted: !!row?.deletedAt };
  });
}

/** Products whose neighbour rows are read per query: a few thousand rows. */
const OWNERS_PER_QUERY = 200;

/**
 * What each product learned: the co-purchase entries `recommend` gives for that product alone,
 * exactly as storedRecommendations would (same rows, same function), but reading the shop's
 * baselines once and the neighbour rows a few hundred products at a time, not four queries per
 * product.
 */
export async function learnedLists(
  deps: Pick<Deps, "db">,
  shopId: string,
  productIds: readonly string[],
  query: (productId: string) => { exclude: string[]; limit: number },
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (productIds.length === 0) return out;
  const baselines = await deps.db.recsNeighbour.findMany({
    where: { shopId, neighbourId: BASELINE },
    orderBy: [{ score: "desc" }, { productId: "asc" }],
    select: { productId: true, score: true },
  });
  const baseline = new Map(baselines.map((r) => [r.productId, r.score]));
  const byBaseline = baselines.map((r) => r.productId);
  for (let i = 0; i < productIds.length; i += OWNERS_PER_QUERY) {
    const chunk = productIds.slice(i, i + OWNERS_PER_QUERY);
    const rows = await deps.db.recsNeighbour.findMany({
      where: { shopId, productId: { in: [...chunk] }, neighbourId: { not: BASELINE } },
      select: { productId: true, neighbourId: true, score: true },
    });
    const neighbours = new Map<string, Neighbour[]>();
    for (const r of rows) {
      const list = neighbours.get(r.productId) ?? [];
      list.push({ item: r.neighbourId, score: r.score });
      neighbours.set(r.productId, list);
    }
    for (const productId of chunk) {
      const { exclude, limit } = query(productId);
      // Best sellers fill elsewhere (productList): here only what was learned counts.
      const recs = recommend({ neighbours, baseline, byBaseline, bestSellers: [] }, { items: [productId], exclude, limit });
      out.set(
        productId,
        recs.filter((r) => r.source === "co-purchase").map((r) => r.item),
      );
    }
  }
  return out;
}

function readWritten(json: string | null): string[] | null {
  if (json === null) return null;
  try {
    return readProductIds(JSON.parse(json));
  } catch {
    return null;
  }
}
