// Item-to-item weights from co-purchase counts. A scoring turns the counts into a baseline per
// item and a list of weighted neighbours per item; a query adds the baseline of each candidate
// to the weights of the query's items (model.ts). Which scoring ships was chosen by measurement
// (docs/decisions/023-recommendation-scoring.md); the others stay selectable so the evaluation
// can reproduce that table.
import type { CoPurchaseCounts } from "./counts";

/**
 * "pairs": w(i→j) = (c_ij / (c_i^α · c_j^(1−α) + shrink))^exponent, no baseline. α = 0.5 is the
 * item cosine, α = 1 the confidence P(j | i); shrink damps pairs seen only a few times; an
 * exponent above 1 lets one strong neighbour outweigh several weak ones when lists are summed.
 *
 * "ease": a linear item model (Steck 2019, "Embarrassingly shallow autoencoders"): ridge
 * regression of each item on the other items of the basket with the diagonal forced to zero,
 * W = −P / diag(P), P = (XᵀX + λI)⁻¹. With `intercept` the regression also has a constant
 * term, which becomes each item's baseline (the part of its popularity the basket does not
 * explain). Fitted jointly over the `head` most frequent items only: an m×m inverse costs m³,
 * so the head is bounded whatever the catalogue's size. Pairs involving an item outside the
 * head get the same regression fitted on that one item alone (a closed form from the counts),
 * and items outside the head get their share of baskets as baseline.
 */
export type Scoring =
  { kind: "pairs"; alpha: number; shrink: number; exponent: number } | { kind: "ease"; lambda: number; head: number; intercept: boolean };

export interface Neighbour {
  item: string;
  score: number;
}

export interface Fitted {
  /** Each item's strongest weights (at most `limit`), best first. */
  neighbours: Map<string, Neighbour[]>;
  /** Each item's baseline (items without one are absent). */
  baseline: Map<string, number>;
}

export interface FitOptions {
  /** Neighbours kept per item. */
  limit: number;
  /** Baskets an item must be in to have a list and to be anyone's neighbour. */
  minSupport: number;
  /** Weight of each item's share of baskets added to its baseline (the popularity blend). */
  popularity: number;
}

/** The weights of every item with enough data, from the counts alone (no baskets are read). */
export function fit(counts: CoPurchaseCounts, scoring: Scoring, options: FitOptions): Fitted {
  const { ids, items: c } = counts;
  const warm = new Uint8Array(ids.length);
  const warmItems: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    if (c[k] > 0 && c[k] >= options.minSupport) {
      warm[k] = 1;
      warmItems.push(k);
    }
  }
  warmItems.sort((a, b) => c[b] - c[a] || (ids[a] < ids[b] ? -1 : 1));
  const fitted: Fitted = { neighbours: new Map(), baseline: new Map() };
  const n = counts.baskets;
  const keep = (k: number, list: Neighbour[]) => {
    if (list.length > 0) fitted.neighbours.set(ids[k], strongest(list, options.limit));
  };
  if (scoring.kind === "pairs") {
    const { alpha, shrink, exponent } = scoring;
    for (const i of warmItems) {
      const ci = Math.pow(c[i], alpha);
      keep(
        i,
        pairList(counts, i, warm, (j, cij) => {
          const s = cij / (ci * Math.pow(c[j], 1 - alpha) + shrink);
          return exponent === 1 ? s : Math.pow(s, exponent);
        }),
      );
    }
  } else {
    const { lambda } = scoring;
    const head = warmItems.slice(0, Math.max(0, scoring.head));
    const joint = easeFit(counts, head, lambda, scoring.intercept);
    for (const i of warmItems) {
      const inHead = joint.has(i);
      const ci = c[i];
      // Pairs within the head come from the joint fit; a pair with an item outside it from the
      // same regression on that one item, in closed form:
      // (c_ij − c_i·c_j / n) / (c_i·(1 − c_i / n) + λ), which is P(j | i) − P(j | not i) at λ = 0.
      const list = pairList(counts, i, warm, (j, cij) =>
        inHead && joint.has(j) ? 0 : (cij - (ci * c[j]) / n) / (ci * (1 - ci / n) + lambda),
      );
      if (inHead) joint.weights(i, list);
      keep(i, list);
      if (scoring.intercept) fitted.baseline.set(ids[i], inHead ? joint.intercept(i) : ci / n);
    }
  }
  if (options.popularity !== 0) {
    for (const i of warmItems) fitted.baseline.set(ids[i], (fitted.baseline.get(ids[i]) ?? 0) + (options.popularity * c[i]) / n);
  }
  return fitted;
}

