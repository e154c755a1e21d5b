import { describe, expect, test } from "vitest";
import fc from "fast-check";
import {
  actionBonusDue,
  birthdayBonusDue,
  orderEarnings,
  pointsForOrder,
  stampRewardsDue,
  stampsForOrder,
  type OrderEarningInput,
  type OrderLine,
} from "~/domain/earning/earning";
import { defaultSettings, readSettings, type ProgramSettings } from "~/domain/earning/program";

const PAID = new Date("2025-06-10T08:00:00Z");
const DAY = 86_400_000;

/** Defaults for the currency with the given sections merged over them, as stored settings are. */
function settings(currency: string, patch: Record<string, unknown> = {}): ProgramSettings {
  return readSettings(patch, currency);
}

function order(partial: Partial<OrderEarningInput>): OrderEarningInput {
  return { subtotal: 0, shipping: 0, tax: 0, paidAt: PAID, customerTags: [], tierMultiplier: 1, lines: [], ...partial };
}

function line(partial: Partial<OrderLine> & { price: number }): OrderLine {
  return { productId: null, quantity: 1, productTags: [], collectionIds: [], ...partial };
}

const sum = (breakdown: Array<{ points: number }>) => breakdown.reduce((s, b) => s + b.points, 0);

describe("pointsForOrder (the base rate alone)", () => {
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
      fc.property(
        fc.nat(1e12),
        fc.nat(1e12),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1e6 }),
        (a, b, points, perAmount) => {
          const s = { earning: { points, perAmount } };
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pl = pointsForOrder({ subtotal: lo }, s);
          expect(pl).toBeGreaterThanOrEqual(0);
          expect(pl).toBeLessThanOrEqual((lo * points) / perAmount);
          expect(pointsForOrder({ subtotal: hi }, s)).toBeGreaterThanOrEqual(pl);
        },
      ),
    );
  });
});

describe("orderEarnings: base and pending period", () => {
  test("USD defaults: $49.99 after discounts earns 49, pending for 30 days; shipping and tax excluded", () => {
    const result = orderEarnings(order({ subtotal: 4999, shipping: 500, tax: 400 }), defaultSettings("USD"));
    expect(result).toEqual({
      points: 49,
      breakdown: [{ rule: "base", points: 49 }],
      availableAt: new Date(PAID.getTime() + 30 * DAY),
      excluded: null,
    });
  });

  test("USD with shipping and tax in the base: 49.99 + 5.00 + 4.00 earns 58", () => {
    const s = settings("USD", { earning: { base: { includeShipping: true, includeTax: true } } });
    expect(orderEarnings(order({ subtotal: 4999, shipping: 500, tax: 400 }), s).points).toBe(58);
    const shippingOnly = settings("USD", { earning: { base: { includeShipping: true } } });
    expect(orderEarnings(order({ subtotal: 4999, shipping: 500, tax: 400 }), shippingOnly).points).toBe(54);
  });

  test("IDR at 1 point per Rp1.000: a Rp250.000 order earns 250, available after 14 days", () => {
    const s = settings("IDR", { earning: { points: 1, perAmount: 100_000, pendingDays: 14 } });
    const result = orderEarnings(order({ subtotal: 25_000_000, lines: [line({ price: 25_000_000, productId: "1" })] }), s);
    expect(result.points).toBe(250);
    expect(result.availableAt).toEqual(new Date("2025-06-24T08:00:00Z"));
  });

  test("no pending period makes points available when paid", () => {
    const s = settings("USD", { earning: { pendingDays: 0 } });
    expect(orderEarnings(order({ subtotal: 100 }), s).availableAt).toEqual(PAID);
  });

  test("exact for very large IDR totals", () => {
    const s = settings("IDR", { earning: { points: 1000, perAmount: 3 } });
    const big = order({ subtotal: 9_000_000_000_000, lines: [line({ price: 9_000_000_000_000, productId: "1" })] });
    expect(orderEarnings(big, s).points).toBe(3_000_000_000_000_000);
  });

  test("the same points as pointsForOrder when no other rule applies", () => {
    fc.assert(
      fc.property(fc.nat(1e12), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1e6 }), (subtotal, points, perAmount) => {
        const s = settings("USD", { earning: { points, perAmount } });
        expect(orderEarnings(order({ subtotal, shipping: 999, tax: 999 }), s).points).toBe(pointsForOrder({ subtotal }, s));
      }),
    );
  });
});

