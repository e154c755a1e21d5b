// Retention figures for a period [from, to) and the previous period of the same length.
//
// Definitions (used everywhere on the dashboard):
// - A purchase is an order that is paid (paidAt set) and not cancelled, dated by orderedAt.
//   Amounts are subtotalMinor (merchandise after discounts, before tax and shipping) in the
//   shop currency's minor units, gross of refunds.
// - A customer is someone with at least one purchase, by customerId. Guest orders (no
//   customer) count in orders, revenue and AOV but in no customer figure.
// - Active at an instant t: a purchase in the 365 days before t, i.e. in [t − 365 d, t).
// - CRR = (E − N) / S × 100, where S = customers active at `from`, E = customers active at
//   `to`, N = customers whose first purchase ever is in [from, to). Null when S = 0.
// - Repeat-purchase rate = customers with ≥ 2 purchases in the period ÷ customers with ≥ 1.
// - Purchase frequency = customers' purchases in the period ÷ customers with ≥ 1 (no guests).
// - AOV = revenue in the period ÷ purchases in the period (guests included).
// - Customer lifetime value = historical average revenue per customer to date: revenue of
//   all customers' purchases before `to` ÷ customers with a purchase before `to`.
// - Median time between orders = median, in days, of the gaps between a customer's
//   consecutive purchases, over the gaps that end inside the period.
import { DAY_MS, median, num, paidOrders, percent, round, shopOrThrow, toDate, type AnalyticsDeps } from "./common";

export const ACTIVE_DAYS = 365;

export interface PeriodRetention {
  from: string;
  to: string;
  /** S, E, N of the CRR formula. */
  customersAtStart: number;
  customersAtEnd: number;
  newCustomers: number;
  /** CRR in percent, 2 decimals; null when no customer was active at the start. */
  retentionRate: number | null;
  /** Customers with ≥ 1 purchase in the period, and with ≥ 2. */
  customers: number;
  repeatCustomers: number;
  repeatPurchaseRate: number | null;
  /** Purchases in the period: all, and those without a customer. */
  orders: number;
  guestOrders: number;
  revenueMinor: number;
  purchaseFrequency: number | null;
  averageOrderValueMinor: number | null;
  customerLifetimeValueMinor: number | null;
  medianDaysBetweenOrders: number | null;
}

export interface RetentionReport {
  currency: string;
  current: PeriodRetention;
  previous: PeriodRetention;
}

/** CRR = (E − N) / S × 100, rounded to 2 decimals; null when S = 0. */
export function customerRetentionRate(atStart: number, atEnd: number, newInPeriod: number): number | null {
  return atStart > 0 ? round(((atEnd - newInPeriod) / atStart) * 100) : null;
}

export async function retentionReport(deps: AnalyticsDeps, input: { shopDomain: string; from: Date; to: Date }): Promise<RetentionReport> {
  const { from, to } = input;
  if (!(to.getTime() > from.getTime())) throw new RangeError("The period must end after it starts");
  const shop = await shopOrThrow(deps.db, input.shopDomain);
  const length = to.getTime() - from.getTime();
  const previousFrom = new Date(from.getTime() - length);
  const [current, previous] = await Promise.all([
    periodRetention(deps, shop.id, from, to),
    periodRetention(deps, shop.id, previousFrom, from),
  ]);
  return { currency: shop.currency, current, previous };
}

