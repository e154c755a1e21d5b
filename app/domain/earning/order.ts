// A paid order as Shopify's webhooks and the history import give it to the domain: what
// earning, bonuses, tiers and referral attribution read. Types only.

export interface OrderCustomer {
  shopifyCustomerId: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** The customer's Shopify tags (for the program's exclusions). */
  tags?: string[];
  /** Shopify's email-marketing consent when the payload carried a readable one (members/consent.ts). */
  emailMarketing?: EmailMarketingConsent | null;
}

/** Shopify's email-marketing consent state (upper case, as GraphQL spells it) and when it last changed. */
export interface EmailMarketingConsent {
  state: string;
  updatedAt: Date | null;
}

export interface OrderLineInput {
  productId?: string | null;
  variantId?: string | null;
  title?: string | null;
  quantity: number;
  /** Unit price in minor units. */
  price: number;
}

/** What an order says about where it came from and who placed it: read by referral attribution and fraud checks. */
export interface OrderAttribution {
  /** Cart attributes (note_attributes) by name, e.g. kembali_ref. */
  cartAttributes: Record<string, string>;
  discountCodes: string[];
  email: string | null;
  phone: string | null;
  shippingAddress: {
    address1: string | null;
    address2: string | null;
    city: string | null;
    zip: string | null;
    countryCode: string | null;
  } | null;
  /** As Shopify sends it; only ever kept keyed-hashed. */
  browserIp: string | null;
}

export interface PaidOrder {
  shopifyOrderId: string;
  /** The order's name as the shopper knows it ("#1001"), when given. */
  name?: string | null;
  customer: OrderCustomer | null;
  currency: string;
  /** Minor units of `currency`. */
  total: number;
  subtotal: number;
  shipping: number;
  tax: number;
  orderedAt: Date;
  paidAt: Date;
  lines: OrderLineInput[];
  attribution?: OrderAttribution;
}
