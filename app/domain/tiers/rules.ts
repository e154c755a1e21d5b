// VIP tiers, the pure part: the merchant's tier program (one zod schema), the window a
// period covers, the amount a customer qualifies with, and which tier that amount reaches.
import { z } from "zod";
import { merchantText, parseInput, twoDecimals } from "../validation";

export const TIER_BASES = ["points_earned", "amount_spent"] as const;
export const TIER_PERIODS = ["lifetime", "calendar_year", "rolling_12_months"] as const;
export type TierBasis = (typeof TIER_BASES)[number];
export type TierPeriod = (typeof TIER_PERIODS)[number];

/** The byTier bucket (and the tier metafield value) of a customer without a tier, so no tier may use it. */
export const NO_TIER = "none";

const DAY_MS = 86_400_000;
/** Thresholds stay exact as JavaScript numbers (IDR amounts in minor units get large). */
const MAX_THRESHOLD = 1e15;

export const tierSchema = z.object({
  /** Stable slug: the Shopify tag is kembali-tier-<key> and the metafield holds it. */
  key: z
    .string()
    .max(40)
    .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, "Lowercase letters, digits, - and _")
    .refine((k) => k !== NO_TIER, `"${NO_TIER}" is reserved for customers without a tier`),
  name: merchantText(40),
  /** Points, or minor units of the shop currency for amount_spent. */
  threshold: z.number().int().min(0).max(MAX_THRESHOLD),
  earnMultiplier: z.number().min(1).max(10).refine(twoDecimals, "At most 2 decimals").default(1),
  freeShippingReward: z.boolean().default(false),
  exclusiveRewardIds: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
});

export const tierProgramSchema = z.object({
  basis: z.enum(TIER_BASES),
  period: z.enum(TIER_PERIODS),
  tiers: z
    .array(tierSchema)
    .min(1)
    .max(10)
    .superRefine((tiers, ctx) => {
      const seen = new Set<string>();
      tiers.forEach((tier, index) => {
        if (seen.has(tier.key)) ctx.addIssue({ code: "custom", path: [index, "key"], message: `Duplicate key: ${tier.key}` });
        seen.add(tier.key);
        const previous = tiers[index - 1];
        if (previous && tier.threshold <= previous.threshold) {
          ctx.addIssue({
            code: "custom",
            path: [index, "threshold"],
            message: `Must be above the previous tier's threshold (${previous.threshold})`,
          });
        }
      });
    }),
});

export type Tier = z.infer<typeof tierSchema>;
export type TierProgramInput = z.infer<typeof tierProgramSchema>;

/** Merchant input -> program, or BAD_INPUT listing each problem with its field path ("tiers.1.threshold"). */
export function parseTierProgram(input: unknown): TierProgramInput {
  return parseInput(tierProgramSchema, input, "Tier program is invalid");
}

/** The start of the period's window at `now` (UTC), or null for lifetime. */
export function windowStart(period: TierPeriod, now: Date): Date | null {
  switch (period) {
    case "lifetime":
      return null;
    case "calendar_year":
      return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
    case "rolling_12_months":
      return new Date(now.getTime() - 365 * DAY_MS);
  }
}

/** Ledger entries that count for points_earned: earnings, and the reversals of orders they came from. */
export const ORDER_REVERSAL_SOURCES = ["refund", "cancellation"] as const;

export interface QualifyingHistory {
  entries: Array<{ kind: string; points: number; sourceType: string; createdAt: Date }>;
  orders: Array<{ shopifyOrderId: string; subtotalMinor: bigint; paidAt: Date | null; cancelledAt: Date | null }>;
  refunds: Array<{ shopifyOrderId: string; subtotalMinor: bigint; refundedAt: Date }>;
}

/**
 * What one customer qualifies with, inside the window (anything dated at or after its start):
 * - points_earned: earn entries plus the (negative) refund and cancellation reversals;
 * - amount_spent: subtotals of paid, not cancelled orders, minus refunds of those orders.
 * A reversal or refund counts when it happens, even for an order from before the window.
 * Never below 0. The database version (amounts.ts) computes the same with aggregate queries.
 */
