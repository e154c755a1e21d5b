// Points that are not for an order's amount: the signup bonus, the birthday bonus (once a
// year), the merchant's custom actions (newsletter, social follow, review, ...) and stamp-card
// rewards. Each award has an idempotency key that encodes its limit, so a replay, a double
// click or a second sweep never pays twice.
import type { Deps, TxDeps } from "../deps";
import type { Tx } from "../../db-types";
import { appendEntry } from "../ledger/ledger";
import { actionBonusDue, birthdayBonusDue, stampRewardsDue, stampsForOrder } from "./earning";
import { findShop, type ShopRecord } from "../shop/shops";
import { KembaliError } from "../errors";
import { firstSight } from "../shop/holdout";
import { isUniqueViolation } from "../db-errors";
import { memberRow } from "../members/member-row";
import { hitRateLimits, storefrontLimits } from "../rate-limit";
import type { PaidOrder } from "./order";
import type { BonusAction } from "./program";
import { earningLines, type ProductFactsById } from "./product-facts";
import { recordEvent } from "../messages/events";

async function member(db: Tx, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
  });
  return { shop, customer };
}

/** The welcome points, once per customer (the key); recordAccountSignal says when. */
export async function awardSignupBonus(deps: Deps, shop: ShopRecord, customerId: string, shopifyCustomerId: string) {
  const points = shop.settings.bonuses.signup;
  if (points <= 0) return null;
  return appendEntry(
    deps.db,
    {
      shopId: shop.id,
      customerId,
      kind: "earn",
      points,
      idempotencyKey: `bonus:signup:${shopifyCustomerId}`,
      sourceType: "signup",
      sourceId: shopifyCustomerId,
      reason: "Welcome bonus for creating an account",
      at: deps.clock(),
    },
    { mayGoNegative: false },
  );
}

/**
 * One thing Shopify told us about a customer's account: a customer webhook with the payload's
 * `state` (classic accounts: disabled, invited, enabled, declined; new customer accounts are
 * set to enabled at the first sign-in), or a signed storefront request as them, which only a
 * shopper logged in to an account can make.
 */
export type AccountSignal =
  { source: "customers/create" | "customers/update" | "customers/enable"; state: string | null } | { source: "storefront" };

export interface AccountEvidence {
  accountSeenAt: Date | null;
  noAccountSeenAt: Date | null;
}

/**
 * What a signal adds to what is known (pure). The signup bonus is due once both dates are set:
 * the customer has an account, and Kembali saw them without one, or saw the record or the
 * account being made, so an account made before Kembali was installed earns no bonus.
 */
export function accountEvidence(known: AccountEvidence, signal: AccountSignal, now: Date): AccountEvidence {
  const state = signal.source === "storefront" ? null : (signal.state?.toLowerCase() ?? null);
  const hasAccount = signal.source === "storefront" || signal.source === "customers/enable" || state === "enabled";
  // customers/create and customers/enable only come for a record or an account made now.
  const madeNow = signal.source === "customers/create" || signal.source === "customers/enable";
  // A state without an account counts only before any account was seen: an account the
  // merchant disables and enables again is not a new one.
  const withoutAccount = madeNow || (state !== null && state !== "enabled" && !known.accountSeenAt);
  return {
    accountSeenAt: known.accountSeenAt ?? (hasAccount ? now : null),
    noAccountSeenAt: known.noAccountSeenAt ?? (withoutAccount ? now : null),
  };
}

/**
 * Records a signal on the customer's row and, at the moment the evidence becomes complete,
 * records member_joined and pays the signup bonus (as the account is made, so turning the bonus
 * on later pays no old accounts); held-out customers get neither. `deps.db` is a transaction: row and entry move together.
 */
export async function recordAccountSignal(
  deps: Deps,
  shop: ShopRecord,
  row: { id: string; shopifyCustomerId: string; holdout: boolean } & AccountEvidence,
  signal: AccountSignal,
): Promise<boolean> {
  const next = accountEvidence(row, signal, deps.clock());
  if (next.accountSeenAt !== row.accountSeenAt || next.noAccountSeenAt !== row.noAccountSeenAt) {
    await deps.db.customer.update({ where: { id: row.id }, data: next });
  }
  const complete = (e: AccountEvidence) => e.accountSeenAt !== null && e.noAccountSeenAt !== null;
  if (complete(row) || !complete(next) || row.holdout) return false;
  // They became a member now (the welcome message), with or without a signup bonus.
  await recordEvent(deps.db, shop.id, row.id, "member_joined", `member_joined:${row.id}`, {}, deps.clock());
  const paid = await awardSignupBonus(deps, shop, row.id, row.shopifyCustomerId);
  return paid?.applied ?? false;
}

const EVIDENCE = { id: true, shopifyCustomerId: true, holdout: true, accountSeenAt: true, noAccountSeenAt: true } as const;

