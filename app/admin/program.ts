// The admin pages' side of the program and the tiers: the forms' text to and from the
// schemas (amounts typed in whole currency units, converted exactly), which field each schema
// problem belongs to, and what the tiers page shows (versions, the recalculation job's
// progress). The conversions are pure: the program page runs them in the browser too, so
// its live example uses exactly the settings a save would store.
import type { Deps, TxDeps } from "~/domain/deps";
import { currencyExponent, parseMoney } from "../../common/money";
import { KembaliError } from "~/domain/errors";
import { parseSettings, programSettingsSchema, type ProgramSettings } from "~/domain/earning/program";
import { findShop, updateProgramSettings, type ShopRecord } from "~/domain/shop/shops";
import { holdoutSettings, randomSalt, releaseAboveShare } from "~/domain/shop/holdout-share";
import {
  NO_TIER,
  previewTierProgram,
  saveTierProgram,
  tierProgramHistory,
  TIER_RECALCULATION_JOB,
  type TierBasis,
  type TierPeriod,
  type TierPreview,
  type TierProgramInput,
} from "~/domain/tiers";

type Issue = { path: string; message: string };

async function requireShop(db: Deps["db"], domain: string): Promise<ShopRecord> {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return shop;
}

// ---------------------------------------------------------------------------------------
// Text as typed -> numbers; anything else becomes NaN for the schema to refuse on its field.

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);
const decimal = (text: string) => (/^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN);

/** Whole currency units as typed ("250000", "12.50", "250,000") -> exact minor units, or NaN. */
export function minorUnits(text: string, currency: string): number {
  try {
    return parseMoney(text.replace(/[\s,]/g, ""), currency).amount;
  } catch {
    return NaN;
  }
}

/** Minor units -> the plain decimal a merchant types ("250000" IDR, "12.5" USD), by digits, not floating point. */
export function wholeUnits(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = String(minor).padStart(exponent + 1, "0");
  const units = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent).replace(/0+$/, "");
  return fraction ? `${units}.${fraction}` : units;
}

/** "vip, wholesale" or one per line -> ["vip", "wholesale"]. */
const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Ids may also be separated by spaces. */
const idList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** The longest prefix of `path` that is a field of the form, or "form". */
function fieldOf(path: string, fields: ReadonlySet<string>): string {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join(".");
    if (fields.has(candidate)) return candidate;
  }
  return "form";
}

/** "bonuses.actions.3.label" -> "bonuses.actions.*.label", the key of its message. */
const pattern = (field: string) => field.replace(/\.\d+(?=\.|$)/g, ".*");

function fieldErrors(issues: Issue[], fields: ReadonlySet<string>, messages: Record<string, string>, fallback: string) {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path, fields);
    out[field] ??= messages[pattern(field)] ?? fallback;
  }
  return out;
}

/**
 * A form's fields as it submits them, named by their path ("earning.points", "tiers.0.name"):
 * a ticked checkbox sends "true" (an unticked one "" here, nothing in a browser), a list of
 * choices each chosen value.
 */
export function formFields(form: object, prefix = ""): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out[name] = value;
    else if (typeof value === "boolean") out[name] = value ? "true" : "";
    else if (Array.isArray(value) && value.some((v) => typeof v === "object")) Object.assign(out, formFields(value, name));
    else if (Array.isArray(value)) out[name] = value.map(String);
    else if (value && typeof value === "object") Object.assign(out, formFields(value, name));
  }
  return out;
}

/** How a route reads a submitted form: one value by name (null when absent), or all of them. */
export interface FieldReader {
  get(name: string): string | null;
  getAll(name: string): string[];
}

/** A submitted FormData as a FieldReader (files are not text: absent). */
export function formReader(form: FormData): FieldReader {
  return {
    get: (name) => {
      const value = form.get(name);
      return typeof value === "string" ? value : null;
    },
    getAll: (name) => form.getAll(name).filter((v): v is string => typeof v === "string"),
  };
}

