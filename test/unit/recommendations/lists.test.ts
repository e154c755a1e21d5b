// What each product's list holds (decision 033), as pure functions: pins, learned, fill; what
// is never shown.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { productList, shopList, type ListSources } from "~/domain/recommendations/lists";
import { readProductIds } from "~/domain/recommendations/products";

const all = () => true;
const sources = (over: Partial<ListSources>): ListSources => ({
  productId: "1",
  listLength: 4,
  pins: [],
  learned: [],
  bestSellers: [],
  picks: [],
  showable: all,
  ...over,
});

describe("productList", () => {
  test("GIVEN pins and a learned list THEN pins come first, in order, then what it learned", () => {
    expect(productList(sources({ pins: ["9", "7"], learned: ["2", "3", "4"] }))).toEqual(["9", "7", "2", "3"]);
  });

  test("GIVEN a short learned list THEN best sellers fill, then the merchant's picks, up to the list length", () => {
    expect(productList(sources({ listLength: 6, learned: ["2"], bestSellers: ["5", "6"], picks: ["8", "9", "10"] }))).toEqual([
      "2",
      "5",
      "6",
      "8",
      "9",
      "10",
    ]);
    expect(productList(sources({ listLength: 3, pins: ["4"], bestSellers: ["5", "6"], picks: ["8"] }))).toEqual(["4", "5", "6"]);
  });

  test("GIVEN neither pins nor a learned list THEN no list of its own (the block shows the shop's list)", () => {
    expect(productList(sources({ bestSellers: ["5", "6"], picks: ["8"] }))).toEqual([]);
  });

  test("GIVEN pins and learned products that cannot be shown THEN no list of its own either", () => {
    const showable = (id: string) => !["2", "3", "4"].includes(id);
    expect(productList(sources({ pins: ["2"], learned: ["3", "4"], bestSellers: ["5"], showable }))).toEqual([]);
  });

  test("GIVEN the product itself, duplicates and products that cannot be shown THEN none of them is in the list", () => {
    const showable = (id: string) => id !== "3" && id !== "6";
    const list = productList(
      sources({
        listLength: 8,
        pins: ["1", "2", "2"],
        learned: ["3", "2", "4", "1"],
        bestSellers: ["4", "6", "5"],
        picks: ["5", "7", "3"],
        showable,
      }),
    );
    expect(list).toEqual(["2", "4", "5", "7"]);
  });

  test("GIVEN any sources THEN the list is showable, distinct, without the product, at most listLength long, pins first", () => {
    const id = fc.integer({ min: 1, max: 30 }).map(String);
    const ids = fc.array(id, { maxLength: 12 });
    fc.assert(
      fc.property(
        id,
        fc.integer({ min: 1, max: 10 }),
        ids,
        ids,
        ids,
        ids,
        fc.array(id, { maxLength: 10 }),
        (productId, listLength, pins, learned, bestSellers, picks, hidden) => {
          const showable = (p: string) => !hidden.includes(p);
          const list = productList({ productId, listLength, pins, learned, bestSellers, picks, showable });
          expect(list.length).toBeLessThanOrEqual(listLength);
          expect(new Set(list).size).toBe(list.length);
          expect(list).not.toContain(productId);
          list.forEach((p) => expect(showable(p)).toBe(true));
          const shownPins = [...new Set(pins)].filter((p) => p !== productId && showable(p)).slice(0, listLength);
          expect(list.slice(0, shownPins.length)).toEqual(shownPins);
          const own = [...pins, ...learned].some((p) => p !== productId && showable(p));
          expect(list.length > 0).toBe(own);
        },
      ),
    );
  });
});

describe("shopList", () => {
  test("GIVEN few best sellers THEN the merchant's picks fill; what cannot be shown is left out", () => {
    const showable = (id: string) => id !== "6";
    expect(shopList({ bestSellers: ["5", "6"], picks: ["8", "5", "9"], showable, limit: 3 })).toEqual(["5", "8", "9"]);
    expect(shopList({ bestSellers: [], picks: [], showable, limit: 12 })).toEqual([]);
  });
});

describe("readProductIds", () => {
  test("GIVEN a JSON column THEN only numeric ids, once each, in order", () => {
    expect(readProductIds(["8001", 8002, "gid://shopify/Product/1", "8001", "8003"])).toEqual(["8001", "8003"]);
    expect(readProductIds(null)).toEqual([]);
    expect(readProductIds({ a: 1 })).toEqual([]);
  });
});
