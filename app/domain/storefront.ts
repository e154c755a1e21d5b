// What the storefront widget shows, in one answer (one App Proxy call per panel open).
import type { Deps, TxDeps } from "./deps";
import { findShop } from "./shop/shops";
import { KembaliError } from "./errors";
import { assertInProgram } from "./shop/holdout";
import { currentTierProgram, qualifyingAmounts, tiersUnlocking, type TierProgram } from "./tiers";
import { storefrontReferral } from "./referrals";
import { labelEntries, type EntryLabelKey } from "./ledger/entry-labels";
import { recordStorefrontSignIn } from "./earning/bonuses";
import { welcomeOf, type WelcomeView } from "./messages/welcome";
import { snapshotAt, stateLang, storeSnapshot, STATE_MAX_AGE_MS } from "./state-snapshot";

export interface RewardOffer {
  id: string;
  name: string;
  type: string;
  pointsCost: number;
  /** Minor units for fixed_amount / store_credit, percent for percentage. */
  value: number;
  minimumSubtotal: number | null;
  /**
   * A reward exclusive to some VIP tiers: the names of the tiers whose members may redeem it
   * (absent when any member may). Shown to guests too, as what a tier unlocks.
   */
  tiers?: string[];
  /**
   * For a member: can they redeem it now, and if not, why (a stable code the widget translates).
   * tier_required: not in a tier that unlocks it (it stays listed, locked).
   */
  available?: boolean;
  unavailableReason?: "tier_required" | "not_enough_points" | null;
}

export interface WayToEarn {
  key: string;
  kind: "signup" | "birthday" | "action";
  /** Merchant text for actions; the widget names signup and birthday itself. */
  label: string | null;
  points: number;
}

export interface ShopperState {
  /** `domain`: the shop's myshopify domain (customer accounts link codes to its discount permalink). */
  shop: { currency: string; domain: string };
  program: {
    earning: { points: number; perAmount: number };
    ways: WayToEarn[];
    referral: { referrerPoints: number; friendReward: { type: "fixed_amount" | "percentage"; value: number } } | null;
  };
  rewards: RewardOffer[];
  /** null for a guest (nobody logged in). */
  customer: {
    balance: number;
    /** Earned, still in the pending period (a return window). */
    pending: number;
    /**
     * `label` is the entry's message key from the one classification the admin uses too
     * (app/domain/entry-labels.ts); the widget words it in the shopper's language
     * ("widget.src_<label>") with `vars`. `reason` is only words shown as written: a custom
     * action's label or an unrecognised older entry's reason (null otherwise; a manual
     * adjustment's note is the merchant's internal one). `source` and `name` are what widgets
     * built before `label` read.
     */
    history: Array<{
      kind: string;
      points: number;
      label: EntryLabelKey | null;
      vars?: Record<string, string | number>;
      reason: string | null;
      source: string;
      name?: string;
      at: string;
    }>;
    birthdaySet: boolean;
    /** The member's referral code and link (null when referrals are off); checkout: friends can type the code at checkout. */
    referral: { code: string; url: string; checkout: boolean } | null;
    tier: { name: string; earnMultiplier: number } | null;
    /** The next tier up and what is left to reach it (points, or minor units when spend counts). */
    nextTier: { name: string; threshold: number; remaining: number; basis: "points_earned" | "amount_spent" } | null;
    /** Issued reward codes still worth showing (latest first). */
    redemptions: Array<{ id: string; rewardName: string; code: string | null; status: string; expiresAt: string | null }>;
    /** The member's welcome reward code (app/domain/messages/welcome.ts) until it is used or ends; else null. */
    welcome: WelcomeView | null;
    /** The stamp card when the program has one: stamps on the current card, per card, and what a full card pays. */
    stamps: { count: number; target: number; rewardPoints: number } | null;
  } | null;
}

/**
 * The App Proxy's state call. A signed request as a logged-in shopper proves they have an
 * account: that is recorded first (it may pay the signup bonus), so the answer includes it.
 * The answer is then stored (app/domain/state-snapshot.ts) for `build`, the app's build, so
 * that the next call finds it with one read until something it shows changes.
 */
