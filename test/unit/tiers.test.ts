import { describe, expect, test } from "vitest";
import fc from "fast-check";
import {
  parseTierProgram,
  qualifyingAmount,
  tierFor,
  tierMove,
  tiersUnlocking,
  windowStart,
  type QualifyingHistory,
  type TierBasis,
} from "~/domain/tiers/rules";
import { KembaliError } from "~/domain/errors";

const ladder = [
  { key: "bronze", name: "Bronze", threshold: 0 },
  { key: "silver", name: "Silver", threshold: 1000 },
  { key: "gold", name: "Gold", threshold: 5000 },
];

const program = (tiers: unknown[], extra: Record<string, unknown> = {}) => ({
  basis: "points_earned",
  period: "lifetime",
  tiers,
  ...extra,
});

function issuePaths(input: unknown): string[] {
  try {
    parseTierProgram(input);
  } catch (error) {
    expect(error).toBeInstanceOf(KembaliError);
    expect((error as KembaliError).code).toBe("BAD_INPUT");
    return ((error as KembaliError).details?.issues as Array<{ path: string }>).map((i) => i.path);
  }
  throw new Error("expected the tier program to be rejected");
}

describe("tierFor", () => {
  const tiers = [
    { key: "silver", threshold: 1000 },
    { key: "gold", threshold: 5000 },
  ];

  test("below the first threshold there is no tier", () => {
    expect(tierFor(0, tiers)).toBeNull();
    expect(tierFor(999, tiers)).toBeNull();
  });

  test("reaching a threshold exactly is enough; the highest reached wins", () => {
    expect(tierFor(1000, tiers)?.key).toBe("silver");
    expect(tierFor(4999, tiers)?.key).toBe("silver");
    expect(tierFor(5000, tiers)?.key).toBe("gold");
    expect(tierFor(1e15, tiers)?.key).toBe("gold");
  });

  test("a first tier at 0 takes in every customer", () => {
    expect(tierFor(0, ladder)?.key).toBe("bronze");
  });

  test("more spend never means a lower tier", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 2e6 }),
        fc.integer({ min: 0, max: 2e6 }),
        (thresholds, a, b) => {
          const sorted = [...thresholds].sort((x, y) => x - y).map((threshold) => ({ threshold }));
          const position = (n: number) => {
            const t = tierFor(n, sorted);
            return t ? sorted.indexOf(t) : -1;
          };
          expect(position(Math.max(a, b))).toBeGreaterThanOrEqual(position(Math.min(a, b)));
        },
      ),
    );
  });
});

describe("windows", () => {
  const now = new Date("2026-03-15T10:00:00Z");

  test("lifetime has no start", () => {
    expect(windowStart("lifetime", now)).toBeNull();
  });

  test("calendar year starts on 1 January UTC", () => {
    expect(windowStart("calendar_year", now)).toEqual(new Date("2026-01-01T00:00:00Z"));
    // Already 1 January in Jakarta, still 31 December in UTC: the year is UTC's.
    expect(windowStart("calendar_year", new Date("2025-12-31T20:00:00Z"))).toEqual(new Date("2025-01-01T00:00:00Z"));
  });

  test("rolling 12 months is the last 365 days", () => {
    expect(windowStart("rolling_12_months", now)).toEqual(new Date("2025-03-15T10:00:00Z"));
  });
});

