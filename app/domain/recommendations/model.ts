// "Customers also bought": a recommender learned from paid orders' baskets. It keeps exact
// co-purchase counts (counts.ts) and derives from them, without reading baskets again, the
// stored form a query reads: a baseline per item and a short list of weighted neighbours per
// item (rows of item, neighbour, weight). A query adds up the lists of its items; items with
// too little data answer with best sellers.
import { KembaliError } from "../errors";
import { applyChange, countBaskets, distinctItems, type BasketChange, type CoPurchaseCounts } from "./counts";
import { byScore, fit, type Neighbour, type Scoring } from "./scoring";

export type { Neighbour, Scoring } from "./scoring";

export interface RecsParams {
  /** Neighbours kept per item (the rows stored per product). */
  neighbours: number;
  /**
   * Cold start: an item in fewer baskets than this has no list of its own (a query on it alone
   * gets best sellers) and is never anyone's neighbour.
   */
  minSupport: number;
  scoring: Scoring;
  /** Weight of each item's share of baskets added to its baseline (0: no blend). */
  popularity: number;
}

/**
 * The shipped parameters: EASE with an intercept over the 1,000 most frequent items, chosen on
 * validation splits (docs/decisions/023-recommendation-scoring.md).
 */
export const DEFAULT_RECS_PARAMS: RecsParams = {
  neighbours: 50,
  minSupport: 3,
  scoring: { kind: "ease", lambda: 100, head: 1000, intercept: true },
  popularity: 0,
};

/** What a query reads. A database-backed store fills it with just the rows a query needs. */
export interface NeighbourStore {
  /** Neighbours of (at least) the query's items, best first. */
  neighbours: ReadonlyMap<string, readonly Neighbour[]>;
  /** Baselines of (at least) every candidate; absent is 0. */
  baseline: ReadonlyMap<string, number>;
  /**
   * Items with a baseline, highest first: at least the query's limit plus the items it blocks
   * or its lists name (those are skipped).
   */
  byBaseline: readonly string[];
  /** Items, most baskets first: at least the query's limit plus the items it blocks. */
  bestSellers: readonly string[];
}

export interface Recommender extends NeighbourStore {
  params: RecsParams;
  counts: CoPurchaseCounts;
  neighbours: Map<string, Neighbour[]>;
  baseline: Map<string, number>;
  byBaseline: string[];
  bestSellers: string[];
}

/** One stored row: an item's baseline (neighbour null) or one of its neighbours. */
export interface NeighbourRow {
  item: string;
  neighbour: string | null;
  score: number;
}

export interface Recommendation {
  item: string;
  score: number;
  /** Learned from co-purchases, or a best seller filling in (cold start, or too few neighbours). */
  source: "co-purchase" | "best-seller";
}

export interface RecommendQuery {
  /** What the shopper is looking at, has in the cart, or bought: ids, or ids with weights. */
  items: Iterable<string | { item: string; weight: number }>;
  /** Never returned: unavailable, out of stock, excluded by the merchant. */
  exclude?: Iterable<string>;
  limit: number;
}

/** A full build from a history of baskets. */
export function buildRecommender(baskets: Iterable<Iterable<string>>, params: RecsParams): Recommender {
  return recommenderFromCounts(countBaskets(baskets), params);
}

/**
 * The stored form derived from counts alone: what a rebuild does once it has counted the
 * history (in batches, with progress), and what a refit does after counts were updated. Its
 * cost depends on the catalogue (the head's size cubed, plus the pairs), not on the history.
 */
