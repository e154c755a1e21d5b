import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { ensureShop } from "~/domain/shop/shops";
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

  test("GIVEN an amount-spent tier program WHEN a refund arrives before its paid order THEN its share is reversed once and the tier counts the order net of it", async () => {
    const program = {
      basis: "amount_spent",
      period: "lifetime",
      tiers: [
        { key: "bronze", name: "Bronze", threshold: 0, earnMultiplier: 1 },
        { key: "silver", name: "Silver", threshold: 20_000_000, earnMultiplier: 1 }, // Rp200.000
      ],
    };
    const [first, control] = [newShopDomain(), newShopDomain()];
    for (const shop of [first, control]) {
      const { id } = await ensureShop(prisma, shop, "IDR");
      // The row saveTierProgram writes (without its recalculation job, which is not the subject here).
      await prisma.tierProgram.create({ data: { shopId: id, version: 1, ...program } });
    }
    expect((await refundA.run(first)).status).toBe(200);
    expect((await paid.run(first)).status).toBe(200);
    expect(await balance(first)).toBe(125_000);
    expect((await paid.run(first)).status).toBe(200); // delivered again
    expect(await balance(first)).toBe(125_000);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: first }, kind: "reverse" } })).toBe(1);
    expect((await prisma.customer.findFirstOrThrow({ where: { shop: { domain: first } } })).tier).toBe("bronze"); // Rp125.000 kept

    expect((await paid.run(control)).status).toBe(200);
    expect((await prisma.customer.findFirstOrThrow({ where: { shop: { domain: control } } })).tier).toBe("silver"); // Rp250.000
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

  // Two servers (or one server's connection pool on PostgreSQL) can settle one order's events at
  // the same instant: each writes its fact and then reads the others'. Here the paid order's
  // transaction is held open after its work while the refund runs: the refund must wait for it
  // and then take back its share, not read "no points earned yet" and finish without a reversal.
  test("GIVEN a refund while the paid order's transaction is still open THEN it waits and reverses its share", async () => {
    const shop = newShopDomain();
    const { txDeps } = await import("~/deps.server");
    const { onOrderPaid, onRefund } = await import("~/domain/earning/events");
    const { orderPayload, refundPayload, toPaidOrder, toRefund } = await import("~/shopify/webhook-payloads");
    await ensureShop(prisma, shop, "IDR");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let paidDone!: () => void;
    const paidWorked = new Promise<void>((resolve) => (paidDone = resolve));
    const paying = prisma.$transaction(
      async (tx) => {
        const order = toPaidOrder(orderPayload.parse(paidOrder("8200", "7400", 2)), new Date());
        await onOrderPaid(txDeps(tx), shop, order);
        paidDone();
        await held;
      },
      { timeout: 20_000 },
    );
    await paidWorked;
    const refunding = prisma.$transaction((tx) =>
      onRefund(txDeps(tx), shop, "IDR", (currency) => toRefund(refundPayload.parse(refund(9, "8200", 125_000)), currency)),
    );
    await new Promise((r) => setTimeout(r, 300)); // the refund is under way (or waiting) by now
    release();
    await Promise.all([paying, refunding]);
    expect(await balance(shop)).toBe(125_000);
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