describe("qualifying amount", () => {
  const now = new Date("2026-06-30T12:00:00Z");
  const at = (iso: string) => new Date(iso);
  const none: QualifyingHistory = { entries: [], orders: [], refunds: [] };

  const entries: QualifyingHistory["entries"] = [
    { kind: "earn", points: 3000, sourceType: "order", createdAt: at("2025-05-01T00:00:00Z") },
    { kind: "earn", points: 2000, sourceType: "order", createdAt: at("2026-02-01T00:00:00Z") },
    { kind: "earn", points: 500, sourceType: "bonus", createdAt: at("2026-03-01T00:00:00Z") },
    { kind: "reverse", points: -400, sourceType: "refund", createdAt: at("2026-02-10T00:00:00Z") },
    { kind: "reverse", points: -100, sourceType: "cancellation", createdAt: at("2026-04-01T00:00:00Z") },
    // Spending, a failed reward's points coming back, expiry and adjustments are not earning.
    { kind: "spend", points: -1500, sourceType: "redemption", createdAt: at("2026-03-02T00:00:00Z") },
    { kind: "reverse", points: 1500, sourceType: "redemption", createdAt: at("2026-03-02T00:01:00Z") },
    { kind: "expire", points: -200, sourceType: "expiry", createdAt: at("2026-04-02T00:00:00Z") },
    { kind: "adjust", points: 900, sourceType: "manual", createdAt: at("2026-04-03T00:00:00Z") },
  ];

  test.each([
    ["lifetime", 3000 + 2000 + 500 - 400 - 100],
    ["calendar_year", 2000 + 500 - 400 - 100],
    ["rolling_12_months", 2000 + 500 - 400 - 100],
  ] as const)("points earned, %s: earnings minus order reversals", (period, expected) => {
    expect(qualifyingAmount("points_earned", period, now, { ...none, entries })).toBe(expected);
  });

  test("rolling 12 months reaches back into last year; the calendar year does not", () => {
    const lastJuly = [{ kind: "earn", points: 700, sourceType: "order", createdAt: at("2025-07-15T00:00:00Z") }];
    expect(qualifyingAmount("points_earned", "rolling_12_months", now, { ...none, entries: lastJuly })).toBe(700);
    expect(qualifyingAmount("points_earned", "calendar_year", now, { ...none, entries: lastJuly })).toBe(0);
  });

  const order = (id: string, subtotal: number, paidAt: string | null, cancelledAt: string | null = null) => ({
    shopifyOrderId: id,
    subtotalMinor: BigInt(subtotal),
    paidAt: paidAt ? at(paidAt) : null,
    cancelledAt: cancelledAt ? at(cancelledAt) : null,
  });
  const refund = (orderId: string, subtotal: number, refundedAt: string) => ({
    shopifyOrderId: orderId,
    subtotalMinor: BigInt(subtotal),
    refundedAt: at(refundedAt),
  });

  test("amount spent: paid orders, less their refunds; unpaid and cancelled orders count for nothing", () => {
    const history: QualifyingHistory = {
      entries: [],
      orders: [
        order("1", 10_000, "2026-01-10T00:00:00Z"),
        order("2", 20_000, "2026-02-10T00:00:00Z"),
        order("3", 40_000, null),
        order("4", 80_000, "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"),
      ],
      refunds: [
        refund("2", 5_000, "2026-02-12T00:00:00Z"),
        // Refunds of the cancelled order are not taken off a second time.
        refund("4", 80_000, "2026-03-11T00:00:00Z"),
      ],
    };
    expect(qualifyingAmount("amount_spent", "calendar_year", now, history)).toBe(10_000 + 20_000 - 5_000);
  });

  test("a refund inside the window counts even when its order was paid before it", () => {
    const history = {
      entries: [],
      orders: [order("1", 10_000, "2025-12-20T00:00:00Z"), order("2", 5_000, "2026-01-05T00:00:00Z")],
      refunds: [refund("1", 4_000, "2026-01-03T00:00:00Z")],
    };
    expect(qualifyingAmount("amount_spent", "calendar_year", now, history)).toBe(5_000 - 4_000);
    expect(qualifyingAmount("amount_spent", "lifetime", now, history)).toBe(10_000 + 5_000 - 4_000);
  });

  test.each(["points_earned", "amount_spent"] as TierBasis[])("%s is never below 0", (basis) => {
    const history: QualifyingHistory = {
      entries: [{ kind: "reverse", points: -50, sourceType: "refund", createdAt: at("2026-05-01T00:00:00Z") }],
      orders: [order("1", 100, "2025-01-01T00:00:00Z")],
      refunds: [refund("1", 100, "2026-05-01T00:00:00Z")],
    };
    expect(qualifyingAmount(basis, "calendar_year", now, history)).toBe(0);
  });
});

