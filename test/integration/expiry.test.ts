import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { sweepExpiry, addMonths } from "~/domain/ledger/expiry";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { appendEntry } from "~/domain/ledger/ledger";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const DAY = 86_400_000;

async function shopWith(expiry: Record<string, unknown>) {
  const shop = newShopDomain();
  const { id } = await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, expiry }));
  return { shop, shopId: id };
}
const sweep = (shopId: string, at: Date) => sweepExpiry({ db: prisma, clock: () => at, transaction: transaction(prisma) }, shopId);
const order = (shop: string, id: string, customer: string) =>
  orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(id, customer, 8)))); // 1,000 points

describe("points expiry", () => {
  test("addMonths clamps to the end of shorter months", () => {
    expect(addMonths(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2026-03-15T00:00:00Z"), -12).toISOString()).toBe("2025-03-15T00:00:00.000Z");
  });

  test("GIVEN expiry 12 months after earning THEN what is left of a lot expires then, once, and is warned about before", async () => {
    const { shop, shopId } = await shopWith({ mode: "after_earning", months: 12, warnDays: 30 });
    await order(shop, "61001", "7601");
    const c = await prisma.customer.findFirstOrThrow({ where: { shopId } });
    // Spend 300 of the 1,000: 700 are left in the lot.
    await transaction(prisma)((tx) =>
      appendEntry(
        tx,
        {
          shopId,
          customerId: c.id,
          kind: "spend",
          points: -300,
          idempotencyKey: "redeem:exp-1",
          sourceType: "test",
          sourceId: "1",
          at: new Date(),
        },
        { mayGoNegative: false },
      ),
    );
    const now = Date.now();
    expect(await sweep(shopId, new Date(now + 300 * DAY))).toEqual({ expiredEntries: 0, expiredPoints: 0, warnings: 0 });
    expect(await sweep(shopId, new Date(now + 350 * DAY))).toEqual({ expiredEntries: 0, expiredPoints: 0, warnings: 1 });
    expect(await sweep(shopId, new Date(now + 351 * DAY))).toMatchObject({ warnings: 0 });
    const event = await prisma.customerEvent.findFirstOrThrow({ where: { shopId, type: "points_expiring" } });
    expect(event.payload).toMatchObject({ points: 700 });

    expect(await sweep(shopId, new Date(now + 370 * DAY))).toEqual({ expiredEntries: 1, expiredPoints: 700, warnings: 0 });
    expect(await sweep(shopId, new Date(now + 371 * DAY))).toEqual({ expiredEntries: 0, expiredPoints: 0, warnings: 0 });
    expect(await points(shop)).toEqual({ balance: 0, pending: 0 });
    const expired = await prisma.pointsEntry.findFirstOrThrow({ where: { shopId, kind: "expire" } });
    expect(expired).toMatchObject({ points: -700, reason: "12 months after they were earned" });
  });

  test("GIVEN expiry after 6 months of inactivity THEN a new order resets the clock", async () => {
    const { shop, shopId } = await shopWith({ mode: "inactivity", months: 6, warnDays: 14 });
    await order(shop, "62001", "7602");
    const c = await prisma.customer.findFirstOrThrow({ where: { shopId } });
    // Five months later the member orders again: the six months start over.
    const later = new Date(Date.now() + 150 * DAY);
    await prisma.customer.update({ where: { id: c.id }, data: { lastActivityAt: later } });
    expect(await sweep(shopId, new Date(Date.now() + 200 * DAY))).toMatchObject({ expiredEntries: 0 });
    const result = await sweep(shopId, addMonths(later, 6));
    expect(result).toEqual({ expiredEntries: 1, expiredPoints: 1000, warnings: 0 });
    expect(await points(shop)).toEqual({ balance: 0, pending: 0 });
  });

  test("GIVEN expiry switched off THEN nothing expires", async () => {
    const { shop, shopId } = await shopWith({ mode: "never" });
    await order(shop, "63001", "7603");
    expect(await sweep(shopId, new Date(Date.now() + 5000 * DAY))).toEqual({ expiredEntries: 0, expiredPoints: 0, warnings: 0 });
    expect(await points(shop)).toEqual({ balance: 1000, pending: 0 });
  });
});
