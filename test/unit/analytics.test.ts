// The analytics formulas on hand-worked numbers.
import { describe, expect, test } from "vitest";
import { customerRetentionRate } from "~/domain/analytics/retention";
import { quintileScores, segmentOf } from "~/domain/analytics/segments";
import { median, monthStart, percent } from "~/domain/analytics/common";
import { addMonths } from "~/domain/ledger/expiry";

describe("customer retention rate", () => {
  test("CRR = (E − N) / S × 100: S = 100, N = 15, E = 110 gives 95 %", () => {
    expect(customerRetentionRate(100, 110, 15)).toBe(95);
  });

  test("rounds to 2 decimals and is null without customers at the start", () => {
    expect(customerRetentionRate(6, 7, 2)).toBe(83.33); // 5 / 6
    expect(customerRetentionRate(0, 5, 5)).toBeNull();
  });
});

describe("quintile scores", () => {
  test("ten distinct values score 1,1,2,2,…,5,5", () => {
    expect(quintileScores([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], true)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  test("lower is better for recency; equal values share the score of the first of them", () => {
    // days 5,5,5,40,100: the three 5s have 2 worse values → 1 + floor(10/5) = 3
    expect(quintileScores([5, 100, 5, 40, 5], false)).toEqual([3, 1, 3, 2, 3]);
  });

  test("empty input", () => {
    expect(quintileScores([], true)).toEqual([]);
  });
});

describe("segment rules", () => {
  test("first matching rule wins", () => {
    expect(segmentOf({ r: 5, f: 5, m: 5 }, true)).toBe("new");
    expect(segmentOf({ r: 4, f: 4, m: 1 }, false)).toBe("loyal");
    expect(segmentOf({ r: 5, f: 3, m: 5 }, false)).toBe("active");
    expect(segmentOf({ r: 3, f: 1, m: 1 }, false)).toBe("active");
    expect(segmentOf({ r: 2, f: 1, m: 1 }, false)).toBe("at_risk");
    expect(segmentOf({ r: 1, f: 3, m: 1 }, false)).toBe("at_risk");
    expect(segmentOf({ r: 1, f: 2, m: 5 }, false)).toBe("lapsed");
  });
});

describe("helpers", () => {
  test("median, percent, months", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(1, 0)).toBeNull();
    expect(addMonths(new Date("2026-03-31T10:00:00Z"), -1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2026-04-01T00:00:00Z"), -24).toISOString()).toBe("2024-04-01T00:00:00.000Z");
    expect(monthStart(new Date("2026-01-15T12:00:00Z"), -2).toISOString()).toBe("2025-11-01T00:00:00.000Z");
  });
});
