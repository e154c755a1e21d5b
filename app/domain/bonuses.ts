// Points that are not for an order's amount: the signup bonus, the birthday bonus (once a
// year), the merchant's custom actions (newsletter, social follow, review, ...) and stamp-card
// rewards. Each award has an idempotency key that encodes its limit, so a replay, a double
// click or a second sweep never pays twice.
import type { Deps, TxDeps } from "./deps";
import type { Tx } from "../db.server";
import { appendEntry } from "./ledger";
import { actionBonusDue, birthdayBonusDue, stampRewardsDue, stampsForOrder } from "./earning";
import { findShop, type ShopRecord } from "./shops";
import { KembaliError } from "./errors";
import { firstSight } from "./holdout";
import type { PaidOrder } from "./orders";
import { earningLines, type ProductFactsById } from "./product-facts";

async function member(db: Tx, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
  });
  return { shop, customer };
}

/** customers/create: the welcome points, once per customer. */
export async function awardSignupBonus(deps: Deps, shop: ShopRecord, customerId: string, shopifyCustomerId: string) {
  const points = shop.settings.bonuses.signup;
  if (points <= 0) return null;
  return appendEntry(
    deps.db,
    {
      shopId: shop.id, customerId, kind: "earn", points, idempotencyKey: `bonus:signup:${shopifyCustomerId}`,
      sourceType: "signup", sourceId: shopifyCustomerId, reason: "Welcome bonus for creating an account", at: deps.clock(),
    },
    { mayGoNegative: false },
  );
}

/** The shopper claims one of the merchant's actions from the widget. */
export async function claimAction(
  deps: TxDeps,
  input: { shopDomain: string; shopifyCustomerId: string; key: string; requestId: string },
): Promise<{ awarded: boolean; points: number; balance: number }> {
  const { shop, customer } = await member(deps.db, input.shopDomain, input.shopifyCustomerId);
  const action = shop.settings.bonuses.actions.find((a) => a.key === input.key);
  if (!action) throw new KembaliError("NOT_FOUND", "No such way to earn in this shop");
  return deps.transaction(async (tx) => {
    const c =
      customer ??
      (await tx.customer.upsert({
        where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId } },
        create: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId, ...firstSight(shop, input.shopifyCustomerId) },
        update: {},
      }));
    const now = deps.clock();
    const previous = await tx.pointsEntry.findMany({
      where: { shopId: shop.id, customerId: c.id, sourceType: "action", sourceId: action.key },
      select: { createdAt: true },
    });
    if (!actionBonusDue(action, previous.map((p) => p.createdAt), now)) {
      return { awarded: false, points: 0, balance: c.balance };
    }
    const scope = action.limit === "once" ? "" : action.limit === "yearly" ? `:${now.getUTCFullYear()}` : `:${input.requestId}`;
    const { entry, applied } = await appendEntry(
      tx,
      {
        shopId: shop.id, customerId: c.id, kind: "earn", points: action.points,
        idempotencyKey: `bonus:action:${action.key}:${input.shopifyCustomerId}${scope}`,
        sourceType: "action", sourceId: action.key, reason: action.label, at: now,
      },
      { mayGoNegative: false },
    );
    return { awarded: applied, points: applied ? action.points : 0, balance: entry.balanceAfter };
  });
}

/** The shopper tells us their birthday once; changing it later is the merchant's call. */
export async function setBirthday(
  deps: Deps,
  input: { shopDomain: string; shopifyCustomerId: string; month: number; day: number },
) {
  const { shop, customer } = await member(deps.db, input.shopDomain, input.shopifyCustomerId);
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (!Number.isInteger(input.month) || input.month < 1 || input.month > 12 || !Number.isInteger(input.day) || input.day < 1 || input.day > days[input.month - 1]) {
    throw new KembaliError("BAD_INPUT", "Not a date in the year");
  }
  if (customer?.birthdayMonth) throw new KembaliError("BAD_INPUT", "Your birthday is already saved; ask the shop to change it");
  await deps.db.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId } },
    create: {
      shopId: shop.id, shopifyCustomerId: input.shopifyCustomerId, birthdayMonth: input.month, birthdayDay: input.day,
      ...firstSight(shop, input.shopifyCustomerId),
    },
    update: { birthdayMonth: input.month, birthdayDay: input.day },
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
    select: { id: true, shopifyCustomerId: true, birthdayMonth: true, birthdayDay: true },
  });
  let awarded = 0;
  for (const c of candidates) {
    const last = await deps.db.pointsEntry.findFirst({
      where: { shopId, customerId: c.id, sourceType: "birthday" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const birthday = { month: c.birthdayMonth!, day: c.birthdayDay! };
    if (!birthdayBonusDue(last?.createdAt ?? null, birthday, now, record.settings)) continue;
    const { applied } = await deps.transaction((tx) =>
      appendEntry(
        tx,
        {
          shopId, customerId: c.id, kind: "earn", points: record.settings.bonuses.birthday,
          idempotencyKey: `bonus:birthday:${c.shopifyCustomerId}:${now.getUTCFullYear()}`,
          sourceType: "birthday", sourceId: String(now.getUTCFullYear()), reason: "Happy birthday!", at: now,
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
  await deps.db.customerEvent.create({
    data: { shopId: shop.id, customerId: customer.id, type: "stamps_collected", key, payload: { added, before: current.stamps } },
  });
  await deps.db.customer.update({ where: { id: customer.id }, data: { stamps: { increment: added } } });
  for (let n = 1; n <= due; n++) {
    await appendEntry(
      deps.db,
      {
        shopId: shop.id, customerId: customer.id, kind: "earn", points: rewardPoints,
        idempotencyKey: `stamp:${order.shopifyOrderId}:${n}`, sourceType: "stamps", sourceId: order.shopifyOrderId,
        reason: `Stamp card complete (${target} stamps)`, at: deps.clock(),
      },
      { mayGoNegative: false },
    );
  }
  return due;
}
