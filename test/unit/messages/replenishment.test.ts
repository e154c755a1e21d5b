import { describe, expect, test } from "vitest";
import { intervalDays, learnIntervals, median, type Purchase } from "~/domain/messages/sweeps";

const DAY = 86_400_000;
const D0 = Date.parse("2026-03-01T00:00:00Z");
const buy = (customerId: string, productId: string, orderId: string, day: number): Purchase => ({
  customerId,
  productId,
  orderId,
  at: new Date(D0 + day * DAY),
});

describe("repurchase intervals (pure)", () => {
  test("median: the middle value, or the mean of the middle two", () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([10, 40, 20, 30])).toBe(25);
    expect(median([])).toBeNaN();
  });

  test("intervalDays: whole days, at least one", () => {
    expect(intervalDays(9.6)).toBe(10);
    expect(intervalDays(0)).toBe(1);
  });

  test("consecutive purchases per customer and product, in time order; one order is one purchase", () => {
    const purchases = [
      buy("a", "P", "o3", 21),
      buy("a", "P", "o1", 0),
      buy("a", "P", "o1", 0), // a second line of P in the same order
      buy("a", "P", "o2", 10),
      buy("b", "P", "o4", 5),
      buy("b", "P", "o5", 35),
      buy("b", "Q", "o5", 35),
      buy("c", "Q", "o6", 1),
    ];
    // P's gaps: 10, 11 (a) and 30 (b): median 11.
    expect([...learnIntervals(purchases, 3)]).toEqual([["P", { days: 11, repeats: 3 }]]);
    expect(learnIntervals(purchases, 4).size).toBe(0);
    // Q was bought once by each customer: no repeat, no interval.
    expect(learnIntervals(purchases, 1).has("Q")).toBe(false);
  });
});
