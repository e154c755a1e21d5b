// The co-purchase counts in the database (RecsItem, RecsPair, RecsState.baskets): each paid, not
// cancelled order with at least one product line is in them exactly once. Order.recsCounted says
// whether it is; it is flipped with a guarded update in the same transaction that changes the
// counts, so a retried or duplicated webhook, a backfill of an order already seen and a rebuild
// running beside the webhooks each count an order at most once, and a cancellation takes out
// only what was put in. The counts are written with multi-row upserts (one statement per few
// thousand rows, bulk.ts): a rebuild writes hundreds of thousands of them.
import { dialectOf, type Tx } from "../../db-types";
import { execParts, queryParts } from "../sql";
import { addItemCounts, addOrderCounts, addPairCounts, countBasketAtOnce, ensureProductRows } from "./bulk";

/** Rows per Prisma query with a list of values (Prisma refuses more than 999 bound values on SQLite). */
const ORM_ROWS = 200;

export interface OrderLineForCounts {
  productId?: string | null;
  title?: string | null;
}

/** The distinct product ids of an order's lines, in line order (a product on two lines counts once). */
export function basketOf(lines: readonly OrderLineForCounts[]): string[] {
  const ids = new Set<string>();
  for (const l of lines) if (l.productId) ids.add(l.productId);
  return [...ids];
}

/** The orders that belong in the counts: paid and not cancelled (and a product line, checked on the lines). */
export function countableOrders(shopId: string) {
  return { shopId, paidAt: { not: null }, cancelledAt: null } as const;
}

/**
 * Adds one order to the counts when it belongs there and is not in them yet (paid, not
 * cancelled, a line with a product). Runs in the caller's transaction. True when it was added now.
 */
export async function countOrder(tx: Tx, shopId: string, orderId: string, at: Date = new Date()): Promise<boolean> {
  const order = await tx.order.findFirst({
    where: { id: orderId, shopId },
    select: { paidAt: true, cancelledAt: true, recsCounted: true, lines: { select: { productId: true, title: true } } },
  });
  if (!order || order.recsCounted || !order.paidAt || order.cancelledAt) return false;
  const basket = basketOf(order.lines);
  if (basket.length === 0) return false;
  await lockCounts(tx, shopId, at);
  const { count } = await tx.order.updateMany({
    where: { id: orderId, recsCounted: false, ...countableOrders(shopId) },
    data: { recsCounted: true },
  });
  if (count !== 1) return false;
  await applyBaskets(tx, shopId, [basket], 1, at, titlesOf(order.lines));
  return true;
}

/**
 * Whether an order row about to be created belongs in the counts (paid, not cancelled, a product
 * line): it is then created with recsCounted already true, and countNewOrder counts it in the
 * same transaction. The row's insert is the guard: no other transaction can count it first.
 */
export function isCountedWhenNew(dates: { paidAt: Date | null; cancelledAt: Date | null }, lines: readonly OrderLineForCounts[]): boolean {
  return dates.paidAt !== null && dates.cancelledAt === null && basketOf(lines).length > 0;
}

/**
 * Adds an order created in this transaction (flagged by isCountedWhenNew) to the counts, from
 * its lines in hand: no read of the order, and the counts lock and the basket count are one
 * statement. Call it last in the transaction, so the shop's counts lock is held briefly.
 */
export async function countNewOrder(tx: Tx, shopId: string, lines: readonly OrderLineForCounts[], at: Date = new Date()): Promise<boolean> {
  const basket = basketOf(lines);
  if (basket.length === 0) return false;
  if (dialectOf(tx) === "postgresql") {
    // One statement for the lock, products, items and pairs (bulk.ts), in the same order as below.
    const { itemRows, pairRows } = basketRows([basket]);
    const titles = titlesOf(lines);
    await countBasketAtOnce(
      tx,
      shopId,
      itemRows.map(([id]) => [id, titles.get(id) ?? null] as const),
      pairRows.map(([a, b]) => [a, b] as const),
      at,
    );
    return true;
  }
  await lockCounts(tx, shopId, at, 1);
  await applyBaskets(tx, shopId, [basket], 1, at, titlesOf(lines), { basketsCounted: true });
  return true;
}

/**
 * Takes one order out of the counts when it is in them (a cancellation). Runs in the caller's
 * transaction. True when it was taken out now.
 */
export async function uncountOrder(tx: Tx, shopId: string, orderId: string, at: Date = new Date()): Promise<boolean> {
  // The caller changed the order row first (cancelledAt), so a count of it in flight has committed by now.
  const order = await tx.order.findFirst({ where: { id: orderId, shopId }, select: { recsCounted: true } });
  if (!order?.recsCounted) return false;
  await lockCounts(tx, shopId, at);
  const { count } = await tx.order.updateMany({ where: { id: orderId, shopId, recsCounted: true }, data: { recsCounted: false } });
  if (count !== 1) return false;
  const lines = await tx.orderLine.findMany({ where: { orderId }, select: { productId: true } });
  const basket = basketOf(lines);
  if (basket.length > 0) await applyBaskets(tx, shopId, [basket], -1, at);
  return true;
}

/**
 * Counts the shop's orders with ids in (after, upTo] (a rebuild's batch) in the caller's
 * transaction: flags those still uncounted and eligible (paid, not cancelled, a product line),
 * then adds their products and pairs inside the database (bulk.ts). Returns how many were
 * counted now; an order a webhook counted meanwhile is skipped, never counted twice. A range,
 * not a list of ids: thousands of ids would exceed the bound values Prisma allows per query.
 */
