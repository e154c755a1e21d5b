// Pure earning rules: how many points an order earns under the program settings, and
// when the other bonuses (birthday, actions, stamps) are due. Integer minor units and
// integer points throughout; intermediate products are BigInt so large IDR totals stay exact.
import type { BonusAction, Campaign, EarningSettings, ProductMultiplier, ProgramSettings } from "./program";
import { KembaliError } from "../errors";

const DAY_MS = 86_400_000;

export interface EarnableOrder {
  /** Subtotal after discounts, before shipping and tax, in minor units. */
  subtotal: number;
}

/** The base rate alone: floor(subtotal × points / perAmount). Used for "what you earn" examples. */
export function pointsForOrder(order: EarnableOrder, settings: { earning: Pick<EarningSettings, "points" | "perAmount"> }): number {
  const { points, perAmount } = settings.earning;
  if (order.subtotal <= 0 || points === 0) return 0;
  return Number((BigInt(order.subtotal) * BigInt(points)) / BigInt(perAmount));
}

/**
 * What a product earns at least, shown next to it on the storefront (the recommendation blocks
 * in Liquid, the "picked for you" card): a one-item order at its price under the base rate and
 * the program's exclusions, without tier, campaign, product multipliers or cashback, which
 * depend on the shopper, the day or the whole order.
 */
export function productPoints(price: number, facts: { productTags: string[]; collectionIds: string[] }, settings: ProgramSettings): number {
  if (!(price > 0)) return 0;
  const base: ProgramSettings = { ...settings, multipliers: [], campaigns: [], cashback: { ...settings.cashback, enabled: false } };
  const line: OrderLine = { productId: null, quantity: 1, price, ...facts };
  const input = { subtotal: price, shipping: 0, tax: 0, paidAt: new Date(0), customerTags: [], tierMultiplier: 1, lines: [line] };
  return orderEarnings(input, base).points;
}

export interface OrderLine {
  productId: string | null;
  quantity: number;
  /** Unit price before order discounts, minor units. */
  price: number;
  productTags: string[];
  collectionIds: string[];
}

export interface OrderEarningInput {
  /** Minor units; the subtotal is after discounts, before shipping and tax. */
  subtotal: number;
  shipping: number;
  tax: number;
  paidAt: Date;
  customerTags: string[];
  /** The customer's tier benefit; 1 when there is none. */
  tierMultiplier: number;
  lines: OrderLine[];
}

export type EarningRule = "base" | "multiplier" | "campaign" | "tier" | "cashback";

export interface OrderEarnings {
  points: number;
  /** Each rule's contribution, in the order applied; sums exactly to `points`. */
  breakdown: Array<{ rule: EarningRule; points: number; detail?: string }>;
  availableAt: Date;
  /** Why the order earns nothing at all ("customer_tag:wholesale"), or null. */
  excluded: string | null;
}

/**
 * Points for a paid order. Composition, in this order, on exact fractions:
 *   amount   = eligible merchandise (+ shipping, + tax when configured)
 *   weighted = Σ eligible line value × best product/collection multiplier, + the rest at ×1
 *   total    = weighted × best active campaign × tier multiplier × points / perAmount
 * Each stage is floored cumulatively, so every breakdown entry is the difference between
 * two floors: the entries sum to floor(total) and no stage loses points to rounding.
 * Cashback is added after, on the eligible merchandise, and is not multiplied.
 */
