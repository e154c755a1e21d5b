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
    // One statement on both databases: identifiers quoted, dates bound, SUM cast to BIGINT.
    queryParts<Array<{ orders: unknown; revenue: unknown }>>(
      deps.db,
      [
        `SELECT COUNT(*) AS orders, CAST(COALESCE(SUM(o."totalMinor"), 0) AS BIGINT) AS revenue
         FROM "Order" o
         WHERE o."shopId" = `,
        ` AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o."orderedAt" >= `,
        ` AND o."orderedAt" < `,
        ` AND EXISTS (
           SELECT 1 FROM "RecsCheckout" c
           JOIN "OrderLine" l ON l."orderId" = o."id" AND l."productId" = c."productId"
           WHERE c."shopId" = o."shopId" AND c."shopifyOrderId" = o."shopifyOrderId")`,
      ],
      [shop.id, from, to],
    ),
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
    orders: num(attributed[0]?.orders),
    revenueMinor: num(attributed[0]?.revenue),
    bySurface: REC_SURFACES.map((surface) => ({ surface, clicks: count("click", surface), addToCarts: count("add_to_cart", surface) })),
    reported: Boolean(anyEvent || anyCheckout),
    pixelConnected: pixel.pixelConnectedAt !== null,
  };
}
