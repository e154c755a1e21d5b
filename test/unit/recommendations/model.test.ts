import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { KembaliError } from "~/domain/errors";
import { countBaskets, itemCount, pairCount } from "~/domain/recommendations/counts";
import {
  buildRecommender,
  DEFAULT_RECS_PARAMS,
  historyQuery,
  neighbourRows,
  recommend,
  updateRecommender,
  type RecsParams,
} from "~/domain/recommendations/model";
import { invertSymmetricPositive } from "~/domain/recommendations/scoring";

const EASE: RecsParams = { ...DEFAULT_RECS_PARAMS, minSupport: 1 };
const CONFIDENCE: RecsParams = {
  neighbours: 50,
  minSupport: 1,
  popularity: 0,
  scoring: { kind: "pairs", alpha: 1, shrink: 0, exponent: 1 },
};
const COSINE_BLEND: RecsParams = { ...CONFIDENCE, popularity: 0.3, scoring: { kind: "pairs", alpha: 0.5, shrink: 2, exponent: 2 } };
// A head smaller than the catalogue: the joint fit for the most frequent items, single-item
// regressions for the rest.
const SMALL_HEAD: RecsParams = { ...EASE, neighbours: 3, scoring: { kind: "ease", lambda: 5, head: 3, intercept: true } };
const ALL_PARAMS = { EASE, CONFIDENCE, COSINE_BLEND, SMALL_HEAD };

const repeat = (times: number, basket: string[]) => Array.from({ length: times }, () => basket);

// Coffee goes with filters, tea with honey; milk is the best seller, in baskets of both kinds.
// (Enough orders for co-purchases to outweigh the shipped model's regularisation.)
const SHOP = [
  ...repeat(200, ["coffee", "filters"]),
  ...repeat(100, ["coffee", "filters", "milk"]),
  ...repeat(150, ["tea", "honey"]),
  ...repeat(100, ["tea", "honey", "milk"]),
  ...repeat(300, ["milk"]),
  ...repeat(120, ["milk", "bread"]),
  ...repeat(2, ["caviar", "coffee"]),
];
const ids = (recs: { item: string }[]) => recs.map((r) => r.item);