export function recommenderFromCounts(counts: CoPurchaseCounts, params: RecsParams): Recommender {
  checkParams(params);
  const fitted = fit(counts, params.scoring, { limit: params.neighbours, minSupport: params.minSupport, popularity: params.popularity });
  const byBaseline = [...fitted.baseline.keys()].sort(
    (a, b) => fitted.baseline.get(b)! - fitted.baseline.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  return { params, counts, neighbours: fitted.neighbours, baseline: fitted.baseline, byBaseline, bestSellers: bestSellers(counts) };
}

/** Parameters that would make weights meaningless (a zero λ divides by zero) are refused. */
function checkParams(p: RecsParams): void {
  const s = p.scoring;
  const ok =
    Number.isInteger(p.neighbours) &&
    p.neighbours >= 1 &&
    p.minSupport >= 1 &&
    p.popularity >= 0 &&
    (s.kind === "ease"
      ? s.lambda > 0 && Number.isFinite(s.lambda) && Number.isInteger(s.head) && s.head >= 0
      : s.alpha >= 0 && s.alpha <= 1 && s.shrink >= 0 && s.exponent > 0);
  if (!ok) throw new KembaliError("BAD_INPUT", "Invalid recommender parameters", { params: p });
}

/**
 * An incremental update: orders paid and cancelled are applied to the counts (applyChange),
 * then the lists are derived again from the counts (refitRecommender); no history is read. The
 * result equals a full build over the resulting history. Returns the items whose stored rows
 * changed. A shop with a large catalogue applies each order's change as it comes and refits on
 * a schedule: the counts stay exact either way.
 */
export function updateRecommender(model: Recommender, change: BasketChange): Set<string> {
  applyChange(model.counts, change);
  return refitRecommender(model);
}

/** Derives the lists again from the model's counts; returns the items whose stored rows changed. */
export function refitRecommender(model: Recommender): Set<string> {
  const next = recommenderFromCounts(model.counts, model.params);
  const changed = changedItems(model, next);
  Object.assign(model, next);
  return changed;
}

/** Items still counted, most baskets first, ties by id. */
function bestSellers(counts: CoPurchaseCounts): string[] {
  const { ids, items: c } = counts;
  const ks: number[] = [];
  for (let k = 0; k < ids.length; k++) if (c[k] > 0) ks.push(k);
  return ks.sort((a, b) => c[b] - c[a] || (ids[a] < ids[b] ? -1 : 1)).map((k) => ids[k]);
}

function changedItems(before: Recommender, after: Recommender): Set<string> {
  const changed = new Set<string>();
  for (const item of new Set([
    ...before.neighbours.keys(),
    ...after.neighbours.keys(),
    ...before.baseline.keys(),
    ...after.baseline.keys(),
  ])) {
    if (before.baseline.get(item) !== after.baseline.get(item)) changed.add(item);
    else if (!sameList(before.neighbours.get(item), after.neighbours.get(item))) changed.add(item);
  }
  return changed;
}

function sameList(a: readonly Neighbour[] | undefined, b: readonly Neighbour[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((n, k) => n.item === b[k].item && n.score === b[k].score);
}

/** The stored form, ordered by item, baseline first, then neighbours best first. */
export function neighbourRows(model: NeighbourStore): NeighbourRow[] {
  const rows: NeighbourRow[] = [];
  const items = [...new Set([...model.baseline.keys(), ...model.neighbours.keys()])].sort();
  for (const item of items) {
    if (model.baseline.has(item)) rows.push({ item, neighbour: null, score: model.baseline.get(item)! });
    for (const n of model.neighbours.get(item) ?? []) rows.push({ item, neighbour: n.item, score: n.score });
  }
  return rows;
}

/**
 * Recommendations for one item (product page), several (cart) or weighted items (a shopper's
 * history): each candidate scores its baseline plus the weights the query's items give it,
 * best first; when none of the query's items has a list, or too few candidates remain, best
 * sellers fill in. Query items and excluded items are never returned.
 */
export function recommend(store: NeighbourStore, query: RecommendQuery): Recommendation[] {
  if (!(query.limit >= 1)) return [];
  const weights = new Map<string, number>();
  for (const q of query.items) {
    const [item, weight] = typeof q === "string" ? [q, 1] : [q.item, q.weight];
    weights.set(item, (weights.get(item) ?? 0) + weight);
  }
  const blocked = new Set(query.exclude ?? []);
  for (const item of weights.keys()) blocked.add(item);
  const scores = new Map<string, number>();
  let learned = false;
  for (const [item, weight] of weights) {
    const list = store.neighbours.get(item);
    if (!list) continue;
    learned = true;
    for (const n of list) if (!blocked.has(n.item)) scores.set(n.item, (scores.get(n.item) ?? 0) + weight * n.score);
  }
  const out: Recommendation[] = [];
  if (learned) {
    // An item no list names scores its baseline alone; the `limit` best of those are enough.
    let baselineOnly = 0;
    for (const item of store.byBaseline) {
      if (baselineOnly >= query.limit) break;
      if (blocked.has(item) || scores.has(item)) continue;
      scores.set(item, 0);
      baselineOnly++;
    }
    // The best `limit` kept in order as candidates stream by (a cart or history has hundreds).
    const best: Neighbour[] = [];
    for (const [item, s] of scores) {
      const candidate = { item, score: s + (store.baseline.get(item) ?? 0) };
      if (best.length === query.limit && byScore(candidate, best[best.length - 1]) >= 0) continue;
      let at = best.length;
      while (at > 0 && byScore(candidate, best[at - 1]) < 0) at--;
      best.splice(at, 0, candidate);
      if (best.length > query.limit) best.pop();
    }
    for (const n of best) out.push({ item: n.item, score: n.score, source: "co-purchase" });
  }
  if (out.length < query.limit) {
    const chosen = new Set(out.map((r) => r.item));
    for (const item of store.bestSellers) {
      if (out.length >= query.limit) break;
      if (blocked.has(item) || chosen.has(item)) continue;
      out.push({ item, score: 0, source: "best-seller" });
    }
  }
  return out;
}

/**
 * A shopper's history as a weighted query: orders newest first, each order's items weighing
 * `decay` times the order after it, so recent purchases lead. What they bought is never offered.
 */
export function historyQuery(orders: readonly (readonly string[])[], decay = 0.8): { item: string; weight: number }[] {
  const weights = new Map<string, number>();
  orders.forEach((order, age) => {
    for (const item of distinctItems(order)) weights.set(item, (weights.get(item) ?? 0) + Math.pow(decay, age));
  });
  return [...weights].map(([item, weight]) => ({ item, weight }));
}
