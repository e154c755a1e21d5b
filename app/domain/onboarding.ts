// The first-run onboarding: three steps from install to a program shoppers can see.
// (1) how customers earn, prefilled with defaults that fit the shop's currency; (2) the first
// rewards; (3) the app embed. Each step saves through the program and rewards domains, so a
// bad value is a field error and nothing is written. The shop records the step it is on and
// when onboarding was finished or skipped; until then the home page sends the merchant here.
import type { Tx } from "../db.server";
import type { Deps, TxDeps } from "./deps";
import { KembaliError } from "./errors";
import { oneUnit } from "../../common/money";
import type { ProgramSettings } from "./program";
import { programForm, saveProgramForm, wholeUnits, minorUnits, type ProgramForm } from "~/admin/program";
import { createReward, parseRewardInput, type RewardInput } from "./rewards";
import { findShop, type ShopRecord } from "./shops";

export const ONBOARDING_STEPS = 3;

// Whole units of a currency worth very roughly one US dollar, as a round number: one point per
// this much spent. Currencies not listed earn per one whole unit (USD, EUR, GBP, AUD, CAD, CHF,
// SGD, KWD...). Exchange rates drift; a power of ten only has to be in the right range.
const EARNING_UNIT: Record<string, number> = {
  // Large-unit currencies
  IDR: 1000, VND: 10000, KRW: 1000, CLP: 1000, COP: 1000, PYG: 1000, UGX: 1000, TZS: 1000,
  LAK: 10000, IRR: 10000, MNT: 1000, UZS: 10000, KHR: 1000, MMK: 1000, GNF: 1000, LBP: 10000,
  JPY: 100, HUF: 100, ISK: 100, NGN: 1000, KES: 100, LKR: 100, PKR: 100, ARS: 1000, AMD: 100,
  KZT: 100, RSD: 100, XAF: 100, XOF: 100, RWF: 1000, BIF: 1000, KMF: 100, DJF: 100, VUV: 100,
  XPF: 100, JMD: 100, DZD: 100, BDT: 100, NPR: 100,
  // Mid-unit currencies
  INR: 10, PHP: 10, THB: 10, TWD: 10, MXN: 10, ZAR: 10, CZK: 10, SEK: 10, NOK: 10, DKK: 10,
  HKD: 10, CNY: 10, TRY: 10, RUB: 100, UAH: 10, EGP: 10, MAD: 10, MYR: 1, BRL: 1, PLN: 1,
};

/** Every first reward costs this many points... */
const FIRST_REWARD_POINTS = 100;
/** ...and gives back this percent of what earning those points took. */
const PERCENT_BACK = 5;

/** The reward types onboarding proposes (the Rewards page has them all). */
export const FIRST_REWARD_TYPES = ["fixed_amount", "percentage", "free_shipping"] as const;
export type FirstRewardType = (typeof FIRST_REWARD_TYPES)[number];

export interface DefaultProgram {
  /** Points per `perAmount` (minor units) spent. */
  earning: { points: number; perAmount: number };
  /** What one point is worth (minor units), so cashback and rewards agree. */
  pointValue: number;
  /** The first rewards, unnamed: the admin names them in the merchant's language. */
  rewards: Array<Omit<RewardInput, "name"> & { type: FirstRewardType; value: number }>;
}

/**
 * The program a new shop starts from: 1 point per about a dollar's worth of its currency
 * (1 per $1, €1, £1; per Rp1.000, ¥100, ₫10.000), and first rewards that give about 5 % back:
 * 100 points, earned by spending 100 × that amount, take 5 × that amount off.
 */
export function defaultProgram(currency: string): DefaultProgram {
  const code = currency.toUpperCase();
  const perAmount = (EARNING_UNIT[code] ?? 1) * oneUnit(code);
  const rewardValue = (FIRST_REWARD_POINTS * perAmount * PERCENT_BACK) / 100;
  return {
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
        const fallback = field === "value" ? (row.type === "percentage" ? "reward.error.percent" : "reward.error.amount") : REWARD_MESSAGES[field];
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