export async function storefrontState(
  deps: TxDeps,
  shopDomain: string,
  shopifyCustomerId: string | null,
  lang: string | null = null,
  build = "dev",
): Promise<ShopperState> {
  const widgetLang = stateLang(lang);
  if (shopifyCustomerId) {
    await recordStorefrontSignIn(deps, shopDomain, shopifyCustomerId);
    // The member's language for messages: kept from the widget they use (written only when it changed).
    if (widgetLang) {
      const member = await deps.db.customer.findFirst({
        where: { shop: { domain: shopDomain }, shopifyCustomerId },
        select: { id: true, locale: true },
      });
      if (member && member.locale !== widgetLang) await deps.db.customer.update({ where: { id: member.id }, data: { locale: widgetLang } });
    }
  }
  const at = await snapshotAt(deps.db, shopDomain, shopifyCustomerId);
  const { state, validUntil } = await buildShopperState(deps, shopDomain, shopifyCustomerId);
  if (at) await storeSnapshot(deps.db, at, { body: JSON.stringify(state), lang: widgetLang, build, validUntil });
  return state;
}

export async function shopperState(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  shopifyCustomerId: string | null,
): Promise<ShopperState> {
  return (await buildShopperState(deps, shopDomain, shopifyCustomerId)).state;
}

/**
 * The answer, and until when it holds by time alone: the member's welcome code ending, a new
 * calendar year for calendar-year tiers, and at most STATE_MAX_AGE_MS (a rolling window moves
 * continuously). Every change that a write makes is counted by the snapshot's versions instead.
 */