export async function countOrderRange(
  tx: Tx,
  shopId: string,
  range: { after: string; upTo: string },
  at: Date = new Date(),
): Promise<number> {
  await lockCounts(tx, shopId, at);
  const flagged = await queryParts<{ id: string }[]>(
    tx,
    [
      `UPDATE "Order" SET "recsCounted" = true WHERE "shopId" = `,
      ` AND "id" > `,
      ` AND "id" <= `,
      ` AND "recsCounted" = false AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL` +
        ` AND EXISTS (SELECT 1 FROM "OrderLine" l WHERE l."orderId" = "Order"."id" AND l."productId" IS NOT NULL) RETURNING "id"`,
    ],
    [shopId, range.after, range.upTo],
  );
  if (flagged.length === 0) return 0;
  await addOrderCounts(
    tx,
    shopId,
    flagged.map((r) => r.id),
    at,
  );
  await tx.recsState.update({ where: { shopId }, data: { baskets: { increment: flagged.length } } });
  return flagged.length;
}

/**
 * Resets a shop's counts: no item, no pair, no order counted, 0 baskets, a new counts version
 * (so the lists are derived again). Runs in the caller's transaction.
 */
export async function resetCounts(tx: Tx, shopId: string, at: Date = new Date()): Promise<void> {
  await lockCounts(tx, shopId, at);
  await tx.recsPair.deleteMany({ where: { shopId } });
  await tx.recsItem.deleteMany({ where: { shopId } });
  await tx.order.updateMany({ where: { shopId, recsCounted: true }, data: { recsCounted: false } });
  await tx.recsState.update({ where: { shopId }, data: { baskets: 0 } });
}

/**
 * The first write of every change to a shop's counts: creates or touches its RecsState row (a new
 * counts version). On PostgreSQL the row lock it takes makes the shop's count changes (webhooks,
 * a rebuild's batches and reset) run one after another, so none sees another half done; SQLite
 * runs one writer at a time anyway. `baskets` are added to the basket count in the same statement.
 */
async function lockCounts(tx: Tx, shopId: string, at: Date, baskets = 0): Promise<void> {
  await execParts(
    tx,
    [
      `INSERT INTO "RecsState" ("shopId", "countsVersion", "baskets", "updatedAt") VALUES (`,
      `, 1, `,
      `, `,
      `) ON CONFLICT ("shopId") DO UPDATE SET "countsVersion" = "RecsState"."countsVersion" + 1, "baskets" = "RecsState"."baskets" + excluded."baskets", "updatedAt" = excluded."updatedAt"`,
    ],
    [shopId, baskets, at],
  );
}

/**
 * Adds (sign 1) or removes (sign −1) baskets of distinct product ids: per item and per pair
 * (productA < productB) one upsert row with the batch's total, then, on removal, the rows that
 * reached 0 are deleted; RecsState.baskets moves by the number of baskets. On addition every
 * product gets its Product row (title from the order line). The caller took the shop's counts
 * lock (lockCounts) first in the same transaction.
 */
async function applyBaskets(
  tx: Tx,
  shopId: string,
  baskets: readonly (readonly string[])[],
  sign: 1 | -1,
  at: Date,
  titles: ReadonlyMap<string, string> = new Map(),
  { basketsCounted = false }: { basketsCounted?: boolean } = {},
): Promise<void> {
  if (baskets.length === 0) return;
  const { itemRows, pairRows } = basketRows(baskets);
  if (sign === 1)
    await ensureProductRows(
      tx,
      shopId,
      itemRows.map(([id]) => [id, titles.get(id) ?? null] as const),
      at,
    );
  await addItemCounts(tx, shopId, sign === 1 ? itemRows : itemRows.map(([id, n]) => [id, -n] as const));
  await addPairCounts(tx, shopId, sign === 1 ? pairRows : pairRows.map(([x, y, n]) => [x, y, -n] as const));
  if (sign === -1) {
    for (const chunk of chunks(pairRows, ORM_ROWS)) {
      await tx.recsPair.deleteMany({
        where: { shopId, baskets: { lte: 0 }, OR: chunk.map(([productA, productB]) => ({ productA, productB })) },
      });
    }
    for (const chunk of chunks(itemRows, ORM_ROWS)) {
      await tx.recsItem.deleteMany({ where: { shopId, baskets: { lte: 0 }, productId: { in: chunk.map(([id]) => id) } } });
    }
  }
  // Unless lockCounts added them already.
  if (!basketsCounted) await tx.recsState.update({ where: { shopId }, data: { baskets: { increment: sign * baskets.length } } });
}

/**
 * Baskets as count rows: per item and per pair (productA < productB) the number of baskets
 * holding it, each list sorted, so concurrent transactions lock the same rows in the same order
 * (no deadlock on PostgreSQL).
 */
function basketRows(baskets: readonly (readonly string[])[]) {
  const items = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const basket of baskets) {
    const ids = [...new Set(basket)].sort(compare);
    for (let a = 0; a < ids.length; a++) {
      items.set(ids[a], (items.get(ids[a]) ?? 0) + 1);
      let row = pairs.get(ids[a]);
      if (!row) pairs.set(ids[a], (row = new Map()));
      for (let b = a + 1; b < ids.length; b++) row.set(ids[b], (row.get(ids[b]) ?? 0) + 1);
    }
  }
  // Sorted rows: concurrent transactions lock the same rows in the same order (no deadlock on PostgreSQL).
  const itemRows = [...items].sort((x, y) => compare(x[0], y[0]));
  const pairRows: [string, string, number][] = [];
  for (const a of [...pairs.keys()].sort(compare)) {
    for (const [b, n] of [...pairs.get(a)!].sort((x, y) => compare(x[0], y[0]))) pairRows.push([a, b, n]);
  }
  return { itemRows, pairRows };
}

function titlesOf(lines: readonly OrderLineForCounts[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const l of lines) if (l.productId && l.title && !titles.has(l.productId)) titles.set(l.productId, l.title);
  return titles;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
