import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { defaultPointValue, defaultSettings, parseSettings, readSettings, type ProgramSettings } from "~/domain/earning/program";
import { KembaliError } from "~/domain/errors";

function issuePaths(input: unknown): string[] {
  try {
    parseSettings(input);
  } catch (error) {
    expect(error).toBeInstanceOf(KembaliError);
    expect((error as KembaliError).code).toBe("BAD_INPUT");
    return ((error as KembaliError).details?.issues as Array<{ path: string }>).map((i) => i.path);
  }
  throw new Error("expected the settings to be rejected");
}

/** A valid full settings object with one field replaced. */
function withField(path: string, value: unknown): Record<string, unknown> {
  const settings = JSON.parse(JSON.stringify(fullSettings)) as Record<string, unknown>;
  const keys = path.split(".");
  let node = settings as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return settings;
}

const fullSettings: ProgramSettings = {
  earning: { points: 1, perAmount: 100_000, base: { includeShipping: true, includeTax: false }, pendingDays: 14 },
  bonuses: {
    signup: 500,
    birthday: 1000,
    birthdayLeadDays: 14,
    actions: [
      { key: "newsletter", label: "Join our newsletter", points: 200, limit: "once", dailyCap: 1 },
      { key: "review", label: "Write a review", points: 100, limit: "daily", dailyCap: 2 },
    ],
  },
  multipliers: [{ id: "kopi", appliesTo: { type: "collection", ids: ["445566"] }, multiplier: 2 }],
  campaigns: [
    {
      id: "harbolnas",
      name: "Harbolnas 12.12",
      multiplier: 1.5,
      startsAt: "2025-12-12T00:00:00+07:00",
      endsAt: "2025-12-13T00:00:00+07:00",
    },
  ],
  exclusions: { customerTags: ["staff"], productTags: ["gift-card"], collectionIds: ["778899"] },
  cashback: { enabled: true, percent: 2.5, minimumSubtotal: 10_000_000 },
  redemption: { pointValue: 100, refundExpiredCodes: false },
  expiry: { mode: "after_earning", months: 12, warnDays: 14 },
  stamps: { enabled: true, counts: "orders", target: 5, minimumSubtotal: 5_000_000, rewardPoints: 250 },
  referral: {
    enabled: true,
    referrerPoints: 1000,
    friendReward: { type: "fixed_amount", value: 2_500_000 },
    holdDays: 14,
    minimumOrderSubtotal: 10_000_000,
    fraud: { maxPerReferrerPerDay: 5, maxPerIpPerDay: 3, couponLeakFriends: 10, reviewScore: 30, rejectScore: 70 },
  },
  holdout: { share: 10, salt: "0f8c2a4e-5b1d-4c3e-9a7f-2d6e8b1c4a90" },
};

describe("defaults", () => {
  test("1 point per whole unit, 30 pending days, every extra rule off, referrals on with a hold that follows the pending days", () => {
    expect(defaultSettings("USD")).toEqual({
      earning: { points: 1, perAmount: 100, base: { includeShipping: false, includeTax: false }, pendingDays: 30 },
      bonuses: { signup: 0, birthday: 0, birthdayLeadDays: 30, actions: [] },
      multipliers: [],
      campaigns: [],
      exclusions: { customerTags: [], productTags: [], collectionIds: [] },
      cashback: { enabled: false, percent: 0, minimumSubtotal: 0 },
      redemption: { pointValue: 1, refundExpiredCodes: true },
      stamps: { enabled: false, counts: "orders", target: 5, minimumSubtotal: 0, rewardPoints: 100 },
      expiry: { mode: "never", months: 12, warnDays: 30 },
      referral: {
        enabled: true,
        referrerPoints: 500,
        friendReward: { type: "percentage", value: 10 },
        holdDays: null,
        minimumOrderSubtotal: 0,
        fraud: { maxPerReferrerPerDay: 10, maxPerIpPerDay: 5, couponLeakFriends: 20, reviewScore: 40, rejectScore: 80 },
      },
      holdout: { share: 0, salt: null },
    });
    expect(defaultSettings("IDR").earning.perAmount).toBe(100);
    expect(defaultSettings("JPY").earning.perAmount).toBe(1);
  });

  test("a point is worth a hundredth of a whole unit, at least one minor unit", () => {
    expect(defaultPointValue("USD")).toBe(1);
    expect(defaultPointValue("IDR")).toBe(1);
    expect(defaultPointValue("JPY")).toBe(1);
    expect(defaultPointValue("KWD")).toBe(10);
    expect(defaultSettings("KWD").redemption.pointValue).toBe(10);
  });
});

