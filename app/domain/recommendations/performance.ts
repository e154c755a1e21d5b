// The dashboard's recommendation figures for a period (decision 031). Clicks and add-to-carts
// are what the web pixel reported. Orders and revenue are never taken from the pixel (anyone can
// post to it): an order counts when the app recorded it from Shopify's signed webhooks (paid, not
// cancelled, this shop, dated by orderedAt in the period) and one of its lines is a product the
// pixel said was recommended for that order; revenue is those orders' totals.
import type { Deps } from "../deps";
import { num, queryParts, shopOrThrow } from "../analytics/common";
import { REC_SURFACES, type RecSurface } from "./pixel";

export interface SurfaceFigures {
  surface: RecSurface;
  clicks: number;
  addToCarts: number;
}

export interface RecsPerformance {
  currency: string;
  from: string;
  to: string;
  clicks: number;
  addToCarts: number;
  /** Paid, not cancelled orders in the period holding a product the pixel reported as recommended. */
  orders: number;
  /** Those orders' totals, minor units of the shop currency. */
  revenueMinor: number;
  bySurface: SurfaceFigures[];
  /** Whether the pixel has reported anything for this shop, ever (the empty state says it has not). */
  reported: boolean;
  /** Whether Shopify has the shop's pixel switched on (the app connects it in the background). */
  pixelConnected: boolean;
}

export async function recsPerformance(
  deps: Pick<Deps, "db">,
  input: { shopDomain: string; from: Date; to: Date },
): Promise<RecsPerformance> {
  const { from, to } = input;
  if (!(to.getTime() > from.getTime())) throw new RangeError("The period must end after it starts");
  const shop = await shopOrThrow(deps.db, input.shopDomain);
  const [events, anyEvent, anyCheckout, attributed, pixel] = await Promise.all([
    deps.db.recsEvent.groupBy({
      by: ["kind", "surface"],
      where: { shopId: shop.id, occurredAt: { gte: from, lt: to } },
      _count: { _all: true },
    }),
    deps.db.recsEvent.findFirst({ where: { shopId: shop.id }, select: { id: true } }),
    deps.db.recsCheckout.findFirst({ where: { shopId: shop.id }, select: { id: true } }),
    attributedOrders(deps, shop.id, from, to),
    deps.db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { pixelConnectedAt: true } }),
  ]);
  const count = (kind: string, surface?: string) =>
    events.filter((e) => e.kind === kind && (surface === undefined || e.surface === surface)).reduce((sum, e) => sum + e._count._all, 0);
  return {
    currency: shop.currency,
    from: from.toISOString(),
    to: to.toISOString(),
    clicks: count("click"),
    addToCarts: count("add_to_cart"),
    orders: attributed.orders,
    revenueMinor: attributed.revenueMinor,
    bySurface: REC_SURFACES.map((surface) => ({ surface, clicks: count("click", surface), addToCarts: count("add_to_cart", surface) })),
    reported: Boolean(anyEvent || anyCheckout),
    pixelConnected: pixel.pixelConnectedAt !== null,
  };
}

/** The pixel reports a checkout as it completes; Shopify dates the order at about the same time. */
const CHECKOUT_SLACK_MS = 7 * 86_400_000;

/**
 * Orders dated in [from, to) that the app recorded from Shopify (paid, not cancelled) and whose
 * lines hold a product a checkout report named for that order, with their totals. Driven from the
 * reports (few, indexed by time), each looked up by the order's id and then (order, product):
 * never a scan of the period's orders. One statement on both databases: identifiers quoted, dates
 * bound, SUM cast to BIGINT.
 */
async function attributedOrders(deps: Pick<Deps, "db">, shopId: string, from: Date, to: Date) {
  const [row] = await queryParts<Array<{ orders: unknown; revenue: unknown }>>(
    deps.db,
    [
      `SELECT COUNT(*) AS orders, CAST(COALESCE(SUM(t."totalMinor"), 0) AS BIGINT) AS revenue FROM (
         SELECT DISTINCT o."id", o."totalMinor"
         FROM "RecsCheckout" c
         JOIN "Order" o ON o."shopId" = c."shopId" AND o."shopifyOrderId" = c."shopifyOrderId"
         JOIN "OrderLine" l ON l."orderId" = o."id" AND l."productId" = c."productId"
         WHERE c."shopId" = `,
      ` AND c."at" >= `,
      ` AND c."at" < `,
      ` AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o."orderedAt" >= `,
      ` AND o."orderedAt" < `,
      `) t`,
    ],
    [shopId, new Date(from.getTime() - CHECKOUT_SLACK_MS), new Date(to.getTime() + CHECKOUT_SLACK_MS), from, to],
  );
  return { orders: num(row?.orders), revenueMinor: num(row?.revenue) };
}
