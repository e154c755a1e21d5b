// The merchant's program settings: one zod schema, read and written through it, stored
// as JSON on the shop. Every field added after step 1 has a default, so settings written
// by an older version still parse.
import { z } from "zod";
import { merchantText, parseInput, twoDecimals } from "../validation";
import { oneUnit } from "../../../common/money";

const MAX_POINTS = 1_000_000;

/** Shopify's numeric resource id, as a string ("7890123456"). */
const shopifyId = z.string().regex(/^[1-9]\d{0,19}$/, "Expected a numeric Shopify id");

const tag = z.string().trim().min(1).max(255);

const multiplierValue = z.number().gt(1).max(10).refine(twoDecimals, "At most 2 decimals");

/** Rejects two entries sharing a key, pointing at the later one. */
function uniqueBy<T>(key: (item: T) => string, field: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", path: [index, field], message: `Duplicate ${field}: ${k}` });
      seen.add(k);
    });
  };
}

export const earningRateSchema = z.object({
  /** Points earned... */
  points: z.number().int().min(0).max(MAX_POINTS),
  /** ...for every this much spent, in minor units of the shop currency. */
  perAmount: z.number().int().positive().max(1e15),
  /** What the rate applies to: the subtotal after discounts, plus these when switched on. */
  base: z.object({ includeShipping: z.boolean().default(false), includeTax: z.boolean().default(false) }).prefault({}),
  /** Order points stay pending this long after payment, roughly the return window. */
  pendingDays: z.number().int().min(0).max(365).default(30),
});

/**
 * How often a shopper may claim a custom action. Every custom action is honour-based (Kembali
 * cannot see a newsletter signup, a follow or a review, it takes the shopper's word), so none
 * may be claimed without limit: "daily" allows at most `dailyCap` claims per UTC day.
 */
export const ACTION_LIMITS = ["once", "yearly", "daily"] as const;

export const bonusActionSchema = z.object({
  /** Stable slug: newsletter, social_follow, review, or the merchant's own. */
  key: z
    .string()
    .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, "Lowercase letters, digits, - and _")
    .max(40),
  label: merchantText(80),
  points: z.number().int().positive().max(MAX_POINTS),
  limit: z.enum(ACTION_LIMITS).default("once"),
  /** Claims per customer per UTC day when `limit` is "daily". */
  dailyCap: z.number().int().min(1).max(10).default(1),
});

export const bonusesSchema = z.object({
  /** 0 switches the bonus off. */
  signup: z.number().int().min(0).max(MAX_POINTS).default(0),
  /** 0 switches the bonus off; otherwise awarded once per calendar year. */
  birthday: z.number().int().min(0).max(MAX_POINTS).default(0),
  /** A birthday saved fewer days than this before it comes pays from the next year. */
  birthdayLeadDays: z.number().int().min(0).max(365).default(30),
  actions: z
    .array(bonusActionSchema)
    .max(20)
    .superRefine(uniqueBy((a) => a.key, "key"))
    .default([]),
});

export const productMultiplierSchema = z.object({
  id: z.string().trim().min(1).max(64),
  appliesTo: z.object({
    type: z.enum(["product", "collection"]),
    ids: z.array(shopifyId).min(1).max(250),
  }),
  multiplier: multiplierValue,
});

export const campaignSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    name: merchantText(80),
    multiplier: multiplierValue,
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
  })
  // Written as "not on or before" so an unparseable date is reported once, on its own field.
  .refine((c) => !(Date.parse(c.endsAt) <= Date.parse(c.startsAt)), {
    path: ["endsAt"],
    message: "Must be after startsAt",
  });

export const exclusionsSchema = z.object({
  customerTags: z.array(tag).max(100).default([]),
  productTags: z.array(tag).max(100).default([]),
  collectionIds: z.array(shopifyId).max(250).default([]),
});

export const cashbackSchema = z.object({
  enabled: z.boolean().default(false),
  /** Percent of the eligible subtotal, given back as points worth `redemption.pointValue`. */
  percent: z.number().min(0).max(100).refine(twoDecimals, "At most 2 decimals").default(0),
  /** Minor units; orders whose eligible subtotal is below this get no cashback. */
  minimumSubtotal: z.number().int().min(0).max(1e15).default(0),
});

export const redemptionSchema = z.object({
  /** What one point is worth, in minor units of the shop currency. */
  pointValue: z.number().int().positive().max(1e15).default(1),
  /** A reward code that expires unused gives its points back. */
  refundExpiredCodes: z.boolean().default(true),
});

export const expirySchema = z.object({
  /** never; `inactivity`: all points go after N months without earning or spending;
   *  `after_earning`: each lot goes N months after it was earned. */
  mode: z.enum(["never", "inactivity", "after_earning"]).default("never"),
  months: z.number().int().min(1).max(60).default(12),
  /** "Expiring soon" is recorded this many days before (for reminder messages). */
  warnDays: z.number().int().min(1).max(90).default(30),
});

export const stampsSchema = z.object({
  enabled: z.boolean().default(false),
  counts: z.enum(["orders", "products"]).default("orders"),
  /** Stamps per completed card: 5 means "buy 5, get the 6th free". */
  target: z.number().int().min(2).max(50).default(5),
  /** Minor units; an order below this adds no stamp. */
  minimumSubtotal: z.number().int().min(0).max(1e15).default(0),
  rewardPoints: z.number().int().positive().max(MAX_POINTS).default(100),
});

