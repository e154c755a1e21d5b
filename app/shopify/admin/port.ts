// What Kembali asks of Shopify's Admin API, in Kembali's words. Ids are Shopify's numeric
// ids (the part after the last "/" of a gid); only a discount id stays a gid because it
// is handed back to this port and never shown. Money is integer minor units.
// Implementations: graphql.server.ts (the real API) and local-store.server.ts (in memory).

export type DiscountReward =
  | { type: "fixed_amount"; /** minor units of the shop currency */ amount: number }
  | { type: "percentage"; /** 1–100 */ percent: number }
  | { type: "free_shipping" }
  | {
      type: "free_product";
      /** numeric variant id */
      variantId: string;
      /** One unit's price, minor units: the most the code takes off, so it frees one item, not all. */
      value: number;
    };

export interface CreateDiscountCodeInput {
  code: string;
  title: string;
  reward: DiscountReward;
  /**
   * Numeric customer id: only this customer may use the code, once. Left out (a guest's
   * referral welcome code): any buyer may use it, and it works once overall.
   */
  customerId?: string;
  /** Minor units. */
  minimumSubtotal?: number;
  startsAt: Date;
  endsAt?: Date | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  /** The shop currency, for turning minor units into Shopify's decimal strings. */
  currency: string;
  /**
   * "once" (the default): the code works once overall. "once_per_customer": any number of
   * buyers, each once (a member's referral code that friends type at checkout).
   */
  usage?: "once" | "once_per_customer";
}

/** A reward Shopify gives through a basic (amount off) code discount: anything but free shipping. */
export type BasicDiscountReward = Exclude<DiscountReward, { type: "free_shipping" }>;

/** What an existing basic code discount becomes; its id, usage rules and start stay. */
export interface UpdateDiscountCodeInput {
  code: string;
  title: string;
  reward: BasicDiscountReward;
  /** null: no end, which makes a deactivated code usable again. */
  endsAt: Date | null;
  currency: string;
}

export type DiscountStatus = "ACTIVE" | "EXPIRED" | "SCHEDULED";

export type FinancialStatus =
  "AUTHORIZED" | "EXPIRED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "VOIDED";

/**
 * The access scope that lets an app read orders of any age. Without it Shopify's Admin API
 * answers as if the shop had only the orders created in the last RECENT_ORDERS_DAYS days.
 */
export const ALL_ORDERS_SCOPE = "read_all_orders";
export const RECENT_ORDERS_DAYS = 60;

/** The financial statuses of an order that was paid at some point; listOrders returns these. */
export const PAID_STATUSES: readonly FinancialStatus[] = ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"];

export interface AdminOrderLine {
  productId: string | null;
  variantId: string | null;
  title: string;
  quantity: number;
  /** Unit price before discounts, minor units of the shop currency. */
  price: number;
}

export interface AdminRefund {
  id: string;
  createdAt: Date;
  /** Refunded merchandise: the refunded lines' subtotals, or the refunded total for an amount-only refund. */
  subtotal: number;
}

export interface AdminOrder {
  id: string;
  customer: { id: string; email: string | null; firstName: string | null; lastName: string | null } | null;
  /** The shop currency; every amount below is in its minor units (shop money, not presentment). */
  currency: string;
  /** Line items after discounts, before refunds. */
  subtotal: number;
  total: number;
  shipping: number;
  tax: number;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  financialStatus: FinancialStatus | null;
  lineItems: AdminOrderLine[];
  refunds: AdminRefund[];
  /** True when the order has more line items or refunds than one page carries (see graphql.server.ts). */
  truncated: boolean;
}

export interface ListOrdersInput {
  updatedSince?: Date;
  after?: string | null;
  first: number;
}

export interface CustomerMetafields {
  customerId: string;
  balance: number;
  /** null leaves the tier metafield as it is. */
  tier: string | null;
  /** kembali.holdout (the app embed hides the launcher when true); absent leaves it as it is. */
  holdout?: boolean;
}

/** What earning rules need to know about a product: its tags and the collections it is in. */
export interface ProductFacts {
  productId: string;
  tags: string[];
  collectionIds: string[];
}

/** What a recommendation card shows of a product, and whether it may be recommended. */
export interface ProductCard {
  productId: string;
  title: string;
  handle: string;
  imageUrl: string | null;
  imageAlt: string | null;
  /** The lowest variant price, in minor units of `currency` (the shop currency). */
  price: number;
  currency: string;
  /** Active, published to the online store, and some variant can be bought now. */
  available: boolean;
}

/** At most this many ids per productCards call. */
export const PRODUCT_CARDS_MAX_IDS = 250;

/** One product's kembali.also_bought list: numeric product ids, in order; empty removes the metafield. */
export interface AlsoBoughtList {
  productId: string;
  productIds: string[];
}

/** A segment of the customers who carry one tag (a VIP tier's members). */
export interface TagSegmentInput {
  /** Unique per shop; the same name again answers the segment made before. */
  name: string;
  tag: string;
}

/** An automatic free-shipping discount (no code) for the customers in one segment. */
export interface SegmentFreeShippingInput {
  /** Kembali's own title for it: a create whose answer was lost is found again by it. */
  title: string;
  /** The segment's gid, as createTagSegment answered it. */
  segmentId: string;
  startsAt: Date;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
}

