// Webhooks arrive late, twice, or out of order. Whatever the order of arrival, the member
// ends with the same points: the same earn entry, the same net per order, the same balance
// and pending points. (The individual reversal entries may split differently: a cancellation
// that arrives before a refund has already taken back "the rest".)
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

type Event = { topic: "orders/paid" | "refunds/create" | "orders/cancelled"; body: unknown; eventId: string };

function scenario(quantity: number, refundUnits: number[], cancelled: boolean): Event[] {
  const orderId = "4242";
  const order = paidOrder(orderId, "7901", quantity);
  const events: Event[] = [{ topic: "orders/paid", body: order, eventId: "paid" }];
  refundUnits.forEach((units, i) =>
    events.push({
      topic: "refunds/create",
      eventId: `refund-${i}`,
      body: {
        id: 500 + i,
        order_id: Number(orderId),
        created_at: "2026-11-21T10:00:00Z",
        refund_line_items: [
          { subtotal: `${units * 125_000}.00`, subtotal_set: { shop_money: { amount: `${units * 125_000}.00`, currency_code: "IDR" } } },
        ],
      },
    }),
  );
  if (cancelled) events.push({ topic: "orders/cancelled", eventId: "cancel", body: { ...order, cancelled_at: "2026-11-22T10:00:00Z" } });
  return events;
}

const routes = { "orders/paid": orderPaid, "refunds/create": refundCreate, "orders/cancelled": orderCancelled };

async function deliver(events: Event[]) {
  const shop = newShopDomain();
  for (const e of events) {
    const res = await routes[e.topic](routeArgs(webhookRequest(e.topic, shop, e.body, { eventId: e.eventId })));
    expect(res.status).toBe(200);
  }
  const entries = await prisma.pointsEntry.findMany({ where: { shop: { domain: shop } } });
  const net = entries.reduce((sum, e) => sum + e.points, 0);
  const earn = entries.filter((e) => e.kind === "earn").map((e) => [e.idempotencyKey, e.points]);
  return { ...(await points(shop)), net, earn };
}

describe("any order of arrival", () => {
  test("paid, refunds and cancellation, shuffled and duplicated, end the same", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }).chain((quantity) =>
          fc.record({
            quantity: fc.constant(quantity),
            // Refunds of whole units, never more than were bought in total.
            refunds: fc.array(fc.integer({ min: 1, max: quantity }), { maxLength: 3 }).map((units) => {
              const out: number[] = [];
              let left = quantity;
              for (const u of units)
                if (u <= left) {
                  out.push(u);
                  left -= u;
                }
              return out;
            }),
            cancelled: fc.boolean(),
            seed: fc.integer(),
            duplicates: fc.array(fc.nat(), { maxLength: 3 }),
          }),
        ),
        async ({ quantity, refunds, cancelled, seed, duplicates }) => {
          const canonical = scenario(quantity, refunds, cancelled);
          const shuffled = fc.sample(fc.shuffledSubarray(canonical, { minLength: canonical.length }), { seed, numRuns: 1 })[0];
          // Duplicates: the same delivery again, or the same event under a new event id.
          for (const d of duplicates) {
            const original = canonical[d % canonical.length];
            const copy = d % 2 === 0 ? original : { ...original, eventId: `${original.eventId}-redelivered` };
            shuffled.splice(d % (shuffled.length + 1), 0, copy);
          }
          const expected = await deliver(canonical);
          const actual = await deliver(shuffled);
          expect(actual).toEqual(expected);
          // And the totals are what the rules say.
          const earned = quantity * 125_000;
          const refundedUnits = refunds.reduce((a, b) => a + b, 0);
          expect(expected.net).toBe(cancelled ? 0 : earned - refundedUnits * 125_000);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
