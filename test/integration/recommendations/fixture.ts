// Shared by the recommendation tests: orders recorded through the domain's one entry point
// (recordPaidOrder / recordCancellation, as every webhook, import and the demo do), and the
// counts in the database compared with counts computed from scratch in memory.
import prisma, { transaction } from "~/db.server";
import { recordCancellation, recordPaidOrder, type PaidOrder } from "~/domain/earning/orders";
import { countBaskets } from "~/domain/recommendations/counts";
import { newShopDomain } from "../../helpers";

export const tx = transaction(prisma);
export const at = new Date("2026-11-20T10:00:00Z");

/** A paid IDR order of the given products (null: a custom line without a product). */
export function order(id: string, products: (string | null)[], paidAt = at): PaidOrder {
  return {
    shopifyOrderId: id,
    customer: null,
    currency: "IDR",
    total: 1000 * products.length,
    subtotal: 1000 * products.length,
    shipping: 0,
    tax: 0,
    orderedAt: paidAt,
    paidAt,
    lines: products.map((p, k) => ({ productId: p, variantId: null, title: p ? `Product ${p}` : `Custom ${k}`, quantity: 1, price: 1000 })),
  };
}

export function paid(shop: string, o: PaidOrder) {
  return tx((t) => recordPaidOrder({ db: t, clock: () => o.paidAt }, shop, o));
}

export function cancelled(shop: string, o: PaidOrder, cancelledAt = new Date(o.paidAt.getTime() + 3_600_000)) {
  return tx((t) => recordCancellation({ db: t, clock: () => cancelledAt }, shop, o, cancelledAt));
}

export async function newShop(): Promise<{ domain: string; id: string }> {
  const domain = newShopDomain();
  const shop = await prisma.shop.create({ data: { domain, settings: {} } });
  return { domain, id: shop.id };
}

export interface CountsView {
  baskets: number;
  items: Record<string, number>;
  pairs: Record<string, number>;
}

/** The shop's counts as stored. */
export async function storedCounts(shopId: string): Promise<CountsView> {
  const [state, items, pairs] = await Promise.all([
    prisma.recsState.findUnique({ where: { shopId } }),
    prisma.recsItem.findMany({ where: { shopId } }),
    prisma.recsPair.findMany({ where: { shopId } }),
  ]);
  return {
    baskets: state?.baskets ?? 0,
    items: Object.fromEntries(items.filter((r) => r.baskets !== 0).map((r) => [r.productId, r.baskets])),
    pairs: Object.fromEntries(pairs.map((r) => [`${r.productA}|${r.productB}`, r.baskets])),
  };
}

/** The counts of these baskets computed from scratch (baskets without a product are not orders that count). */
export function countsOf(baskets: (string | null)[][]): CountsView {
  const kept = baskets.map((b) => b.filter((p): p is string => p !== null)).filter((b) => b.length > 0);
  const counts = countBaskets(kept);
  const items: Record<string, number> = {};
  const pairs: Record<string, number> = {};
  counts.ids.forEach((id, i) => {
    if (counts.items[i] > 0) items[id] = counts.items[i];
    for (const [j, n] of counts.pairs[i]) {
      const other = counts.ids[j];
      if (id < other) pairs[`${id}|${other}`] = n;
    }
  });
  return { baskets: kept.length, items, pairs };
}

export const deps = (clock: () => Date = () => new Date()) => ({ db: prisma, clock, transaction: tx });

/** The shop's stored lists, as comparable rows. */
export async function neighbourTable(shopId: string) {
  const rows = await prisma.recsNeighbour.findMany({ where: { shopId }, orderBy: [{ productId: "asc" }, { neighbourId: "asc" }] });
  return rows.map((r) => [r.productId, r.neighbourId, r.score] as const);
}

/**
 * Orders written straight into the tables (as orders recorded before recommendations existed, or
 * the bench's synthetic history): paid, not counted. Returns their ids.
 */
export async function insertOrders(shopId: string, baskets: string[][], paidAt = at): Promise<void> {
  const prefix = `${shopId.slice(-6)}-${Math.random().toString(36).slice(2, 8)}`;
  const orders = baskets.map((_, k) => ({
    id: `${prefix}-${String(k).padStart(7, "0")}`,
    shopId,
    shopifyOrderId: `${prefix}-${k}`,
    currency: "IDR",
    totalMinor: 1000n,
    subtotalMinor: 1000n,
    orderedAt: new Date(paidAt.getTime() + k * 1000),
    paidAt: new Date(paidAt.getTime() + k * 1000),
  }));
  await prisma.order.createMany({ data: orders });
  const lines = baskets.flatMap((b, k) =>
    b.map((productId) => ({ orderId: orders[k].id, productId, title: `Product ${productId}`, quantity: 1, priceMinor: 1000n })),
  );
  for (let i = 0; i < lines.length; i += 5000) await prisma.orderLine.createMany({ data: lines.slice(i, i + 5000) });
}
