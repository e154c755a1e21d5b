// A query whose lists name more products than Prisma binds in one query (999 on SQLite): a
// shopper's history of dozens of products, each with 50 neighbours.
import { expect, test } from "vitest";
import prisma from "~/db.server";
import { BASELINE, storedRecommendations } from "~/domain/recommendations/stored";
import { newShop } from "./fixture";

test("a history naming 1,500 neighbours is answered, best first", async () => {
  const shop = await newShop();
  const rows: { shopId: string; productId: string; neighbourId: string; score: number }[] = [];
  for (let p = 0; p < 30; p++) {
    for (let n = 0; n < 50; n++) rows.push({ shopId: shop.id, productId: `q${p}`, neighbourId: `n${p * 50 + n}`, score: 0.001 * (n + 1) });
  }
  for (let n = 0; n < 1500; n++) rows.push({ shopId: shop.id, productId: `n${n}`, neighbourId: BASELINE, score: n === 777 ? 5 : 0.01 });
  await prisma.recsNeighbour.createMany({ data: rows });
  const items = Array.from({ length: 30 }, (_, p) => ({ item: `q${p}`, weight: 1 }));
  const got = await storedRecommendations({ db: prisma }, shop.id, { items, limit: 5 });
  expect(got).toHaveLength(5);
  // Read in one piece, the named products' baselines would be refused (too many bound values).
  expect(got[0]).toMatchObject({ item: "n777", source: "co-purchase" });
});