export function orderEarnings(input: OrderEarningInput, settings: ProgramSettings): OrderEarnings {
  assertOrder(input);
  const tierHundredths = hundredths(input.tierMultiplier, "tierMultiplier");
  if (tierHundredths < 100n) throw new RangeError("tierMultiplier must be at least 1");
  const availableAt = new Date(input.paidAt.getTime() + settings.earning.pendingDays * DAY_MS);

  const excludedTag = firstMatchingTag(input.customerTags, settings.exclusions.customerTags);
  if (excludedTag !== null) return { points: 0, breakdown: [], availableAt, excluded: `customer_tag:${excludedTag}` };

  const { earning } = settings;
  const merch = eligibleMerchandise(input, settings);
  const extras = BigInt((earning.base.includeShipping ? input.shipping : 0) + (earning.base.includeTax ? input.tax : 0));
  const rate = { n: BigInt(earning.points), d: BigInt(earning.perAmount) };

  // Fractions over merch.denominator; multipliers in hundredths, so weighted carries ×100.
  const den = merch.denominator;
  const amount = merch.eligible + extras * den;
  const weighted = merch.weighted + extras * den * 100n;
  const campaign = activeCampaign(settings, input.paidAt);
  const campaignHundredths = campaign ? hundredths(campaign.multiplier, "campaign") : 100n;

  const base = (amount * rate.n) / (den * rate.d);
  const afterMultipliers = (weighted * rate.n) / (den * 100n * rate.d);
  const afterCampaign = (weighted * campaignHundredths * rate.n) / (den * 10_000n * rate.d);
  const afterTier = (weighted * campaignHundredths * tierHundredths * rate.n) / (den * 1_000_000n * rate.d);

  const breakdown: OrderEarnings["breakdown"] = [{ rule: "base", points: toPoints(base) }];
  if (merch.multiplierIds.length > 0) {
    breakdown.push({ rule: "multiplier", points: toPoints(afterMultipliers - base), detail: merch.multiplierIds.join(",") });
  }
  if (campaign) breakdown.push({ rule: "campaign", points: toPoints(afterCampaign - afterMultipliers), detail: campaign.id });
  if (tierHundredths > 100n) {
    breakdown.push({ rule: "tier", points: toPoints(afterTier - afterCampaign), detail: `x${input.tierMultiplier}` });
  }

  const { cashback, redemption } = settings;
  if (cashback.enabled && merch.eligible >= BigInt(cashback.minimumSubtotal) * den) {
    const percentHundredths = hundredths(cashback.percent, "cashback.percent");
    const points = (merch.eligible * percentHundredths) / (den * 10_000n * BigInt(redemption.pointValue));
    breakdown.push({ rule: "cashback", points: toPoints(points), detail: `${cashback.percent}%` });
  }

  const points = breakdown.reduce((sum, b) => sum + b.points, 0);
  if (!Number.isSafeInteger(points)) throw tooManyPoints();
  return { points, breakdown, availableAt, excluded: null };
}

/** Stamps this order adds to the customer's card: 0, 1 (per order) or the eligible item count. */
export function stampsForOrder(input: Pick<OrderEarningInput, "subtotal" | "customerTags" | "lines">, settings: ProgramSettings): number {
  assertAmount(input.subtotal, "subtotal");
  input.lines.forEach(assertLine);
  const { stamps } = settings;
  if (!stamps.enabled) return 0;
  if (firstMatchingTag(input.customerTags, settings.exclusions.customerTags) !== null) return 0;
  const merch = eligibleMerchandise(input, settings);
  // A free order (or one of excluded items only) is not a purchase worth a stamp.
  if (merch.eligible === 0n || merch.eligible < BigInt(stamps.minimumSubtotal) * merch.denominator) return 0;
  if (stamps.counts === "orders") return 1;
  // Free lines (a gift, the reward item itself) do not count towards the next reward.
  return input.lines
    .filter((line) => line.price > 0 && lineExclusion(line, settings) === null)
    .reduce((sum, line) => sum + line.quantity, 0);
}

/** Rewards completed by going from `previousStamps` to `previousStamps + addedStamps`. */
export function stampRewardsDue(previousStamps: number, addedStamps: number, target: number): number {
  assertCount(previousStamps, "previousStamps");
  assertCount(addedStamps, "addedStamps");
  if (!Number.isSafeInteger(target) || target < 1) throw new RangeError(`target must be a positive integer: ${target}`);
  return Math.floor((previousStamps + addedStamps) / target) - Math.floor(previousStamps / target);
}

