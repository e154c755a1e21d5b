// A query answered from the stored rows gives exactly what the in-memory model gives, on both
// databases: the rows hold everything `recommend` needs, and the loader fetches enough of them.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import prisma from "~/db.server";
import { buildRecommender, DEFAULT_RECS_PARAMS, neighbourRows, recommend } from "~/domain/recommendations/model";
import { BASELINE, storedRecommendations } from "~/domain/recommendations/stored";
import { learnedLists } from "~/domain/recommendations/lists";
import { mulberry32 } from "~/domain/recommendations/evaluate";
import { newShopDomain } from "../../helpers";

/** Baskets with structure: products 1-40, each with two complements, popularity falling. */
function baskets(count: number, seed: number): string[][] {
  const random = mulberry32(seed);
  const out: string[][] = [];
  for (let b = 0; b < count; b++) {
    const first = 1 + Math.floor(40 * Math.pow(random(), 2));
    const basket = [String(first)];
    if (random() < 0.7) basket.push(String(((first + 3) % 40) + 1));
    if (random() < 0.4) basket.push(String(1 + Math.floor(40 * random())));
    out.push(basket);
  }
  return out;
}

async function storedShop(model: ReturnType<typeof buildRecommender>) {
  const shop = await prisma.shop.create({ data: { domain: newShopDomain(), settings: {} } });
  const rows = neighbourRows(model).map((r) => ({
    shopId: shop.id,
    productId: r.item,
    neighbourId: r.neighbour ?? BASELINE,
    score: r.score,
  }));
  await prisma.recsNeighbour.createMany({ data: rows });
  const items = model.counts.ids
    .map((id, k) => ({ shopId: shop.id, productId: id, baskets: model.counts.items[k] }))
    .filter((r) => r.baskets > 0);
  await prisma.recsItem.createMany({ data: items });
  return shop.id;
}

describe("storedRecommendations", () => {
  test("answers as the in-memory model does, for products, carts, weighted histories and exclusions", async () => {
    const model = buildRecommender(baskets(600, 7), DEFAULT_RECS_PARAMS);
    const shopId = await storedShop(model);
    const id = fc.integer({ min: 1, max: 45 }).map(String);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ item: id, weight: fc.double({ min: 0.1, max: 2, noNaN: true }) }), { minLength: 0, maxLength: 5 }),
        fc.array(id, { maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        async (items, exclude, limit) => {
          const expected = recommend(model, { items, exclude, limit });
          const got = await storedRecommendations({ db: prisma }, shopId, { items, exclude, limit });
          expect(got.map((r) => r.item)).toEqual(expected.map((r) => r.item));
          expect(got.map((r) => r.source)).toEqual(expected.map((r) => r.source));
        },
      ),
      { numRuns: 60 },
    );
  });

  test("a shop with no rows answers nothing, and another shop's rows never answer", async () => {
    const model = buildRecommender(baskets(300, 3), DEFAULT_RECS_PARAMS);
    await storedShop(model);
    const empty = await prisma.shop.create({ data: { domain: newShopDomain(), settings: {} } });
    expect(await storedRecommendations({ db: prisma }, empty.id, { items: ["1"], limit: 5 })).toEqual([]);
  });

  test("learnedLists, batched for every product at once, answers as storedRecommendations does for each (co-purchase entries)", async () => {
    const model = buildRecommender(baskets(600, 11), DEFAULT_RECS_PARAMS);
    const shopId = await storedShop(model);
    const products = [...model.neighbours.keys()].sort();
    expect(products.length).toBeGreaterThan(20);
    const query = (productId: string) => ({ exclude: [String((Number(productId) % 40) + 1), "7"], limit: 1 + (Number(productId) % 9) });
    const batched = await learnedLists({ db: prisma }, shopId, products, query);
    for (const productId of products) {
      const one = await storedRecommendations({ db: prisma }, shopId, { items: [productId], ...query(productId) });
      expect([productId, batched.get(productId)]).toEqual([productId, one.filter((r) => r.source === "co-purchase").map((r) => r.item)]);
    }
  });
});
