// Rows the dashboard tests seed directly: orders (paid on the day they were placed) and ledger
// entries on given dates, for one shop.
import prisma from "~/db.server";

/** [customer id or null for a guest, date, subtotal]: order numbers 1, 2, … in this order. */
export type OrderRow = [string | null, string, number];
/** [kind, points, date]: idempotency keys k0, k1, … in this order. */
export type EntryRow = readonly ["earn" | "spend" | "expire", number, string];

export async function seedOrders(shopId: string, currency: string, orders: OrderRow[]) {
  await prisma.order.createMany({
    data: orders.map(([customerId, at, amount], i) => ({
      shopId,
      shopifyOrderId: String(i + 1),
      customerId,
      currency,
      subtotalMinor: BigInt(amount),
      totalMinor: BigInt(amount),
      orderedAt: new Date(at),
      paidAt: new Date(at),
    })),
  });
}

export async function seedEntries(shopId: string, customerId: string, entries: readonly EntryRow[]) {
  await prisma.pointsEntry.createMany({
    data: entries.map(([kind, points, at], i) => ({
      shopId,
      customerId,
      kind,
      points,
      balanceAfter: 0,
      idempotencyKey: `k${i}`,
      sourceType: kind === "spend" ? "redemption" : "order",
      sourceId: String(i),
      createdAt: new Date(at),
    })),
  });
}