describe("orderEarnings: exclusions", () => {
  test("an excluded customer tag earns nothing, whatever the case", () => {
    const s = settings("USD", { exclusions: { customerTags: ["wholesale"] } });
    const result = orderEarnings(order({ subtotal: 10_000, customerTags: ["VIP", "Wholesale"] }), s);
    expect(result).toEqual({
      points: 0,
      breakdown: [],
      availableAt: new Date(PAID.getTime() + 30 * DAY),
      excluded: "customer_tag:wholesale",
    });
  });

  test("USD: an excluded gift card is removed at its discounted value", () => {
    // $60 of coffee and a $40 gift card, 10% off the order: subtotal $90, the coffee's share $54.
    const s = settings("USD", { exclusions: { productTags: ["gift-card"] }, earning: { base: { includeShipping: true } } });
    const input = order({
      subtotal: 9000,
      shipping: 1000,
      lines: [line({ productId: "1", price: 3000, quantity: 2 }), line({ productId: "2", price: 4000, productTags: ["Gift-Card"] })],
    });
    expect(orderEarnings(input, s)).toMatchObject({ points: 64, breakdown: [{ rule: "base", points: 64 }], excluded: null });
  });

  test("IDR: lines in an excluded collection earn nothing", () => {
    // Rp150.000 + Rp50.000 (excluded), Rp20.000 voucher: Rp180.000 paid, the eligible share Rp135.000.
    const s = settings("IDR", { earning: { points: 1, perAmount: 100_000 }, exclusions: { collectionIds: ["778899"] } });
    const input = order({
      subtotal: 18_000_000,
      lines: [
        line({ productId: "1", price: 15_000_000 }),
        line({ productId: "2", price: 5_000_000, collectionIds: ["gid://shopify/Collection/778899"] }),
      ],
    });
    expect(orderEarnings(input, s).points).toBe(135);
  });
});

describe("orderEarnings: multipliers, campaigns, tiers", () => {
  test("USD: the highest matching product or collection multiplier per line, never stacked", () => {
    const s = settings("USD", {
      multipliers: [
        { id: "m1", appliesTo: { type: "product", ids: ["111"] }, multiplier: 2 },
        { id: "m2", appliesTo: { type: "collection", ids: ["900"] }, multiplier: 1.5 },
        { id: "m3", appliesTo: { type: "product", ids: ["222"] }, multiplier: 3 },
      ],
    });
    // $20 × 2 + $30 × max(1.5, 3) + $20 × 1 = $150 weighted, on a $70 order.
    const input = order({
      subtotal: 7000,
      lines: [
        line({ productId: "111", price: 2000 }),
        line({ productId: "222", price: 3000, collectionIds: ["900"] }),
        line({ productId: "333", price: 1000, quantity: 2 }),
      ],
    });
    expect(orderEarnings(input, s)).toMatchObject({
      points: 150,
      breakdown: [
        { rule: "base", points: 70 },
        { rule: "multiplier", points: 80, detail: "m1,m3" },
      ],
    });
  });

  test("IDR: multiplier, then campaign, then tier, floored once (1249, not the 1247 of rounding each step)", () => {
    const s = settings("IDR", {
      earning: { points: 1, perAmount: 100_000 },
      multipliers: [{ id: "kopi", appliesTo: { type: "product", ids: ["1"] }, multiplier: 1.5 }],
      campaigns: [
        { id: "harbolnas", name: "Harbolnas", multiplier: 2, startsAt: "2025-06-01T00:00:00+07:00", endsAt: "2025-06-30T00:00:00+07:00" },
      ],
    });
    // Rp333.333: 333.333 base, ×1.5 = 499.9995, ×2 = 999.999, ×1.25 = 1249.99875.
    const input = order({ subtotal: 33_333_300, tierMultiplier: 1.25, lines: [line({ productId: "1", price: 33_333_300 })] });
    const result = orderEarnings(input, s);
    expect(result.breakdown).toEqual([
      { rule: "base", points: 333 },
      { rule: "multiplier", points: 166, detail: "kopi" },
      { rule: "campaign", points: 500, detail: "harbolnas" },
      { rule: "tier", points: 250, detail: "x1.25" },
    ]);
    expect(result.points).toBe(1249);
  });

  test("a campaign counts from its start up to, not including, its end; the highest active one wins", () => {
    const s = settings("USD", {
      campaigns: [
        {
          id: "weekend",
          name: "Double points weekend",
          multiplier: 2,
          startsAt: "2025-06-07T00:00:00+07:00",
          endsAt: "2025-06-09T00:00:00+07:00",
        },
        { id: "flash", name: "Flash", multiplier: 3, startsAt: "2025-06-08T10:00:00Z", endsAt: "2025-06-08T12:00:00Z" },
      ],
    });
    const at = (iso: string) => orderEarnings(order({ subtotal: 1000, paidAt: new Date(iso) }), s);
    expect(at("2025-06-06T16:59:59Z").points).toBe(10);
    expect(at("2025-06-06T17:00:00Z").breakdown).toEqual([
      { rule: "base", points: 10 },
      { rule: "campaign", points: 10, detail: "weekend" },
    ]);
    expect(at("2025-06-08T11:00:00Z").breakdown).toEqual([
      { rule: "base", points: 10 },
      { rule: "campaign", points: 20, detail: "flash" },
    ]);
    expect(at("2025-06-08T16:59:59Z").points).toBe(20);
    expect(at("2025-06-08T17:00:00Z").points).toBe(10);
  });

  test("the tier multiplier applies to shipping and tax too when they are in the base", () => {
    const s = settings("USD", { earning: { base: { includeShipping: true, includeTax: true } } });
    const result = orderEarnings(order({ subtotal: 1000, shipping: 500, tax: 100, tierMultiplier: 1.5 }), s);
    expect(result.breakdown).toEqual([
      { rule: "base", points: 16 },
      { rule: "tier", points: 8, detail: "x1.5" },
    ]);
  });
});

