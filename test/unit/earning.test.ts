import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { pointsForOrder } from "~/domain/earning";
import { defaultSettings } from "~/domain/program";

describe("pointsForOrder", () => {
  test("default: 1 point per whole unit of the shop currency, rounded down", () => {
    expect(pointsForOrder({ subtotal: 1999 }, defaultSettings("USD"))).toBe(19);
    expect(pointsForOrder({ subtotal: 25_000_000 }, defaultSettings("IDR"))).toBe(250_000);
    expect(pointsForOrder({ subtotal: 1500 }, defaultSettings("JPY"))).toBe(1500);
  });

  test("a configured rate: 1 point per Rp1.000 makes a Rp250.000 order earn 250", () => {
    expect(pointsForOrder({ subtotal: 25_000_000 }, { earning: { points: 1, perAmount: 100_000 } })).toBe(250);
    expect(pointsForOrder({ subtotal: 1000 }, { earning: { points: 5, perAmount: 100 } })).toBe(50);
  });

  test("nothing for empty or free orders, or a zero rate", () => {
    expect(pointsForOrder({ subtotal: 0 }, defaultSettings("USD"))).toBe(0);
    expect(pointsForOrder({ subtotal: 5000 }, { earning: { points: 0, perAmount: 100 } })).toBe(0);
  });

  test("exact for very large IDR totals (beyond 2^53 in intermediate products)", () => {
    expect(pointsForOrder({ subtotal: 9_000_000_000_000 }, { earning: { points: 1000, perAmount: 3 } })).toBe(3_000_000_000_000_000);
  });

  test("never negative, never more than the rate allows, monotonic in the subtotal", () => {
    fc.assert(
      fc.property(fc.nat(1e12), fc.nat(1e12), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1e6 }), (a, b, points, perAmount) => {
        const s = { earning: { points, perAmount } };
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const pl = pointsForOrder({ subtotal: lo }, s);
        expect(pl).toBeGreaterThanOrEqual(0);
        expect(pl).toBeLessThanOrEqual((lo * points) / perAmount);
        expect(pointsForOrder({ subtotal: hi }, s)).toBeGreaterThanOrEqual(pl);
      }),
    );
  });
});
