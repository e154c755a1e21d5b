import { describe, expect, test } from "vitest";
import { BEST_SELLER_DAYS, bestSellerWindow, rankBestSellers } from "~/domain/recommendations/best-sellers";

const sale = (productId: string | null, quantity: number, lines = 1) => ({ productId, quantity, lines });

describe("ranking best sellers", () => {
  test("GIVEN sales THEN products come most units first", () => {
    expect(rankBestSellers([sale("8001", 3), sale("8002", 9), sale("8003", 5)])).toEqual(["8002", "8003", "8001"]);
  });

  test("GIVEN the same units THEN the product on more orders comes first", () => {
    expect(rankBestSellers([sale("8001", 6, 2), sale("8002", 6, 5)])).toEqual(["8002", "8001"]);
  });

  test("GIVEN the same units and orders THEN the lower product id comes first, in any input order, numerically", () => {
    const tied = [sale("10000", 4, 2), sale("9999", 4, 2), sale("8005", 4, 2)];
    expect(rankBestSellers(tied)).toEqual(["8005", "9999", "10000"]);
    expect(rankBestSellers([...tied].reverse())).toEqual(["8005", "9999", "10000"]);
    // 64-bit ids beyond Number's precision still order exactly.
    expect(rankBestSellers([sale("9007199254740993", 1), sale("9007199254740992", 1)])).toEqual(["9007199254740992", "9007199254740993"]);
  });

  test("GIVEN custom items, no units or odd ids THEN they are left out", () => {
    expect(rankBestSellers([sale(null, 50), sale("8001", 0), sale("gid://shopify/Product/1", 9), sale("8002", 1)])).toEqual(["8002"]);
  });

  test("GIVEN more products than kept THEN only the best are kept", () => {
    const sales = Array.from({ length: 20 }, (_, i) => sale(String(8001 + i), i + 1));
    expect(rankBestSellers(sales)).toHaveLength(12);
    expect(rankBestSellers(sales, 3)).toEqual(["8020", "8019", "8018"]);
    expect(rankBestSellers([])).toEqual([]);
  });

  test("GIVEN a time THEN the window is the 90 days up to it", () => {
    const now = new Date("2026-11-20T10:00:00Z");
    expect(bestSellerWindow(now)).toEqual({ from: new Date("2026-08-22T10:00:00Z"), to: now });
    expect(BEST_SELLER_DAYS).toBe(90);
  });
});
