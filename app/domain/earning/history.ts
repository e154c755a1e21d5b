// Order history from the Admin API: the backfill (the shop's past orders, once, with or
// without points as the merchant chooses) and the reconciliation (recently updated orders,
// to catch webhooks that never arrived). Both go through the same idempotent functions as
// the webhooks, so an order seen twice never earns or reverses twice.
import { ALL_ORDERS_SCOPE, RECENT_ORDERS_DAYS, type ShopifyAdmin, type AdminOrder } from "../../shopify/admin/port";
import type { Deps, ShopifyFor, TxDeps } from "../deps";
import type { JobHandler } from "../jobs";
import type { PaidOrder } from "./orders";
import { recordCancellation, recordPaidOrder, recordRefund } from "./orders";
import { productFactsIfNeeded } from "./product-facts";
import { findShop } from "../shop/shops";

const PAGE = 10;

export function toPaidOrder(order: AdminOrder): PaidOrder {
  return {
    shopifyOrderId: order.id,
    customer: order.customer
      ? {
          shopifyCustomerId: order.customer.id,
          email: order.customer.email,
          firstName: order.customer.firstName,
          lastName: order.customer.lastName,
        }
      : null,
    currency: order.currency,
    total: order.total,
    subtotal: order.subtotal,
    shipping: order.shipping,
    tax: order.tax,
    orderedAt: order.createdAt,
    paidAt: order.processedAt,
    lines: order.lineItems.map((l) => ({
      productId: l.productId,
      variantId: l.variantId,
      title: l.title,
      quantity: l.quantity,
      price: l.price,
    })),
  };
}

/** One order with its refunds and cancellation; each event dated when it happened. */
export async function importOrder(
  deps: TxDeps,
  shopDomain: string,
  order: AdminOrder,
  { earn, shopify }: { earn: boolean; shopify: ShopifyAdmin },
) {
  const paid = toPaidOrder(order);
  const shop = await findShop(deps.db, shopDomain);
  const products = await productFactsIfNeeded(
    shop?.settings ?? null,
    paid.lines.map((l) => l.productId ?? null),
    async () => shopify,
  );
  await deps.transaction((tx) => recordPaidOrder({ db: tx, clock: () => order.processedAt }, shopDomain, paid, { earn, products }));
  for (const refund of order.refunds) {
    await deps.transaction((tx) =>
      recordRefund({ db: tx, clock: () => refund.createdAt }, shopDomain, {
        shopifyRefundId: refund.id,
        shopifyOrderId: order.id,
        subtotal: refund.subtotal,
        currency: order.currency,
        refundedAt: refund.createdAt,
      }),
    );
  }
  if (order.cancelledAt) {
    const at = order.cancelledAt;
    await deps.transaction((tx) => recordCancellation({ db: tx, clock: () => at }, shopDomain, paid, at));
  }
}

function withTx(deps: Deps, transaction: TxDeps["transaction"]): TxDeps {
  return { ...deps, transaction };
}

/**
 * How far back Shopify lets Kembali read this shop's orders: all of them once the shop granted
 * read_all_orders, else the last 60 days. null: Shopify did not answer (the page says it could
 * not check rather than guess).
 */
export async function orderHistoryAccess(shopify: ShopifyAdmin): Promise<"all" | "recent" | null> {
  try {
    return (await shopify.accessScopes()).includes(ALL_ORDERS_SCOPE) ? "all" : "recent";
  } catch {
    return null;
  }
}

/** The part of the history a backfill read: everything, or orders created since `since` (ISO). */
export interface HistoryRange {
  allOrders: boolean;
  since: string | null;
}

/**
 * Job "backfill", input { earnPoints: boolean }: every paid order Shopify lets Kembali read,
 * oldest first. The first step asks which that is and records it on the job (outcome), so the
 * import says when it covered only the last 60 days instead of looking complete.
 */
export function backfillJob(shopifyFor: ShopifyFor, transaction: TxDeps["transaction"]): JobHandler {
  return {
    async step(deps, job) {
      const earn = (job.input as { earnPoints?: boolean } | null)?.earnPoints === true;
      const shopify = await shopifyFor(job.shopDomain);
      let range: HistoryRange | undefined;
      if (job.cursor === null) {
        const allOrders = (await shopify.accessScopes()).includes(ALL_ORDERS_SCOPE);
        const since = new Date(deps.clock().getTime() - RECENT_ORDERS_DAYS * 86_400_000);
        range = { allOrders, since: allOrders ? null : since.toISOString() };
      }
      const page = await shopify.listOrders({ after: job.cursor, first: PAGE });
      for (const order of page.orders) await importOrder(withTx(deps, transaction), job.shopDomain, order, { earn, shopify });
      return { cursor: page.nextCursor, done: page.orders.length, ...(range && { outcome: { range } }) };
    },
  };
}

/**
 * Job "reconcile", input { since: ISO date }: orders updated since then (new, refunded,
 * cancelled). Orders placed before the install earn only through a backfill the merchant
 * chose, so an old order that changes now does not start earning.
 */
export function reconcileJob(shopifyFor: ShopifyFor, transaction: TxDeps["transaction"]): JobHandler {
  return {
    async step(deps, job) {
      const since = new Date((job.input as { since: string }).since);
      const shop = await deps.db.shop.findUnique({ where: { domain: job.shopDomain } });
      if (!shop) return { cursor: null, done: 0 };
      const shopify = await shopifyFor(job.shopDomain);
      const page = await shopify.listOrders({ updatedSince: since, after: job.cursor, first: PAGE });
      for (const order of page.orders) {
        await importOrder(withTx(deps, transaction), job.shopDomain, order, { earn: order.createdAt >= shop.installedAt, shopify });
      }
      return { cursor: page.nextCursor, done: page.orders.length };
    },
  };
}