/**
 * The `limit` weights largest in size, best first. A negative weight (two items bought together
 * less than their popularity predicts) is kept when it is among the strongest: it lowers that
 * candidate in a query holding both.
 */
function strongest(list: Neighbour[], limit: number): Neighbour[] {
  if (list.length > limit) {
    list.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    list.length = limit;
  }
  return list.sort(byScore);
}

/** One item's non-zero weights to its warm co-purchased items. */
function pairList(counts: CoPurchaseCounts, i: number, warm: Uint8Array, weight: (j: number, cij: number) => number): Neighbour[] {
  const out: Neighbour[] = [];
  for (const [j, cij] of counts.pairs[i]) {
    if (!warm[j]) continue;
    const w = weight(j, cij);
    if (w !== 0) out.push({ item: counts.ids[j], score: w });
  }
  return out;
}

/** The joint fit over the head: a head item's weights to the other head items, and its intercept. */
function easeFit(
  counts: CoPurchaseCounts,
  head: number[],
  lambda: number,
  intercept: boolean,
): { has: (k: number) => boolean; weights: (k: number, into: Neighbour[]) => void; intercept: (k: number) => number } {
  const m = head.length;
  const size = intercept ? m + 1 : m;
  const position = new Map(head.map((k, a) => [k, a]));
  const g = new Float64Array(size * size);
  for (let a = 0; a < m; a++) {
    const ca = counts.items[head[a]];
    g[a * size + a] = ca + lambda;
    for (const [j, cij] of counts.pairs[head[a]]) {
      const b = position.get(j);
      if (b !== undefined) g[a * size + b] = cij;
    }
    // The constant column: every basket "holds" it, so its co-count with an item is the item's count.
    if (intercept) {
      g[a * size + m] = ca;
      g[m * size + a] = ca;
    }
  }
  if (intercept) g[m * size + m] = counts.baskets;
  const p = m === 0 ? g : invertSymmetricPositive(g, size);
  return {
    has: (k) => position.has(k),
    weights(k, into) {
      const a = position.get(k)!;
      for (let b = 0; b < m; b++) {
        // W[a][b] = −P[a][b] / P[b][b]: how much holding a raises the prediction for b.
        const w = a === b ? 0 : -p[a * size + b] / p[b * size + b];
        if (w !== 0) into.push({ item: counts.ids[head[b]], score: w });
      }
    },
    intercept(k) {
      const a = position.get(k)!;
      return -p[m * size + a] / p[a * size + a];
    },
  };
}

/** Best first, ties by item id, so the same counts always give the same list. */
export function byScore(a: Neighbour, b: Neighbour): number {
  return b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0);
}

/**
 * Inverse of a symmetric positive-definite matrix (row-major, n×n) by Cholesky: A = LLᵀ and
 * A⁻¹ = L⁻ᵀL⁻¹. Every inner loop is a dot product along rows, so it stays cache-friendly at n in
 * the thousands. XᵀX + λI with λ > 0 is always positive definite.
 */
export function invertSymmetricPositive(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const sum = a[ri + j] - dot(l, ri, l, rj, j);
      if (i === j) {
        if (!(sum > 0)) throw new Error("matrix is not positive definite");
        l[ri + i] = Math.sqrt(sum);
      } else {
        l[ri + j] = sum / l[rj + j];
      }
    }
  }
  // u = (L⁻¹)ᵀ, upper triangular: row j of u is column j of L⁻¹ (forward substitution of L x = e_j).
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    u[rj + j] = 1 / l[rj + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      u[rj + i] = -dot(l, ri + j, u, rj + j, i - j) / l[ri + i];
    }
  }
  // A⁻¹[i][j] = Σ_k u[i][k] · u[j][k], k ≥ max(i, j).
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const sum = dot(u, ri + i, u, rj + i, n - i);
      out[ri + j] = sum;
      out[rj + i] = sum;
    }
  }
  return out;
}

/** Σ x[xo + k] · y[yo + k] for k < length, four at a time (about 1.4× faster in V8 than one). */
function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += x[xo + k] * y[yo + k];
    s1 += x[xo + k + 1] * y[yo + k + 1];
    s2 += x[xo + k + 2] * y[yo + k + 2];
    s3 += x[xo + k + 3] * y[yo + k + 3];
  }
  for (; k < length; k++) s0 += x[xo + k] * y[yo + k];
  return s0 + s1 + (s2 + s3);
}
