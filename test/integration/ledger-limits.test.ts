// The points columns are 32-bit integers (PostgreSQL's integer): an entry that would take a
// customer's balance + pending past POINTS_COLUMN_MAX is refused with BAD_INPUT and writes
// nothing, on both databases, whether the addition is spendable at once or pending.
import { expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { appendEntry, POINTS_COLUMN_MAX } from "~/domain/ledger/ledger";
import { KembaliError } from "~/domain/errors";
import { newShopDomain } from "../helpers";

const at = new Date("2026-11-20T12:00:00Z");
const tx = transaction(prisma);

async function memberWith(balance: number, pendingPoints: number) {
  const shop = await ensureShop(prisma, newShopDomain(), "USD");
  const customer = await prisma.customer.create({
    data: { shopId: shop.id, shopifyCustomerId: "77", balance, pendingPoints },
  });
  return { shopId: shop.id, customerId: customer.id };
}

const entry = (m: { shopId: string; customerId: string }, points: number, key: string, availableAt?: Date) => ({
  ...m,
  kind: "adjust" as const,
  points,
  idempotencyKey: key,
  sourceType: "test",
  sourceId: key,
  at,
  availableAt,
});

test.each([
  ["spendable at once", undefined],
  ["pending", new Date("2026-12-20T12:00:00Z")],
])("an addition past the columns' range is refused and writes nothing (%s)", async (_, availableAt) => {
  const m = await memberWith(POINTS_COLUMN_MAX - 100, 50);
  const refused = tx((t) => appendEntry(t, entry(m, 51, "over", availableAt), { mayGoNegative: false }));
  await expect(refused).rejects.toBeInstanceOf(KembaliError);
  await expect(refused).rejects.toMatchObject({ code: "BAD_INPUT" });
  expect(await prisma.pointsEntry.count({ where: { customerId: m.customerId } })).toBe(0);
  expect(await prisma.customer.findUniqueOrThrow({ where: { id: m.customerId }, select: { balance: true, pendingPoints: true } })).toEqual({
    balance: POINTS_COLUMN_MAX - 100,
    pendingPoints: 50,
  });
  // Up to the limit exactly is fine.
  const { applied } = await tx((t) => appendEntry(t, entry(m, 50, "to-the-limit", availableAt), { mayGoNegative: false }));
  expect(applied).toBe(true);
  const after = await prisma.customer.findUniqueOrThrow({ where: { id: m.customerId }, select: { balance: true, pendingPoints: true } });
  expect(after.balance + after.pendingPoints).toBe(POINTS_COLUMN_MAX);
});

test("an addition far past the range (the column itself would overflow) is refused the same way", async () => {
  const m = await memberWith(POINTS_COLUMN_MAX - 10, 0);
  const refused = tx((t) => appendEntry(t, entry(m, POINTS_COLUMN_MAX, "far-over"), { mayGoNegative: false }));
  await expect(refused).rejects.toMatchObject({ code: "BAD_INPUT" });
  expect(await prisma.pointsEntry.count({ where: { customerId: m.customerId } })).toBe(0);
});