describe("orderEarnings: cashback", () => {
  const usd = settings("USD", { cashback: { enabled: true, percent: 5, minimumSubtotal: 5000 } });

  test("USD: 5% back on $123.45, each point worth a cent: 617 points on top of the base 123", () => {
    expect(orderEarnings(order({ subtotal: 12_345 }), usd).breakdown).toEqual([
      { rule: "base", points: 123 },
      { rule: "cashback", points: 617, detail: "5%" },
    ]);
  });

  test("none under the minimum; the minimum is on the eligible subtotal", () => {
    expect(orderEarnings(order({ subtotal: 4999 }), usd).breakdown).toEqual([{ rule: "base", points: 49 }]);
    const s = settings("USD", {
      cashback: { enabled: true, percent: 5, minimumSubtotal: 5000 },
      exclusions: { productTags: ["gift-card"] },
    });
    const input = order({ subtotal: 8000, lines: [line({ price: 4000 }), line({ price: 4000, productTags: ["gift-card"] })] });
    expect(orderEarnings(input, s).breakdown).toEqual([{ rule: "base", points: 40 }]);
  });

  test("a point worth 10 cents and 2.5% back: $123.45 gives 30 points", () => {
    const s = settings("USD", { cashback: { enabled: true, percent: 2.5 }, redemption: { pointValue: 10 } });
    expect(orderEarnings(order({ subtotal: 12_345 }), s).breakdown.at(-1)).toEqual({ rule: "cashback", points: 30, detail: "2.5%" });
  });

  test("IDR: 5% back on Rp250.000 with a point worth Rp1.000 gives 12 points; not multiplied by campaigns", () => {
    const s = settings("IDR", {
      earning: { points: 1, perAmount: 100_000 },
      cashback: { enabled: true, percent: 5 },
      redemption: { pointValue: 100_000 },
      campaigns: [{ id: "c", name: "x2", multiplier: 2, startsAt: "2025-01-01T00:00:00Z", endsAt: "2026-01-01T00:00:00Z" }],
    });
    expect(orderEarnings(order({ subtotal: 25_000_000 }), s).breakdown).toEqual([
      { rule: "base", points: 250 },
      { rule: "campaign", points: 250, detail: "c" },
      { rule: "cashback", points: 12, detail: "5%" },
    ]);
  });
});