/** Rows of a list are read while their first field is present: 0, 1, 2... */
function rows<T>(fields: FieldReader, prefix: string, first: string, read: (at: (name: string) => string, i: number) => T): T[] {
  const out: T[] = [];
  for (let i = 0; fields.get(`${prefix}.${i}.${first}`) !== null && i < 100; i++) {
    out.push(read((name) => fields.get(`${prefix}.${i}.${name}`) ?? "", i));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Program settings

/** The program form as the merchant types it: named like the schema's paths. */
export interface ProgramForm {
  earning: { points: string; perAmount: string; base: { includeShipping: boolean; includeTax: boolean }; pendingDays: string };
  bonuses: {
    signup: string;
    birthday: string;
    birthdayLeadDays: string;
    /** dailyCap: claims a day, for the "daily" limit (kept, unused, under the others). */
    actions: Array<{ key: string; label: string; points: string; limit: string; dailyCap: string }>;
  };
  multipliers: Array<{ id: string; appliesTo: { type: string; ids: string }; multiplier: string }>;
  campaigns: Array<{ id: string; name: string; multiplier: string; startsAt: string; endsAt: string }>;
  exclusions: { customerTags: string; productTags: string; collectionIds: string };
  cashback: { enabled: boolean; percent: string; minimumSubtotal: string };
  redemption: { pointValue: string; refundExpiredCodes: boolean };
  stamps: { enabled: boolean; counts: string; target: string; minimumSubtotal: string; rewardPoints: string };
  expiry: { mode: string; months: string; warnDays: string };
  referral: {
    enabled: boolean;
    referrerPoints: string;
    /** value: whole currency units for fixed_amount, a percent for percentage. */
    friendReward: { type: string; value: string };
    /** Empty: the earning pending days. */
    holdDays: string;
    minimumOrderSubtotal: string;
    fraud: {
      maxPerReferrerPerDay: string;
      maxPerIpPerDay: string;
      couponLeakFriends: string;
      reviewScore: string;
      rejectScore: string;
    };
  };
  /** Percent of newly seen customers kept out of the program (0 = off). */
  holdout: { share: string };
}

export function programForm(settings: ProgramSettings, currency: string): ProgramForm {
  const money = (minor: number) => wholeUnits(minor, currency);
  const { earning, bonuses, exclusions, cashback, redemption, stamps, expiry, referral } = settings;
  const { fraud } = referral;
  return {
    earning: {
      points: String(earning.points),
      perAmount: money(earning.perAmount),
      base: { ...earning.base },
      pendingDays: String(earning.pendingDays),
    },
    bonuses: {
      signup: String(bonuses.signup),
      birthday: String(bonuses.birthday),
      birthdayLeadDays: String(bonuses.birthdayLeadDays),
      actions: bonuses.actions.map((a) => ({
        key: a.key,
        label: a.label,
        points: String(a.points),
        limit: a.limit,
        dailyCap: String(a.dailyCap),
      })),
    },
    multipliers: settings.multipliers.map((m) => ({
      id: m.id,
      appliesTo: { type: m.appliesTo.type, ids: m.appliesTo.ids.join(", ") },
      multiplier: String(m.multiplier),
    })),
    campaigns: settings.campaigns.map((c) => ({ ...c, multiplier: String(c.multiplier) })),
    exclusions: {
      customerTags: exclusions.customerTags.join(", "),
      productTags: exclusions.productTags.join(", "),
      collectionIds: exclusions.collectionIds.join(", "),
    },
    cashback: { enabled: cashback.enabled, percent: String(cashback.percent), minimumSubtotal: money(cashback.minimumSubtotal) },
    redemption: { pointValue: money(redemption.pointValue), refundExpiredCodes: redemption.refundExpiredCodes },
    stamps: {
      enabled: stamps.enabled,
      counts: stamps.counts,
      target: String(stamps.target),
      minimumSubtotal: money(stamps.minimumSubtotal),
      rewardPoints: String(stamps.rewardPoints),
    },
    expiry: { mode: expiry.mode, months: String(expiry.months), warnDays: String(expiry.warnDays) },
    referral: {
      enabled: referral.enabled,
      referrerPoints: String(referral.referrerPoints),
      friendReward: {
        type: referral.friendReward.type,
        value: referral.friendReward.type === "fixed_amount" ? money(referral.friendReward.value) : String(referral.friendReward.value),
      },
      holdDays: referral.holdDays === null ? "" : String(referral.holdDays),
      minimumOrderSubtotal: money(referral.minimumOrderSubtotal),
      fraud: {
        maxPerReferrerPerDay: String(fraud.maxPerReferrerPerDay),
        maxPerIpPerDay: String(fraud.maxPerIpPerDay),
        couponLeakFriends: String(fraud.couponLeakFriends),
        reviewScore: String(fraud.reviewScore),
        rejectScore: String(fraud.rejectScore),
      },
    },
    holdout: { share: String(settings.holdout.share) },
  };
}

/** A submitted program form (checkboxes send "true" when ticked, nothing otherwise). */
export function readProgramForm(fields: FieldReader): ProgramForm {
  const text = (name: string) => fields.get(name) ?? "";
  const on = (name: string) => fields.get(name) === "true";
  return {
    earning: {
      points: text("earning.points"),
      perAmount: text("earning.perAmount"),
      base: { includeShipping: on("earning.base.includeShipping"), includeTax: on("earning.base.includeTax") },
      pendingDays: text("earning.pendingDays"),
    },
    bonuses: {
      signup: text("bonuses.signup"),
      birthday: text("bonuses.birthday"),
      birthdayLeadDays: text("bonuses.birthdayLeadDays"),
      actions: rows(fields, "bonuses.actions", "key", (at) => ({
        key: at("key"),
        label: at("label"),
        points: at("points"),
        limit: at("limit"),
        dailyCap: at("dailyCap"),
      })),
    },
    multipliers: rows(fields, "multipliers", "id", (at) => ({
      id: at("id"),
      appliesTo: { type: at("appliesTo.type"), ids: at("appliesTo.ids") },
      multiplier: at("multiplier"),
    })),
    campaigns: rows(fields, "campaigns", "id", (at) => ({
      id: at("id"),
      name: at("name"),
      multiplier: at("multiplier"),
      startsAt: at("startsAt"),
      endsAt: at("endsAt"),
    })),
    exclusions: {
      customerTags: text("exclusions.customerTags"),
      productTags: text("exclusions.productTags"),
      collectionIds: text("exclusions.collectionIds"),
    },
    cashback: {
      enabled: on("cashback.enabled"),
      percent: text("cashback.percent"),
      minimumSubtotal: text("cashback.minimumSubtotal"),
    },
    redemption: { pointValue: text("redemption.pointValue"), refundExpiredCodes: on("redemption.refundExpiredCodes") },
    stamps: {
      enabled: on("stamps.enabled"),
      counts: text("stamps.counts"),
      target: text("stamps.target"),
      minimumSubtotal: text("stamps.minimumSubtotal"),
      rewardPoints: text("stamps.rewardPoints"),
    },
    expiry: { mode: text("expiry.mode"), months: text("expiry.months"), warnDays: text("expiry.warnDays") },
    referral: {
      enabled: on("referral.enabled"),
      referrerPoints: text("referral.referrerPoints"),
      friendReward: { type: text("referral.friendReward.type"), value: text("referral.friendReward.value") },
      holdDays: text("referral.holdDays"),
      minimumOrderSubtotal: text("referral.minimumOrderSubtotal"),
      fraud: {
        maxPerReferrerPerDay: text("referral.fraud.maxPerReferrerPerDay"),
        maxPerIpPerDay: text("referral.fraud.maxPerIpPerDay"),
        couponLeakFriends: text("referral.fraud.couponLeakFriends"),
        reviewScore: text("referral.fraud.reviewScore"),
        rejectScore: text("referral.fraud.rejectScore"),
      },
    },
    holdout: { share: text("holdout.share") },
  };
}

/** The form's sections as the schema's input (not yet validated). */
export function programInput(form: ProgramForm, currency: string) {
  const money = (text: string) => minorUnits(text, currency);
  const { earning, bonuses, exclusions, cashback, redemption, stamps, expiry, referral } = form;
  const { fraud } = referral;
  return {
    earning: {
      points: whole(earning.points),
      perAmount: money(earning.perAmount),
      base: { ...earning.base },
      pendingDays: whole(earning.pendingDays),
    },
    bonuses: {
      signup: whole(bonuses.signup),
      birthday: whole(bonuses.birthday),
      birthdayLeadDays: whole(bonuses.birthdayLeadDays),
      actions: bonuses.actions.map((a) => ({
        key: a.key.trim(),
        label: a.label,
        points: whole(a.points),
        limit: a.limit,
        // Only "daily" shows the cap; another limit leaves it out of the way when left empty.
        dailyCap: a.limit !== "daily" && a.dailyCap.trim() === "" ? 1 : whole(a.dailyCap),
      })),
    },
    multipliers: form.multipliers.map((m) => ({
      id: m.id,
      appliesTo: { type: m.appliesTo.type, ids: idList(m.appliesTo.ids) },
      multiplier: decimal(m.multiplier),
    })),
    campaigns: form.campaigns.map((c) => ({ ...c, multiplier: decimal(c.multiplier) })),
    exclusions: {
      customerTags: list(exclusions.customerTags),
      productTags: list(exclusions.productTags),
      collectionIds: idList(exclusions.collectionIds),
    },
    cashback: { enabled: cashback.enabled, percent: decimal(cashback.percent), minimumSubtotal: money(cashback.minimumSubtotal) },
    redemption: { pointValue: money(redemption.pointValue), refundExpiredCodes: redemption.refundExpiredCodes },
    stamps: {
      enabled: stamps.enabled,
      counts: stamps.counts,
      target: whole(stamps.target),
      minimumSubtotal: money(stamps.minimumSubtotal),
      rewardPoints: whole(stamps.rewardPoints),
    },
    expiry: { mode: expiry.mode, months: whole(expiry.months), warnDays: whole(expiry.warnDays) },
    referral: {
      enabled: referral.enabled,
      referrerPoints: whole(referral.referrerPoints),
      friendReward: {
        type: referral.friendReward.type,
        value: referral.friendReward.type === "fixed_amount" ? money(referral.friendReward.value) : whole(referral.friendReward.value),
      },
      holdDays: referral.holdDays.trim() === "" ? null : whole(referral.holdDays),
      minimumOrderSubtotal: money(referral.minimumOrderSubtotal),
      fraud: {
        maxPerReferrerPerDay: whole(fraud.maxPerReferrerPerDay),
        maxPerIpPerDay: whole(fraud.maxPerIpPerDay),
        couponLeakFriends: whole(fraud.couponLeakFriends),
        reviewScore: whole(fraud.reviewScore),
        rejectScore: whole(fraud.rejectScore),
      },
    },
    // The salt is never the form's: settingsFrom keeps the saved one.
    holdout: { share: whole(form.holdout.share) },
  };
}

/** Message key per field (list indexes as *); the schema's own messages are English only. */
const PROGRAM_MESSAGES: Record<string, string> = {
  "earning.points": "program.error.points",
  "earning.perAmount": "program.error.perAmount",
  "earning.pendingDays": "program.error.pendingDays",
  "bonuses.signup": "program.error.bonus",
  "bonuses.birthday": "program.error.bonus",
  "bonuses.birthdayLeadDays": "program.error.birthdayLeadDays",
  "bonuses.actions": "program.error.actions",
  "bonuses.actions.*.key": "program.error.actionKey",
  "bonuses.actions.*.label": "program.error.name",
  "bonuses.actions.*.points": "program.error.positivePoints",
  "bonuses.actions.*.limit": "program.error.choice",
  "bonuses.actions.*.dailyCap": "program.error.dailyCap",
  multipliers: "program.error.multipliers",
  "multipliers.*.appliesTo.type": "program.error.choice",
  "multipliers.*.appliesTo.ids": "program.error.ids",
  "multipliers.*.multiplier": "program.error.multiplier",
  campaigns: "program.error.campaigns",
  "campaigns.*.name": "program.error.name",
  "campaigns.*.multiplier": "program.error.multiplier",
  "campaigns.*.startsAt": "program.error.startsAt",
  "campaigns.*.endsAt": "program.error.endsAt",
  "exclusions.customerTags": "program.error.tags",
  "exclusions.productTags": "program.error.tags",
  "exclusions.collectionIds": "program.error.ids",
  "cashback.percent": "program.error.percent",
  "cashback.minimumSubtotal": "program.error.minimum",
  "redemption.pointValue": "program.error.pointValue",
  "stamps.counts": "program.error.choice",
  "stamps.target": "program.error.target",
  "stamps.minimumSubtotal": "program.error.minimum",
  "stamps.rewardPoints": "program.error.positivePoints",
  "expiry.mode": "program.error.choice",
  "expiry.months": "program.error.months",
  "expiry.warnDays": "program.error.warnDays",
  "referral.referrerPoints": "program.error.bonus",
  "referral.friendReward.type": "program.error.choice",
  "referral.friendReward.value": "program.error.friendReward",
  "referral.holdDays": "program.error.holdDays",
  "referral.minimumOrderSubtotal": "program.error.minimum",
  "referral.fraud.maxPerReferrerPerDay": "program.error.perDay",
  "referral.fraud.maxPerIpPerDay": "program.error.perDay",
  "referral.fraud.couponLeakFriends": "program.error.couponLeak",
  "referral.fraud.reviewScore": "program.error.score",
  "referral.fraud.rejectScore": "program.error.rejectScore",
  "holdout.share": "program.error.holdoutShare",
};

/** Schema problems -> { field name: message key }; list-wide problems go to the list's name. */
export function programFieldErrors(issues: Issue[], form: ProgramForm): Record<string, string> {
  const fields = new Set([...Object.keys(formFields(form)), "bonuses.actions", "multipliers", "campaigns"]);
  return fieldErrors(issues, fields, PROGRAM_MESSAGES, "program.error");
}

function issuesOf(error: unknown): Issue[] | null {
  if (!(error instanceof KembaliError) || error.code !== "BAD_INPUT") return null;
  return (error.details?.issues as Issue[] | undefined) ?? [];
}

/** The form over the saved settings: sections the form does not show are kept as they are. */
function settingsFrom(form: ProgramForm, shop: ShopRecord): ProgramSettings {
  const input = programInput(form, shop.currency);
  try {
    const settings = parseSettings({ ...shop.settings, ...input, holdout: { ...shop.settings.holdout, ...input.holdout } });
    return { ...settings, holdout: holdoutSettings(shop.settings.holdout, settings.holdout.share, randomSalt) };
  } catch (error) {
    const issues = issuesOf(error);
    if (!issues) throw error;
    throw new KembaliError("BAD_INPUT", "Program settings are invalid", { fields: programFieldErrors(issues, form) });
  }
}

export interface ProgramPage {
  currency: string;
  settings: ProgramSettings;
  form: ProgramForm;
  /** Members' codes whose Shopify discount is still being made or brought in line with the friend reward (decision 020). */
  codesSyncing: number;
}

export async function programPage(deps: Pick<Deps, "db">, shopDomain: string): Promise<ProgramPage> {
  const shop = await requireShop(deps.db, shopDomain);
  const codesSyncing = await deps.db.referralCode.count({ where: { shopId: shop.id, discountStatus: "pending" } });
  return { currency: shop.currency, settings: shop.settings, form: programForm(shop.settings, shop.currency), codesSyncing };
}

/**
 * Validates the whole form and stores it, or BAD_INPUT with `fields` (name -> message key);
 * nothing is written then. A lower holdout share lets the customers above it into the
 * program in the same transaction.
 */
export async function saveProgramForm(
  deps: Pick<TxDeps, "db" | "clock" | "transaction">,
  shopDomain: string,
  form: ProgramForm,
): Promise<ProgramSettings> {
  const shop = await requireShop(deps.db, shopDomain);
  const settings = settingsFrom(form, shop);
  await deps.transaction(async (tx) => {
    await updateProgramSettings(tx, shopDomain, settings);
    if (settings.holdout.share < shop.settings.holdout.share) {
      await releaseAboveShare(tx, shop.id, settings.holdout.share, deps.clock());
    }
  });
  return settings;
}

/**
 * The settings the live example runs on while the merchant types: the form as it stands; a
 * section that is not valid yet falls back to what is saved, except the earning rate itself
 * (an example on the old rate would mislead): then null.
 */
export function exampleSettings(
  form: ProgramForm,
  currency: string,
  saved: ProgramSettings,
): { settings: ProgramSettings; complete: boolean } | null {
  const input: Record<string, unknown> = { ...saved, ...programInput(form, currency) };
  const first = programSettingsSchema.safeParse(input);
  if (first.success) return { settings: first.data, complete: true };
  const invalid = new Set(first.error.issues.map((i) => String(i.path[0])));
  if (invalid.has("earning")) return null;
  for (const section of invalid) input[section] = saved[section as keyof ProgramSettings];
  const second = programSettingsSchema.safeParse(input);
  return second.success ? { settings: second.data, complete: false } : null;
}

// ---------------------------------------------------------------------------------------
// Tiers

export interface TierForm {
  basis: string;
  period: string;
  tiers: Array<{
    key: string;
    name: string;
    /** Points, or whole currency units for amount_spent. */
    threshold: string;
    earnMultiplier: string;
    freeShippingReward: boolean;
    exclusiveRewardIds: string[];
  }>;
}

export function tierForm(program: TierProgramInput | null, currency: string): TierForm {
  if (!program) return { basis: "points_earned", period: "lifetime", tiers: [] };
  return {
    basis: program.basis,
    period: program.period,
    tiers: program.tiers.map((t) => ({
      key: t.key,
      name: t.name,
      threshold: program.basis === "amount_spent" ? wholeUnits(t.threshold, currency) : String(t.threshold),
      earnMultiplier: String(t.earnMultiplier),
      freeShippingReward: t.freeShippingReward,
      exclusiveRewardIds: [...t.exclusiveRewardIds],
    })),
  };
}

export function readTierForm(fields: FieldReader): TierForm {
  return {
    basis: fields.get("basis") ?? "",
    period: fields.get("period") ?? "",
    tiers: rows(fields, "tiers", "key", (at, i) => ({
      key: at("key"),
      name: at("name"),
      threshold: at("threshold"),
      earnMultiplier: at("earnMultiplier"),
      freeShippingReward: at("freeShippingReward") === "true",
      exclusiveRewardIds: fields.getAll(`tiers.${i}.exclusiveRewardIds`).filter(Boolean),
    })),
  };
}

export function tierInput(form: TierForm, currency: string) {
  return {
    basis: form.basis,
    period: form.period,
    tiers: form.tiers.map((t) => ({
      key: t.key.trim(),
      name: t.name,
      threshold: form.basis === "amount_spent" ? minorUnits(t.threshold, currency) : whole(t.threshold),
      earnMultiplier: decimal(t.earnMultiplier),
      freeShippingReward: t.freeShippingReward,
      exclusiveRewardIds: t.exclusiveRewardIds,
    })),
  };
}

const TIER_MESSAGES: Record<string, string> = {
  basis: "tiers.error.choice",
  period: "tiers.error.choice",
  tiers: "tiers.error.count",
  "tiers.*.key": "tiers.error.key",
  "tiers.*.name": "tiers.error.name",
  "tiers.*.threshold": "tiers.error.threshold",
  "tiers.*.earnMultiplier": "tiers.error.multiplier",
  "tiers.*.exclusiveRewardIds": "tiers.error.rewards",
};

export function tierFieldErrors(issues: Issue[], form: TierForm): Record<string, string> {
  const fields = new Set([...Object.keys(formFields(form)), "tiers"]);
  return fieldErrors(issues, fields, TIER_MESSAGES, "tiers.error");
}

async function withTierFields<T>(form: TierForm, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const issues = issuesOf(error);
    if (!issues) throw error;
    throw new KembaliError("BAD_INPUT", "Tier program is invalid", { fields: tierFieldErrors(issues, form) });
  }
}

export interface TierPreviewView extends Omit<TierPreview, "sample"> {
  sample: Array<TierPreview["sample"][number] & { name: string | null }>;
}

/** What saving the form would do, with the examples' names; writes nothing. BAD_INPUT with `fields`. */
export async function previewTierForm(deps: Deps, shopDomain: string, form: TierForm): Promise<TierPreviewView> {
  const shop = await requireShop(deps.db, shopDomain);
  const preview = await withTierFields(form, () => previewTierProgram(deps, shopDomain, tierInput(form, shop.currency)));
  const people = await deps.db.customer.findMany({
    where: { shopId: shop.id, id: { in: preview.sample.map((s) => s.customerId) } },
    select: { id: true, firstName: true, lastName: true, email: true },
  });
  const names = new Map(people.map((p) => [p.id, [p.firstName, p.lastName].filter(Boolean).join(" ") || p.email]));
  return { ...preview, sample: preview.sample.map((s) => ({ ...s, name: names.get(s.customerId) ?? null })) };
}

/** Saves the form as the next version and queues its recalculation. BAD_INPUT with `fields`. */
export async function saveTierForm(deps: TxDeps, shopDomain: string, form: TierForm): Promise<{ version: number; jobId: string }> {
  const shop = await requireShop(deps.db, shopDomain);
  return withTierFields(form, () => saveTierProgram(deps, shopDomain, tierInput(form, shop.currency)));
}

export interface TierVersionView {
  version: number;
  basis: TierBasis;
  period: TierPeriod;
  tiers: TierProgramInput["tiers"];
  createdAt: string;
}

export interface TierJobStatus {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  /** The version the job places customers under. */
  version: number | null;
  /** Customers done so far. */
  progress: number;
  total: number | null;
  /** 0-100 when the total is known or the job is over; null while the total is unknown. */
  percent: number | null;
  error: string | null;
  finishedAt: string | null;
  createdAt: string;
}

export interface TiersPage {
  currency: string;
  /** The newest version first; empty when the merchant never saved one. */
  versions: TierVersionView[];
  job: TierJobStatus | null;
  rewards: Array<{ id: string; name: string; active: boolean }>;
  /** Customers per current tier key ("none" without one). */
  members: Record<string, number>;
}

export async function tierJobStatus(deps: Pick<Deps, "db">, shopDomain: string): Promise<TierJobStatus | null> {
  const job = await deps.db.job.findFirst({
    where: { shopDomain, type: TIER_RECALCULATION_JOB },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!job) return null;
  const status = job.status as TierJobStatus["status"];
  const version = (job.input as { version?: unknown } | null)?.version;
  return {
    id: job.id,
    status,
    version: typeof version === "number" ? version : null,
    progress: job.progress,
    total: job.total,
    percent: status === "done" ? 100 : job.total ? Math.min(100, Math.floor((job.progress / job.total) * 100)) : null,
    error: job.error,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
  };
}

export async function tiersPage(deps: Pick<Deps, "db">, shopDomain: string): Promise<TiersPage> {
  const shop = await requireShop(deps.db, shopDomain);
  const [history, job, rewards, tiers] = await Promise.all([
    tierProgramHistory(deps.db, shop.id),
    tierJobStatus(deps, shopDomain),
    deps.db.reward.findMany({
      where: { shopId: shop.id },
      select: { id: true, name: true, active: true },
      orderBy: { createdAt: "asc" },
    }),
    deps.db.customer.groupBy({ by: ["tier"], where: { shopId: shop.id }, _count: { _all: true } }),
  ]);
  return {
    currency: shop.currency,
    versions: history.map((p) => ({
      version: p.version,
      basis: p.basis,
      period: p.period,
      tiers: p.tiers,
      createdAt: p.createdAt.toISOString(),
    })),
    job,
    rewards,
    members: Object.fromEntries(tiers.map((row) => [row.tier ?? NO_TIER, row._count._all])),
  };
}