/**
 * Whether the birthday bonus is due now: on or after this year's birthday, not yet awarded
 * this calendar year, and saved at least `birthdayLeadDays` (UTC calendar days) before this
 * year's birthday, so a date saved on the day, or after it, pays from the next year. A
 * birthday without `savedAt` was saved before the lead time existed and always counts.
 * Calendar years are UTC; Feb 29 falls on Feb 28 in other years.
 */
export function birthdayBonusDue(
  lastAwardedAt: Date | null,
  birthday: { month: number; day: number; savedAt?: Date | null },
  now: Date,
  settings: ProgramSettings,
): boolean {
  assertDate(now, "now");
  if (lastAwardedAt !== null) assertDate(lastAwardedAt, "lastAwardedAt");
  const { month, day, savedAt } = birthday;
  if (savedAt) assertDate(savedAt, "savedAt");
  // 2000 is a leap year, so this accepts Feb 29 and rejects Feb 30 or Apr 31.
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1 || day > daysIn(2000, month)) {
    throw new RangeError(`Not a birthday: ${month}-${day}`);
  }
  if (settings.bonuses.birthday === 0) return false;
  const year = now.getUTCFullYear();
  const birthdayThisYear = Date.UTC(year, month - 1, Math.min(day, daysIn(year, month)));
  if (now.getTime() < birthdayThisYear) return false;
  if (savedAt) {
    const savedDay = Date.UTC(savedAt.getUTCFullYear(), savedAt.getUTCMonth(), savedAt.getUTCDate());
    if (birthdayThisYear - savedDay < settings.bonuses.birthdayLeadDays * DAY_MS) return false;
  }
  return lastAwardedAt === null || lastAwardedAt.getUTCFullYear() < year;
}

/**
 * Whether an action bonus may be awarded again: once ever, once per UTC calendar year, or up
 * to `dailyCap` times per UTC day.
 */
export function actionBonusDue(action: Pick<BonusAction, "limit" | "dailyCap">, previousAwards: Date[], now: Date): boolean {
  assertDate(now, "now");
  previousAwards.forEach((at) => assertDate(at, "previousAwards"));
  switch (action.limit) {
    case "once":
      return previousAwards.length === 0;
    case "yearly":
      return !previousAwards.some((at) => at.getUTCFullYear() === now.getUTCFullYear());
    case "daily":
      return (
        previousAwards.filter((at) => Math.floor(at.getTime() / DAY_MS) === Math.floor(now.getTime() / DAY_MS)).length < action.dailyCap
      );
  }
}

interface Merchandise {
  /** Eligible merchandise value × denominator (exact, after the order's discount). */
  eligible: bigint;
  /** Σ eligible value × line multiplier in hundredths × denominator. */
  weighted: bigint;
  denominator: bigint;
  /** Multipliers that matched at least one eligible line, in settings order. */
  multiplierIds: string[];
}

/**
 * Each line's share of the subtotal is its list value × subtotal / Σ list values, so an
 * order-level discount is spread in proportion. Kept as fractions over Σ list values.
 */
