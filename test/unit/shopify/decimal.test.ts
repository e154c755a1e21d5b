import fc from "fast-check";
import { expect, test } from "vitest";
import { parseMoney } from "../../../common/money";
import { toDecimal } from "~/shopify/admin/decimal";

test("GIVEN minor units THEN Shopify gets the decimal string its currency uses", () => {
  expect(toDecimal(2_500_000, "IDR")).toBe("25000.00");
  expect(toDecimal(5, "USD")).toBe("0.05");
  expect(toDecimal(0, "USD")).toBe("0.00");
  expect(toDecimal(1500, "JPY")).toBe("1500");
  expect(toDecimal(1234, "KWD")).toBe("1.234");
});

test("GIVEN an amount that is not whole non-negative minor units THEN it is refused", () => {
  expect(() => toDecimal(-1, "IDR")).toThrow(RangeError);
  expect(() => toDecimal(1.5, "IDR")).toThrow(RangeError);
  expect(() => toDecimal(2 ** 53, "IDR")).toThrow(RangeError);
});

test("GIVEN any amount THEN parseMoney reads back exactly what toDecimal wrote", () => {
  fc.assert(
    fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom("IDR", "USD", "JPY", "KWD"), (amount, currency) => {
      expect(parseMoney(toDecimal(amount, currency), currency).amount).toBe(amount);
    }),
  );
});