/**
 * A signed storefront request as a logged-in shopper: proof of an account (both classic and new
 * customer accounts). Known accounts cost one read; otherwise the row is updated and the bonus
 * paid, if due, in one transaction.
 */
export async function recordStorefrontSignIn(deps: TxDeps, shopDomain: string, shopifyCustomerId: string): Promise<void> {
  const { shop, customer } = await member(deps.db, shopDomain, shopifyCustomerId);
  if (customer?.accountSeenAt) return;
  const { id } = customer ?? (await memberRow(deps.db, shop, shopifyCustomerId));
  try {
    await deps.transaction(async (tx) => {
      // A write first (it locks the row): what is known is read after any signal being recorded.
      const row = await tx.customer.update({ where: { id }, data: { balance: { increment: 0 } }, select: EVIDENCE });
      await recordAccountSignal({ db: tx, clock: deps.clock }, shop, row, { source: "storefront" });
    });
  } catch (error) {
    // Two first requests at once: the other one paid the bonus.
    if (!isUniqueViolation(error)) throw error;
  }
}

// Claims and birthdays are the shopper's word: every caller is held to the storefront limits.
const CLAIM = "action";
const BIRTHDAY = "birthday";

export interface ClaimResult {
  awarded: boolean;
  points: number;
  /** The spendable balance (claimed points are pending first). */
  balance: number;
  /** When the claimed points become spendable (ISO); null when nothing was awarded or at once. */
  availableAt: string | null;
  /** The action's limit, so the widget can say when it may be claimed again. */
  limit: BonusAction["limit"];
}

/**
 * The shopper claims one of the merchant's actions from the widget. Custom actions are
 * honour-based, so a claim is rate-limited per customer and address, counted against the
 * action's limit (at most `dailyCap` a day for "daily"), and its points are pending for the
 * shop's pendingDays like an order's, so a burst of claims cannot be spent at once.
 */
export async function claimAction(
  deps: TxDeps,
  input: { shopDomain: string; shopifyCustomerId: string; key: string; requestId: string; ipHash: string | null },
): Promise<ClaimResult> {
  const { shop, customer } = await member(deps.db, input.shopDomain, input.shopifyCustomerId);
  const action = shop.settings.bonuses.actions.find((a) => a.key === input.key);
  if (!action) throw new KembaliError("NOT_FOUND", "No such way to earn in this shop");
  await hitRateLimits(deps, storefrontLimits(shop.domain, CLAIM, input.shopifyCustomerId, input.ipHash));
  const c = customer ?? (await memberRow(deps.db, shop, input.shopifyCustomerId));
  return deps.transaction(async (tx) => {
    // A write first: claims of one customer queue here (row lock on PostgreSQL, the write lock
    // on SQLite), so two at once cannot both find room under the cap.
    const { balance } = await tx.customer.update({ where: { id: c.id }, data: { balance: { increment: 0 } }, select: { balance: true } });
    const now = deps.clock();
    const previous = await tx.pointsEntry.findMany({
      where: { shopId: shop.id, customerId: c.id, sourceType: "action", sourceId: action.key },
      select: { createdAt: true },
    });
    const refused = { awarded: false, points: 0, balance, availableAt: null, limit: action.limit };
    if (
      !actionBonusDue(
        action,
        previous.map((p) => p.createdAt),
        now,
      )
    )
      return refused;
    const scope = action.limit === "once" ? "" : action.limit === "yearly" ? `:${now.getUTCFullYear()}` : `:${input.requestId}`;
    const availableAt = new Date(now.getTime() + shop.settings.earning.pendingDays * 86_400_000);
    const { entry, applied } = await appendEntry(
      tx,
      {
        shopId: shop.id,
        customerId: c.id,
        kind: "earn",
        points: action.points,
        idempotencyKey: `bonus:action:${action.key}:${input.shopifyCustomerId}${scope}`,
        sourceType: "action",
        sourceId: action.key,
        reason: action.label,
        availableAt,
        at: now,
      },
      { mayGoNegative: false },
    );
    if (!applied) return { ...refused, balance: entry.balanceAfter };
    return {
      awarded: true,
      points: action.points,
      balance: entry.balanceAfter,
      // Always a date (today when there is no pending period): the widget says "spendable from".
      availableAt: availableAt.toISOString(),
      limit: action.limit,
    };
  });
}

/**
 * The shopper tells us their birthday once; changing it later is the merchant's call. When it
 * was saved is kept: the bonus waits for the first birthday at least the program's lead
 * time away (earning.birthdayBonusDue).
 */
