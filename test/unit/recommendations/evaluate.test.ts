import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { evaluate, mean, mulberry32, protocolSplit, sd, shuffled } from "~/domain/recommendations/evaluate";
import { buildRecommender, DEFAULT_RECS_PARAMS, recommend } from "~/domain/recommendations/model";

const repeat = (times: number, basket: string[]) => Array.from({ length: times }, () => basket);

describe("the protocol's split", () => {
  const baskets = Array.from({ length: 50 }, (_, k) => (k % 5 === 0 ? [`single-${k}`] : [`a${k % 7}`, `b${k % 3}`, `c${k}`]));

  test("the same seed gives the same split; another seed another", () => {
    expect(protocolSplit(baskets, 3)).toEqual(protocolSplit(baskets, 3));
    expect(protocolSplit(baskets, 4).train).not.toEqual(protocolSplit(baskets, 3).train);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  test("80 % train; one case per test basket with at least two distinct items; the hidden item completes the query", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        fc.nat(),
        (all, seed) => {
          const split = protocolSplit(all, seed);
          expect(split.train.length).toBe(Math.round(all.length * 0.8));
          const test = shuffled(all, mulberry32(seed)).slice(split.train.length);
          expect(split.cases.length).toBe(test.filter((b) => new Set(b).size >= 2).length);
          split.cases.forEach((c, k) => {
            const basket = new Set(test.filter((b) => new Set(b).size >= 2)[k]);
            expect(c.query).not.toContain(c.hidden);
            expect(new Set([...c.query, c.hidden])).toEqual(basket);
          });
        },
      ),
    );
  });

  test("a shuffle keeps every basket", () => {
    const out = shuffled(baskets, mulberry32(9));
    expect([...out].sort()).toEqual([...baskets].sort());
  });
});

describe("hit rates", () => {
  // Two pairs that always go together: hiding one, the other finds it at rank 1.
  const PAIRS = [...repeat(50, ["x", "y"]), ...repeat(50, ["p", "q"]), ...repeat(100, ["z"])];

  test("a planted co-purchase is found every time; best sellers find it only when it is popular enough", () => {
    const result = evaluate(
      PAIRS,
      [
        // Little regularisation: 200 baskets are few for the shipped λ.
        { name: "model", params: { ...DEFAULT_RECS_PARAMS, scoring: { kind: "ease", lambda: 1, head: 1000, intercept: true } } },
        { name: "best sellers", params: { ...DEFAULT_RECS_PARAMS, minSupport: Infinity } },
      ],
      { seeds: 3, ks: [1, 10] },
    );
    expect(result).toMatchObject({ baskets: 200, items: 5, seeds: 3 });
    const [model, popular] = result.results;
    expect(model.hr.get(1)).toEqual({ mean: 1, sd: 0 });
    // Best sellers rank z (in 100 baskets) first, so a hidden x, y, p or q is never at rank 1…
    expect(popular.hr.get(1)!.mean).toBe(0);
    // …but with only five items, always in the top 10.
    expect(popular.hr.get(10)!.mean).toBe(1);
  });

  test("the best-seller baseline answers through the model's own fallback", () => {
    const model = buildRecommender(PAIRS, { ...DEFAULT_RECS_PARAMS, minSupport: Infinity });
    expect(recommend(model, { items: ["x"], limit: 2 })).toEqual([
      { item: "z", score: 0, source: "best-seller" },
      { item: "p", score: 0, source: "best-seller" },
    ]);
  });

  test("the same data and seeds give the same figures", () => {
    const configs = [{ name: "model", params: DEFAULT_RECS_PARAMS }];
    const baskets = Array.from({ length: 120 }, (_, k) => [`i${k % 9}`, `i${(k * 7) % 11}`, `i${(k * 3) % 5}`]);
    const strip = (e: ReturnType<typeof evaluate>) => e.results.map((r) => [...r.hr]);
    expect(strip(evaluate(baskets, configs, { seeds: 2, ks: [5, 10] }))).toEqual(
      strip(evaluate(baskets, configs, { seeds: 2, ks: [5, 10] })),
    );
  });

  test("validation figures come from the training baskets only", () => {
    // Test baskets of seed 1 hold items the validation split never sees.
    const baskets = Array.from({ length: 100 }, (_, k) => [`a${k % 4}`, `b${k % 6}`]);
    const validation = evaluate(baskets, [{ name: "m", params: DEFAULT_RECS_PARAMS }], { seeds: 1, ks: [5], validation: true });
    const outer = protocolSplit(baskets, 1);
    expect(validation.cases).toBe(protocolSplit(outer.train, 1001).cases.length);
  });

  test("mean and sample standard deviation", () => {
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 3])).toBe(2);
    expect(sd([5])).toBe(0);
    expect(sd([1, 2, 3])).toBe(1);
  });
});
