// Synthetic order baskets for measuring the recommender at a shop's scale: skewed popularity
// (Zipf), products grouped in themes (what a shopper buys together, like a recipe or an
// outfit), a few strong complements per product (the charger with the phone), and basket
// sizes like real point-of-sale data (about 4 items, many single-item orders). Seeded, so the
// same arguments always give the same baskets.
import { mulberry32 } from "../app/domain/recommendations/evaluate";

export interface SyntheticOptions {
  products: number;
  orders: number;
  seed?: number;
  /** Products per theme. */
  themeSize?: number;
}

export function productId(k: number): string {
  return String(8_000_000_000_000 + k);
}

export function syntheticBaskets(options: SyntheticOptions): string[][] {
  const random = mulberry32(options.seed ?? 1);
  const n = options.products;
  const themeSize = options.themeSize ?? 25;
  const themes = Math.max(1, Math.ceil(n / themeSize));
  // Popularity by a random rank, so popular products spread over themes.
  const rank = shuffle(
    Array.from({ length: n }, (_, k) => k),
    random,
  );
  const weight = rank.map((r) => 1 / (r + 5));
  const theme = Array.from({ length: n }, () => Math.floor(random() * themes));
  const members: number[][] = Array.from({ length: themes }, () => []);
  theme.forEach((t, p) => members[t].push(p));
  const global = sampler(
    Array.from({ length: n }, (_, k) => k),
    weight,
    random,
  );
  const inTheme = members.map((m) =>
    m.length > 0
      ? sampler(
          m,
          m.map((p) => weight[p]),
          random,
        )
      : () => global(),
  );
  const complements = Array.from({ length: n }, (_, p) => [inTheme[theme[p]](), inTheme[theme[p]]()].filter((c) => c !== p));

  const baskets: string[][] = [];
  for (let o = 0; o < options.orders; o++) {
    // 1 + geometric: mean about 3.8 items, a fifth of orders with a single item.
    let size = 1;
    while (size < 30 && random() < 0.73) size++;
    const basket = new Set<number>([global()]);
    for (let tries = 0; basket.size < size && tries < size * 4; tries++) {
      const items = [...basket];
      const anchor = items[Math.floor(random() * items.length)];
      const r = random();
      if (r < 0.35 && complements[anchor].length > 0) basket.add(complements[anchor][Math.floor(random() * complements[anchor].length)]);
      else if (r < 0.7) basket.add(inTheme[theme[anchor]]());
      else basket.add(global());
    }
    baskets.push([...basket].map(productId));
  }
  return baskets;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Draws from `values` with probability proportional to `weights` (cumulative sums, binary search). */
function sampler(values: number[], weights: number[], random: () => number): () => number {
  const cumulative = new Float64Array(values.length);
  let total = 0;
  weights.forEach((w, k) => (cumulative[k] = total += w));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
}