async function buildShopperState(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  shopifyCustomerId: string | null,
): Promise<{ state: ShopperState; validUntil: Date }> {
  const now = deps.clock();
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  // A held-out shopper is told they are not in the program (the app embed hides the
  // launcher from them once the kembali.holdout metafield is written).
  await assertInProgram(deps.db, shop, shopifyCustomerId);
  const rewards = await deps.db.reward.findMany({
    where: { shopId: shop.id, active: true },
    orderBy: [{ pointsCost: "asc" }, { createdAt: "asc" }],
  });
  const program = await currentTierProgram(deps.db, shop.id);
  const unlocking = new Map(rewards.map((r) => [r.id, program ? tiersUnlocking(program.tiers, r.id) : []]));
  const offers: RewardOffer[] = rewards.map((r) => {
    const tiers = unlocking.get(r.id)!.map((t) => t.name);
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      pointsCost: r.pointsCost,
      value: r.value,
      minimumSubtotal: r.minimumSubtotal === null ? null : Number(r.minimumSubtotal),
      ...(tiers.length ? { tiers } : {}),
    };
  });
  const { bonuses, earning } = shop.settings;
  const ways: WayToEarn[] = [
    ...(bonuses.signup > 0 ? [{ key: "signup", kind: "signup" as const, label: null, points: bonuses.signup }] : []),
    ...(bonuses.birthday > 0 ? [{ key: "birthday", kind: "birthday" as const, label: null, points: bonuses.birthday }] : []),
    ...bonuses.actions.map((a) => ({ key: a.key, kind: "action" as const, label: a.label, points: a.points })),
  ];
  const referrals = await storefrontReferral(deps, shopDomain, shopifyCustomerId);
  const base = {
    shop: { currency: shop.currency, domain: shop.domain },
    program: { earning: { points: earning.points, perAmount: earning.perAmount }, ways, referral: referrals.program },
  };
  const maxAge = now.getTime() + STATE_MAX_AGE_MS;
  if (!shopifyCustomerId) return { state: { ...base, rewards: offers, customer: null }, validUntil: new Date(maxAge) };

  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: {
      id: true,
      balance: true,
      pendingPoints: true,
      birthdayMonth: true,
      tier: true,
      stamps: true,
      redemptions: {
        where: { status: "issued" },
        orderBy: { createdAt: "desc" },
        take: 5,
        select: { id: true, code: true, status: true, expiresAt: true, reward: { select: { name: true } } },
      },
      pointsEntries: {
        // The shop too, so that the (shopId, customerId, createdAt) index answers it, not a scan.
        where: { shopId: shop.id },
        orderBy: { createdAt: "desc" },
        take: 10,
        select: { kind: true, points: true, reason: true, sourceType: true, sourceId: true, createdAt: true },
      },
    },
  });
  const balance = customer?.balance ?? 0;
  const entries = customer?.pointsEntries ?? [];
  const labels = await labelEntries(deps, shop.id, entries);
  const tiers = await tierStanding(deps, shop.id, program, customer?.id ?? null, customer?.tier ?? null);
  const welcome = customer ? await welcomeOf(deps, shop.id, customer.id) : null;
  const card = shop.settings.stamps;
  const reason = (o: RewardOffer): RewardOffer["unavailableReason"] => {
    const locked = unlocking.get(o.id)!;
    if (locked.length && !locked.some((t) => t.key === customer?.tier)) return "tier_required";
    return balance >= o.pointsCost ? null : "not_enough_points";
  };
  const newYear = program?.period === "calendar_year" ? Date.UTC(now.getUTCFullYear() + 1, 0, 1) : Infinity;
  const welcomeEnds = welcome?.expiresAt ? Date.parse(welcome.expiresAt) : Infinity;
  const validUntil = new Date(Math.min(maxAge, newYear, welcomeEnds));
  const state: ShopperState = {
    ...base,
    rewards: offers.map((o) => ({ ...o, available: reason(o) === null, unavailableReason: reason(o) })),
    customer: {
      balance,
      pending: customer?.pendingPoints ?? 0,
      birthdaySet: customer?.birthdayMonth != null,
      referral: referrals.referral,
      ...tiers,
      redemptions: (customer?.redemptions ?? []).map((r) => ({
        id: r.id,
        rewardName: r.reward.name,
        code: r.code,
        status: r.status,
        expiresAt: r.expiresAt?.toISOString() ?? null,
      })),
      welcome,
      // The count never resets (collectStamps adds to it): the current card holds what is past the last full one.
      stamps: card.enabled ? { count: (customer?.stamps ?? 0) % card.target, target: card.target, rewardPoints: card.rewardPoints } : null,
      history: entries.map((e, i) => {
        const { key, text } = labels[i]!;
        // The carried-over file's name is the merchant's own business: not sent to shoppers.
        const { file: _file, ...vars } = labels[i]!.vars;
        const name = key?.startsWith("redemption_") ? String(vars.name) : undefined;
        return {
          kind: e.kind,
          points: e.points,
          label: key,
          ...(key ? { vars } : {}),
          // A manual adjustment's reason is the merchant's internal note: shoppers see the kind.
          reason: e.kind === "adjust" ? null : text,
          source: e.sourceType,
          ...(name !== undefined ? { name } : {}),
          at: e.createdAt.toISOString(),
        };
      }),
    },
  };
  return { state, validUntil };
}

/** Where the member stands in the VIP tiers: the current tier and the gap to the next one. */
async function tierStanding(
  deps: Pick<Deps, "db" | "clock">,
  shopId: string,
  program: TierProgram | null,
  customerId: string | null,
  tierKey: string | null,
) {
  if (!program) return { tier: null, nextTier: null };
  const current = program.tiers.find((t) => t.key === tierKey) ?? null;
  const amount = customerId ? ((await qualifyingAmounts(deps.db, shopId, program, deps.clock(), [customerId])).get(customerId) ?? 0) : 0;
  const next = program.tiers.find((t) => t.threshold > amount && (!current || t.threshold > current.threshold)) ?? null;
  return {
    tier: current ? { name: current.name, earnMultiplier: current.earnMultiplier } : null,
    nextTier: next ? { name: next.name, threshold: next.threshold, remaining: next.threshold - amount, basis: program.basis } : null,
  };
}
