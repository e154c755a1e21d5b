// The welcome reward (issue 14): when the merchant picks one (settings.welcomeRewardId), every
// member who joins afterwards (Customer.createdAt after settings.welcomeSince) gets one code of
// that reward, free: a redemption of 0 points through the path every reward takes (issueReward,
// as the survey's apology reward does, decision 036), with the request id `welcome:<Customer.id>`
// (the welcome email finds it by that id). Held-out and erased customers get nothing.
// Once per member, however often and on however many servers the sweep runs: the redemption's
// unique (shopId, requestId) lets one insert win; Shopify is called after the insert committed.
import type { Deps, TxDeps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import { isUniqueViolation } from "../db-errors";
import { issueReward, rewardCode } from "../rewards/redemption";
import { readMessagesSettings } from "./settings";

export const WELCOME_PREFIX = "welcome:";

/** The welcome redemption's request id for a member (Kembali's Customer.id). */
export const welcomeRequestId = (customerId: string) => `${WELCOME_PREFIX}${customerId}`;

export interface WelcomeSweepDeps extends TxDeps {
  shopifyFor: (shop: string) => Promise<ShopifyAdmin>;
}

/**
 * Gives the shop's new members their welcome reward, up to `limit` members a run (oldest
 * first); returns how many redemptions this run created. Nothing when the welcome reward is off
 * or the reward is no longer active (members joining meanwhile get it once it is active again).
 */
export async function issueWelcomeRewards(deps: WelcomeSweepDeps, shopId: string, { limit = 100 } = {}): Promise<number> {
  const shop = await deps.db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, domain: true, messages: true, uninstalledAt: true },
  });
  if (!shop || shop.uninstalledAt) return 0;
  const { welcomeRewardId, welcomeSince } = readMessagesSettings(shop.messages);
  if (!welcomeRewardId || !welcomeSince) return 0;
  const reward = await deps.db.reward.findFirst({ where: { id: welcomeRewardId, shopId, active: true } });
  if (!reward || reward.type === "store_credit") return 0;

  const members = await deps.db.customer.findMany({
    where: {
      shopId,
      createdAt: { gt: new Date(welcomeSince) },
      holdout: false,
      redactedAt: null,
      redemptions: { none: { requestId: { startsWith: WELCOME_PREFIX } } },
    },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let created = 0;
  let shopify: ShopifyAdmin | null = null;
  for (const member of members) {
    const requestId = welcomeRequestId(member.id);
    let redemptionId: string;
    try {
      const row = await deps.db.redemption.create({
        data: {
          shopId,
          customerId: member.id,
          rewardId: reward.id,
          requestId,
          pointsSpent: 0,
          status: "pending",
          code: rewardCode(shopId, requestId),
          createdAt: deps.clock(),
        },
        select: { id: true },
      });
      redemptionId = row.id;
    } catch (error) {
      // Another server (or an earlier run) gave this member theirs a moment ago.
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    created++;
    shopify ??= await deps.shopifyFor(shop.domain);
    // A refusal marks it failed (no points to return); a lost answer leaves it pending for the
    // retry sweep, which issues the same code, never a second one.
    await issueReward({ ...deps, shopify }, redemptionId);
  }
  return created;
}

/** Every installed shop with a welcome reward on: new members get theirs (the background tick). */
export async function sweepWelcomeRewards(
  deps: WelcomeSweepDeps,
  onError: (shopId: string, error: unknown) => void = () => {},
): Promise<number> {
  const shops = await deps.db.shop.findMany({ where: { uninstalledAt: null }, select: { id: true, messages: true } });
  let created = 0;
  for (const shop of shops) {
    if (!readMessagesSettings(shop.messages).welcomeRewardId) continue;
    try {
      created += await issueWelcomeRewards(deps, shop.id);
    } catch (error) {
      onError(shop.id, error);
    }
  }
  return created;
}

export interface WelcomeView {
  code: string;
  rewardName: string;
  expiresAt: string | null;
}

/** The member's welcome code while it is issued and not past its end date (used: gone); else null. */
export async function welcomeOf(deps: Pick<Deps, "db" | "clock">, shopId: string, customerId: string): Promise<WelcomeView | null> {
  const r = await deps.db.redemption.findUnique({
    where: { shopId_requestId: { shopId, requestId: welcomeRequestId(customerId) } },
    select: { customerId: true, status: true, code: true, expiresAt: true, reward: { select: { name: true } } },
  });
  if (!r || r.customerId !== customerId || r.status !== "issued" || !r.code) return null;
  if (r.expiresAt && r.expiresAt.getTime() <= deps.clock().getTime()) return null;
  return { code: r.code, rewardName: r.reward.name, expiresAt: r.expiresAt?.toISOString() ?? null };
}
