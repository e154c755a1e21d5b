// The first-run onboarding: three steps from install to a program shoppers can see.
// (1) how customers earn, prefilled with defaults that fit the shop's currency; (2) the first
// rewards; (3) the app embed. Each step saves through the program and rewards domains, so a
// bad value is a field error and nothing is written. The shop records the step it is on and
// when onboarding was finished or skipped; until then the home page sends the merchant here.
import type { Tx } from "~/db-types";
import type { Deps, TxDeps } from "~/domain/deps";
import { KembaliError } from "~/domain/errors";
import { oneUnit } from "../../common/money";
import type { ProgramSettings } from "~/domain/earning/program";
import { programForm, saveProgramForm, wholeUnits, minorUnits, type ProgramForm } from "./program";
import { createReward, parseRewardInput, type RewardInput } from "~/domain/rewards/rewards";
import { findShop, type ShopRecord } from "~/domain/shop/shops";

export const ONBOARDING_STEPS = 3;

// About how many whole units of a currency one US dollar buys (2025-2026 levels). Exchange
// rates drift: the suggestion is a round amount near one dollar's worth, so these only have to
// be in the right range. A currency not listed earns per one whole unit, and the onboarding
// page then makes no claim about dollars.
const UNITS_PER_USD: Record<string, number> = {
  USD: 1,
  EUR: 0.9,
  GBP: 0.77,
  AUD: 1.55,
  CAD: 1.38,
  CHF: 0.85,
  SGD: 1.3,
  NZD: 1.7,
  KWD: 0.31,
  BHD: 0.38,
  OMR: 0.38,
  JOD: 0.71,
  AED: 3.67,
  SAR: 3.75,
  ILS: 3.6,
  RON: 4.5,
  BGN: 1.75,
  IDR: 16300,
  VND: 26000,
  KRW: 1400,
  CLP: 950,
  COP: 4100,
  PYG: 7900,
  UGX: 3600,
  TZS: 2500,
  LAK: 21600,
  IRR: 42000,
  MNT: 3600,
  UZS: 12500,
  KHR: 4000,
  MMK: 2100,
  GNF: 8600,
  LBP: 89500,
  JPY: 150,
  HUF: 360,
  ISK: 130,
  NGN: 1550,
  KES: 129,
  LKR: 300,
  PKR: 282,
  ARS: 1200,
  AMD: 390,
  KZT: 520,
  RSD: 100,
  XAF: 600,
  XOF: 600,
  RWF: 1420,
  BIF: 2950,
  KMF: 450,
  DJF: 178,
  VUV: 120,
  XPF: 110,
  JMD: 158,
  DZD: 130,
  BDT: 122,
  NPR: 138,
  INR: 86,
  PHP: 57,
  THB: 33,
  TWD: 30,
  MXN: 19,
  ZAR: 18,
  CZK: 22,
  SEK: 10,
  NOK: 10.5,
  DKK: 6.8,
  HKD: 7.8,
  CNY: 7.2,
  TRY: 40,
  RUB: 80,
  UAH: 41,
  EGP: 49,
  MAD: 9.2,
  MYR: 4.3,
  BRL: 5.5,
  PLN: 3.8,
};

/**
 * The round amount (1, 2 or 5 times a power of ten, at least one whole unit) nearest to one
 * US dollar's worth of the currency, or null when its rate is not known.
 */
export function dollarLikeUnit(currency: string): number | null {
  const perUsd = UNITS_PER_USD[currency.toUpperCase()];
  if (perUsd === undefined) return null;
  let best = 1;
  for (let exponent = 0; exponent <= 6; exponent++) {
    for (const step of [1, 2, 5]) {
      const amount = step * 10 ** exponent;
      if (Math.abs(Math.log10(amount / perUsd)) < Math.abs(Math.log10(best / perUsd))) best = amount;
    }
  }
  return best;
}

/** Every first reward costs this many points... */
const FIRST_REWARD_POINTS = 100;
/** ...and gives back this percent of what earning those points took. */
const PERCENT_BACK = 5;

/** The reward types onboarding proposes (the Rewards page has them all). */
export const FIRST_REWARD_TYPES = ["fixed_amount", "percentage", "free_shipping"] as const;
export type FirstRewardType = (typeof FIRST_REWARD_TYPES)[number];

export interface DefaultProgram {
  /** Whether the rate is a round amount near one US dollar's worth (false: the currency's rate is unknown). */
  nearDollar: boolean;
  /** Points per `perAmount` (minor units) spent. */
  earning: { points: number; perAmount: number };
  /** What one point is worth (minor units), so cashback and rewards agree. */
  pointValue: number;
  /** The first rewards, unnamed: the admin names them in the merchant's language. */
  rewards: Array<Omit<RewardInput, "name"> & { type: FirstRewardType; value: number }>;
}