describe("validating a tier program", () => {
  test("a valid program gets its defaults filled", () => {
    expect(parseTierProgram(program(ladder))).toEqual({
      basis: "points_earned",
      period: "lifetime",
      tiers: ladder.map((t) => ({ ...t, earnMultiplier: 1, freeShippingReward: false, exclusiveRewardIds: [] })),
    });
  });

  test("thresholds must strictly increase; the error points at the tier that breaks the order", () => {
    expect(issuePaths(program([ladder[0], { ...ladder[1], threshold: 0 }, ladder[2]]))).toEqual(["tiers.1.threshold"]);
    expect(issuePaths(program([ladder[0], ladder[2], ladder[1]]))).toEqual(["tiers.2.threshold"]);
  });

  test("keys must be unique", () => {
    expect(issuePaths(program([ladder[0], ladder[1], { ...ladder[2], key: "bronze" }]))).toEqual(["tiers.2.key"]);
  });

  test("keys are slugs, and none is reserved for customers without a tier", () => {
    expect(issuePaths(program([{ ...ladder[0], key: "Gold Tier" }]))).toEqual(["tiers.0.key"]);
    expect(issuePaths(program([{ ...ladder[0], key: "none" }]))).toEqual(["tiers.0.key"]);
  });

  test.each([
    ["a name over 40 characters", { name: "x".repeat(41) }, "tiers.0.name"],
    ["an empty name", { name: "   " }, "tiers.0.name"],
    ["a negative threshold", { threshold: -1 }, "tiers.0.threshold"],
    ["a fractional threshold", { threshold: 10.5 }, "tiers.0.threshold"],
    ["a multiplier below 1", { earnMultiplier: 0.5 }, "tiers.0.earnMultiplier"],
    ["a multiplier above 10", { earnMultiplier: 10.01 }, "tiers.0.earnMultiplier"],
    ["a multiplier with 3 decimals", { earnMultiplier: 1.255 }, "tiers.0.earnMultiplier"],
  ])("refuses %s", (_, change, path) => {
    expect(issuePaths(program([{ ...ladder[0], ...change }]))).toEqual([path]);
  });

  test("a name is counted in characters: 40 emoji fit, 41 do not", () => {
    expect([...parseTierProgram(program([{ ...ladder[0], name: "🌟".repeat(40) }])).tiers[0].name]).toHaveLength(40);
    expect(issuePaths(program([{ ...ladder[0], name: "🌟".repeat(41) }]))).toEqual(["tiers.0.name"]);
  });

  test("1 to 10 tiers, a known basis and period", () => {
    expect(issuePaths(program([]))).toEqual(["tiers"]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ key: `t${i}`, name: `T${i}`, threshold: i * 10 }));
    expect(issuePaths(program(eleven))).toEqual(["tiers"]);
    expect(issuePaths(program(ladder, { basis: "visits", period: "weekly" }))).toEqual(["basis", "period"]);
  });
});

describe("moving up or down (the preview)", () => {
  const proposed = {
    basis: "points_earned" as const,
    tiers: [
      { key: "silver", threshold: 1000 },
      { key: "gold", threshold: 5000 },
      { key: "platinum", threshold: 20000 },
    ],
  };
  const [silver, gold, platinum] = proposed.tiers;
  const former = new Map([
    ["bronze", { basis: "points_earned" as const, threshold: 500, position: 0 }],
    ["vip", { basis: "points_earned" as const, threshold: 5000, position: 1 }],
    ["elite", { basis: "points_earned" as const, threshold: 10000, position: 2 }],
    ["big-spender", { basis: "amount_spent" as const, threshold: 50_000_000, position: 1 }],
  ]);

  test("the same tier, or none before and after, is unchanged", () => {
    expect(tierMove("gold", gold, proposed, former)).toBe("unchanged");
    expect(tierMove(null, null, proposed, former)).toBe("unchanged");
  });

  test("by position in the proposed ladder when both tiers are in it", () => {
    expect(tierMove("silver", gold, proposed, former)).toBe("up");
    expect(tierMove("platinum", silver, proposed, former)).toBe("down");
  });

  test("gaining a first tier is up; losing every tier is down, whatever the tier was", () => {
    expect(tierMove(null, silver, proposed, former)).toBe("up");
    expect(tierMove("gold", null, proposed, former)).toBe("down");
    expect(tierMove("bronze", null, proposed, former)).toBe("down");
  });

  test("a removed tier compares by threshold: higher is up, lower is down, the same (a rename) is unchanged", () => {
    expect(tierMove("bronze", silver, proposed, former)).toBe("up");
    expect(tierMove("elite", gold, proposed, former)).toBe("down");
    expect(tierMove("elite", platinum, proposed, former)).toBe("up");
    expect(tierMove("vip", gold, proposed, former)).toBe("unchanged");
  });

  test("a removed tier of the other basis compares by position, its thresholds being in other units", () => {
    expect(tierMove("big-spender", silver, proposed, former)).toBe("down");
    expect(tierMove("big-spender", gold, proposed, former)).toBe("unchanged");
    expect(tierMove("big-spender", platinum, proposed, former)).toBe("up");
  });

  test("a key no version knows counts as no tier", () => {
    expect(tierMove("mystery", silver, proposed, former)).toBe("up");
  });
});

describe("tiersUnlocking", () => {
  const ladder = [
    { key: "silver", exclusiveRewardIds: [] as string[] },
    { key: "gold", exclusiveRewardIds: ["r1", "r2"] },
    { key: "platinum", exclusiveRewardIds: ["r2"] },
  ];
  test("GIVEN a reward no tier lists THEN no tier is needed", () => {
    expect(tiersUnlocking(ladder, "r9")).toEqual([]);
  });
  test("GIVEN a reward some tiers list THEN exactly those tiers unlock it, in ladder order", () => {
    expect(tiersUnlocking(ladder, "r1").map((t) => t.key)).toEqual(["gold"]);
    expect(tiersUnlocking(ladder, "r2").map((t) => t.key)).toEqual(["gold", "platinum"]);
  });
});
