// The demo shop: a small Indonesian coffee roaster selling in IDR. Used by the seed, the
// demo storefront and tests that need realistic orders.
export const DEMO_CURRENCY = "IDR";
/** The shop's name as Shopify reports it at install. */
export const DEMO_SHOP_NAME = "Kopi Kembali";

export interface DemoProduct {
  productId: string;
  variantId: string;
  title: string;
  /** Price in whole rupiah. */
  price: number;
  /** Out of stock in the demo's Shopify: the storefront shows it as sold out. */
  soldOut?: boolean;
}

/** The demo shop's money format in Shopify (Settings → General): rupiah without a minor unit. */
export const DEMO_MONEY_FORMAT = "Rp{{amount_no_decimals_with_comma_separator}}";

export const DEMO_PRODUCTS: DemoProduct[] = [
  { productId: "8001", variantId: "9001", title: "Kopi Gayo Arabica 250 g", price: 125_000 },
  { productId: "8002", variantId: "9002", title: "Kopi Toraja Kalosi 250 g", price: 135_000 },
  { productId: "8003", variantId: "9003", title: "Kopi Kintamani 250 g", price: 120_000 },
  { productId: "8004", variantId: "9004", title: "Robusta Lampung 500 g", price: 95_000 },
  { productId: "8005", variantId: "9005", title: "Cold Brew Concentrate 1 L", price: 85_000 },
  { productId: "8006", variantId: "9006", title: "V60 Paper Filters (100)", price: 45_000 },
  { productId: "8007", variantId: "9007", title: "Hand Grinder Ceramic Burr", price: 450_000 },
  { productId: "8008", variantId: "9008", title: "Gula Aren Syrup 500 ml", price: 55_000 },
  { productId: "8009", variantId: "9009", title: "Kopi Flores Bajawa 250 g", price: 130_000, soldOut: true },
  { productId: "8010", variantId: "9010", title: "Enamel Mug", price: 75_000 },
];

export interface DemoCustomer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