/**
 * The program a new shop starts from: 1 point per a round amount near a dollar's worth of its
 * currency (1 per $1, €1, £1; per Rp20.000, ¥200, ₩1,000, ₹100), and first rewards that give about 5 % back:
 * 100 points, earned by spending 100 × that amount, take 5 × that amount off.
 */
export function defaultProgram(currency: string): DefaultProgram {
  const code = currency.toUpperCase();
  const unit = dollarLikeUnit(code);
  const perAmount = (unit ?? 1) * oneUnit(code);
  const rewardValue = (FIRST_REWARD_POINTS * perAmount * PERCENT_BACK) / 100;
  return {
    nearDollar: unit !== null,
    earning: { points: 1, perAmount },
    pointValue: Math.max(1, Math.round(rewardValue / FIRST_REWARD_POINTS)),
    rewards: [
      { type: "fixed_amount", pointsCost: FIRST_REWARD_POINTS, value: rewardValue },
      { type: "free_shipping", pointsCost: FIRST_REWARD_POINTS * 2, value: 0 },
      { type: "percentage", pointsCost: FIRST_REWARD_POINTS * 2, value: 10 },
    ],
  };
}

/** The settings with the default program's earning rate and point value (other sections kept). */
export function withDefaultProgram(settings: ProgramSettings, currency: string): ProgramSettings {
  const defaults = defaultProgram(currency);
  return {
    ...settings,
    earning: { ...settings.earning, ...defaults.earning },
    redemption: { ...settings.redemption, pointValue: defaults.pointValue },
  };
}

// ---------------------------------------------------------------------------------------
// Step 2: the first rewards, as typed

/** One proposed reward row: amounts in whole currency units, as the merchant types them. */
export interface FirstRewardRow {
  include: boolean;
  name: string;
  type: string;
  pointsCost: string;
  /** Whole currency units for fixed_amount, a percent for percentage, unused for free shipping. */
  value: string;
}

/** A default reward's name in the merchant's language (the admin's translations). */
export type RewardNamer = (reward: { type: FirstRewardType; value: number }, currency: string) => string;

export function firstRewardRows(currency: string, nameOf: RewardNamer): FirstRewardRow[] {
  return defaultProgram(currency).rewards.map((r) => ({
    include: true,
    name: nameOf(r, currency),
    type: r.type,
    pointsCost: String(r.pointsCost),
    value: r.type === "fixed_amount" ? wholeUnits(r.value, currency) : r.type === "percentage" ? String(r.value) : "",
  }));
}

const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

function rewardInput(row: FirstRewardRow, currency: string): RewardInput {
  const type = row.type as FirstRewardType;
  return {
    name: row.name,
    type,
    pointsCost: whole(row.pointsCost),
    value: type === "fixed_amount" ? minorUnits(row.value, currency) : type === "percentage" ? whole(row.value) : 0,
  };
}

const REWARD_MESSAGES: Record<string, string> = {
  name: "reward.error.name",
  type: "reward.error.type",
  pointsCost: "reward.error.pointsCost",
};

// ---------------------------------------------------------------------------------------
// The page and its actions

export interface OnboardingPage {
  currency: string;
  /** The step the merchant is on (1-3). */
  step: number;
  onboarded: boolean;
  /** What step 1 starts from (the currency's defaults until step 1 is saved), and its form. */
  settings: ProgramSettings;
  form: ProgramForm;
  /** Step 2's proposed rows; empty once the first rewards were created. */
  rewards: FirstRewardRow[];
  activeRewards: number;
  /** The suggested rate: 1 point per `perAmount` (minor units), near a dollar's worth when `nearDollar`. */
  suggestion: { perAmount: number; nearDollar: boolean };
}

async function requireShop(db: Tx, domain: string): Promise<ShopRecord & { onboardingStep: number; onboardedAt: Date | null }> {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  const row = await db.shop.findUniqueOrThrow({ where: { domain }, select: { onboardingStep: true, onboardedAt: true } });
  return { ...shop, ...row };
}

/**
 * Whether the home page should send the merchant to onboarding: an installed shop that has not
 * finished or skipped it. The install (`installShop`, after OAuth; the demo's `--fresh` seed)
 * records the shop's name; a row that a webhook created before any install (the unseeded
 * demo's first order) has none and is not an install (decision 016). The same rule in
 * production and in demo mode.
 */
export async function needsOnboarding(deps: Pick<Deps, "db">, domain: string): Promise<boolean> {
  const row = await deps.db.shop.findUnique({ where: { domain }, select: { onboardedAt: true, name: true } });
  return row !== null && row.onboardedAt === null && row.name !== null;
}

