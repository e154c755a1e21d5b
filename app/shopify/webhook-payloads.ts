// Schemas for the webhook payloads Kembali reads (REST-shaped JSON, API 2025-10), and their
// mapping to domain inputs. Only the fields we use are declared; the rest is ignored.
import { z } from "zod";
import { parseMoney } from "../domain/money";
import type { OrderAttribution, PaidOrder } from "../domain/orders";

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const amount = z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()]);
const text = z.string().nullish();
/** Attribution fields: a shape we do not expect drops the field, never the order (its points). */
const lenient = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);

export const orderPayload = z.object({
  id,
  currency: z.string().regex(/^[A-Z]{3}$/),
  total_price: amount,
  subtotal_price: amount,
  total_tax: amount.nullish(),
  total_shipping_price_set: z.object({ shop_money: z.object({ amount }) }).nullish(),
  created_at: z.iso.datetime({ offset: true }),
  processed_at: z.iso.datetime({ offset: true }).nullish(),
  customer: z.object({ id, email: text, first_name: text, last_name: text, tags: text }).nullish(),
  line_items: z
    .array(
      z.object({
        product_id: id.nullish(),
        variant_id: id.nullish(),
        title: text,
        quantity: z.number().int().min(0),
        price: amount,
      }),
    )
    .default([]),
  email: lenient(z.string()),
  phone: lenient(z.string()),
  note_attributes: lenient(
    z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() })),
  ),
  discount_codes: lenient(z.array(z.object({ code: z.string() }))),
  shipping_address: lenient(
    z.object({ address1: text, address2: text, city: text, zip: text, country_code: text, phone: text }),
  ),
  client_details: lenient(z.object({ browser_ip: text })),
});
export type OrderPayload = z.output<typeof orderPayload>;

export function toPaidOrder(p: OrderPayload, paidAt: Date): PaidOrder {
  const money = (v: string | number | null | undefined) => (v == null ? 0 : parseMoney(v, p.currency).amount);
  return {
    shopifyOrderId: p.id,
    customer: p.customer
      ? {
          shopifyCustomerId: p.customer.id,
          email: p.customer.email,
          firstName: p.customer.first_name,
          lastName: p.customer.last_name,
          tags: splitTags(p.customer.tags),
        }
      : null,
    currency: p.currency,
    total: money(p.total_price),
    subtotal: money(p.subtotal_price),
    shipping: money(p.total_shipping_price_set?.shop_money.amount),
    tax: money(p.total_tax),
    orderedAt: new Date(p.created_at),
    paidAt,
    lines: p.line_items.map((l) => ({
      productId: l.product_id ?? null,
      variantId: l.variant_id ?? null,
      title: l.title ?? null,
      quantity: l.quantity,
      price: money(l.price),
    })),
    attribution: toAttribution(p),
  };
}

function toAttribution(p: OrderPayload): OrderAttribution {
  const address = p.shipping_address;
  return {
    cartAttributes: Object.fromEntries(
      (p.note_attributes ?? []).filter((a) => a.value != null).map((a) => [a.name, String(a.value)]),
    ),
    discountCodes: (p.discount_codes ?? []).map((d) => d.code),
    email: p.email || p.customer?.email || null,
    phone: p.phone || address?.phone || null,
    shippingAddress: address
      ? {
          address1: address.address1 ?? null,
          address2: address.address2 ?? null,
          city: address.city ?? null,
          zip: address.zip ?? null,
          countryCode: address.country_code ?? null,
        }
      : null,
    browserIp: p.client_details?.browser_ip ?? null,
  };
}

// `state`: the customer's account (disabled, invited, enabled, declined); another shape counts as unknown.
export const customerPayload = z.object({ id, email: text, first_name: text, last_name: text, tags: text, state: lenient(z.string().max(40)) });
export type CustomerPayload = z.output<typeof customerPayload>;

export function toOrderCustomer(p: CustomerPayload) {
  return { shopifyCustomerId: p.id, email: p.email, firstName: p.first_name, lastName: p.last_name, tags: splitTags(p.tags) };
}

/** Shopify sends customer tags as one comma-separated string. */
function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}

export const cancelledOrderPayload = orderPayload.extend({ cancelled_at: z.iso.datetime({ offset: true }) });

export const refundPayload = z.object({
  id,
  order_id: id,
  created_at: z.iso.datetime({ offset: true }),
  refund_line_items: z
    .array(
      z.object({
        subtotal: amount,
        subtotal_set: z.object({ shop_money: z.object({ amount, currency_code: z.string().regex(/^[A-Z]{3}$/) }) }).nullish(),
      }),
    )
    .default([]),
  currency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  transactions: z
    .array(z.object({ kind: z.string(), status: z.string().nullish(), amount, currency: z.string().nullish() }))
    .default([]),
});
export type RefundPayload = z.output<typeof refundPayload>;

/** The shop currency a refund is in, when the payload says (line items' shop money). */
export function refundCurrency(p: RefundPayload): string | null {
  return p.refund_line_items.find((l) => l.subtotal_set)?.subtotal_set?.shop_money.currency_code ?? null;
}

/**
 * Refunded merchandise: the refunded line items' subtotals in shop money; for an
 * amount-only refund (no line items), the successful refund transactions.
 */
export function toRefund(p: RefundPayload, currency: string) {
  const lines = p.refund_line_items.reduce(
    (sum, l) => sum + parseMoney(l.subtotal_set?.shop_money.amount ?? l.subtotal, currency).amount,
    0,
  );
  const transactions = p.transactions
    .filter((t) => t.kind === "refund" && (t.status ?? "success") === "success")
    .reduce((sum, t) => sum + parseMoney(t.amount, currency).amount, 0);
  return {
    shopifyRefundId: p.id,
    shopifyOrderId: p.order_id,
    subtotal: p.refund_line_items.length > 0 ? lines : transactions,
    currency,
    refundedAt: new Date(p.created_at),
  };
}

/** The privacy webhooks: the ids, and the customer's email (customers/redact erases staged import rows that name it). */
export const customerPrivacyPayload = z.object({
  shop_domain: z.string(),
  customer: z.object({ id, email: z.string().max(320).nullish().catch(null) }),
});
export const shopRedactPayload = z.object({ shop_domain: z.string() });

/** app_subscriptions/update: the subscription's id, name and new status (plans, decision 014). */
export const appSubscriptionPayload = z.object({
  app_subscription: z.object({
    admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/AppSubscription\/\d+$/),
    name: z.string().min(1).max(255),
    // A status Shopify adds later is ignored by the domain, not refused (Shopify would retry it).
    status: z.string().regex(/^[A-Z_]{1,40}$/),
    created_at: z.iso.datetime({ offset: true }).nullish(),
    updated_at: z.iso.datetime({ offset: true }).nullish(),
  }),
});
export type AppSubscriptionPayload = z.output<typeof appSubscriptionPayload>;
