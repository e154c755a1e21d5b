// Each paid, not cancelled order with a product line is in the counts exactly once, on both
// databases, whatever the events' order or repetitions.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { cancelled, countsOf, newShop, order, paid, storedCounts } from "./fixture";

describe("counting orders for recommendations", () => {
  test("a paid order adds its distinct products and pairs; a product on two lines counts once", async () => {
    const shop = await newShop();
    await paid(shop.domain, order("1", ["b", "a", "c", "a"]));
    await paid(shop.domain, order("2", ["a", "b"]));
    expect(await storedCounts(shop.id)).toEqual(
      countsOf([
        ["a", "b", "c"],
        ["a", "b"],
      ]),
    );
    expect(await storedCounts(shop.id)).toMatchObject({ baskets: 2, items: { a: 2, b: 2, c: 1 }, pairs: { "a|b": 2, "a|c": 1, "b|c": 1 } });
    const products = await prisma.product.findMany({ where: { shopId: shop.id }, orderBy: { productId: "asc" } });
    expect(products.map((p) => [p.productId, p.title])).toEqual([
      ["a", "Product a"],
      ["b", "Product b"],
      ["c", "Product c"],
    ]);
    const state = await prisma.recsState.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(state.countsVersion).toBe(2);
  });

  test("the same order paid twice (a duplicate or a retried webhook, or a backfill of it) counts once", async () => {
    const shop = await newShop();
    await paid(shop.domain, order("1", ["a", "b"]));
    await paid(shop.domain, order("1", ["a", "b"]));
    // Two deliveries at once: one may lose the race to create the order (Shopify retries it).
    const both = await Promise.allSettled([paid(shop.domain, order("2", ["a", "c"])), paid(shop.domain, order("2", ["a", "c"]))]);
    expect(both.some((r) => r.status === "fulfilled")).toBe(true);
    await paid(shop.domain, order("2", ["a", "c"]));
    expect(await storedCounts(shop.id)).toEqual(
      countsOf([
        ["a", "b"],
        ["a", "c"],
      ]),
    );
  });

  test("a cancellation takes the order out: the counts equal counting the remaining orders from scratch", async () => {
    const shop = await newShop();
    const history = [
      ["a", "b", "c"],
      ["a", "b"],
      ["b", "d"],
      ["a", "c", "d", "e"],
    ];
    for (const [k, b] of history.entries()) await paid(shop.domain, order(String(k + 1), b));
    await cancelled(shop.domain, order("4", history[3]));
    await cancelled(shop.domain, order("4", history[3])); // again: nothing more
    expect(await storedCounts(shop.id)).toEqual(countsOf(history.slice(0, 3)));
    // Pairs and items that reached 0 are gone.
    expect(await prisma.recsPair.count({ where: { shopId: shop.id, productB: "e" } })).toBe(0);
    expect(await prisma.recsItem.count({ where: { shopId: shop.id, productId: "e" } })).toBe(0);
    expect((await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderId: "4" } })).recsCounted).toBe(false);
  });

  test("a cancellation that arrives before the paid event leaves the order uncounted", async () => {
    const shop = await newShop();
    await cancelled(shop.domain, order("1", ["a", "b"]));
    await paid(shop.domain, order("1", ["a", "b"]));
    await paid(shop.domain, order("2", ["a", "c"]));
    expect(await storedCounts(shop.id)).toEqual(countsOf([["a", "c"]]));
  });

  test("an order without product lines is recorded but not counted", async () => {
    const shop = await newShop();
    await paid(shop.domain, order("1", [null, null]));
    const row = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row.recsCounted).toBe(false);
    expect(await storedCounts(shop.id)).toEqual({ baskets: 0, items: {}, pairs: {} });
    await cancelled(shop.domain, order("1", [null, null]));
    expect(await storedCounts(shop.id)).toEqual({ baskets: 0, items: {}, pairs: {} });
  });

  test("another shop's counts are untouched", async () => {
    const one = await newShop();
    const two = await newShop();
    await paid(one.domain, order("1", ["a", "b"]));
    await paid(two.domain, order("1", ["a", "b", "c"]));
    await cancelled(two.domain, order("1", ["a", "b", "c"]));
    expect(await storedCounts(one.id)).toEqual(countsOf([["a", "b"]]));
    expect(await storedCounts(two.id)).toEqual({ baskets: 0, items: {}, pairs: {} });
  });
});
