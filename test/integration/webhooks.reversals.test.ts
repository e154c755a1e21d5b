import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { newShopDomain, paidOrder, points, releasePending, routeArgs, webhookRequest } from "../helpers";

const refund = (id: number, orderId: string, subtotalRupiah: number) => ({
  id,
  order_id: Number(orderId),
  created_at: "2026-11-21T10:00:00Z",
  refund_line_items: [
    { subtotal: `${subtotalRupiah}.00`, subtotal_set: { shop_money: { amount: `${subtotalRupiah}.00`, currency_code: "IDR" } } },
  ],
  transactions: [],
});
const cancelled = (orderId: string, customerId: string) => ({ ...paidOrder(orderId, customerId), cancelled_at: "2026-11-21T12:00:00Z" });

/** Spendable + pending: what the order's earning is worth after reversals. */
async function balance(shop: string) {
  const { balance, pending } = await points(shop);
  return balance + pending;
}

type Event = { run: (shop: string) => Promise<Response> };
const paid: Event = { run: (shop) => orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("8100", "7300", 2)))) };
const refundA: Event = { run: (shop) => refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(1, "8100", 125_000)))) };
const cancel: Event = { run: (shop) => orderCancelled(routeArgs(webhookRequest("orders/cancelled", shop, cancelled("8100", "7300")))) };

describe("refunds and cancellations", () => {
  test("GIVEN a Rp250.000 order WHEN Rp125.000 of it is refunded THEN half its points are reversed, with the reason", async () => {
    const shop = newShopDomain();
    await paid.run(shop);
    expect((await refundA.run(shop)).status).toBe(200);
    expect(await balance(shop)).toBe(125_000);
    const reversal = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "reverse" } });
    expect(reversal).toMatchObject({ points: -125_000, idempotencyKey: "reverse:refund:1", reason: "Refund 1 on order 8100" });
  });

  test("GIVEN a refund delivered twice THEN it is reversed once", async () => {
    const shop = newShopDomain();
    await paid.run(shop);
    await refundA.run(shop);
    await refundA.run(shop); // new event id, same refund
    expect(await balance(shop)).toBe(125_000);
  });

  test("GIVEN a cancellation after a partial refund THEN the rest is reversed, and never more than was earned", async () => {
    const shop = newShopDomain();
    await paid.run(shop);
    await refundA.run(shop);
    await cancel.run(shop);
    expect(await balance(shop)).toBe(0);
  });

  test.each([
    ["paid, refund, cancel", [paid, refundA, cancel]],
    ["refund, paid, cancel", [refundA, paid, cancel]],
    ["cancel, refund, paid", [cancel, refundA, paid]],
    ["refund, cancel, paid", [refundA, cancel, paid]],
  ])("GIVEN the events arrive as %s THEN the balance ends the same", async (_, events) => {
    const shop = newShopDomain();
    for (const e of events) expect((await e.run(shop)).status).toBe(200);
    expect(await balance(shop)).toBe(0);
  });

  test("GIVEN a refund inside the pending period THEN it cancels pending points and the balance is untouched", async () => {
    const shop = newShopDomain();
    await paid.run(shop);
    await refundA.run(shop);
    expect(await points(shop)).toEqual({ balance: 0, pending: 125_000 });
  });

  test("GIVEN points already spent WHEN the order is refunded THEN the balance may go negative", async () => {
    const shop = newShopDomain();
    await paid.run(shop);
    await releasePending(shop);
    const c = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    // Spend most of it directly in the ledger (redemption arrives in step 2).
    await prisma.$transaction(async (tx) => {
      const { appendEntry } = await import("~/domain/ledger/ledger");
      await appendEntry(
        tx,
        {
          shopId: c.shopId,
          customerId: c.id,
          kind: "spend",
          points: -200_000,
          idempotencyKey: "redeem:t1",
          sourceType: "test",
          sourceId: "t1",
          at: new Date(),
        },
        { mayGoNegative: false },
      );
    });
    await cancel.run(shop);
    expect(await points(shop)).toEqual({ balance: -200_000, pending: 0 });
  });
});
