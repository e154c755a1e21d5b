// Co-purchase counts: how many baskets hold each item and each pair of items. They are the
// exact, integer state of the recommender — adding a basket and removing it again restores
// them — and every weight is derived from them, so an incremental update and a full rebuild
// cannot drift apart. Items are numbered in the order first seen (numbers are never reused);
// nothing derived depends on that numbering, only on ids and counts.
import { KembaliError } from "../errors";

export interface CoPurchaseCounts {
  /** Baskets counted. */
  baskets: number;
  /** Item id by number. */
  ids: string[];
  /** Item number by id. */
  index: Map<string, number>;
  /** Baskets holding each item, by number (0 once all its baskets were removed). */
  items: number[];
  /** Baskets holding both items, by number, both ways; pairs that reach 0 are deleted. */
  pairs: Map<number, number>[];
}

export function emptyCounts(): CoPurchaseCounts {
  return { baskets: 0, ids: [], index: new Map(), items: [], pairs: [] };
}

/** The distinct item ids of a basket, in first-seen order (a product on two lines counts once). */
export function distinctItems(basket: Iterable<string>): string[] {
  return [...new Set(basket)];
}

/** Baskets holding the item (0 for an unknown item). */
export function itemCount(counts: CoPurchaseCounts, id: string): number {
  const k = counts.index.get(id);
  return k === undefined ? 0 : counts.items[k];
}

/** Baskets holding both items. */
export function pairCount(counts: CoPurchaseCounts, a: string, b: string): number {
  const i = counts.index.get(a);
  const j = counts.index.get(b);
  return i === undefined || j === undefined ? 0 : (counts.pairs[i].get(j) ?? 0);
}

/**
 * Adds (sign 1) or removes (sign −1) one basket. Removing a basket that was never added is
 * refused before anything changes, so counts never go negative.
 */
export function countBasket(counts: CoPurchaseCounts, basket: Iterable<string>, sign: 1 | -1): void {
  const ids = distinctItems(basket);
  if (ids.length === 0) return;
  if (sign === -1) {
    for (let a = 0; a < ids.length; a++) {
      if (itemCount(counts, ids[a]) < 1) throw notCounted(ids[a]);
      for (let b = a + 1; b < ids.length; b++) if (pairCount(counts, ids[a], ids[b]) < 1) throw notCounted(`${ids[a]} + ${ids[b]}`);
    }
  }
  const ks = ids.map((id) => numberOf(counts, id));
  counts.baskets += sign;
  for (let a = 0; a < ks.length; a++) {
    const i = ks[a];
    counts.items[i] += sign;
    const row = counts.pairs[i];
    for (let b = 0; b < ks.length; b++) {
      if (a === b) continue;
      const next = (row.get(ks[b]) ?? 0) + sign;
      if (next === 0) row.delete(ks[b]);
      else row.set(ks[b], next);
    }
  }
}

export interface BasketChange {
  /** Baskets of orders paid. */
  added?: Iterable<Iterable<string>>;
  /** Baskets of orders cancelled (each must have been added before). */
  removed?: Iterable<Iterable<string>>;
}

/**
 * Applies orders paid and cancelled, all or nothing: a removal that cannot apply (never
 * counted) undoes the removals before it and is refused, so the counts stay as they were.
 * Costs the square of each basket's size, whatever the history's length.
 */
export function applyChange(counts: CoPurchaseCounts, change: BasketChange): void {
  const removed = [...(change.removed ?? [])].map(distinctItems);
  const added = [...(change.added ?? [])].map(distinctItems);
  const done: string[][] = [];
  try {
    for (const basket of removed) {
      countBasket(counts, basket, -1);
      done.push(basket);
    }
  } catch (error) {
    for (const basket of done) countBasket(counts, basket, 1);
    throw error;
  }
  for (const basket of added) countBasket(counts, basket, 1);
}

/** Counts a whole history of baskets. */
export function countBaskets(baskets: Iterable<Iterable<string>>): CoPurchaseCounts {
  const counts = emptyCounts();
  for (const basket of baskets) countBasket(counts, basket, 1);
  return counts;
}

function numberOf(counts: CoPurchaseCounts, id: string): number {
  let k = counts.index.get(id);
  if (k === undefined) {
    k = counts.ids.length;
    counts.index.set(id, k);
    counts.ids.push(id);
    counts.items.push(0);
    counts.pairs.push(new Map());
  }
  return k;
}

function notCounted(what: string): KembaliError {
  return new KembaliError("BAD_INPUT", `Cannot remove a basket that was not counted (${what})`);
}
