// The demo shop's older order history, as its Shopify holds it: orders the demo customers
// placed 19 to 30 months ago, before the shop installed Kembali (the seed's orders cover
// the last 18 months and live only in Kembali). The demo's Shopify stand-in starts with
// these, so the Settings page's order-history import has something real to import.
// Deterministic: the same orders every start, dated relative to `now`.
import type { AdminOrder } from "../shopify/admin/port";
import { orderPayload, toPaidOrder } from "../shopify/webhook-payloads";
import { DEMO_CUSTOMERS, demoBasket, demoOrderCount, mulberry32, orderPaidPayload } from "./catalog";

const DAY = 86_400_000;
/** The window: 30 months (910 days) to 19 months (578 days) before now, older than the seed's 548 days. */
const DEMO_HISTORY_FROM_DAYS = 910;
const DEMO_HISTORY_TO_DAYS = 578;
/** History order ids start here: below the seed's (#1001 on), as older Shopify orders are. */
const FIRST_ID = 501;

export function demoOrderHistory(now: Date): AdminOrder[] {
  const random = mulberry32(20241123);
  const from = now.getTime() - DEMO_HISTORY_FROM_DAYS * DAY;
  const to = now.getTime() - DEMO_HISTORY_TO_DAYS * DAY;
  // Most customers already bought back then; the loyal ones every few weeks.
  const plan: Array<{ at: number; customer: (typeof DEMO_CUSTOMERS)[number] }> = [];
  for (const customer of DEMO_CUSTOMERS) {
    if (random() >= 0.85) continue;
    let at = from + random() * (to - from);
    for (let i = demoOrderCount(random); i > 0 && at < to; i--) {
      plan.push({ at, customer });
      at += (10 + random() * 60) * DAY;
    }
  }
  plan.sort((a, b) => a.at - b.at);

  return plan.map(({ at, customer }, index) => {
    const createdAt = new Date(Math.floor(at));
    const id = String(FIRST_ID + index);
    const paid = toPaidOrder(
      orderPayload.parse(orderPaidPayload({ orderId: id, customer, lines: demoBasket(random), createdAt })),
      createdAt,
    );
    const order: AdminOrder = {
      id,
      customer: { id: customer.id, email: customer.email, firstName: customer.firstName, lastName: customer.lastName },
      currency: paid.currency,
      subtotal: paid.subtotal,
      total: paid.total,
      shipping: paid.shipping,
      tax: paid.tax,
      createdAt,
      processedAt: createdAt,
      updatedAt: createdAt,
      cancelledAt: null,
      financialStatus: "PAID",
      lineItems: paid.lines.map((l) => ({
        productId: l.productId ?? null,
        variantId: l.variantId ?? null,
        title: l.title ?? "",
        quantity: l.quantity,
        price: l.price,
      })),
      refunds: [],
      truncated: false,
    };
    // Like real history, a few went wrong: one item refunded a few days later, or the order
    // cancelled and refunded in full the next day.
    const fate = random();
    if (fate < 0.05) {
      const refundedAt = new Date(createdAt.getTime() + 3 * DAY);
      order.refunds = [{ id: String(Number(id) * 10), createdAt: refundedAt, subtotal: order.lineItems[0].price }];
      order.financialStatus = order.refunds[0].subtotal < order.subtotal ? "PARTIALLY_REFUNDED" : "REFUNDED";
      order.updatedAt = refundedAt;
    } else if (fate < 0.08) {
      const cancelledAt = new Date(createdAt.getTime() + DAY);
      order.refunds = [{ id: String(Number(id) * 10), createdAt: cancelledAt, subtotal: order.subtotal }];
      order.financialStatus = "REFUNDED";
      order.cancelledAt = cancelledAt;
      order.updatedAt = cancelledAt;
    }
    return order;
  });
}
