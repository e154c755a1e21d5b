// Kembali's plans: Free up to a number of paid orders a month, Growth and Pro above it. The
// Shopify billing configuration (app/shopify.server.ts) is built from PLANS, so the price a
// merchant sees on the Plans page is the one Shopify charges. Going over a plan's orders
// never drops an order or a point: the admin asks for an upgrade (docs/decisions/008).
import type { Deps } from "../deps";
import { KembaliError } from "../errors";

export const PLAN_KEYS = ["free", "growth", "pro"] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

export interface Plan {
  key: PlanKey;
  /** The subscription's name in Shopify (and the key of the billing configuration). */
  shopifyName: string | null;
  /** USD a month (every 30 days); 0 for Free. */
  monthlyUsd: number;
  /** Paid orders a calendar month the plan is for; null: no limit. */
  orderLimit: number | null;
}

export const PLANS: Record<PlanKey, Plan> = {
  free: { key: "free", shopifyName: null, monthlyUsd: 0, orderLimit: 100 },
  growth: { key: "growth", shopifyName: "Kembali Growth", monthlyUsd: 29, orderLimit: 1000 },
  pro: { key: "pro", shopifyName: "Kembali Pro", monthlyUsd: 99, orderLimit: null },
};

/** The paid plans' Shopify subscription names. */
export const PAID_PLAN_NAMES = PLAN_KEYS.map((k) => PLANS[k].shopifyName).filter((n): n is string => n !== null);

export function isPlanKey(value: unknown): value is PlanKey {
  return typeof value === "string" && (PLAN_KEYS as readonly string[]).includes(value);
}

/** A Shopify subscription's name -> our plan (unknown names, from an older price list, are null). */
export function planOfSubscription(name: string): PlanKey | null {
  return PLAN_KEYS.find((k) => PLANS[k].shopifyName === name) ?? null;
}

