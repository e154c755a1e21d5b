// The impact comparison's statistics against published values (Newcombe 1998, "Interval
// estimation for the difference between independent proportions", Statistics in Medicine
// 17: 873–890, examples (a)–(c), method 10; his single-proportion paper's 81/263 for Wilson),
// Student's t table values, and a Welch interval worked by hand.
import { describe, expect, test } from "vitest";
import { meanDifference, proportionDifference, studentTQuantile, summarise, wilsonInterval } from "~/domain/analytics/stats";
import { compare, impactMessages, MIN_GROUP_CUSTOMERS, type ImpactReport } from "~/domain/analytics/impact";

const close = (actual: number, expected: number, digits = 4) => expect(actual).toBeCloseTo(expected, digits);

describe("Wilson and Newcombe intervals", () => {
  test("81 of 263: 0.3080 (0.2553 to 0.3662)", () => {
    const w = wilsonInterval(81, 263);
    close(w.estimate, 0.308);
    close(w.low, 0.2553);
    close(w.high, 0.3662);
  });

  test("0 of 10 and 10 of 10 stay inside [0, 1]", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    close(wilsonInterval(0, 10).high, 0.2775);
    close(wilsonInterval(10, 10).high, 1, 12);
    close(wilsonInterval(10, 10).low, 0.7225);
  });

  test.each([
    // x1, n1, x2, n2, difference, low, high
    [56, 70, 48, 80, 0.2, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
    [5, 56, 0, 29, 0.0893, -0.0381, 0.1926],
  ])("%i/%i − %i/%i = %f (%f to %f)", (x1, n1, x2, n2, d, low, high) => {
    const r = proportionDifference(x1, n1, x2, n2);
    close(r.estimate, d);
    close(r.low, low);
    close(r.high, high);
  });

  test("bad counts are refused", () => {
    expect(() => wilsonInterval(3, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
  });
});

describe("Student's t and Welch", () => {
  test.each([
    [1, 12.7062],
    [2, 4.3027],
    [10, 2.2281],
    [30, 2.0423],
    [120, 1.9799],
    [1e6, 1.96],
  ])("t(0.975, %f) = %f", (df, t) => close(studentTQuantile(0.975, df), t, 3));

  test("the t distribution is symmetric", () => {
    close(studentTQuantile(0.025, 10), -2.2281);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  test("Welch by hand: n 10, mean 20, s² 16 against n 12, mean 15, s² 36", () => {
    // se² = 16/10 + 36/12 = 4.6; df = 4.6² / (1.6²/9 + 3²/11) = 21.16 / 1.102626 = 19.1905;
    // t(0.975, 19.19) = 2.0916; half-width = 2.0916 × √4.6 = 4.4860 → 0.5140 to 9.4860.
    const r = meanDifference({ n: 10, mean: 20, variance: 16 }, { n: 12, mean: 15, variance: 36 });
    close(r.estimate, 5);
    close(r.df, 19.1905);
    close(r.low, 0.514, 3);
    close(r.high, 9.486, 3);
  });

  test("no spread in either group: the interval is the difference itself", () => {
    expect(meanDifference({ n: 3, mean: 5, variance: 0 }, { n: 4, mean: 2, variance: 0 })).toEqual({ estimate: 3, low: 3, high: 3, df: 5 });
  });

  test("summarise: 2, 4, 4, 6 has mean 4 and variance 8/3", () => {
    const s = summarise(4, 16, 72);
    expect(s.mean).toBe(4);
    close(s.variance, 8 / 3, 10);
    expect(() => summarise(1, 5, 25)).toThrow(RangeError);
  });
});

describe("members − holdout verdicts (impact.ts), on hand-made totals", () => {
  // Revenue values are 100 or 200 per customer, so Σ x² = 40,000 × repeaters + 10,000 × the rest.
  const group = (customers: number, repeat: number) => ({
    customers,
    repeatCustomers: repeat,
    revenue: 200 * repeat + 100 * (customers - repeat),
    squares: 40_000 * repeat + 10_000 * (customers - repeat),
  });

  test("60 % of 150 members against 30 % of 120 held out: both measures higher, an effect", () => {
    const c = compare(group(150, 90), group(120, 36), 20);
    // Newcombe: 30 points (18.17 to 40.59). Welch: means 160 and 130, s² 2,416.1 and 2,117.6,
    // se 5.81, df 261.4 → 30 (18.56 to 41.44), rounded to minor units.
    expect(c.repeatPurchaseRate).toEqual({ differencePoints: 30, lowPoints: 18.17, highPoints: 40.59, verdict: "higher" });
    expect(c.revenuePerCustomer).toEqual({ differenceMinor: 30, lowMinor: 19, highMinor: 41, verdict: "higher" });
    expect(c.verdict).toBe("effect");
    expect(impactMessages({ comparison: c, minimumGroupCustomers: MIN_GROUP_CUSTOMERS } as ImpactReport, (m) => `$${m}`)).toEqual([
      { key: "impact.verdict.effect", vars: { members: 150, holdout: 120, minimum: 100 } },
      { key: "impact.repeatRate.higher", vars: { difference: 30, estimate: 30, low: 18.17, high: 40.59 } },
      { key: "impact.revenue.higher", vars: { difference: "$30", estimate: "$30", low: "$19", high: "$41" } },
    ]);
  });

  test("the same rates in both groups: the intervals include 0, no effect is claimed", () => {
    const c = compare(group(150, 45), group(120, 36), 20);
    expect(c.repeatPurchaseRate).toEqual({ differencePoints: 0, lowPoints: -11.03, highPoints: 10.77, verdict: "no_clear_difference" });
    expect(c.revenuePerCustomer).toEqual({ differenceMinor: 0, lowMinor: -11, highMinor: 11, verdict: "no_clear_difference" });
    expect(c.verdict).toBe("no_clear_effect");
  });

  test("a large gap in small groups: the interval is given, but the verdict refuses below the minimum", () => {
    const c = compare(group(99, 90), group(120, 12), 20);
    expect(c.repeatPurchaseRate!.lowPoints).toBeGreaterThan(0);
    expect(c.repeatPurchaseRate!.verdict).toBe("too_few_customers");
    expect(c.revenuePerCustomer!.verdict).toBe("too_few_customers");
    expect(c.verdict).toBe("too_few_customers");
    const messages = impactMessages({ comparison: c, minimumGroupCustomers: MIN_GROUP_CUSTOMERS } as ImpactReport, String);
    expect(messages).toEqual([{ key: "impact.verdict.too_few_customers", vars: { members: 99, holdout: 120, minimum: 100 } }]);
  });

  test("no holdout set and nobody held out: no_holdout, no interval", () => {
    const c = compare(group(150, 45), group(0, 0), 0);
    expect(c).toMatchObject({ repeatPurchaseRate: null, revenuePerCustomer: null, verdict: "no_holdout" });
    expect(compare(group(150, 45), group(1, 0), 10)).toMatchObject({ repeatPurchaseRate: null, verdict: "too_few_customers" });
  });
});
