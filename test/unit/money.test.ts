import { describe, expect, test } from "vitest";
import { formatMoney, oneUnit, parseMoney } from "../../common/money";

describe("money", () => {
  test("parses Shopify decimal strings exactly into minor units", () => {
    expect(parseMoney("250000.00", "IDR")).toEqual({ amount: 25_000_000, currency: "IDR" });
    expect(parseMoney("19.99", "USD").amount).toBe(1999);
    expect(parseMoney("0.1", "USD").amount).toBe(10);
    expect(parseMoney("1500", "JPY").amount).toBe(1500);
    expect(parseMoney("1.234", "KWD").amount).toBe(1234);
    // 0.29 * 100 is 28.999999999999996 in floating point; the parser must not go through it
    expect(parseMoney("0.29", "USD").amount).toBe(29);
  });

  test("refuses what is not a plain amount", () => {
    expect(() => parseMoney("-5.00", "USD")).toThrow(RangeError);
    expect(() => parseMoney("1e3", "USD")).toThrow(RangeError);
    expect(() => parseMoney("12.345", "USD")).toThrow(/decimals/);
    expect(() => parseMoney("", "USD")).toThrow(RangeError);
  });

  test("one whole unit per currency", () => {
    expect([oneUnit("USD"), oneUnit("IDR"), oneUnit("JPY"), oneUnit("BHD")]).toEqual([100, 100, 1, 1000]);
  });

  test("IDR is displayed without a minor unit", () => {
    expect(formatMoney({ amount: 25_000_000, currency: "IDR" }, "id-ID")).toMatch(/^Rp\s?250\.000$/);
    expect(formatMoney({ amount: 1999, currency: "USD" }, "en-US")).toBe("$19.99");
  });
});
