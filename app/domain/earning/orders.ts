// Paid orders: keep the snapshot later steps need, and earn points once per order.
import { randomUUID } from "node:crypto";
import { markCodesUsed } from "../rewards/used-codes";
import type { Deps } from "../deps";
import { ensureShop, type ShopRecord } from "../shop/shops";
import { firstSight } from "../shop/holdout";
import { orderEarnings } from "./earning";
import { appendEntry } from "../ledger/ledger";
import { holdOrderEvents, settleOrderReversals } from "../ledger/reversals";
import { collectStamps } from "./bonuses";
import { earningLines, type ProductFactsById } from "./product-facts";
import { customerPurchases, tierMultiplierOf, tierProgramsAt, type Purchase, type TierPrograms } from "../tiers";
import type { OrderCustomer, PaidOrder } from "./order";
import { countNewOrder, countOrder, isCountedWhenNew, uncountOrder } from "../recommendations/counting";
import { recordEvent } from "../messages/events";
import { applyEmailConsent } from "../members/consent";

// The order as the rules read it lives in order.ts (bonuses and referrals read it too, without this module).
export type { OrderAttribution, OrderCustomer, OrderLineInput, PaidOrder } from "./order";

export interface PaidOrderResult {
  orderId: string;
  customerId: string | null;
  pointsEarned: number;
  /** false when this order had already earned (a replay or a second topic). */
  earnedNow: boolean;
}

/** What earning, stamps, tiers, referrals and the account signals read of the customer's row. */
const CUSTOMER = {
  id: true,
  shopifyCustomerId: true,
  email: true,
  holdout: true,
  tier: true,
  tierFloor: true,
  tierFloorUntil: true,
  emailMarketing: true,
  emailMarketingAt: true,
  accountSeenAt: true,
  noAccountSeenAt: true,
} as const;

/** The customer's row, created at first sight with their holdout group (holdout.ts). */
export async function upsertCustomer(db: Deps["db"], shop: ShopRecord, c: OrderCustomer) {
  const profile = { email: c.email ?? undefined, firstName: c.firstName ?? undefined, lastName: c.lastName ?? undefined };
  const row = await db.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: c.shopifyCustomerId } },
    create: {
      shopId: shop.id,
      shopifyCustomerId: c.shopifyCustomerId,
      ...profile,
      ...firstSight(shop, c.shopifyCustomerId),
      // A customer seen first now starts with the order's consent (applyEmailConsent then finds it kept).
      ...(c.emailMarketing ? { emailMarketing: c.emailMarketing.state, emailMarketingAt: c.emailMarketing.updatedAt } : {}),
    },
    update: profile,
    select: CUSTOMER,
  });
  return c.emailMarketing ? ((await applyEmailConsent(db, row, c.emailMarketing)) ?? row) : row;
}

type CustomerRow = Awaited<ReturnType<typeof upsertCustomer>>;

/** A paid order recorded, with what its transaction read on the way (onOrderPaid carries on with them). */
export interface RecordedPaidOrder {
  result: PaidOrderResult;
  shop: ShopRecord;
  customer: CustomerRow | null;
  /** The shop's tier programs, read once for the points (undefined: not read, nothing earned). */
  tierPrograms?: TierPrograms;
  /** The customer's purchases, read for an amount-spent program (customerPurchases). */
  purchases?: Purchase[];
  /** Whether the order row was created by this call (not a replay, not after its cancellation). */
  newOrder: boolean;
  /** Puts the order in the recommendation counts: last, so the shop's counts lock is held briefly. */
  countForRecommendations: () => Promise<unknown>;
}

/** `earn: false` keeps the order (history, analytics) without points: a backfill the merchant chose not to reward. */
export async function recordPaidOrder(
  deps: Deps,
  shopDomain: string,
  order: PaidOrder,
  options: { earn?: boolean; products?: ProductFactsById; shop?: ShopRecord | null } = {},
): Promise<PaidOrderResult> {
  const recorded = await recordPaid(deps, shopDomain, order, options);
  await recorded.countForRecommendations();
  return recorded.result;
}