const FIRST = [
  "Ayu",
  "Budi",
  "Citra",
  "Dewi",
  "Eko",
  "Fajar",
  "Gita",
  "Hendra",
  "Indah",
  "Joko",
  "Kartika",
  "Lestari",
  "Made",
  "Nadia",
  "Oki",
  "Putri",
  "Rizky",
  "Sari",
  "Teguh",
  "Wulan",
];
const LAST = ["Santoso", "Wijaya", "Pratama", "Lestari", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Siregar", "Halim"];

/** 120 demo customers with stable ids 7001..7120 (example.com addresses: they reach nobody). */
export const DEMO_CUSTOMERS: DemoCustomer[] = Array.from({ length: 120 }, (_, i) => {
  const firstName = FIRST[i % FIRST.length];
  const lastName = LAST[Math.floor(i / FIRST.length) % LAST.length];
  return {
    id: String(7001 + i),
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${i + 1}@example.com`.toLowerCase(),
  };
});

/** Shoppers with accounts but no orders yet: friends to refer in the demo. */
export const DEMO_NEW_SHOPPERS: DemoCustomer[] = [
  { id: "7901", firstName: "Rina", lastName: "Marpaung", email: "rina.marpaung@example.com" },
  { id: "7902", firstName: "Yusuf", lastName: "Tanjung", email: "yusuf.tanjung@example.com" },
  { id: "7903", firstName: "Sinta", lastName: "Wibowo", email: "sinta.wibowo@example.com" },
];

/**
 * Friends the seed's referrals brought (ids 7801..7808): each has one order, the first, with a
 * referrer's code in the cart. Not storefront logins: the referral story of the seeded shop.
 */
export const DEMO_REFERRED_FRIENDS: DemoCustomer[] = [
  ["7801", "Ratna", "Sitompul"],
  ["7802", "Bayu", "Permana"],
  ["7803", "Dian", "Purnama"],
  ["7804", "Arif", "Gunawan"],
  ["7805", "Melati", "Ginting"],
  ["7806", "Yoga", "Prasetyo"],
  ["7807", "Lia", "Hasibuan"],
  ["7808", "Tono", "Sembiring"],
].map(([id, firstName, lastName]) => ({ id, firstName, lastName, email: `${firstName}.${lastName}@example.com`.toLowerCase() }));

/**
 * Shopify's email-marketing consent of a demo customer: most subscribed, every fifth not, so the
 * demo's message log shows both a sent email and one skipped for consent.
 */
export function demoConsent(customer: DemoCustomer) {
  const subscribed = Number(customer.id) % 5 !== 0;
  return {
    state: subscribed ? "subscribed" : "not_subscribed",
    opt_in_level: subscribed ? "single_opt_in" : null,
    consent_updated_at: subscribed ? "2026-01-05T09:00:00+07:00" : null,
  };
}

/** Everyone the demo storefront can log in as. */
export const DEMO_SHOPPERS: DemoCustomer[] = [...DEMO_CUSTOMERS, ...DEMO_NEW_SHOPPERS];

export interface OrderLineSpec {
  product: DemoProduct;
  quantity: number;
}

/** A seeded PRNG (mulberry32): the same sequence of numbers in [0, 1) for the same seed. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many orders a customer places in a year: most once, a loyal fifth many times. */
export function demoOrderCount(random: () => number): number {
  const r = random();
  if (r < 0.45) return 1;
  if (r < 0.7) return 2;
  if (r < 0.85) return 3 + Math.floor(random() * 2);
  return 5 + Math.floor(random() * 6);
}

/** A demo basket: coffee, often filters, now and then cold brew with syrup, a mug or a grinder. */
export function demoBasket(random: () => number): OrderLineSpec[] {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const coffee = DEMO_PRODUCTS.filter((p) => p.title.includes("250 g") || p.title.includes("500 g"));
  const lines: OrderLineSpec[] = [{ product: pick(coffee), quantity: 1 + Math.floor(random() * 2) }];
  if (random() < 0.35) lines.push({ product: DEMO_PRODUCTS[5], quantity: 1 });
  if (random() < 0.2) lines.push({ product: DEMO_PRODUCTS[4], quantity: 1 }, { product: DEMO_PRODUCTS[7], quantity: 1 });
  if (random() < 0.08) lines.push({ product: pick([DEMO_PRODUCTS[6], DEMO_PRODUCTS[9]]), quantity: 1 });
  return lines;
}

/** An orders/paid payload shaped as Shopify sends it (the fields Kembali reads, and a few more). */
export function orderPaidPayload({
  orderId,
  customer,
  lines,
  createdAt,
  shippingRupiah = 20_000,
  attributes = {},
}: {
  orderId: string;
  customer: DemoCustomer | null;
  lines: OrderLineSpec[];
  createdAt: Date;
  shippingRupiah?: number;
  attributes?: Record<string, string>;
}) {
  const subtotal = lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0);
  const tax = Math.round(subtotal * 0.11);
  const idr = (rupiah: number) => `${rupiah}.00`;
  return {
    id: Number(orderId),
    name: `#${orderId}`,
    currency: DEMO_CURRENCY,
    presentment_currency: DEMO_CURRENCY,
    financial_status: "paid",
    email: customer?.email ?? null,
    note_attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
    created_at: createdAt.toISOString(),
    processed_at: createdAt.toISOString(),
    subtotal_price: idr(subtotal),
    total_tax: idr(tax),
    total_price: idr(subtotal + tax + shippingRupiah),
    total_shipping_price_set: { shop_money: { amount: idr(shippingRupiah), currency_code: DEMO_CURRENCY } },
    customer: customer
      ? {
          id: Number(customer.id),
          email: customer.email,
          first_name: customer.firstName,
          last_name: customer.lastName,
          email_marketing_consent: demoConsent(customer),
        }
      : null,
    line_items: lines.map((l, i) => ({
      id: Number(orderId) * 100 + i,
      product_id: Number(l.product.productId),
      variant_id: Number(l.product.variantId),
      title: l.product.title,
      quantity: l.quantity,
      price: idr(l.product.price),
    })),
  };
}
