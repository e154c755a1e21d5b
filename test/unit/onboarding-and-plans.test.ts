import { describe, expect, test } from "vitest";
import { defaultProgram, dollarLikeUnit, withDefaultProgram } from "~/admin/onboarding";
import { defaultSettings, parseSettings } from "~/domain/earning/program";
import { parseRewardInput } from "~/domain/rewards/rewards";
import { monthOf, PLANS, planOfSubscription, usageOf } from "~/domain/shop/plans";
import { billingReturnUrl, billingSettings } from "~/shopify/billing.server";

describe("defaultProgram(currency)", () => {
  test.each([
    // currency, minor units per point (perAmount), point value, first reward's value (minor units)
    ["USD", 100, 5, 500], // 1 point per $1; 100 points = $5 off
    ["EUR", 100, 5, 500],
    ["GBP", 100, 5, 500], // never less than one whole unit
    ["AUD", 200, 10, 1000], // A$2 is nearer a US dollar than A$1
    ["CAD", 100, 5, 500],
    ["IDR", 2_000_000, 100_000, 10_000_000], // 1 point per Rp20.000 (IDR has 2 minor digits in Shopify); Rp100.000 off
    ["JPY", 200, 10, 1000], // zero-decimal: 1 point per ¥200; ¥1,000 off
    ["KRW", 1000, 50, 5000], // zero-decimal, large unit
    ["VND", 20_000, 1000, 100_000],
    ["INR", 10_000, 500, 50_000], // 1 point per ₹100
    ["KWD", 1000, 50, 5000], // three decimals: 1 point per 1 KWD
    ["XYZ", 100, 5, 500], // unknown: per one whole unit
  ])("%s: 1 point per %i minor units, point worth %i, first reward %i", (currency, perAmount, pointValue, value) => {
    const defaults = defaultProgram(currency);
    expect(defaults.earning).toEqual({ points: 1, perAmount });
    expect(defaults.pointValue).toBe(pointValue);
    expect(defaults.rewards[0]).toMatchObject({ type: "fixed_amount", pointsCost: 100, value });
  });

  test("every first reward gives about 5 % back, and the defaults are valid settings and rewards", () => {
    for (const currency of ["USD", "IDR", "JPY", "VND", "KWD", "CLP", "HUF", "BRL", "ISK"]) {
      const defaults = defaultProgram(currency);
      const fixed = defaults.rewards.find((r) => r.type === "fixed_amount")!;
      const spent = (fixed.pointsCost / defaults.earning.points) * defaults.earning.perAmount;
      expect(fixed.value / spent, currency).toBeCloseTo(0.05, 5);
      // A point is worth what the first reward pays per point.
      expect(defaults.pointValue * fixed.pointsCost, currency).toBe(fixed.value);
      const settings = parseSettings(withDefaultProgram(defaultSettings(currency), currency));
      expect(settings.earning.perAmount).toBe(defaults.earning.perAmount);
      for (const reward of defaults.rewards) expect(() => parseRewardInput({ ...reward, name: "x" }), currency).not.toThrow();
    }
  });

  test("the suggested rate is a round amount near one US dollar's worth, and says so only when the rate is known", () => {
    // GIVEN about 16,300 rupiah to the dollar: Rp20.000 is the nearest 1-2-5 amount (Rp1.000 would be 6 US cents)
    expect(dollarLikeUnit("IDR")).toBe(20_000);
    expect(dollarLikeUnit("VND")).toBe(20_000);
    expect(dollarLikeUnit("JPY")).toBe(200);
    expect(dollarLikeUnit("USD")).toBe(1);
    expect(dollarLikeUnit("KWD")).toBe(1);
    expect(dollarLikeUnit("XYZ")).toBeNull();
    expect(defaultProgram("IDR").nearDollar).toBe(true);
    expect(defaultProgram("XYZ").nearDollar).toBe(false);
  });

  test("currency codes are case-insensitive", () => {
    expect(defaultProgram("idr")).toEqual(defaultProgram("IDR"));
  });
});

describe("plans", () => {
  test("the calendar month is UTC, end exclusive", () => {
    expect(monthOf(new Date("2026-11-30T23:59:59Z"))).toEqual({
      start: new Date("2026-11-01T00:00:00Z"),
      end: new Date("2026-12-01T00:00:00Z"),
    });
    expect(monthOf(new Date("2026-12-31T12:00:00Z")).end).toEqual(new Date("2027-01-01T00:00:00Z"));
  });

  test("usage: near at 80 %, over above the limit, and the cheapest plan that covers the month", () => {
    const month = monthOf(new Date("2026-11-15T00:00:00Z"));
    expect(usageOf("free", 79, month)).toMatchObject({ limit: 100, nearLimit: false, overLimit: false, suggested: "free" });
    expect(usageOf("free", 80, month)).toMatchObject({ nearLimit: true, overLimit: false });
    expect(usageOf("free", 100, month)).toMatchObject({ overLimit: false, suggested: "free" });
    expect(usageOf("free", 101, month)).toMatchObject({ overLimit: true, suggested: "growth" });
    expect(usageOf("growth", 5000, month)).toMatchObject({ overLimit: true, suggested: "pro" });
    expect(usageOf("pro", 1_000_000, month)).toMatchObject({ limit: null, nearLimit: false, overLimit: false });
  });

  test("Shopify subscription names map back to plans; unknown names to none", () => {
    expect(planOfSubscription(PLANS.growth.shopifyName!)).toBe("growth");
    expect(planOfSubscription(PLANS.pro.shopifyName!)).toBe("pro");
    expect(planOfSubscription("Kembali Legacy")).toBeNull();
  });

  test("billing: none in demo and test mode; test charges unless a production build without SHOPIFY_BILLING_TEST", () => {
    expect(billingSettings("demo", { NODE_ENV: "production" })).toEqual({ kind: "local", test: true });
    expect(billingSettings("test", { NODE_ENV: "test" })).toEqual({ kind: "local", test: true });
    expect(billingSettings("production", { NODE_ENV: "development" })).toEqual({ kind: "shopify", test: true });
    expect(billingSettings("production", {})).toEqual({ kind: "shopify", test: true });
    expect(billingSettings("production", { NODE_ENV: "production", SHOPIFY_BILLING_TEST: "1" })).toEqual({ kind: "shopify", test: true });
    expect(billingSettings("production", { NODE_ENV: "production" })).toEqual({ kind: "shopify", test: false });
  });

  test("Shopify returns the merchant to the Plans page inside the admin", () => {
    expect(billingReturnUrl("toko.myshopify.com", "abc123")).toBe(
      "https://admin.shopify.com/store/toko/apps/abc123/app/plans?billing=return",
    );
  });
});