/**
 * recordPaidOrder, leaving the recommendation counts to the caller. `shop` is the shop as read
 * before the transaction (null or absent: read, or created on first contact, here).
 */
export async function recordPaid(
  deps: Deps,
  shopDomain: string,
  order: PaidOrder,
  { earn = true, products = new Map(), shop: known }: { earn?: boolean; products?: ProductFactsById; shop?: ShopRecord | null } = {},
): Promise<RecordedPaidOrder> {
  const { db } = deps;
  const shop = known ?? (await ensureShop(db, shopDomain, order.currency));
  await holdOrderEvents(db, shopDomain, order.shopifyOrderId);
  const customer = order.customer ? await upsertCustomer(db, shop, order.customer) : null;

  const { saved, existing } = await saveOrder(db, shop.id, customer?.id ?? null, order, { paidAt: order.paidAt, cancelledAt: null });
  // Seen before (a cancellation first, a replay under a new event id, reconciliation): the first
  // payment and the first customer stay.
  if (existing && (!existing.paidAt || (!existing.customerId && customer))) {
    await db.order.update({
      where: { id: saved.id },
      data: { paidAt: existing.paidAt ?? order.paidAt, customerId: existing.customerId ?? customer?.id },
      select: { id: true },
    });
  }
  // "Customers also bought" learns from every paid order, whatever path recorded it (webhook,
  // backfill, reconciliation, demo): counted once, in this transaction; never when cancelled.
  // An order created just now is counted from what is in hand (saveOrder flagged it).
  const countForRecommendations = existing
    ? () => countOrder(db, shop.id, saved.id, deps.clock())
    : () => countNewOrder(db, shop.id, order.lines, deps.clock());
  const recorded = (pointsEarned: number, earnedNow: boolean, tierPrograms?: TierPrograms, purchases?: Purchase[]): RecordedPaidOrder => ({
    result: { orderId: saved.id, customerId: customer?.id ?? null, pointsEarned, earnedNow },
    shop,
    customer,
    tierPrograms,
    purchases,
    newOrder: !existing,
    countForRecommendations,
  });
  // A reward code used on this order is no longer offered to the member (a welcome code included).
  if (customer && order.attribution) await markCodesUsed(db, shop.id, customer.id, order.attribution.discountCodes);

  // A held-out customer's order is kept (the impact analytics compare it) but earns nothing.
  if (!customer || !earn || customer.holdout) return recorded(0, false);
  const tierPrograms = await tierProgramsAt(db, shop);
  const tierProgram = tierPrograms.current;
  // Under an amount-spent program the tier needs the customer's orders and their refunds; read
  // now (this order included), they also say whether refunds of this order arrived before it.
  const purchases = tierProgram?.basis === "amount_spent" ? await customerPurchases(db, shop.id, [customer.id]) : undefined;
  // Shopify's `currency` on an order is the shop currency; another one would earn at the
  // wrong rate, so it earns nothing (bad data, not a rule).
  const earned =
    order.currency === shop.currency
      ? orderEarnings(
          {
            subtotal: order.subtotal,
            shipping: order.shipping,
            tax: order.tax,
            paidAt: order.paidAt,
            customerTags: order.customer?.tags ?? [],
            // The tier held before this order (the order's own effect on the tier comes after).
            tierMultiplier: tierMultiplierOf(tierProgram, customer.tier),
            // Tags and collections come from the Admin API (fetched before the transaction)
            // when the program has rules on them; orders do not carry them.
            lines: earningLines(order.lines, products),
          },
          shop.settings,
        )
      : null;
  if (earned) await collectStamps(deps, shop, customer, order, order.customer?.tags ?? [], products);
  if (!earned || earned.points <= 0) return recorded(0, false, tierPrograms, purchases);
  const reason =
    earned.breakdown.length > 1
      ? `Points for a paid order (${earned.breakdown.map((b) => `${b.rule} ${b.points}`).join(", ")})`
      : "Points for a paid order";

  const now = deps.clock();
  const { entry, applied } = await appendEntry(
    db,
    {
      shopId: shop.id,
      customerId: customer.id,
      kind: "earn",
      points: earned.points,
      idempotencyKey: `earn:order:${order.shopifyOrderId}`,
      sourceType: "order",
      sourceId: order.shopifyOrderId,
      reason,
      availableAt: earned.availableAt,
      at: now,
    },
    // An order row created just now has never earned.
    { mayGoNegative: false, keyIsNew: !existing },
  );
  // An order paid while Kembali is installed (not imported history older than the install): worth a message.
  if (applied && order.paidAt.getTime() >= shop.installedAt.getTime()) {
    await recordEvent(
      db,
      shop.id,
      customer.id,
      "points_earned",
      `points_earned:${order.shopifyOrderId}`,
      {
        shopifyOrderId: order.shopifyOrderId,
        orderName: order.name ?? null,
        points: entry.points,
        availableAt: earned.availableAt && earned.availableAt > now ? earned.availableAt.toISOString() : null,
      },
      now,
    );
  }
  // A refund or cancellation may have arrived before this paid event (an order created just now
  // was not cancelled: only refunds can be waiting).
  const justWritten =
    !existing && applied
      ? {
          earn: { customerId: customer.id, points: entry.points, idempotencyKey: entry.idempotencyKey },
          order: { subtotalMinor: BigInt(order.subtotal), cancelledAt: null },
          hasRefunds: purchases?.some((p) => p.shopifyOrderId === order.shopifyOrderId && p.refundedAt !== null),
        }
      : undefined;
  await settleOrderReversals(deps, shop.id, order.shopifyOrderId, justWritten);
  return recorded(entry.points, applied, tierPrograms, purchases);
}