describe("orderEarnings: malformed input", () => {
  const s = defaultSettings("USD");
  test.each([
    ["a negative subtotal", { subtotal: -1 }],
    ["a fractional subtotal", { subtotal: 10.5 }],
    ["NaN shipping", { shipping: Number.NaN }],
    ["negative tax", { tax: -3 }],
    ["an invalid paidAt", { paidAt: new Date("nope") }],
    ["a tier multiplier below 1", { tierMultiplier: 0.5 }],
    ["a tier multiplier with 3 decimals", { tierMultiplier: 1.125 }],
    ["a negative quantity", { lines: [line({ price: 100, quantity: -1 })] }],
    ["a fractional price", { lines: [line({ price: 99.5 })] }],
  ])("throws RangeError for %s", (_, partial) => {
    expect(() => orderEarnings(order({ subtotal: 100, ...partial }), s)).toThrow(RangeError);
  });
});

describe("orderEarnings: properties", () => {
  const lineArb = fc.record({
    productId: fc.constantFrom("1", "2", "3", null),
    quantity: fc.integer({ min: 0, max: 5 }),
    price: fc.integer({ min: 0, max: 10_000_000 }),
    productTags: fc.subarray(["gift", "sale"]),
    collectionIds: fc.subarray(["10", "20"]),
  });
  const orderArb = fc.record({
    subtotal: fc.nat(1e11),
    shipping: fc.nat(1e7),
    tax: fc.nat(1e7),
    paidAt: fc.constantFrom(new Date("2025-06-01T00:00:00Z"), new Date("2025-06-15T00:00:00Z")),
    customerTags: fc.subarray(["vip", "staff"]),
    tierMultiplier: fc.integer({ min: 100, max: 300 }).map((h) => h / 100),
    lines: fc.array(lineArb, { maxLength: 5 }),
  });
  const multiplierPool = [
    { id: "p1", appliesTo: { type: "product", ids: ["1"] }, multiplier: 2 },
    { id: "c10", appliesTo: { type: "collection", ids: ["10"] }, multiplier: 1.25 },
    { id: "p23", appliesTo: { type: "product", ids: ["2", "3"] }, multiplier: 3.5 },
  ];
  const campaignPool = [
    { id: "june", name: "June", multiplier: 1.5, startsAt: "2025-06-01T00:00:00Z", endsAt: "2025-07-01T00:00:00Z" },
    { id: "mid", name: "Mid", multiplier: 2, startsAt: "2025-06-10T00:00:00Z", endsAt: "2025-06-20T00:00:00Z" },
  ];
  const settingsArb = fc
    .record({
      points: fc.integer({ min: 0, max: 1000 }),
      perAmount: fc.integer({ min: 1, max: 1_000_000 }),
      includeShipping: fc.boolean(),
      includeTax: fc.boolean(),
      multipliers: fc.subarray(multiplierPool),
      campaigns: fc.subarray(campaignPool),
      customerTags: fc.subarray(["staff"]),
      productTags: fc.subarray(["gift"]),
      collectionIds: fc.subarray(["20"]),
      cashback: fc.record({
        enabled: fc.boolean(),
        percent: fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100),
        minimumSubtotal: fc.nat(1e6),
      }),
      pointValue: fc.integer({ min: 1, max: 1000 }),
    })
    .map((r) =>
      settings("USD", {
        earning: { points: r.points, perAmount: r.perAmount, base: { includeShipping: r.includeShipping, includeTax: r.includeTax } },
        multipliers: r.multipliers,
        campaigns: r.campaigns,
        exclusions: { customerTags: r.customerTags, productTags: r.productTags, collectionIds: r.collectionIds },
        cashback: r.cashback,
        redemption: { pointValue: r.pointValue },
      }),
    );

  test("points are a non-negative integer and the breakdown sums to them exactly", () => {
    fc.assert(
      fc.property(orderArb, settingsArb, (input, s) => {
        const result = orderEarnings(input, s);
        expect(Number.isSafeInteger(result.points)).toBe(true);
        expect(result.points).toBeGreaterThanOrEqual(0);
        for (const entry of result.breakdown) expect(entry.points).toBeGreaterThanOrEqual(0);
        expect(sum(result.breakdown)).toBe(result.points);
      }),
    );
  });

  test("excluding a line never increases points", () => {
    fc.assert(
      fc.property(orderArb, settingsArb, fc.nat(), (input, s, pick) => {
        fc.pre(input.lines.length > 0);
        const withExclusion = { ...s, exclusions: { ...s.exclusions, productTags: [...s.exclusions.productTags, "not-for-points"] } };
        const i = pick % input.lines.length;
        const excluded = {
          ...input,
          lines: input.lines.map((l, j) => (j === i ? { ...l, productTags: [...l.productTags, "not-for-points"] } : l)),
        };
        expect(orderEarnings(excluded, withExclusion).points).toBeLessThanOrEqual(orderEarnings(input, withExclusion).points);
      }),
    );
  });

  test("adding a multiplier or a campaign never decreases points", () => {
    const extraMultiplier = fc.record({
      id: fc.constant("extra"),
      appliesTo: fc.record({
        type: fc.constantFrom("product" as const, "collection" as const),
        ids: fc.subarray(["1", "2", "10", "20"], { minLength: 1 }),
      }),
      multiplier: fc.integer({ min: 101, max: 1000 }).map((h) => h / 100),
    });
    const extraCampaign = fc.record({
      id: fc.constant("extra"),
      name: fc.constant("Extra"),
      multiplier: fc.integer({ min: 101, max: 1000 }).map((h) => h / 100),
      startsAt: fc.constant("2025-05-01T00:00:00Z"),
      endsAt: fc.constantFrom("2025-06-05T00:00:00Z", "2025-08-01T00:00:00Z"),
    });
    fc.assert(
      fc.property(orderArb, settingsArb, extraMultiplier, extraCampaign, (input, s, m, c) => {
        const before = orderEarnings(input, s).points;
        expect(orderEarnings(input, { ...s, multipliers: [...s.multipliers, m] }).points).toBeGreaterThanOrEqual(before);
        expect(orderEarnings(input, { ...s, campaigns: [...s.campaigns, c] }).points).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  test("more spent never earns less, and a higher rate never earns less", () => {
    fc.assert(
      fc.property(orderArb, settingsArb, fc.nat(1e9), (input, s, more) => {
        const before = orderEarnings(input, s).points;
        expect(orderEarnings({ ...input, subtotal: input.subtotal + more }, s).points).toBeGreaterThanOrEqual(before);
        const richer = { ...s, earning: { ...s.earning, points: s.earning.points + 1 } };
        expect(orderEarnings(input, richer).points).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  test("k times the points per amount earns at least k times the floored base", () => {
    fc.assert(
      fc.property(
        fc.nat(1e10),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 10 }),
        (subtotal, points, perAmount, k) => {
          const one = orderEarnings(order({ subtotal }), settings("USD", { earning: { points, perAmount } })).points;
          const scaled = orderEarnings(order({ subtotal }), settings("USD", { earning: { points: points * k, perAmount } })).points;
          expect(scaled).toBeGreaterThanOrEqual(one * k);
          expect(scaled).toBeLessThan((one + 1) * k);
        },
      ),
    );
  });
});

describe("stamps", () => {
  const perOrder = settings("USD", { stamps: { enabled: true, counts: "orders", target: 5, minimumSubtotal: 2000, rewardPoints: 500 } });
  const perProduct = settings("USD", {
    stamps: { enabled: true, counts: "products", target: 10, rewardPoints: 500 },
    exclusions: { productTags: ["gift-card"], customerTags: ["staff"] },
  });

  test("disabled by default", () => {
    expect(stampsForOrder(order({ subtotal: 10_000, lines: [line({ price: 10_000 })] }), defaultSettings("USD"))).toBe(0);
  });

  test("per order: one stamp at or over the minimum, none under it or for a free order", () => {
    expect(stampsForOrder(order({ subtotal: 2000 }), perOrder)).toBe(1);
    expect(stampsForOrder(order({ subtotal: 1999 }), perOrder)).toBe(0);
    const free = settings("USD", { stamps: { enabled: true } });
    expect(stampsForOrder(order({ subtotal: 0 }), free)).toBe(0);
  });

  test("per product: the quantity of paid, non-excluded lines; none for excluded customers", () => {
    const input = order({
      subtotal: 9000,
      lines: [
        line({ productId: "1", price: 2500, quantity: 2 }),
        line({ productId: "2", price: 4000, quantity: 3, productTags: ["gift-card"] }),
        line({ productId: "3", price: 0, quantity: 1 }),
      ],
    });
    expect(stampsForOrder(input, perProduct)).toBe(2);
    expect(stampsForOrder({ ...input, customerTags: ["Staff"] }, perProduct)).toBe(0);
  });

  test("IDR: a minimum of Rp50.000 on the eligible subtotal", () => {
    const s = settings("IDR", { stamps: { enabled: true, minimumSubtotal: 5_000_000 }, exclusions: { collectionIds: ["5"] } });
    const lines = [line({ price: 4_000_000 }), line({ price: 2_000_000, collectionIds: ["5"] })];
    expect(stampsForOrder(order({ subtotal: 6_000_000, lines }), s)).toBe(0);
    expect(stampsForOrder(order({ subtotal: 6_000_000, lines: [line({ price: 6_000_000 })] }), s)).toBe(1);
  });

  test("rewards are due each time the card crosses a multiple of the target", () => {
    expect(stampRewardsDue(3, 1, 5)).toBe(0);
    expect(stampRewardsDue(4, 1, 5)).toBe(1);
    expect(stampRewardsDue(5, 4, 5)).toBe(0);
    expect(stampRewardsDue(4, 12, 5)).toBe(3);
    expect(stampRewardsDue(0, 0, 5)).toBe(0);
    expect(() => stampRewardsDue(-1, 1, 5)).toThrow(RangeError);
    expect(() => stampRewardsDue(0, 1.5, 5)).toThrow(RangeError);
    expect(() => stampRewardsDue(0, 1, 0)).toThrow(RangeError);
  });

  test("splitting the stamps over two orders gives the same rewards", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(100), fc.nat(100), fc.integer({ min: 2, max: 50 }), (prev, a, b, target) => {
        expect(stampRewardsDue(prev, a + b, target)).toBe(stampRewardsDue(prev, a, target) + stampRewardsDue(prev + a, b, target));
      }),
    );
  });
});

describe("birthdayBonusDue", () => {
  const on = settings("USD", { bonuses: { birthday: 500 } });
  const march15 = { month: 3, day: 15 };

  test("off when the birthday bonus is 0", () => {
    expect(birthdayBonusDue(null, march15, new Date("2025-03-15T12:00:00Z"), defaultSettings("USD"))).toBe(false);
  });

  test("from the birthday on, once per calendar year", () => {
    expect(birthdayBonusDue(null, march15, new Date("2025-03-14T23:59:59Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, march15, new Date("2025-03-15T00:00:00Z"), on)).toBe(true);
    expect(birthdayBonusDue(null, march15, new Date("2025-12-31T23:59:59Z"), on)).toBe(true);
    expect(birthdayBonusDue(new Date("2025-03-15T00:00:00Z"), march15, new Date("2025-06-01T00:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(new Date("2024-03-15T00:00:00Z"), march15, new Date("2025-03-15T00:00:00Z"), on)).toBe(true);
    expect(birthdayBonusDue(new Date("2024-12-31T00:00:00Z"), march15, new Date("2025-01-10T00:00:00Z"), on)).toBe(false);
  });

  test("a birthday saved less than the lead time (default 30 days) before it pays from the next year", () => {
    const saved = (iso: string) => ({ ...march15, savedAt: new Date(iso) });
    // 30 calendar days before, whatever the hour: paid this year; 29 days before: next year.
    expect(birthdayBonusDue(null, saved("2025-02-13T23:59:00Z"), new Date("2025-03-15T00:00:00Z"), on)).toBe(true);
    expect(birthdayBonusDue(null, saved("2025-02-14T00:00:00Z"), new Date("2025-03-15T00:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, saved("2025-02-14T00:00:00Z"), new Date("2025-12-31T00:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, saved("2025-02-14T00:00:00Z"), new Date("2026-03-15T00:00:00Z"), on)).toBe(true);
    // Saved on the day, or after this year's birthday (a missed date): next year.
    expect(birthdayBonusDue(null, saved("2025-03-15T08:00:00Z"), new Date("2025-03-15T09:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, saved("2025-06-01T00:00:00Z"), new Date("2025-06-01T00:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, saved("2025-06-01T00:00:00Z"), new Date("2026-03-15T00:00:00Z"), on)).toBe(true);
    // The merchant's lead time: 0 pays on the day it is saved; 90 needs three months.
    const none = settings("USD", { bonuses: { birthday: 500, birthdayLeadDays: 0 } });
    expect(birthdayBonusDue(null, saved("2025-03-15T08:00:00Z"), new Date("2025-03-15T09:00:00Z"), none)).toBe(true);
    const long = settings("USD", { bonuses: { birthday: 500, birthdayLeadDays: 90 } });
    expect(birthdayBonusDue(null, saved("2025-01-01T00:00:00Z"), new Date("2025-03-15T00:00:00Z"), long)).toBe(false);
    expect(birthdayBonusDue(null, saved("2024-12-01T00:00:00Z"), new Date("2025-03-15T00:00:00Z"), long)).toBe(true);
    expect(() => birthdayBonusDue(null, saved("nope"), PAID, on)).toThrow(RangeError);
  });

  test("Feb 29 birthdays fall on Feb 28 in other years", () => {
    const leapDay = { month: 2, day: 29 };
    expect(birthdayBonusDue(null, leapDay, new Date("2025-02-27T23:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, leapDay, new Date("2025-02-28T00:00:00Z"), on)).toBe(true);
    expect(birthdayBonusDue(null, leapDay, new Date("2024-02-28T12:00:00Z"), on)).toBe(false);
    expect(birthdayBonusDue(null, leapDay, new Date("2024-02-29T00:00:00Z"), on)).toBe(true);
  });

  test("rejects dates that do not exist", () => {
    expect(() => birthdayBonusDue(null, { month: 13, day: 1 }, PAID, on)).toThrow(RangeError);
    expect(() => birthdayBonusDue(null, { month: 2, day: 30 }, PAID, on)).toThrow(RangeError);
    expect(() => birthdayBonusDue(null, { month: 4, day: 31 }, PAID, on)).toThrow(RangeError);
    expect(() => birthdayBonusDue(null, march15, new Date("nope"), on)).toThrow(RangeError);
  });
});

describe("actionBonusDue", () => {
  const now = new Date("2025-06-10T00:00:00Z");

  test("once: only when never awarded", () => {
    expect(actionBonusDue({ limit: "once", dailyCap: 1 }, [], now)).toBe(true);
    expect(actionBonusDue({ limit: "once", dailyCap: 5 }, [new Date("2021-01-01T00:00:00Z")], now)).toBe(false);
  });

  test("yearly: once per calendar year", () => {
    expect(actionBonusDue({ limit: "yearly", dailyCap: 1 }, [new Date("2024-12-31T23:59:59Z")], new Date("2025-01-01T00:00:00Z"))).toBe(
      true,
    );
    expect(actionBonusDue({ limit: "yearly", dailyCap: 1 }, [new Date("2025-01-01T00:00:00Z")], new Date("2025-12-31T23:59:59Z"))).toBe(
      false,
    );
  });

  test("daily: at most the cap per UTC day, never without limit", () => {
    const earlier = new Date("2025-06-10T00:00:00Z");
    expect(actionBonusDue({ limit: "daily", dailyCap: 1 }, [], now)).toBe(true);
    expect(actionBonusDue({ limit: "daily", dailyCap: 1 }, [earlier], new Date("2025-06-10T23:59:59Z"))).toBe(false);
    expect(actionBonusDue({ limit: "daily", dailyCap: 1 }, [earlier], new Date("2025-06-11T00:00:00Z"))).toBe(true);
    expect(actionBonusDue({ limit: "daily", dailyCap: 3 }, [earlier, earlier], now)).toBe(true);
    expect(actionBonusDue({ limit: "daily", dailyCap: 3 }, [earlier, earlier, earlier], now)).toBe(false);
    expect(actionBonusDue({ limit: "daily", dailyCap: 3 }, [new Date("2025-06-09T23:59:59Z"), earlier, earlier], now)).toBe(true);
  });

  test("rejects invalid dates", () => {
    expect(() => actionBonusDue({ limit: "once", dailyCap: 1 }, [new Date("nope")], now)).toThrow(RangeError);
  });
});