export async function setBirthday(
  deps: Deps,
  input: { shopDomain: string; shopifyCustomerId: string; month: number; day: number; ipHash: string | null },
) {
  // Invalid input writes nothing, not even a rate-limit hit.
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (
    !Number.isInteger(input.month) ||
    input.month < 1 ||
    input.month > 12 ||
    !Number.isInteger(input.day) ||
    input.day < 1 ||
    input.day > days[input.month - 1]
  ) {
    throw new KembaliError("BAD_INPUT", "Not a date in the year");
  }
  const { shop, customer } = await member(deps.db, input.shopDomain, input.shopifyCustomerId);
  await hitRateLimits(deps, storefrontLimits(shop.domain, BIRTHDAY, input.shopifyCustomerId, input.ipHash));
  if (customer?.birthdayMonth) throw new KembaliError("BAD_INPUT", "Your birthday is already saved; ask the shop to change it");
  const saved = { birthdayMonth: input.month, birthdayDay: input.day, birthdaySavedAt: deps.clock() };
  await deps.db.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId } },
    create: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId, ...saved, ...firstSight(shop, input.shopifyCustomerId) },
    update: saved,
  });
}

/** Daily: members whose birthday has come this (UTC) year and who have not had the bonus yet. */
export async function sweepBirthdays(deps: TxDeps, shopId: string): Promise<number> {
  const shop = await deps.db.shop.findUnique({ where: { id: shopId } });
  if (!shop) return 0;
  const record = await findShop(deps.db, shop.domain);
  if (!record || record.settings.bonuses.birthday <= 0) return 0;
  const now = deps.clock();
  const month = now.getUTCMonth() + 1;
  // This month's and earlier months' birthdays (a missed day is still paid this year).
  const candidates = await deps.db.customer.findMany({
    where: { shopId, birthdayMonth: { lte: month }, holdout: false },
    select: { id: true, shopifyCustomerId: true, birthdayMonth: true, birthdayDay: true, birthdaySavedAt: true },
  });
  let awarded = 0;
  for (const c of candidates) {
    const last = await deps.db.pointsEntry.findFirst({
      where: { shopId, customerId: c.id, sourceType: "birthday" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const birthday = { month: c.birthdayMonth!, day: c.birthdayDay!, savedAt: c.birthdaySavedAt };
    if (!birthdayBonusDue(last?.createdAt ?? null, birthday, now, record.settings)) continue;
    const { applied } = await deps.transaction((tx) =>
      appendEntry(
        tx,
        {
          shopId,
          customerId: c.id,
          kind: "earn",
          points: record.settings.bonuses.birthday,
          idempotencyKey: `bonus:birthday:${c.shopifyCustomerId}:${now.getUTCFullYear()}`,
          sourceType: "birthday",
          sourceId: String(now.getUTCFullYear()),
          reason: "Happy birthday!",
          at: now,
        },
        { mayGoNegative: false },
      ),
    );
    if (applied) awarded++;
  }
  return awarded;
}

/**
 * A paid order's stamps: adds them to the card once (guarded by the order's event key) and
 * pays the stamp reward for every full card.
 */
export async function collectStamps(
  deps: Deps,
  shop: ShopRecord,
  customer: { id: string; shopifyCustomerId: string },
  order: PaidOrder,
  customerTags: string[],
  products: ProductFactsById,
) {
  const added = stampsForOrder(
    {
      subtotal: order.subtotal,
      customerTags,
      lines: earningLines(order.lines, products),
    },
    shop.settings,
  );
  if (added === 0) return 0;
  const key = `stamps:order:${order.shopifyOrderId}`;
  if (await deps.db.customerEvent.findUnique({ where: { shopId_key: { shopId: shop.id, key } } })) return 0;
  const current = await deps.db.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { stamps: true } });
  const { target, rewardPoints } = shop.settings.stamps;
  const due = stampRewardsDue(current.stamps, added, target);
  const now = deps.clock();
  // A concurrent delivery of the same order that recorded the stamps first: nothing more here.
  if (!(await recordEvent(deps.db, shop.id, customer.id, "stamps_collected", key, { added, before: current.stamps }, now))) return 0;
  await deps.db.customer.update({ where: { id: customer.id }, data: { stamps: { increment: added } } });
  if (due > 0) {
    // One message for the order however many cards it completed.
    await recordEvent(
      deps.db,
      shop.id,
      customer.id,
      "stamp_reward",
      `stamp_reward:${order.shopifyOrderId}`,
      { shopifyOrderId: order.shopifyOrderId, points: due * rewardPoints, target },
      now,
    );
  }
  for (let n = 1; n <= due; n++) {
    await appendEntry(
      deps.db,
      {
        shopId: shop.id,
        customerId: customer.id,
        kind: "earn",
        points: rewardPoints,
        idempotencyKey: `stamp:${order.shopifyOrderId}:${n}`,
        sourceType: "stamps",
        sourceId: order.shopifyOrderId,
        reason: `Stamp card complete (${target} stamps)`,
        at: deps.clock(),
      },
      { mayGoNegative: false },
    );
  }
  return due;
}
