// The offline quality protocol (hold-one-out hit rate), the same for any basket history: for
// each seed, shuffle the baskets with a seeded PRNG, build from the first 80 %, and for every
// other basket with at least two distinct items hide one item at random, query with the rest
// and count a hit when the hidden item is in the top K (query items excluded).
import { distinctItems } from "./counts";
import { buildRecommender, recommend, type Recommender, type RecsParams } from "./model";

/** A seeded PRNG (mulberry32): the same numbers in [0, 1) for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given PRNG; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface Split {
  train: string[][];
  /** Test baskets with at least two distinct items: the query and the hidden item. */
  cases: { query: string[]; hidden: string }[];
}

/** One seed's split: 80 % train, and one hidden item per test basket that has two or more. */
export function protocolSplit(baskets: readonly string[][], seed: number, trainShare = 0.8): Split {
  const random = mulberry32(seed);
  const order = shuffled(baskets, random);
  const cut = Math.round(order.length * trainShare);
  const cases: Split["cases"] = [];
  for (const basket of order.slice(cut)) {
    const items = distinctItems(basket);
    if (items.length < 2) continue;
    const h = Math.floor(random() * items.length);
    cases.push({ query: items.filter((_, k) => k !== h), hidden: items[h] });
  }
  return { train: order.slice(0, cut), cases };
}

export interface HitRates {
  cases: number;
  /** Share of cases whose hidden item is in the top K, per K asked for. */
  hits: Map<number, number>;
}

/** Hit rates of a built model on the split's cases, for each K. */
export function hitRates(model: Recommender, cases: Split["cases"], ks: number[]): HitRates {
  const maxK = Math.max(...ks);
  const hits = new Map(ks.map((k) => [k, 0]));
  for (const c of cases) {
    const top = recommend(model, { items: c.query, limit: maxK });
    const rank = top.findIndex((r) => r.item === c.hidden);
    if (rank < 0) continue;
    for (const k of ks) if (rank < k) hits.set(k, hits.get(k)! + 1);
  }
  const n = Math.max(cases.length, 1);
  return { cases: cases.length, hits: new Map([...hits].map(([k, h]) => [k, h / n])) };
}

export interface Evaluation {
  /** Baskets read and distinct items in them. */
  baskets: number;
  items: number;
  seeds: number;
  /** Test cases per seed (mean): baskets with at least two distinct items. */
  cases: number;
  /** Per configuration: HR@K (mean and standard deviation over seeds) for each K, and build time. */
  results: { name: string; hr: Map<number, { mean: number; sd: number }>; buildMs: number }[];
}

export interface EvaluateOptions {
  seeds: number;
  /** The K values to report (HR@K for each). */
  ks: number[];
  /**
   * Report on a validation split carved out of each seed's training baskets (the same protocol
   * applied to them, seed 1000 + s) instead of its test baskets: for choosing parameters
   * without looking at the baskets the figures are reported on.
   */
  validation?: boolean;
  now?: () => number;
}

/**
 * Runs the protocol over seeds 1..`seeds` for each named configuration. The best-seller
 * baseline is the configuration whose items never have enough data (minSupport: Infinity), so
 * its answers come from the same query path's fallback.
 */
export function evaluate(
  baskets: readonly string[][],
  configs: { name: string; params: RecsParams }[],
  options: EvaluateOptions,
): Evaluation {
  const now = options.now ?? (() => performance.now());
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  const per = configs.map(() => ({ hr: new Map(ks.map((k) => [k, [] as number[]])), buildMs: 0 }));
  let cases = 0;
  for (let seed = 1; seed <= options.seeds; seed++) {
    const outer = protocolSplit(baskets, seed);
    const split = options.validation ? protocolSplit(outer.train, 1000 + seed) : outer;
    cases += split.cases.length;
    configs.forEach((config, c) => {
      const started = now();
      const model = buildRecommender(split.train, config.params);
      per[c].buildMs += now() - started;
      const rates = hitRates(model, split.cases, ks);
      for (const k of ks) per[c].hr.get(k)!.push(rates.hits.get(k)!);
    });
  }
  const items = new Set<string>();
  for (const b of baskets) for (const i of b) items.add(i);
  return {
    baskets: baskets.length,
    items: items.size,
    seeds: options.seeds,
    cases: cases / Math.max(options.seeds, 1),
    results: configs.map((config, c) => ({
      name: config.name,
      hr: new Map(ks.map((k) => [k, { mean: mean(per[c].hr.get(k)!), sd: sd(per[c].hr.get(k)!) }])),
      buildMs: per[c].buildMs / Math.max(options.seeds, 1),
    })),
  };
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}
