// Schemas for the webhook payloads Kembali reads (REST-shaped JSON, API 2025-10), and their
// mapping to domain inputs. Only the fields we use are declared; the rest is ignored. The body
// comes from parseWebhookJson (webhook-json.ts): ids past 2^53 arrive as digit strings.
import { z } from "zod";
import { KembaliError } from "../domain/errors";
import { parseMoney } from "../../common/money";
import type { OrderAttribution, PaidOrder } from "../domain/earning/orders";
import { readEmailConsent } from "../domain/members/consent";

/** A Shopify id, kept exactly as a string: digits (any 64-bit id), or a JSON number that is a safe integer. */
export const shopifyId = z.union([
  z.string().regex(/^[1-9]\d{0,19}$/, "Not a Shopify id"),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER).transform(String),
]);
const id = shopifyId;
/** The form of an amount; whether it is money in its currency is checked with the currency (moneyIssue). */
const amount = z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()]);
type Amount = z.output<typeof amount>;
const currency = z.string().regex(/^[A-Z]{3}$/);
/** Profile text: a value of another type, or longer than Shopify allows, drops the field, never the order. */
const text = (max = 255) => z.string().max(max).nullish().catch(null);
/** Attribution fields: a shape we do not expect drops the field, never the order (its points). */
const lenient = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);
/** More items than any real order has; it also bounds the stamps a single order can add. */
const MAX_ORDER_QUANTITY = 1_000_000;

/** Minor units of `value`, or a BAD_INPUT error where parseMoney refuses it (too many decimals, too large). */
function minorUnits(value: Amount | null | undefined, code: string): number {
  if (value == null) return 0;
  try {
    return parseMoney(value, code).amount;
  } catch (error) {
    if (error instanceof RangeError) throw new KembaliError("BAD_INPUT", error.message);
    throw error;
  }
}

function safeSum(values: number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(sum)) throw new KembaliError("BAD_INPUT", "Amounts add up to more than can be kept exactly");
  return sum;
}

/** Runs a money computation inside a schema: a refusal is a schema issue (400), not an error later. */
function moneyCheck(ctx: z.core.$RefinementCtx, compute: () => unknown) {
  try {
    compute();
  } catch (error) {
    if (!(error instanceof KembaliError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message, input: undefined });
  }
}

/** An instant Shopify wrote (ISO 8601 with offset), within the years the databases keep. */
const timestamp = z.iso.datetime({ offset: true }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1900 && year <= 9999;
}, "Date out of range");

/** `email_marketing_consent` ({ state, opt_in_level, consent_updated_at }); an unreadable one is ignored, never a 400. */
const consent = z.unknown().optional().transform(readEmailConsent);

const orderFields = {
  id,
  currency,
  total_price: amount,
  subtotal_price: amount,
  total_tax: amount.nullish(),
  total_shipping_price_set: z.object({ shop_money: z.object({ amount }) }).nullish(),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  name: text(64),
  customer: z
    .object({ id, email: text(320), first_name: text(), last_name: text(), tags: text(65_535), email_marketing_consent: consent })
    .nullish(),
  line_items: z
    .array(
      z.object({
        product_id: id.nullish(),
        variant_id: id.nullish(),
        title: text(),
        quantity: z.number().int().min(0).max(MAX_ORDER_QUANTITY),
        price: amount,
      }),
    )
    .default([]),
  email: lenient(z.string().max(320)),
  phone: lenient(z.string().max(64)),
  note_attributes: lenient(
    z.array(z.object({ name: z.string().max(255), value: z.union([z.string().max(5_000), z.number(), z.boolean()]).nullish() })).max(250),
  ),
  discount_codes: lenient(z.array(z.object({ code: z.string().max(255) })).max(250)),
  shipping_address: lenient(
    z.object({ address1: text(), address2: text(), city: text(), zip: text(), country_code: text(), phone: text(64) }),
  ),
  client_details: lenient(z.object({ browser_ip: text(64) })),
};

type OrderFields = z.output<z.ZodObject<typeof orderFields>>;

/** The order's amounts in minor units of its currency; BAD_INPUT where one is not money in it. */
function orderMoney(p: OrderFields) {
  const money = (v: Amount | null | undefined) => minorUnits(v, p.currency);
  return {
    total: money(p.total_price),
    subtotal: money(p.subtotal_price),
    shipping: money(p.total_shipping_price_set?.shop_money.amount),
    tax: money(p.total_tax),
    prices: p.line_items.map((l) => money(l.price)),
  };
}

function checkOrder(p: OrderFields, ctx: z.core.$RefinementCtx) {
  moneyCheck(ctx, () => orderMoney(p));
  if (p.line_items.reduce((sum, l) => sum + l.quantity, 0) > MAX_ORDER_QUANTITY) {
    ctx.addIssue({ code: "custom", message: `More than ${MAX_ORDER_QUANTITY} items`, path: ["line_items"], input: undefined });
  }
}

export const orderPayload = z.object(orderFields).superRefine(checkOrder);
export type OrderPayload = z.output<typeof orderPayload>;
export const cancelledOrderPayload = z.object({ ...orderFields, cancelled_at: timestamp }).superRefine(checkOrder);