export interface ShopifyAdmin {
  shopInfo(): Promise<{ name: string; currencyCode: string; ianaTimezone: string }>;
  /** A single-use discount code for one customer (a loyalty reward), or for any buyer once. Codes are unique per shop. */
  createDiscountCode(input: CreateDiscountCodeInput): Promise<{ discountId: string; code: string }>;
  /**
   * Changes a basic code discount in place (a member's referral code when the friend reward
   * changes). A code another discount has is rejected, as on create.
   */
  updateDiscountCode(discountId: string, input: UpdateDiscountCodeInput): Promise<void>;
  /** The shop's code discount with this code (in any case), whoever made it, and its title; null when there is none. */
  discountByCode(code: string): Promise<{ discountId: string; title: string } | null>;
  /** Ends a discount now (status EXPIRED): a reward that expired or was cancelled. */
  deactivateDiscount(discountId: string): Promise<void>;
  discountUsage(discountId: string): Promise<{ usageCount: number; status: DiscountStatus }>;
  creditStoreCredit(input: { customerId: string; amount: number; currency: string; expiresAt?: Date | null }): Promise<{
    transactionId: string;
  }>;
  /** Handles of the access scopes the shop has granted the app now (e.g. "read_orders"). */
  accessScopes(): Promise<string[]>;
  /**
   * Orders that were paid (PAID_STATUSES), oldest first: by updatedAt when `updatedSince` is
   * given (a reconciliation can resume from the last one seen), else by createdAt (a backfill).
   * Keep `first` small: each order carries its lines and refunds, and Shopify caps one query's cost.
   * Without ALL_ORDERS_SCOPE only orders created in the last RECENT_ORDERS_DAYS days come.
   */
  listOrders(input: ListOrdersInput): Promise<{ orders: AdminOrder[]; nextCursor: string | null }>;
  /** Balance (and tier, unless null) metafields in namespace "kembali", sent in batches Shopify accepts. */
  setCustomerMetafields(items: CustomerMetafields[]): Promise<void>;
  /**
   * The shop's kembali.best_sellers metafield (list.product_reference): these products (numeric
   * ids), best first, for the "Customers also bought" block's Liquid. An empty list removes it.
   */
  setBestSellers(productIds: string[]): Promise<void>;
  /** Removes then adds, so a tag in both lists ends up on the customer. */
  tagCustomer(customerId: string, add: string[], remove: string[]): Promise<void>;
  /** Tags and collections of the given products (numeric ids); unknown ids are left out. */
  productFacts(productIds: string[]): Promise<ProductFacts[]>;
  /**
   * Card facts of up to PRODUCT_CARDS_MAX_IDS products (numeric ids). Products Shopify does not
   * have (deleted) are left out.
   */
  productCards(productIds: string[]): Promise<ProductCard[]>;
  /**
   * Each product's kembali.also_bought metafield (list.product_reference), sent in batches of
   * 25; an empty list removes the metafield. A refused or failed batch does not stop the others:
   * the products it held come back in `failed`, every other list was written.
   */
  setAlsoBought(items: AlsoBoughtList[]): Promise<{ failed: Array<{ productIds: string[]; error: unknown }> }>;
  /**
   * The shop's kembali.appearance metafield (type json): the widget's look and languages, which
   * the app embed reads in Liquid. Replaces what was there; safe to repeat.
   */
  setAppearanceMetafield(value: object): Promise<void>;
  /**
   * A customer segment of the customers tagged `tag` (Shopify keeps its members current as tags
   * change). If the shop already has a segment with this name, that one's id comes back.
   */
  createTagSegment(input: TagSegmentInput): Promise<{ segmentId: string }>;
  /**
   * An automatic free-shipping discount, to every destination, for the segment's customers only.
   * If the shop already has a free-shipping discount with this title (an earlier create whose
   * answer was lost), that one's id comes back.
   */
  createSegmentFreeShipping(input: SegmentFreeShippingInput): Promise<{ discountId: string }>;
  /** Switches an automatic discount on (active: true) or off; safe to repeat. */
  setAutomaticDiscountActive(discountId: string, active: boolean): Promise<void>;
  /** Whether the live theme has Kembali's app embed switched on (null: no live theme). */
  appEmbedStatus(): Promise<{ theme: string; enabled: boolean } | null>;
  /**
   * Switches Kembali's web pixel (extensions/kembali-pixel) on for the shop with these settings,
   * or gives the shop's existing pixel these settings: safe to repeat. The settings must fit the
   * extension's settings definition (shopify.extension.toml).
   */
  connectWebPixel(settings: WebPixelSettings): Promise<{ webPixelId: string }>;
  /**
   * Fires the app's Shopify Flow trigger `handle` (a flow_trigger extension under extensions/)
   * with `payload`: the trigger's fields by key, a customer or order reference as customer_id /
   * order_id. Not safe to repeat: each call starts the merchant's workflows again.
   */
  flowTriggerReceive(handle: string, payload: Record<string, unknown>): Promise<void>;
}

/** The web pixel's settings (the `[settings]` fields of its extension toml). */
export interface WebPixelSettings {
  /** The shop's pixel key (Shop.pixelKey): the pixel sends it with every event. */
  shopKey: string;
}