export function qualifyingAmount(basis: TierBasis, period: TierPeriod, now: Date, history: QualifyingHistory): number {
  const start = windowStart(period, now);
  const inWindow = (at: Date) => start === null || at.getTime() >= start.getTime();
  let total = 0n;
  if (basis === "points_earned") {
    for (const e of history.entries) {
      const counts = e.kind === "earn" || (e.kind === "reverse" && (ORDER_REVERSAL_SOURCES as readonly string[]).includes(e.sourceType));
      if (counts && inWindow(e.createdAt)) total += BigInt(e.points);
    }
  } else {
    const kept = history.orders.filter((o) => o.paidAt !== null && o.cancelledAt === null);
    for (const o of kept) if (inWindow(o.paidAt!)) total += o.subtotalMinor;
    const keptIds = new Set(kept.map((o) => o.shopifyOrderId));
    for (const r of history.refunds) if (keptIds.has(r.shopifyOrderId) && inWindow(r.refundedAt)) total -= r.subtotalMinor;
  }
  return total > 0n ? Number(total) : 0;
}

/** The highest tier whose threshold the amount reaches, or null below the first. */
export function tierFor<T extends Pick<Tier, "threshold">>(amount: number, tiers: readonly T[]): T | null {
  let reached: T | null = null;
  for (const tier of tiers) if (amount >= tier.threshold) reached = tier;
  return reached;
}

/** A tier carried over from another loyalty app (member CSV import) and when it stops counting. */
export interface TierFloor {
  tierFloor: string | null;
  tierFloorUntil: Date | null;
}

/**
 * The tier a customer holds: the one their amount reaches, or the carried-over tier when that
 * is higher, still in force and still in the ladder.
 */
export function withTierFloor<T extends Pick<Tier, "key">>(reached: T | null, tiers: readonly T[], floor: TierFloor, now: Date): T | null {
  if (!floor.tierFloor || !floor.tierFloorUntil || floor.tierFloorUntil.getTime() <= now.getTime()) return reached;
  const floorAt = tiers.findIndex((t) => t.key === floor.tierFloor);
  const reachedAt = reached ? tiers.findIndex((t) => t.key === reached.key) : -1;
  return floorAt > reachedAt ? tiers[floorAt] : reached;
}

export type TierMove = "up" | "down" | "unchanged";

/**
 * How a customer moves from their current tier key to the proposed tier, for the preview:
 * - the same key (or no tier before and after): unchanged;
 * - losing every tier: down; gaining one from none: up;
 * - both keys in the proposed ladder: by position in it;
 * - a key the proposal no longer has: by threshold, against what that tier required in the
 *   latest version that defined it (a rename at the same threshold is unchanged); when that
 *   version used the other basis its thresholds are not comparable, so by position instead.
 *   A key no version knows counts as no tier.
 */
export function tierMove(
  fromKey: string | null,
  to: Pick<Tier, "key" | "threshold"> | null,
  proposed: { basis: TierBasis; tiers: readonly Pick<Tier, "key">[] },
  former: ReadonlyMap<string, { basis: TierBasis; threshold: number; position: number }>,
): TierMove {
  const toKey = to?.key ?? null;
  if (fromKey === toKey) return "unchanged";
  if (to === null) return "down";
  const sign = (n: number): TierMove => (n > 0 ? "up" : n < 0 ? "down" : "unchanged");
  const toPosition = proposed.tiers.findIndex((t) => t.key === toKey);
  if (fromKey === null) return "up";
  const fromPosition = proposed.tiers.findIndex((t) => t.key === fromKey);
  if (fromPosition >= 0) return sign(toPosition - fromPosition);
  const old = former.get(fromKey);
  if (!old) return "up";
  return old.basis === proposed.basis ? sign(to.threshold - old.threshold) : sign(toPosition - old.position);
}

/**
 * The tiers whose members may redeem a reward: the tiers that list it among their exclusive
 * rewards (exactly those: a merchant who wants Platinum to have Gold's reward ticks it on both).
 * Empty when no tier lists it, which means every member may redeem it.
 */
export function tiersUnlocking<T extends Pick<Tier, "exclusiveRewardIds">>(tiers: readonly T[], rewardId: string): T[] {
  return tiers.filter((t) => t.exclusiveRewardIds.includes(rewardId));
}