/**
 * The order row and its lines, created unless the order is already there, in one statement: an
 * upsert whose update changes nothing, so the database does it natively. The row is new when it
 * has the id given here (an existing row keeps its own). `existing` is the row as it was.
 */
async function saveOrder(db: Deps["db"], shopId: string, customerId: string | null, order: PaidOrder, dates: OrderDates) {
  const id = randomUUID();
  const row = await db.order.upsert({
    where: { shopId_shopifyOrderId: { shopId, shopifyOrderId: order.shopifyOrderId } },
    create: { id, ...orderColumns(shopId, customerId, order, dates) },
    update: { shopifyOrderId: order.shopifyOrderId },
    select: { id: true, paidAt: true, customerId: true },
  });
  if (row.id !== id) return { saved: { id: row.id }, existing: row };
  await createLines(db, row.id, order);
  return { saved: { id: row.id }, existing: null };
}

/** When the order was paid, cancelled and fulfilled, as far as Kembali knows when it first sees it. */
interface OrderDates {
  paidAt: Date | null;
  cancelledAt: Date | null;
  fulfilledAt?: Date | null;
}

function orderColumns(shopId: string, customerId: string | null, order: PaidOrder, dates: OrderDates) {
  return {
    shopId,
    shopifyOrderId: order.shopifyOrderId,
    customerId,
    currency: order.currency,
    totalMinor: BigInt(order.total),
    subtotalMinor: BigInt(order.subtotal),
    shippingMinor: BigInt(order.shipping),
    taxMinor: BigInt(order.tax),
    orderedAt: order.orderedAt,
    ...dates,
    recsCounted: isCountedWhenNew(dates, order.lines),
  };
}

async function createLines(db: Deps["db"], orderId: string, order: PaidOrder) {
  if (order.lines.length === 0) return;
  await db.orderLine.createMany({
    data: order.lines.map((l) => ({
      orderId,
      productId: l.productId,
      variantId: l.variantId,
      title: l.title,
      quantity: l.quantity,
      priceMinor: BigInt(l.price),
    })),
  });
}