describe("readSettings", () => {
  test("settings stored by the first version keep their rate and gain every default", () => {
    const settings = readSettings({ earning: { points: 1, perAmount: 100_000 } }, "IDR");
    expect(settings).toEqual({ ...defaultSettings("IDR"), earning: { ...defaultSettings("IDR").earning, points: 1, perAmount: 100_000 } });
  });

  test("merges each section key by key: stored values win, missing ones come from defaults", () => {
    const settings = readSettings(
      { earning: { points: 2, perAmount: 100, base: { includeTax: true } }, cashback: { enabled: true, percent: 5 } },
      "KWD",
    );
    expect(settings.earning).toEqual({ points: 2, perAmount: 100, base: { includeShipping: false, includeTax: true }, pendingDays: 30 });
    expect(settings.cashback).toEqual({ enabled: true, percent: 5, minimumSubtotal: 0 });
    expect(settings.redemption.pointValue).toBe(10);
  });

  test('an "every time" action stored by an older version loads as daily at the default cap of 1', () => {
    const stored = {
      earning: { points: 1, perAmount: 100 },
      bonuses: {
        signup: 50,
        actions: [
          { key: "review", label: "Write a review", points: 30, limit: "unlimited" },
          { key: "follow", label: "Follow us", points: 10, limit: "unlimited", dailyCap: 3 },
          { key: "newsletter", label: "Join our newsletter", points: 20, limit: "once" },
        ],
      },
    };
    const settings = readSettings(stored, "USD");
    expect(settings.bonuses.actions).toEqual([
      { key: "review", label: "Write a review", points: 30, limit: "daily", dailyCap: 1 },
      { key: "follow", label: "Follow us", points: 10, limit: "daily", dailyCap: 3 },
      { key: "newsletter", label: "Join our newsletter", points: 20, limit: "once", dailyCap: 1 },
    ]);
    expect(settings.bonuses.signup).toBe(50);
    // What the merchant saves from now on can no longer say "every time".
    expect(issuePaths({ ...stored, bonuses: { actions: [stored.bonuses.actions[0]] } })).toEqual(["bonuses.actions.0.limit"]);
  });

  test("nothing stored means the defaults; a stored list replaces the default list", () => {
    expect(readSettings(null, "USD")).toEqual(defaultSettings("USD"));
    expect(readSettings("not settings", "USD")).toEqual(defaultSettings("USD"));
    expect(readSettings(fullSettings, "IDR")).toEqual(fullSettings);
  });

  test("an invalid stored value is a bug, reported as a plain error", () => {
    expect(() => readSettings({ earning: { points: -1, perAmount: 100 } }, "USD")).toThrow(/Stored program settings are invalid/);
    expect(() => readSettings({ earning: { points: -1, perAmount: 100 } }, "USD")).not.toThrow(KembaliError);
  });

  test("settings survive the JSON round trip through the database unchanged", () => {
    const action = fc.record({
      key: fc.constantFrom("newsletter", "social_follow", "review", "visit-store"),
      label: fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim() === s && s.length > 0),
      points: fc.integer({ min: 1, max: 1_000_000 }),
      limit: fc.constantFrom("once" as const, "yearly" as const, "daily" as const),
      dailyCap: fc.integer({ min: 1, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1e12 }),
        fc.integer({ min: 0, max: 365 }),
        fc.uniqueArray(action, { maxLength: 4, selector: (a) => a.key }),
        fc.integer({ min: 101, max: 1000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (points, perAmount, pendingDays, actions, multiplierHundredths, percentHundredths) => {
          const settings = parseSettings({
            earning: { points, perAmount, pendingDays },
            bonuses: { actions },
            multipliers: [{ id: "m", appliesTo: { type: "product", ids: ["1"] }, multiplier: multiplierHundredths / 100 }],
            cashback: { enabled: true, percent: percentHundredths / 100 },
          });
          expect(readSettings(JSON.parse(JSON.stringify(settings)), "USD")).toEqual(settings);
        },
      ),
    );
  });
});

describe("parseSettings", () => {
  test("accepts a full program and fills anything left out from the schema's defaults", () => {
    expect(parseSettings(fullSettings)).toEqual(fullSettings);
    const minimal = parseSettings({ earning: { points: 1, perAmount: 100 } });
    expect(minimal).toEqual(defaultSettings("USD"));
    expect(
      parseSettings({ earning: { points: 1, perAmount: 100 }, bonuses: { actions: [{ key: "review", label: "Review", points: 5 }] } })
        .bonuses.actions[0].limit,
    ).toBe("once");
  });

  test("merchant text is trimmed and counted in characters", () => {
    const settings = parseSettings(withField("bonuses.actions", [{ key: "ig", label: "  Ikuti kami di Instagram  ", points: 50 }]));
    expect(settings.bonuses.actions[0].label).toBe("Ikuti kami di Instagram");
    expect(() => parseSettings(withField("bonuses.actions", [{ key: "ig", label: "🎉".repeat(80), points: 50 }]))).not.toThrow();
    expect(issuePaths(withField("bonuses.actions", [{ key: "ig", label: "🎉".repeat(81), points: 50 }]))).toEqual([
      "bonuses.actions.0.label",
    ]);
  });

  test("the earning rate and base", () => {
    expect(issuePaths({ earning: { points: 1 } })).toEqual(["earning.perAmount"]);
    expect(issuePaths(withField("earning.pendingDays", 366))).toEqual(["earning.pendingDays"]);
    expect(issuePaths(withField("earning.pendingDays", 1.5))).toEqual(["earning.pendingDays"]);
    expect(issuePaths(withField("earning.base", { includeShipping: "yes" }))).toEqual(["earning.base.includeShipping"]);
  });

  test("bonuses: keys are unique slugs, labels 1-80 characters, points positive, at most 20 actions", () => {
    const action = { key: "review", label: "Write a review", points: 100 };
    expect(issuePaths(withField("bonuses.actions", [action, { ...action, label: "Again" }]))).toEqual(["bonuses.actions.1.key"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, key: "Write Review" }]))).toEqual(["bonuses.actions.0.key"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, label: "   " }]))).toEqual(["bonuses.actions.0.label"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, points: 0 }]))).toEqual(["bonuses.actions.0.points"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, limit: "unlimited" }]))).toEqual(["bonuses.actions.0.limit"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, limit: "daily", dailyCap: 0 }]))).toEqual(["bonuses.actions.0.dailyCap"]);
    expect(issuePaths(withField("bonuses.actions", [{ ...action, limit: "daily", dailyCap: 11 }]))).toEqual(["bonuses.actions.0.dailyCap"]);
    expect(issuePaths(withField("bonuses.birthdayLeadDays", 366))).toEqual(["bonuses.birthdayLeadDays"]);
    expect(issuePaths(withField("bonuses.birthdayLeadDays", 1.5))).toEqual(["bonuses.birthdayLeadDays"]);
    const many = Array.from({ length: 21 }, (_, i) => ({ ...action, key: `action-${i}` }));
    expect(issuePaths(withField("bonuses.actions", many))).toEqual(["bonuses.actions"]);
    expect(issuePaths(withField("bonuses.birthday", -5))).toEqual(["bonuses.birthday"]);
  });

  test("multipliers: above 1, at most 10, two decimals, numeric Shopify ids, unique ids", () => {
    const m = { id: "m", appliesTo: { type: "product", ids: ["123"] }, multiplier: 2 };
    expect(issuePaths(withField("multipliers", [{ ...m, multiplier: 1 }]))).toEqual(["multipliers.0.multiplier"]);
    expect(issuePaths(withField("multipliers", [{ ...m, multiplier: 10.01 }]))).toEqual(["multipliers.0.multiplier"]);
    expect(issuePaths(withField("multipliers", [{ ...m, multiplier: 1.255 }]))).toEqual(["multipliers.0.multiplier"]);
    expect(() => parseSettings(withField("multipliers", [{ ...m, multiplier: 1.15 }]))).not.toThrow();
    expect(issuePaths(withField("multipliers", [{ ...m, appliesTo: { type: "product", ids: ["gid://shopify/Product/123"] } }]))).toEqual([
      "multipliers.0.appliesTo.ids.0",
    ]);
    expect(issuePaths(withField("multipliers", [{ ...m, appliesTo: { type: "variant", ids: ["1"] } }]))).toEqual([
      "multipliers.0.appliesTo.type",
    ]);
    expect(issuePaths(withField("multipliers", [m, m]))).toEqual(["multipliers.1.id"]);
  });

  test("campaigns: ISO datetimes with a zone, ending after they start", () => {
    const c = { id: "c", name: "Double points", multiplier: 2, startsAt: "2025-11-28T00:00:00Z", endsAt: "2025-12-01T00:00:00Z" };
    expect(issuePaths(withField("campaigns", [{ ...c, endsAt: c.startsAt }]))).toEqual(["campaigns.0.endsAt"]);
    expect(issuePaths(withField("campaigns", [{ ...c, startsAt: "28/11/2025" }]))).toEqual(["campaigns.0.startsAt"]);
    expect(issuePaths(withField("campaigns", [{ ...c, startsAt: "2025-11-28T00:00:00" }]))).toEqual(["campaigns.0.startsAt"]);
    expect(issuePaths(withField("campaigns", [{ ...c, name: "" }]))).toEqual(["campaigns.0.name"]);
    expect(issuePaths(withField("campaigns", [{ ...c, multiplier: 11 }]))).toEqual(["campaigns.0.multiplier"]);
  });

  test("exclusions, cashback, redemption and stamps", () => {
    expect(issuePaths(withField("exclusions.collectionIds", ["abc"]))).toEqual(["exclusions.collectionIds.0"]);
    expect(issuePaths(withField("exclusions.customerTags", [""]))).toEqual(["exclusions.customerTags.0"]);
    expect(issuePaths(withField("cashback.percent", 100.5))).toEqual(["cashback.percent"]);
    expect(issuePaths(withField("cashback.percent", 1.234))).toEqual(["cashback.percent"]);
    expect(issuePaths(withField("cashback.minimumSubtotal", -1))).toEqual(["cashback.minimumSubtotal"]);
    expect(issuePaths(withField("redemption.pointValue", 0))).toEqual(["redemption.pointValue"]);
    expect(issuePaths(withField("stamps.target", 1))).toEqual(["stamps.target"]);
    expect(issuePaths(withField("stamps.target", 51))).toEqual(["stamps.target"]);
    expect(issuePaths(withField("stamps.counts", "visits"))).toEqual(["stamps.counts"]);
    expect(issuePaths(withField("stamps.rewardPoints", 0))).toEqual(["stamps.rewardPoints"]);
  });

  test("reports every invalid field at once", () => {
    const input = withField("stamps.target", 0);
    (input.earning as Record<string, unknown>).points = -1;
    expect(issuePaths(input).sort()).toEqual(["earning.points", "stamps.target"]);
  });
});