describe("queries", () => {
  test.each(Object.entries(ALL_PARAMS))("%s: one product gets its own co-purchases first, different per product", (_, params) => {
    const model = buildRecommender(SHOP, params);
    expect(recommend(model, { items: ["coffee"], limit: 1 })[0]).toMatchObject({ item: "filters", source: "co-purchase" });
    expect(recommend(model, { items: ["tea"], limit: 1 })[0]).toMatchObject({ item: "honey", source: "co-purchase" });
  });

  test("a cart merges the lists of its items", () => {
    const model = buildRecommender(SHOP, EASE);
    const top2 = ids(recommend(model, { items: ["coffee", "tea"], limit: 2 }));
    expect(top2.sort()).toEqual(["filters", "honey"]);
  });

  test("a shopper's history: recent orders lead, and nothing they bought is offered", () => {
    const model = buildRecommender(SHOP, EASE);
    const recentTea = recommend(model, { items: historyQuery([["tea"], ["coffee"]], 0.3), limit: 1 });
    expect(ids(recentTea)).toEqual(["honey"]);
    const recentCoffee = recommend(model, { items: historyQuery([["coffee"], ["tea"]], 0.3), limit: 1 });
    expect(ids(recentCoffee)).toEqual(["filters"]);
    expect(historyQuery([["a", "b", "a"], ["a"]], 0.5)).toEqual([
      { item: "a", weight: 1.5 },
      { item: "b", weight: 1 },
    ]);
  });

  test.each(Object.entries(ALL_PARAMS))("%s: excluded and unavailable items are never returned, even the best match", (_, params) => {
    const model = buildRecommender(SHOP, params);
    const recs = recommend(model, { items: ["coffee"], exclude: new Set(["filters", "milk"]), limit: 10 });
    expect(ids(recs)).not.toContain("filters");
    expect(ids(recs)).not.toContain("milk");
    expect(ids(recs)).not.toContain("coffee");
    // Everything else the shop sells is still offered.
    expect(ids(recs).sort()).toEqual(["bread", "caviar", "honey", "tea"]);
  });

  test("query items and excluded items are never returned, and answers fill up to the limit when the shop has enough items", () => {
    const item = fc.constantFrom<string>("a", "b", "c", "d", "e", "f", "g", "h");
    const basket = fc.uniqueArray(item, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.array(basket, { minLength: 1, maxLength: 25 }),
        fc.uniqueArray(item, { maxLength: 4 }),
        fc.uniqueArray(item, { maxLength: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(...Object.values(ALL_PARAMS)),
        (history, query, exclude, limit, params) => {
          const model = buildRecommender(history, params);
          const recs = recommend(model, { items: query, exclude, limit });
          const blocked = new Set([...query, ...exclude]);
          for (const r of recs) expect(blocked.has(r.item)).toBe(false);
          expect(new Set(ids(recs)).size).toBe(recs.length);
          const offerable = model.bestSellers.filter((i) => !blocked.has(i)).length;
          expect(recs.length).toBe(Math.min(limit, offerable));
        },
      ),
    );
  });
});

describe("cold start", () => {
  const params: RecsParams = { ...EASE, minSupport: 5 };

  test("a product in fewer orders than the threshold gets the best sellers, in order, minus itself", () => {
    const model = buildRecommender(SHOP, params);
    expect(itemCount(model.counts, "caviar")).toBe(2);
    const recs = recommend(model, { items: ["caviar"], limit: 3 });
    expect(recs).toEqual([
      { item: "milk", score: 0, source: "best-seller" },
      { item: "coffee", score: 0, source: "best-seller" },
      { item: "filters", score: 0, source: "best-seller" },
    ]);
    // An unknown product (never ordered) gets the same.
    expect(recommend(model, { items: ["new-product"], limit: 3 })).toEqual(recs);
  });

  test("the threshold is a parameter: at or above it the product's own data answers", () => {
    const model = buildRecommender(SHOP, { ...params, minSupport: 2 });
    expect(recommend(model, { items: ["caviar"], limit: 1 })[0]).toMatchObject({ source: "co-purchase" });
    // Under the threshold an item is not anyone's neighbour either.
    const warmOnly = buildRecommender(SHOP, params);
    for (const row of neighbourRows(warmOnly)) {
      expect(row.item).not.toBe("caviar");
      expect(row.neighbour).not.toBe("caviar");
    }
  });

  test("best sellers fill what co-purchases leave, without repeating an item", () => {
    const model = buildRecommender(SHOP, CONFIDENCE);
    const recs = recommend(model, { items: ["bread"], limit: 6 });
    expect(recs[0]).toMatchObject({ item: "milk", source: "co-purchase" });
    expect(recs.slice(1).every((r) => r.source === "best-seller")).toBe(true);
    // Ties (honey and tea are in as many baskets) go by id.
    expect(ids(recs)).toEqual(["milk", "coffee", "filters", "honey", "tea", "caviar"]);
  });

  test("an empty history answers with nothing to recommend from, and no error", () => {
    const model = buildRecommender([], EASE);
    expect(recommend(model, { items: ["a"], limit: 5 })).toEqual([]);
    expect(neighbourRows(model)).toEqual([]);
  });
});

describe("incremental updates", () => {
  const item = fc.constantFrom("a", "b", "c", "d", "e", "f");
  const basket = fc.uniqueArray(item, { minLength: 1, maxLength: 4 });

  test.each(Object.entries(ALL_PARAMS))("%s: one order paid and one cancelled equals a rebuild of the resulting history", (_, params) => {
    fc.assert(
      fc.property(fc.array(basket, { minLength: 1, maxLength: 30 }), basket, fc.nat(), (history, paid, pick) => {
        const cancelled = history[pick % history.length];
        const model = buildRecommender(history, params);
        updateRecommender(model, { added: [paid], removed: [cancelled] });
        const remaining = history.filter((_, k) => k !== pick % history.length);
        const rebuilt = buildRecommender([...remaining, paid], params);
        expect(neighbourRows(model)).toEqual(neighbourRows(rebuilt));
        expect(model.bestSellers).toEqual(rebuilt.bestSellers);
        expect(model.byBaseline).toEqual(rebuilt.byBaseline);
        expect(model.counts.baskets).toBe(rebuilt.counts.baskets);
      }),
    );
  });

  test("paying then cancelling the same order restores the model exactly", () => {
    fc.assert(
      fc.property(fc.array(basket, { minLength: 1, maxLength: 30 }), basket, (history, order) => {
        const model = buildRecommender(history, EASE);
        const before = neighbourRows(model);
        updateRecommender(model, { added: [order] });
        updateRecommender(model, { removed: [order] });
        expect(neighbourRows(model)).toEqual(before);
      }),
    );
  });

  test("the items reported changed are exactly those whose stored rows changed", () => {
    fc.assert(
      fc.property(fc.array(basket, { minLength: 1, maxLength: 20 }), basket, (history, order) => {
        const model = buildRecommender(history, SMALL_HEAD);
        const before = rowsByItem(model);
        const changed = updateRecommender(model, { added: [order] });
        const after = rowsByItem(model);
        for (const i of new Set([...before.keys(), ...after.keys()])) {
          expect(changed.has(i)).toBe(JSON.stringify(before.get(i)) !== JSON.stringify(after.get(i)));
        }
      }),
    );
  });

  test("cancelling an order that was never counted is refused and changes nothing", () => {
    const model = buildRecommender(SHOP, EASE);
    const before = neighbourRows(model);
    const counted = model.counts.baskets;
    // The first removal would apply; the second cannot (tea and bread were never bought together).
    expect(() =>
      updateRecommender(model, {
        removed: [
          ["coffee", "filters"],
          ["tea", "bread"],
        ],
      }),
    ).toThrow(KembaliError);
    expect(() => updateRecommender(model, { removed: [["unknown"]] })).toThrow(/not counted/);
    expect(model.counts.baskets).toBe(counted);
    expect(pairCount(model.counts, "coffee", "filters")).toBe(300);
    expect(neighbourRows(model)).toEqual(before);
  });
});

describe("determinism", () => {
  test("the same baskets in any order give the same stored rows", () => {
    const item = fc.constantFrom("a", "b", "c", "d", "e", "f", "g");
    fc.assert(
      fc.property(fc.array(fc.array(item, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 25 }), fc.nat(), (history, seed) => {
        const reordered = [...history].sort((x, y) => (x.join() + seed < y.join() + seed ? -1 : 1)).map((b) => [...b].reverse());
        expect(neighbourRows(buildRecommender(reordered, EASE))).toEqual(neighbourRows(buildRecommender(history, EASE)));
      }),
    );
  });

  test("an item twice in a basket counts once", () => {
    const counts = countBaskets([["a", "a", "b"], ["a"]]);
    expect(itemCount(counts, "a")).toBe(2);
    expect(pairCount(counts, "a", "b")).toBe(1);
    expect(pairCount(counts, "b", "a")).toBe(1);
  });
});

describe("parameters", () => {
  test("meaningless parameters are refused with a stable code", () => {
    const bad: RecsParams[] = [
      { ...EASE, scoring: { kind: "ease", lambda: 0, head: 10, intercept: true } },
      { ...EASE, scoring: { kind: "ease", lambda: 10, head: -1, intercept: true } },
      { ...EASE, neighbours: 0 },
      { ...EASE, minSupport: 0 },
      { ...CONFIDENCE, scoring: { kind: "pairs", alpha: 1.5, shrink: 0, exponent: 1 } },
    ];
    for (const params of bad) expect(() => buildRecommender(SHOP, params)).toThrow(expect.objectContaining({ code: "BAD_INPUT" }));
  });
});

describe("the linear model's inverse", () => {
  test("A · A⁻¹ is the identity for a positive-definite matrix", () => {
    const n = 4;
    const a = Float64Array.from([10, 2, 3, 1, 2, 8, 1, 0, 3, 1, 9, 2, 1, 0, 2, 7]);
    const inv = invertSymmetricPositive(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let x = 0;
        for (let k = 0; k < n; k++) x += a[i * n + k] * inv[k * n + j];
        expect(x).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });
});

function rowsByItem(model: Parameters<typeof neighbourRows>[0]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const row of neighbourRows(model)) out.set(row.item, [...(out.get(row.item) ?? []), row]);
  return out;
}
