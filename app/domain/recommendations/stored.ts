// Answers a query from the stored rows (RecsNeighbour, RecsItem) of one shop, never from
// orders: the neighbours of the query's products, the baselines of the candidates they name,
// the highest baselines and the most bought products, just enough of each for `recommend`.
import type { Deps } from "../deps";
import { recommend, type Neighbour, type NeighbourStore, type Recommendation, type RecommendQuery } from "./model";

/** The neighbourId of a product's baseline row. */
export const BASELINE = "";

export async function storedRecommendations(deps: Pick<Deps, "db">, shopId: string, query: RecommendQuery): Promise<Recommendation[]> {
  if (!(query.limit >= 1)) return [];
  const items = [...query.items];
  const ids = [...new Set(items.map((q) => (typeof q === "string" ? q : q.item)))];
  const exclude = [...new Set(query.exclude ?? [])];
  // Enough of each ranking to fill `limit` after skipping everything the query blocks.
  const take = query.limit + ids.length + exclude.length;
  const { db } = deps;
  const [rows, sellers] = await Promise.all([
    ids.length
      ? db.recsNeighbour.findMany({
          where: { shopId, productId: { in: ids }, neighbourId: { not: BASELINE } },
          select: { productId: true, neighbourId: true, score: true },
        })
      : [],
    db.recsItem.findMany({
      where: { shopId, baskets: { gt: 0 } },
      orderBy: [{ baskets: "desc" }, { productId: "asc" }],
      take,
      select: { productId: true },
    }),
  ]);
  const neighbours = new Map<string, Neighbour[]>();
  for (const r of rows) {
    const list = neighbours.get(r.productId) ?? [];
    list.push({ item: r.neighbourId, score: r.score });
    neighbours.set(r.productId, list);
  }
  const named = [...new Set(rows.map((r) => r.neighbourId))];
  const [top, namedBaselines] = await Promise.all([
    // The highest baselines, enough to fill `limit` after skipping what the lists name.
    db.recsNeighbour.findMany({
      where: { shopId, neighbourId: BASELINE },
      orderBy: [{ score: "desc" }, { productId: "asc" }],
      take: take + named.length,
      select: { productId: true, score: true },
    }),
    baselinesOf(db, shopId, named),
  ]);
  const baseline = new Map<string, number>([...top, ...namedBaselines].map((r) => [r.productId, r.score]));
  const store: NeighbourStore = {
    neighbours,
    baseline,
    byBaseline: top.map((r) => r.productId),
    bestSellers: sellers.map((r) => r.productId),
  };
  return recommend(store, { items, exclude, limit: query.limit });
}

/** Prisma refuses more than 999 bound values per query on SQLite: a history's lists name thousands. */
const IN_LIST = 900;

/** The baselines of the named products, read in pieces of IN_LIST. */
async function baselinesOf(db: Deps["db"], shopId: string, products: string[]): Promise<{ productId: string; score: number }[]> {
  const pieces: Promise<{ productId: string; score: number }[]>[] = [];
  for (let i = 0; i < products.length; i += IN_LIST) {
    pieces.push(
      db.recsNeighbour.findMany({
        where: { shopId, neighbourId: BASELINE, productId: { in: products.slice(i, i + IN_LIST) } },
        select: { productId: true, score: true },
      }),
    );
  }
  return (await Promise.all(pieces)).flat();
}