function eligibleMerchandise(input: Pick<OrderEarningInput, "subtotal" | "lines">, settings: ProgramSettings): Merchandise {
  const subtotal = BigInt(input.subtotal);
  const values = input.lines.map((line) => BigInt(line.price) * BigInt(line.quantity));
  const listTotal = values.reduce((a, b) => a + b, 0n);
  // Without priced lines there is nothing to exclude or multiply: the whole subtotal earns at ×1.
  if (listTotal === 0n) return { eligible: subtotal, weighted: subtotal * 100n, denominator: 1n, multiplierIds: [] };

  const multipliers = settings.multipliers.map((m) => ({ ...m, hundredths: hundredths(m.multiplier, "multiplier") }));
  const used = new Set<string>();
  let eligible = 0n;
  let weighted = 0n;
  input.lines.forEach((line, i) => {
    if (lineExclusion(line, settings) !== null) return;
    const share = values[i] * subtotal;
    // Highest matching multiplier only: two rules on one product never stack.
    let best: (typeof multipliers)[number] | null = null;
    for (const m of multipliers) {
      if (matches(line, m) && (best === null || m.hundredths > best.hundredths)) best = m;
    }
    if (best && share > 0n) used.add(best.id);
    eligible += share;
    weighted += share * (best ? best.hundredths : 100n);
  });
  return {
    eligible,
    weighted,
    denominator: listTotal,
    multiplierIds: multipliers.filter((m) => used.has(m.id)).map((m) => m.id),
  };
}

function lineExclusion(line: OrderLine, settings: ProgramSettings): string | null {
  const tag = firstMatchingTag(line.productTags, settings.exclusions.productTags);
  if (tag !== null) return `product_tag:${tag}`;
  const collections = new Set(line.collectionIds.map(numericId));
  const collection = settings.exclusions.collectionIds.find((id) => collections.has(id));
  return collection === undefined ? null : `collection:${collection}`;
}

function matches(line: OrderLine, m: ProductMultiplier): boolean {
  if (m.appliesTo.type === "product") return line.productId !== null && m.appliesTo.ids.includes(numericId(line.productId));
  return line.collectionIds.some((id) => m.appliesTo.ids.includes(numericId(id)));
}

/** Settings hold numeric ids; the Admin GraphQL API sends gid://shopify/Product/123. */
function numericId(id: string): string {
  const gid = /^gid:\/\/shopify\/\w+\/(\d+)$/.exec(id);
  return gid ? gid[1] : id;
}

/** Shopify treats tags case-insensitively, so "VIP" excludes a customer tagged "vip". */
function firstMatchingTag(tags: string[], excluded: string[]): string | null {
  if (excluded.length === 0) return null;
  const present = new Set(tags.map((t) => t.trim().toLowerCase()));
  return excluded.find((t) => present.has(t.trim().toLowerCase())) ?? null;
}

function activeCampaign(settings: ProgramSettings, paidAt: Date): Campaign | null {
  const at = paidAt.getTime();
  let best: Campaign | null = null;
  for (const c of settings.campaigns) {
    const active = Date.parse(c.startsAt) <= at && at < Date.parse(c.endsAt);
    if (active && (best === null || c.multiplier > best.multiplier)) best = c;
  }
  return best;
}

/** 1.25 -> 125n; rejects values with more than two decimals rather than rounding them away. */
function hundredths(value: number, name: string): bigint {
  const scaled = Math.round(value * 100);
  if (!Number.isFinite(value) || value < 0 || Math.abs(value * 100 - scaled) > 1e-9) {
    throw new RangeError(`${name} must be a non-negative number with at most 2 decimals: ${value}`);
  }
  return BigInt(scaled);
}

/** An order's amounts come from Shopify: points beyond exact integers are a refused order (400), not a crash. */
function tooManyPoints(): KembaliError {
  return new KembaliError("BAD_INPUT", "Points for this order exceed the safe integer range");
}

function toPoints(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw tooManyPoints();
  return Number(value);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function assertOrder(input: OrderEarningInput): void {
  assertAmount(input.subtotal, "subtotal");
  assertAmount(input.shipping, "shipping");
  assertAmount(input.tax, "tax");
  assertDate(input.paidAt, "paidAt");
  input.lines.forEach(assertLine);
}

function assertLine(line: OrderLine): void {
  assertAmount(line.price, "line price");
  assertCount(line.quantity, "line quantity");
}

function assertAmount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer of minor units: ${value}`);
}

function assertCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer: ${value}`);
}

function assertDate(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${name} must be a valid Date`);
}