export const referralSchema = z.object({
  enabled: z.boolean().default(true),
  /** The referrer's points once the friend's first order is past the hold window. */
  referrerPoints: z.number().int().min(0).max(MAX_POINTS).default(500),
  /** The friend's welcome discount: minor units for fixed_amount, percent for percentage. */
  friendReward: z
    .object({ type: z.enum(["fixed_amount", "percentage"]), value: z.number().int().positive().max(1e15) })
    .refine((r) => r.type !== "percentage" || r.value <= 100, { path: ["value"], message: "At most 100 percent" })
    .default({ type: "percentage", value: 10 }),
  /** Days after the friend's payment before the referrer is rewarded; null follows earning.pendingDays (the return window). */
  holdDays: z.number().int().min(0).max(365).nullable().default(null),
  /** Minor units; a friend's first order keeping less merchandise than this does not count. */
  minimumOrderSubtotal: z.number().int().min(0).max(1e15).default(0),
  fraud: z
    .object({
      maxPerReferrerPerDay: z.number().int().min(1).max(10_000).default(10),
      maxPerIpPerDay: z.number().int().min(1).max(10_000).default(5),
      /** Unrelated friends on one code within 7 days that look like a code posted on a coupon site. */
      couponLeakFriends: z.number().int().min(2).max(10_000).default(20),
      /** Risk scores (0-100): at or above reviewScore a referral waits for the merchant, at or above rejectScore it is rejected. */
      reviewScore: z.number().int().min(1).max(100).default(40),
      rejectScore: z.number().int().min(1).max(100).default(80),
    })
    .refine((f) => f.reviewScore <= f.rejectScore, { path: ["rejectScore"], message: "Must be at least reviewScore" })
    .prefault({}),
});

export const holdoutSchema = z.object({
  /** Percent of newly seen customers kept out of the program to measure its effect; 0 = off. */
  share: z.number().int().min(0).max(50).default(0),
  /** Mixed into every customer's bucket; set by the app when the holdout is first turned on, never changed after. */
  salt: z
    .string()
    .regex(/^[A-Za-z0-9-]{16,64}$/)
    .nullable()
    .default(null),
});

export const programSettingsSchema = z.object({
  earning: earningRateSchema,
  bonuses: bonusesSchema.prefault({}),
  multipliers: z
    .array(productMultiplierSchema)
    .max(50)
    .superRefine(uniqueBy((m) => m.id, "id"))
    .default([]),
  campaigns: z
    .array(campaignSchema)
    .max(20)
    .superRefine(uniqueBy((c) => c.id, "id"))
    .default([]),
  exclusions: exclusionsSchema.prefault({}),
  cashback: cashbackSchema.prefault({}),
  redemption: redemptionSchema.prefault({}),
  stamps: stampsSchema.prefault({}),
  expiry: expirySchema.prefault({}),
  referral: referralSchema.prefault({}),
  holdout: holdoutSchema.prefault({}),
});

export type ProgramSettings = z.infer<typeof programSettingsSchema>;
export type EarningSettings = ProgramSettings["earning"];
export type BonusAction = ProgramSettings["bonuses"]["actions"][number];
export type ProductMultiplier = ProgramSettings["multipliers"][number];
export type Campaign = ProgramSettings["campaigns"][number];

/** One point is worth 1/100 of a whole unit (a cent), never less than one minor unit. */
export function defaultPointValue(currency: string): number {
  return Math.max(1, Math.floor(oneUnit(currency) / 100));
}

/** Default: 1 point per whole unit of the shop currency; every extra rule off except referrals (500 points, 10 % for the friend). */
export function defaultSettings(currency: string): ProgramSettings {
  return programSettingsSchema.parse({
    earning: { points: 1, perAmount: oneUnit(currency) },
    redemption: { pointValue: defaultPointValue(currency), refundExpiredCodes: true },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Stored values win key by key inside each section; arrays are values, never merged. */
function mergeOver(defaults: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(stored)) {
    const base = defaults[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? mergeOver(base, value) : value;
  }
  return merged;
}

/**
 * Stored values an older version wrote, in today's terms: an "every time" action (no longer
 * offered, custom actions being honour-based) becomes "daily" at the default cap.
 */
function upgradeStored(stored: Record<string, unknown>): Record<string, unknown> {
  const bonuses = stored.bonuses;
  if (!isPlainObject(bonuses) || !Array.isArray(bonuses.actions)) return stored;
  const actions = bonuses.actions.map((a: unknown) => (isPlainObject(a) && a.limit === "unlimited" ? { ...a, limit: "daily" } : a));
  return { ...stored, bonuses: { ...bonuses, actions } };
}

/** Stored JSON -> settings, filling anything missing from the defaults for the currency. */
export function readSettings(stored: unknown, currency: string): ProgramSettings {
  const defaults = defaultSettings(currency);
  const merged = mergeOver(defaults, isPlainObject(stored) ? upgradeStored(stored) : {});
  const parsed = programSettingsSchema.safeParse(merged);
  // Stored settings were validated when written; a bad value here is a bug, not input.
  if (!parsed.success) throw new Error(`Stored program settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** Merchant input -> settings, or a BAD_INPUT error naming the fields. */
export function parseSettings(input: unknown): ProgramSettings {
  return parseInput(programSettingsSchema, input, "Program settings are invalid");
}

/** Whether earning needs products' tags or collections (which orders do not carry). */
export function needsProductFacts(settings: ProgramSettings): boolean {
  return (
    settings.exclusions.productTags.length > 0 ||
    settings.exclusions.collectionIds.length > 0 ||
    settings.multipliers.some((m) => m.appliesTo.type === "collection")
  );
}