/** The calendar month (UTC) that `now` is in: [start, end). */
export function monthOf(now: Date): { start: Date; end: Date } {
  return {
    start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

export interface PlanUsage {
  plan: PlanKey;
  /** Paid orders this calendar month (UTC), from the app's own orders. */
  paidOrders: number;
  limit: number | null;
  /** At 80 % of the limit or more. */
  nearLimit: boolean;
  overLimit: boolean;
  /** The cheapest plan whose limit covers this month's orders. */
  suggested: PlanKey;
  month: { start: string; end: string };
}

/** Paid orders of one shop in the calendar month of `now` (a refund or cancellation later does not undo the work done). */
export async function monthlyPaidOrders(deps: Pick<Deps, "db">, shopId: string, now: Date): Promise<number> {
  const { start, end } = monthOf(now);
  return deps.db.order.count({ where: { shopId, paidAt: { gte: start, lt: end } } });
}

export function usageOf(plan: PlanKey, paidOrders: number, month: { start: Date; end: Date }): PlanUsage {
  const limit = PLANS[plan].orderLimit;
  const suggested = PLAN_KEYS.find((k) => PLANS[k].orderLimit === null || paidOrders <= PLANS[k].orderLimit!)!;
  return {
    plan,
    paidOrders,
    limit,
    nearLimit: limit !== null && paidOrders >= limit * 0.8,
    overLimit: limit !== null && paidOrders > limit,
    suggested,
    month: { start: month.start.toISOString(), end: month.end.toISOString() },
  };
}

async function shopRow(deps: Pick<Deps, "db">, domain: string) {
  const row = await deps.db.shop.findUnique({
    where: { domain },
    select: { id: true, plan: true, planSubscriptionId: true, planChangedAt: true },
  });
  if (!row) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return { ...row, plan: isPlanKey(row.plan) ? row.plan : ("free" as PlanKey) };
}

export async function planUsage(deps: Pick<Deps, "db" | "clock">, domain: string): Promise<PlanUsage> {
  const shop = await shopRow(deps, domain);
  const now = deps.clock();
  return usageOf(shop.plan, await monthlyPaidOrders(deps, shop.id, now), monthOf(now));
}

// ---------------------------------------------------------------------------------------
// Changing plans

/** The active paid subscription as the billing side reports it. */
export interface ActiveSubscription {
  id: string;
  name: string;
  test: boolean;
}

/**
 * Who charges for a plan. `shopify`: Shopify's Billing API (a paid plan is only ours once the
 * merchant approved the charge; `request` leaves the app for Shopify's confirmation page and
 * does not return). `local`: demo and test mode, where nothing is ever charged and a change is
 * only recorded.
 */
export type PlanBilling =
  | {
      kind: "shopify";
      /** Whether charges are test charges (no money moves). */
      test: boolean;
      active(): Promise<ActiveSubscription | null>;
      request(plan: Plan): Promise<never>;
      cancel(subscriptionId: string): Promise<void>;
    }
  | { kind: "local" };

export interface PlanState {
  plan: PlanKey;
  subscriptionId: string | null;
  changedAt: string | null;
}

async function record(deps: Pick<Deps, "db" | "clock">, domain: string, plan: PlanKey, subscriptionId: string | null) {
  await deps.db.shop.update({ where: { domain }, data: { plan, planSubscriptionId: subscriptionId, planChangedAt: deps.clock() } });
}

/**
 * With Shopify billing: the plan is what Shopify says is active (after an approval, a
 * cancellation in the Shopify admin, or a reinstall); the local record follows. Locally the
 * record is the plan.
 */
export async function currentPlan(deps: Pick<Deps, "db" | "clock">, domain: string, billing: PlanBilling): Promise<PlanState> {
  const shop = await shopRow(deps, domain);
  if (billing.kind === "shopify") {
    const active = await billing.active();
    const plan = active ? planOfSubscription(active.name) : "free";
    // An active subscription we do not know (an old plan name) keeps the record as it is.
    if (plan !== null && (plan !== shop.plan || (active?.id ?? null) !== shop.planSubscriptionId)) {
      await record(deps, domain, plan, active?.id ?? null);
      return { plan, subscriptionId: active?.id ?? null, changedAt: deps.clock().toISOString() };
    }
  }
  return { plan: shop.plan, subscriptionId: shop.planSubscriptionId, changedAt: shop.planChangedAt?.toISOString() ?? null };
}

/**
 * Moves the shop to `target`. Locally: recorded at once, nothing charged. With Shopify: a paid
 * plan goes through Shopify's confirmation page (this throws the library's redirect; the plan is
 * recorded when the merchant comes back approved, by currentPlan); Free cancels the paid
 * subscription and is recorded at once.
 */
export async function changePlan(
  deps: Pick<Deps, "db" | "clock">,
  domain: string,
  target: unknown,
  billing: PlanBilling,
): Promise<PlanState> {
  if (!isPlanKey(target)) throw new KembaliError("BAD_INPUT", "Unknown plan", { fields: { plan: "plans.error.plan" } });
  const shop = await shopRow(deps, domain);
  if (billing.kind === "local") {
    if (target !== shop.plan) await record(deps, domain, target, null);
    return currentPlan(deps, domain, billing);
  }
  const active = await billing.active();
  if (target === "free") {
    if (active) await billing.cancel(active.id);
    await record(deps, domain, "free", null);
    return currentPlan(deps, domain, { kind: "local" });
  }
  if (active && planOfSubscription(active.name) === target) return currentPlan(deps, domain, billing);
  return billing.request(PLANS[target]);
}

// ---------------------------------------------------------------------------------------
// Shopify's app_subscriptions/update webhook (docs/decisions/014)

/** A subscription's change as Shopify reports it: `at` is when it changed (Shopify's time). */
export interface SubscriptionUpdate {
  subscriptionId: string;
  name: string;
  /** ACTIVE, CANCELLED, DECLINED, EXPIRED, FROZEN, PENDING (others are ignored). */
  status: string;
  at: Date;
}

export type SubscriptionUpdateOutcome =
  /** The recorded plan changed (or the recorded subscription was confirmed as of a later time). */
  | { outcome: "recorded"; plan: PlanKey }
  /** An ACTIVE subscription whose name is none of our plans (an old price list): the record stays. */
  | { outcome: "unknown-plan" }
  /** Not about the recorded subscription, older than the record, not a final state, or no such shop. */
  | { outcome: "ignored"; reason: "no-shop" | "pending" | "other-subscription" | "older-event" | "unknown-status" };

const ENDED = ["CANCELLED", "DECLINED", "EXPIRED"];

/**
 * Keeps the recorded plan in step with Shopify between two visits to the Plans page. ACTIVE for
 * one of our plans' names: that plan, with its subscription. CANCELLED, DECLINED, EXPIRED of the
 * recorded subscription: Free (it can never come back); FROZEN of it: Free until an ACTIVE
 * arrives. An event older than the record (planChangedAt) never changes it, except an ended
 * recorded subscription, which is ended whatever arrives after. Scoped to `domain` (the signed
 * shop): another shop's subscription never matches. Changes only when the record is still what
 * was read, so two events racing cannot both apply (the loser fails and Shopify redelivers it).
 */
export async function applySubscriptionUpdate(
  deps: Pick<Deps, "db">,
  domain: string,
  update: SubscriptionUpdate,
): Promise<SubscriptionUpdateOutcome> {
  const row = await deps.db.shop.findUnique({
    where: { domain },
    select: { plan: true, planSubscriptionId: true, planChangedAt: true },
  });
  if (!row) return { outcome: "ignored", reason: "no-shop" };
  const isRecorded = row.planSubscriptionId === update.subscriptionId;
  const older = row.planChangedAt !== null && update.at < row.planChangedAt;

  let next: { plan: PlanKey; subscriptionId: string | null } | null;
  if (update.status === "ACTIVE") {
    const plan = planOfSubscription(update.name);
    if (plan === null) return { outcome: "unknown-plan" };
    if (older) return { outcome: "ignored", reason: "older-event" };
    next = { plan, subscriptionId: update.subscriptionId };
  } else if (ENDED.includes(update.status) || update.status === "FROZEN") {
    if (!isRecorded) return { outcome: "ignored", reason: "other-subscription" };
    if (older && update.status === "FROZEN") return { outcome: "ignored", reason: "older-event" };
    next = { plan: "free", subscriptionId: null };
  } else {
    return { outcome: "ignored", reason: update.status === "PENDING" ? "pending" : "unknown-status" };
  }

  // planChangedAt: the time of the latest fact recorded (never moves back).
  const changedAt = older ? row.planChangedAt! : update.at;
  const { count } = await deps.db.shop.updateMany({
    where: { domain, planSubscriptionId: row.planSubscriptionId, planChangedAt: row.planChangedAt },
    data: { plan: next.plan, planSubscriptionId: next.subscriptionId, planChangedAt: changedAt },
  });
  // A 500 for the webhook: nothing is recorded and Shopify delivers the event again.
  if (count !== 1) throw new Error("The shop's plan changed meanwhile; the event is retried");
  return { outcome: "recorded", plan: next.plan };
}

/**
 * app/uninstalled: Shopify cancels the app's subscriptions, so the recorded paid plan ends too
 * (a reinstall starts on Free until a plan is approved again). An uninstall older than the
 * record (a plan approved after a reinstall, the uninstall delivered late) changes nothing.
 */
export async function endPlanOnUninstall(deps: Pick<Deps, "db">, domain: string, at: Date): Promise<void> {
  await deps.db.shop.updateMany({
    where: {
      domain,
      OR: [{ plan: { not: "free" } }, { planSubscriptionId: { not: null } }],
      AND: [{ OR: [{ planChangedAt: null }, { planChangedAt: { lte: at } }] }],
    },
    data: { plan: "free", planSubscriptionId: null, planChangedAt: at },
  });
}