export async function onboardingPage(deps: Pick<Deps, "db">, domain: string, nameOf: RewardNamer): Promise<OnboardingPage> {
  const shop = await requireShop(deps.db, domain);
  // Until step 1 is saved a new shop sees the currency's defaults; afterwards what it saved.
  const fresh = shop.onboardedAt === null && shop.onboardingStep === 1;
  const startFrom = fresh ? withDefaultProgram(shop.settings, shop.currency) : shop.settings;
  const activeRewards = await deps.db.reward.count({ where: { shopId: shop.id, active: true } });
  return {
    currency: shop.currency,
    step: Math.min(Math.max(shop.onboardingStep, 1), ONBOARDING_STEPS),
    onboarded: shop.onboardedAt !== null,
    settings: startFrom,
    form: programForm(startFrom, shop.currency),
    rewards: shop.onboardingStep <= 2 ? firstRewardRows(shop.currency, nameOf) : [],
    activeRewards,
    suggestion: (({ nearDollar, earning }) => ({ nearDollar, perAmount: earning.perAmount }))(defaultProgram(shop.currency)),
  };
}

/** The step-1 fields over the saved program form. */
export interface EarningStepInput {
  points: string;
  perAmount: string;
  pendingDays: string;
  pointValue: string;
}

/**
 * Step 1: the earning rate, pending days and point value, validated with the whole program
 * (BAD_INPUT with `fields` named like the program page's: "earning.points"...). Nothing is
 * written when a field is wrong.
 */
export async function saveEarningStep(deps: TxDeps, domain: string, input: EarningStepInput): Promise<void> {
  await deps.transaction(async (tx) => {
    const shop = await requireShop(tx, domain);
    const form = programForm(shop.settings, shop.currency);
    form.earning.points = input.points;
    form.earning.perAmount = input.perAmount;
    form.earning.pendingDays = input.pendingDays;
    form.redemption.pointValue = input.pointValue;
    // Inside this step's transaction: the program and the step move together.
    await saveProgramForm({ db: tx, clock: deps.clock, transaction: (work) => work(tx) }, domain, form);
    await tx.shop.updateMany({ where: { domain, onboardingStep: { lt: 2 } }, data: { onboardingStep: 2 } });
  });
}

/**
 * Step 2: creates the ticked rows as rewards, all or none (BAD_INPUT with `fields` such as
 * "rewards.1.pointsCost"). Runs once: a second submission (a double click, the back button)
 * finds the shop past step 2 and creates nothing. Returns how many were created.
 */
export async function saveRewardsStep(deps: TxDeps, domain: string, rows: FirstRewardRow[]): Promise<number> {
  const shop = await requireShop(deps.db, domain);
  const chosen = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.include);
  const fields: Record<string, string> = {};
  const inputs: RewardInput[] = [];
  for (const { row, i } of chosen) {
    const input = rewardInput(row, shop.currency);
    try {
      if (!FIRST_REWARD_TYPES.includes(row.type as FirstRewardType)) {
        throw new KembaliError("BAD_INPUT", "Unknown reward type", { fields: { type: "reward.error.type" } });
      }
      inputs.push(parseRewardInput(input));
    } catch (error) {
      if (!(error instanceof KembaliError) || error.code !== "BAD_INPUT") throw error;
      for (const [field, message] of Object.entries((error.details?.fields ?? {}) as Record<string, string>)) {
        const fallback =
          field === "value" ? (row.type === "percentage" ? "reward.error.percent" : "reward.error.amount") : REWARD_MESSAGES[field];
        fields[`rewards.${i}.${field}`] = message.startsWith("reward.error.") ? message : (fallback ?? "rewards.error");
      }
    }
  }
  if (Object.keys(fields).length) throw new KembaliError("BAD_INPUT", "The first rewards are invalid", { fields });
  return deps.transaction(async (tx) => {
    // The step moves first: of two submissions racing, only the one that moved it creates.
    const { count } = await tx.shop.updateMany({ where: { domain, onboardingStep: { lte: 2 } }, data: { onboardingStep: 3 } });
    if (count === 0) return 0;
    for (const input of inputs) await createReward({ db: tx }, domain, input);
    return inputs.length;
  });
}

/** Finishing (after step 3) or skipping: the home page stops sending the merchant here. Saves nothing else. */
export async function finishOnboarding(deps: Deps, domain: string): Promise<void> {
  const { count } = await deps.db.shop.updateMany({ where: { domain, onboardedAt: null }, data: { onboardedAt: deps.clock() } });
  if (count === 0 && !(await findShop(deps.db, domain))) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
}