/** The order row and its lines; flagged as counted when countNewOrder will count it in this transaction. */
async function createOrder(db: Deps["db"], shopId: string, customerId: string | null, order: PaidOrder, dates: OrderDates) {
  const saved = await db.order.create({ data: orderColumns(shopId, customerId, order, dates), select: { id: true } });
  await createLines(db, saved.id, order);
  return saved;
}

export interface RefundInput {
  shopifyRefundId: string;
  shopifyOrderId: string;
  /** Refunded merchandise after discounts, before tax and shipping, minor units. */
  subtotal: number;
  currency: string;
  refundedAt: Date;
}

/** refunds/create: keep the refund, then settle the order's reversals. */
export async function recordRefund(deps: Deps, shopDomain: string, refund: RefundInput): Promise<void> {
  const shop = await ensureShop(deps.db, shopDomain, refund.currency);
  await holdOrderEvents(deps.db, shopDomain, refund.shopifyOrderId);
  await deps.db.refund.upsert({
    where: { shopId_shopifyRefundId: { shopId: shop.id, shopifyRefundId: refund.shopifyRefundId } },
    create: {
      shopId: shop.id,
      shopifyRefundId: refund.shopifyRefundId,
      shopifyOrderId: refund.shopifyOrderId,
      subtotalMinor: BigInt(refund.subtotal),
      refundedAt: refund.refundedAt,
    },
    update: { shopifyRefundId: refund.shopifyRefundId }, // changes nothing: the database's own upsert, safe on two servers at once
  });
  await settleOrderReversals(deps, shop.id, refund.shopifyOrderId);
}

/**
 * orders/fulfilled for an order Kembali has not seen paid (cash on delivery, bank transfer: paid
 * after it is delivered): its snapshot is kept with the fulfilment time and no payment, as a
 * cancellation that comes first is, so orders/paid later finds the row and the survey's delay
 * counts from the fulfilment. The first fulfilment time stays.
 */
export async function recordFulfilledBeforePaid(deps: Deps, shopDomain: string, order: PaidOrder, fulfilledAt: Date): Promise<void> {
  const shop = await ensureShop(deps.db, shopDomain, order.currency);
  const customer = order.customer ? await upsertCustomer(deps.db, shop, order.customer) : null;
  const dates = { paidAt: null, cancelledAt: null, fulfilledAt };
  const { saved, existing } = await saveOrder(deps.db, shop.id, customer?.id ?? null, order, dates);
  // Paid (or cancelled) in between: the row is there; only the fulfilment time is added.
  if (existing) await deps.db.order.updateMany({ where: { id: saved.id, fulfilledAt: null }, data: { fulfilledAt } });
}

/** orders/cancelled: mark the order (creating its snapshot if this came first), then settle. */
export async function recordCancellation(deps: Deps, shopDomain: string, order: PaidOrder, cancelledAt: Date): Promise<void> {
  const shop = await ensureShop(deps.db, shopDomain, order.currency);
  await holdOrderEvents(deps.db, shopDomain, order.shopifyOrderId);
  const customer = order.customer ? await upsertCustomer(deps.db, shop, order.customer) : null;
  const existing = await deps.db.order.findUnique({
    where: { shopId_shopifyOrderId: { shopId: shop.id, shopifyOrderId: order.shopifyOrderId } },
  });
  if (existing) {
    await deps.db.order.update({ where: { id: existing.id }, data: { cancelledAt: existing.cancelledAt ?? cancelledAt } });
    // Out of the recommendation counts if it was in them (a cancellation before the paid event leaves nothing to take out).
    await uncountOrder(deps.db, shop.id, existing.id, deps.clock());
  } else {
    await createOrder(deps.db, shop.id, customer?.id ?? null, order, { paidAt: null, cancelledAt });
  }
  await settleOrderReversals(deps, shop.id, order.shopifyOrderId);
}