/**
 * orders/fulfilled (every item fulfilled): the order's id and when. Only those fields are
 * required, so an order whose other fields we would refuse still gets its fulfilment time; the
 * rest is kept for an order not seen paid yet (read with orderPayload then).
 */
export const fulfilledOrderPayload = z.looseObject({
  id,
  updated_at: timestamp.nullish(),
  fulfillments: lenient(z.array(z.object({ created_at: timestamp.nullish().catch(null) })).max(250)),
});
export type FulfilledOrderPayload = z.output<typeof fulfilledOrderPayload>;

/** When the order was fulfilled: its last fulfilment's time, else its update time, else the event's. */
export function fulfilledAt(p: FulfilledOrderPayload, eventAt: Date): Date {
  const times = (p.fulfillments ?? []).flatMap((f) => (f.created_at ? [new Date(f.created_at).getTime()] : []));
  if (times.length) return new Date(Math.max(...times));
  return p.updated_at ? new Date(p.updated_at) : eventAt;
}

export function toPaidOrder(p: OrderPayload, paidAt: Date): PaidOrder {
  const money = orderMoney(p);
  return {
    shopifyOrderId: p.id,
    name: p.name ?? null,
    customer: p.customer
      ? {
          shopifyCustomerId: p.customer.id,
          email: p.customer.email,
          firstName: p.customer.first_name,
          lastName: p.customer.last_name,
          tags: splitTags(p.customer.tags),
          emailMarketing: p.customer.email_marketing_consent,
        }
      : null,
    currency: p.currency,
    total: money.total,
    subtotal: money.subtotal,
    shipping: money.shipping,
    tax: money.tax,
    orderedAt: new Date(p.created_at),
    paidAt,
    lines: p.line_items.map((l, i) => ({
      productId: l.product_id ?? null,
      variantId: l.variant_id ?? null,
      title: l.title ?? null,
      quantity: l.quantity,
      price: money.prices[i],
    })),
    attribution: toAttribution(p),
  };
}

function toAttribution(p: OrderPayload): OrderAttribution {
  const address = p.shipping_address;
  return {
    cartAttributes: Object.fromEntries((p.note_attributes ?? []).filter((a) => a.value != null).map((a) => [a.name, String(a.value)])),
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
export const customerPayload = z.object({
  id,
  email: text(320),
  first_name: text(),
  last_name: text(),
  tags: text(65_535),
  state: lenient(z.string().max(40)),
  email_marketing_consent: consent,
});
export type CustomerPayload = z.output<typeof customerPayload>;

export function toOrderCustomer(p: CustomerPayload) {
  return {
    shopifyCustomerId: p.id,
    email: p.email,
    firstName: p.first_name,
    lastName: p.last_name,
    tags: splitTags(p.tags),
    emailMarketing: p.email_marketing_consent,
  };
}

/** Shopify sends customer tags as one comma-separated string. */
function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

const refundFields = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z
    .array(z.object({ subtotal: amount, subtotal_set: z.object({ shop_money: z.object({ amount, currency_code: currency }) }).nullish() }))
    .default([]),
  currency: currency.nullish(),
  transactions: z.array(z.object({ kind: z.string(), status: z.string().nullish(), amount, currency: z.string().nullish() })).default([]),
});
type RefundFields = z.output<typeof refundFields>;

/** The shop currency a refund is in, when the payload says (line items' shop money). */
export function refundCurrency(p: RefundFields): string | null {
  return p.refund_line_items.find((l) => l.subtotal_set)?.subtotal_set?.shop_money.currency_code ?? null;
}

/**
 * Refunded merchandise in minor units: the refunded line items' subtotals in shop money; for an
 * amount-only refund (no line items), the successful refund transactions.
 */
function refundSubtotal(p: RefundFields, code: string): number {
  if (p.refund_line_items.length > 0) {
    return safeSum(p.refund_line_items.map((l) => minorUnits(l.subtotal_set?.shop_money.amount ?? l.subtotal, code)));
  }
  return safeSum(
    p.transactions.filter((t) => t.kind === "refund" && (t.status ?? "success") === "success").map((t) => minorUnits(t.amount, code)),
  );
}

// The amounts are checked here when the payload names its currency; otherwise the shop's
// currency is only known inside the transaction, where toRefund refuses them (BAD_INPUT, rolled back).
export const refundPayload = refundFields.superRefine((p, ctx) => {
  const code = refundCurrency(p);
  if (code) moneyCheck(ctx, () => refundSubtotal(p, code));
});
export type RefundPayload = z.output<typeof refundPayload>;

export function toRefund(p: RefundPayload, currency: string) {
  return {
    shopifyRefundId: p.id,
    shopifyOrderId: p.order_id,
    subtotal: refundSubtotal(p, currency),
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
    admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/AppSubscription\/\d{1,20}$/),
    name: z.string().min(1).max(255),
    // A status Shopify adds later is ignored by the domain, not refused (Shopify would retry it).
    status: z.string().regex(/^[A-Z_]{1,40}$/),
    created_at: timestamp.nullish(),
    updated_at: timestamp.nullish(),
  }),
});
export type AppSubscriptionPayload = z.output<typeof appSubscriptionPayload>;