export async function periodRetention(deps: AnalyticsDeps, shopId: string, from: Date, to: Date): Promise<PeriodRetention> {
  const { db } = deps;
  const startWindow = new Date(from.getTime() - ACTIVE_DAYS * DAY_MS);
  const endWindow = new Date(to.getTime() - ACTIVE_DAYS * DAY_MS);
  // One pass over the customers' purchases before `to`, grouped per customer (index
  // shopId, customerId), then summed: S, E, N, period counts and revenue to date.
  const customerRows = db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT
      CAST(COUNT(*) AS BIGINT) AS "customersToDate",
      CAST(COALESCE(SUM(t.rev), 0) AS BIGINT) AS "revenueToDate",
      CAST(COALESCE(SUM(t.at_start), 0) AS BIGINT) AS "atStart",
      CAST(COALESCE(SUM(t.at_end), 0) AS BIGINT) AS "atEnd",
      CAST(COALESCE(SUM(CASE WHEN t.first_at >= ${from} THEN 1 ELSE 0 END), 0) AS BIGINT) AS "newCustomers",
      CAST(COALESCE(SUM(CASE WHEN t.in_period >= 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS "customers",
      CAST(COALESCE(SUM(CASE WHEN t.in_period >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS "repeatCustomers",
      CAST(COALESCE(SUM(t.in_period), 0) AS BIGINT) AS "customerOrders"
    FROM (
      SELECT
        o."customerId",
        MIN(o."orderedAt") AS first_at,
        SUM(o."subtotalMinor") AS rev,
        MAX(CASE WHEN o."orderedAt" >= ${startWindow} AND o."orderedAt" < ${from} THEN 1 ELSE 0 END) AS at_start,
        MAX(CASE WHEN o."orderedAt" >= ${endWindow} THEN 1 ELSE 0 END) AS at_end,
        SUM(CASE WHEN o."orderedAt" >= ${from} THEN 1 ELSE 0 END) AS in_period
      FROM "Order" o
      WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL
        AND o."cancelledAt" IS NULL AND o."orderedAt" < ${to}
      GROUP BY o."customerId"
    ) t`;
  const periodOrders = db.order.aggregate({
    where: { ...paidOrders(shopId), orderedAt: { gte: from, lt: to } },
    _count: { _all: true },
    _sum: { subtotalMinor: true },
  });
  const guestOrders = db.order.count({ where: { ...paidOrders(shopId), customerId: null, orderedAt: { gte: from, lt: to } } });
  // Each purchase in the period with the same customer's previous purchase (any time before):
  // the purchases before `to` of the customers who bought in the period, in customer and date
  // order from the index (shopId, customerId, orderedAt, ...).
  const gapRows = db.$queryRaw<Array<{ prev_at: unknown; order_at: unknown }>>`
    SELECT t.prev_at AS prev_at, t.order_at AS order_at FROM (
      SELECT o."orderedAt" AS order_at,
        LAG(o."orderedAt") OVER (PARTITION BY o."customerId" ORDER BY o."orderedAt") AS prev_at
      FROM "Order" o
      WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL
        AND o."cancelledAt" IS NULL AND o."orderedAt" < ${to}
        AND o."customerId" IN (
          SELECT p."customerId" FROM "Order" p
          WHERE p."shopId" = ${shopId} AND p."customerId" IS NOT NULL AND p."paidAt" IS NOT NULL
            AND p."cancelledAt" IS NULL AND p."orderedAt" >= ${from} AND p."orderedAt" < ${to}
        )
    ) t
    WHERE t.prev_at IS NOT NULL AND t.order_at >= ${from}`;

  const [[c], agg, guests, gaps] = await Promise.all([customerRows, periodOrders, guestOrders, gapRows]);
  const customersToDate = num(c?.customersToDate);
  const customers = num(c?.customers);
  const repeatCustomers = num(c?.repeatCustomers);
  const customerOrders = num(c?.customerOrders);
  const atStart = num(c?.atStart);
  const atEnd = num(c?.atEnd);
  const newCustomers = num(c?.newCustomers);
  const orders = agg._count._all;
  const revenueMinor = num(agg._sum.subtotalMinor);
  const gapDays = gaps.map((g) => (toDate(g.order_at).getTime() - toDate(g.prev_at).getTime()) / DAY_MS);
  const medianGap = median(gapDays);

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    customersAtStart: atStart,
    customersAtEnd: atEnd,
    newCustomers,
    retentionRate: customerRetentionRate(atStart, atEnd, newCustomers),
    customers,
    repeatCustomers,
    repeatPurchaseRate: percent(repeatCustomers, customers),
    orders,
    guestOrders: guests,
    revenueMinor,
    purchaseFrequency: customers > 0 ? round(customerOrders / customers) : null,
    averageOrderValueMinor: orders > 0 ? Math.round(revenueMinor / orders) : null,
    customerLifetimeValueMinor: customersToDate > 0 ? Math.round(num(c?.revenueToDate) / customersToDate) : null,
    medianDaysBetweenOrders: medianGap === null ? null : round(medianGap),
  };
}
