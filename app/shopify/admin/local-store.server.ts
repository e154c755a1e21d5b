// The Admin API port kept in memory, for the demo and for tests of whole flows. It behaves
// like Shopify where the contract depends on it (test/integration/shopify/port-contract.ts):
// codes unique per shop, a deactivated discount is EXPIRED, orders page by cursor in order.
// Pass the same state to every localStoreAdmin() that should see the same "shop".
import { toDecimal } from "./decimal";
import { appEmbedEnabled } from "./app-embed";
import { ShopifyAdminError } from "./errors";
import {
  ALL_ORDERS_SCOPE,
  PAID_STATUSES,
  RECENT_ORDERS_DAYS,
  type AdminOrder,
  type CreateDiscountCodeInput,
  type DiscountStatus,
  type ProductCard,
  PRODUCT_CARDS_MAX_IDS,
  type ShopifyAdmin,
} from "./port";

/**
 * A product as the local store holds it: its tags and collections (productFacts), and what a
 * card shows (productCards; left out, a plausible default). `price` is the lowest variant
 * price in minor units of the shop currency.
 */
export interface LocalProduct {
  tags: string[];
  collectionIds: string[];
  title?: string;
  handle?: string;
  imageUrl?: string | null;
  imageAlt?: string | null;
  price?: number;
  /** Shopify's product status; only ACTIVE products can be bought. */
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Published to the online store (default true). */
  published?: boolean;
  /** Some variant can be bought now (default true). */
  inStock?: boolean;
}

export interface LocalDiscount extends CreateDiscountCodeInput {
  id: string;
  usageCount: number;
  /** Numeric ids of the customers who used it (once each). */
  usedBy: string[];
  deactivatedAt: Date | null;
}

/** A customer segment: the customers carrying `tag`. */
export interface LocalSegment {
  id: string;
  name: string;
  tag: string;
}

/** An automatic free-shipping discount for one segment's customers. */
export interface LocalAutomaticDiscount {
  id: string;
  title: string;
  segmentId: string;
  startsAt: Date;
  active: boolean;
}

export interface LocalStoreCredit {
  transactionId: string;
  customerId: string;
  amount: number;
  currency: string;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface LocalStoreState {
  shop: { name: string; currencyCode: string; ianaTimezone: string };
  discounts: LocalDiscount[];
  segments: LocalSegment[];
  automaticDiscounts: LocalAutomaticDiscount[];
  storeCredits: LocalStoreCredit[];
  metafields: Record<string, { balance?: number; tier?: string; holdout?: boolean }>;
  /** The shop's kembali.best_sellers metafield: numeric product ids, best first (null: none). */
  bestSellers: string[] | null;
  /** The shop's own metafields by "namespace.key", values as Shopify stores them (json as text). */
  shopMetafields: Record<string, string>;
  tags: Record<string, string[]>;
  orders: AdminOrder[];
  products: Record<string, LocalProduct>;
  /** Each product's kembali.also_bought metafield: numeric product ids, in order. */
  alsoBought: Record<string, string[]>;
  /** The live theme's settings_data.json (null: the shop has no live theme). */
  themeSettings: string | null;
  /** Kembali's web pixel on the shop, with its settings as Shopify stores them (JSON text); null: none. */
  webPixel: { id: string; settings: string } | null;
  /** Shopify Flow triggers fired (flowTriggerReceive), oldest first. */
  flowTriggers: Array<{ handle: string; payload: Record<string, unknown>; receivedAt: Date }>;
  /** The access scopes the shop granted; without ALL_ORDERS_SCOPE, listOrders sees 60 days. */
  accessScopes: string[];
  lastId: number;
  /** The message the next mutation is refused with (rejectNext). */
  pendingRejection: string | null;
}

export function createLocalStoreState(init: Partial<LocalStoreState> = {}): LocalStoreState {
  return {
    shop: { name: "Kembali Demo", currencyCode: "IDR", ianaTimezone: "Asia/Jakarta" },
    discounts: [],
    segments: [],
    automaticDiscounts: [],
    storeCredits: [],
    metafields: {},
    bestSellers: null,
    shopMetafields: {},
    tags: {},
    orders: [],
    products: {},
    alsoBought: {},
    themeSettings: null,
    webPixel: null,
    flowTriggers: [],
    // A shop that approved access to all orders, unless a test or the caller says otherwise.
    accessScopes: ["read_orders", ALL_ORDERS_SCOPE],
    lastId: 1000,
    pendingRejection: null,
    ...init,
  };
}

export interface LocalStoreAdmin extends ShopifyAdmin {
  readonly state: LocalStoreState;
  /** Sets a product's tags and collections (what productFacts answers) and its card facts (productCards). */
  setProduct(productId: string, facts: LocalProduct): void;
  /** Deletes a product, as a merchant does in Shopify: its metafields go with it. */
  deleteProduct(productId: string): void;
  /** Adds an order, or replaces the one with the same id (an update: a refund, a cancellation). */
  addOrder(order: AdminOrder): void;
  /** A checkout (of this customer, when given) used the code: counts one use; refused when it could not be used. */
  markDiscountUsed(discountId: string, customerId?: string): void;
  /** The next mutation is refused the way Shopify refuses input (kind "rejected"). */
  rejectNext(message: string): void;
  discount(discountId: string): LocalDiscount | undefined;
  /** Whether a customer (numeric id) gets the automatic discount at checkout now: it is on and they are in its segment. */
  getsAutomaticDiscount(discountId: string, customerId: string): boolean;
  customer(customerId: string): {
    metafields: { balance?: number; tier?: string; holdout?: boolean };
    tags: string[];
    storeCredit: LocalStoreCredit[];
  };
}

const MAX_ORDERS_PER_PAGE = 250;

export function localStoreAdmin(state: LocalStoreState = createLocalStoreState(), opts: { clock?: () => Date } = {}): LocalStoreAdmin {
  const clock = opts.clock ?? (() => new Date());
  const nextId = () => String(++state.lastId);

  /** Refuses like Shopify's userErrors; also where rejectNext() takes effect. */
  function refuseIf(operation: string, message: string | null, field: string[] | null = null, code: string | null = null) {
    const pending = state.pendingRejection;
    if (pending !== null) {
      state.pendingRejection = null;
      throw new ShopifyAdminError("rejected", operation, `${operation} rejected: ${pending}`, {
        userErrors: [{ field: null, message: pending }],
      });
    }
    if (message !== null) {
      throw new ShopifyAdminError("rejected", operation, `${operation} rejected: ${message}`, {
        userErrors: [{ field, message, code }],
      });
    }
  }

  function status(d: LocalDiscount): DiscountStatus {
    const now = clock().getTime();
    if (d.deactivatedAt || (d.endsAt && d.endsAt.getTime() <= now)) return "EXPIRED";
    return d.startsAt.getTime() > now ? "SCHEDULED" : "ACTIVE";
  }

  const findDiscount = (id: string) => state.discounts.find((d) => d.id === id);
  const withCode = (code: string) => state.discounts.find((d) => d.code.toLowerCase() === code.toLowerCase());
  const TAKEN = "Code must be unique. Please try a different code.";

  return {
    state,

    async shopInfo() {
      return { ...state.shop };
    },

    async createDiscountCode(input) {
      if (input.customerId !== undefined) assertNumericId("Customer", input.customerId);
      if (input.reward.type === "free_product") assertNumericId("ProductVariant", input.reward.variantId);
      // Amounts the GraphQL implementation could not write as a Decimal fail the same way here.
      if (input.reward.type === "fixed_amount") toDecimal(input.reward.amount, input.currency);
      if (input.minimumSubtotal !== undefined) toDecimal(input.minimumSubtotal, input.currency);
      refuseIf("discountCodeCreate", withCode(input.code) ? TAKEN : null, ["code"], "TAKEN");
      refuseIf("discountCodeCreate", rewardProblem(input), ["customerGets"]);
      const endsBeforeStart = input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime();
      refuseIf("discountCodeCreate", endsBeforeStart ? "Ends at needs to be after starts_at" : null, ["endsAt"]);
      const discount: LocalDiscount = {
        ...structuredClone(input),
        id: `gid://shopify/DiscountCodeNode/${nextId()}`,
        usageCount: 0,
        usedBy: [],
        deactivatedAt: null,
      };
      state.discounts.push(discount);
      return { discountId: discount.id, code: discount.code };
    },

    async updateDiscountCode(discountId, input) {
      const discount = findDiscount(discountId);
      refuseIf("discountCodeBasicUpdate", discount && discount.reward.type !== "free_shipping" ? null : "Discount does not exist", ["id"]);
      const other = withCode(input.code);
      refuseIf("discountCodeBasicUpdate", other && other.id !== discountId ? TAKEN : null, ["code"], "TAKEN");
      refuseIf("discountCodeBasicUpdate", rewardProblem(input), ["customerGets"]);
      if (input.reward.type === "fixed_amount") toDecimal(input.reward.amount, input.currency);
      Object.assign(discount!, {
        code: input.code,
        title: input.title,
        reward: structuredClone(input.reward),
        endsAt: input.endsAt,
        deactivatedAt: input.endsAt === null ? null : discount!.deactivatedAt,
      });
    },

    async discountByCode(code) {
      const found = withCode(code);
      return found ? { discountId: found.id, title: found.title } : null;
    },

    async createTagSegment({ name, tag }) {
      const existing = state.segments.find((s) => s.name === name);
      if (existing) return { segmentId: existing.id };
      refuseIf("segmentCreate", tag.trim() ? null : "Query is invalid", ["query"]);
      const segment = { id: `gid://shopify/Segment/${nextId()}`, name, tag };
      state.segments.push(segment);
      return { segmentId: segment.id };
    },

    async createSegmentFreeShipping({ title, segmentId, startsAt }) {
      const existing = state.automaticDiscounts.find((d) => d.title === title);
      if (existing) return { discountId: existing.id };
      refuseIf(
        "discountAutomaticFreeShippingCreate",
        state.segments.some((s) => s.id === segmentId) ? null : "Customer segments are invalid",
        ["freeShippingAutomaticDiscount", "context"],
      );
      const discount = { id: `gid://shopify/DiscountAutomaticNode/${nextId()}`, title, segmentId, startsAt, active: true };
      state.automaticDiscounts.push(discount);
      return { discountId: discount.id };
    },

    async setAutomaticDiscountActive(discountId, active) {
      const discount = state.automaticDiscounts.find((d) => d.id === discountId);
      refuseIf(active ? "discountAutomaticActivate" : "discountAutomaticDeactivate", discount ? null : "Discount does not exist", ["id"]);
      discount!.active = active;
    },

    getsAutomaticDiscount(discountId, customerId) {
      const discount = state.automaticDiscounts.find((d) => d.id === discountId);
      const segment = discount && state.segments.find((s) => s.id === discount.segmentId);
      const started = !!discount && discount.startsAt.getTime() <= clock().getTime();
      return !!segment && discount!.active && started && (state.tags[customerId] ?? []).includes(segment.tag);
    },

    async deactivateDiscount(discountId) {
      const discount = findDiscount(discountId);
      refuseIf("discountCodeDeactivate", discount ? null : "Discount does not exist", ["id"]);
      if (discount && !discount.deactivatedAt) discount.deactivatedAt = clock();
    },

    async discountUsage(discountId) {
      const discount = findDiscount(discountId);
      if (!discount) throw new ShopifyAdminError("not_found", "codeDiscountNode", `No discount ${discountId}`);
      return { usageCount: discount.usageCount, status: status(discount) };
    },

    async creditStoreCredit({ customerId, amount, currency, expiresAt }) {
      assertNumericId("Customer", customerId);
      toDecimal(amount, currency);
      refuseIf("storeCreditAccountCredit", amount === 0 ? "Amount must be greater than zero" : null, ["creditAmount"]);
      const past = expiresAt && expiresAt.getTime() <= clock().getTime();
      refuseIf("storeCreditAccountCredit", past ? "Expiry must be in the future" : null, ["expiresAt"]);
      const credit = { transactionId: nextId(), customerId, amount, currency, expiresAt: expiresAt ?? null };
      state.storeCredits.push({ ...credit, createdAt: clock() });
      return { transactionId: credit.transactionId };
    },

    async accessScopes() {
      return [...state.accessScopes];
    },

    async listOrders({ updatedSince, after, first }) {
      if (!Number.isInteger(first) || first < 1 || first > MAX_ORDERS_PER_PAGE) {
        throw new RangeError(`first must be 1..${MAX_ORDERS_PER_PAGE}, got ${first}`);
      }
      const oldest = state.accessScopes.includes(ALL_ORDERS_SCOPE) ? null : clock().getTime() - RECENT_ORDERS_DAYS * 86_400_000;
      const sortTime = (o: AdminOrder) => (updatedSince ? o.updatedAt : o.createdAt).getTime();
      const position = (o: AdminOrder): Position => [sortTime(o), Number(o.id)];
      const start = after ? readCursor(after) : null;
      const matching = state.orders
        .filter((o) => o.financialStatus !== null && PAID_STATUSES.includes(o.financialStatus))
        .filter((o) => oldest === null || o.createdAt.getTime() >= oldest)
        .filter((o) => !updatedSince || o.updatedAt.getTime() >= updatedSince.getTime())
        .filter((o) => !start || comparePositions(position(o), start) > 0)
        .sort((a, b) => comparePositions(position(a), position(b)));
      const page = matching.slice(0, first);
      const last = page.at(-1);
      return {
        orders: structuredClone(page),
        nextCursor: matching.length > first && last ? writeCursor(position(last)) : null,
      };
    },

    async setCustomerMetafields(items) {
      for (const { customerId, balance } of items) {
        if (!Number.isSafeInteger(balance)) {
          throw new RangeError(`A balance is a whole number of points, got ${balance}`);
        }
        assertNumericId("Customer", customerId);
      }
      if (items.length === 0) return;
      refuseIf("metafieldsSet", null);
      for (const { customerId, balance, tier, holdout } of items) {
        const fields = (state.metafields[customerId] ??= {});
        fields.balance = balance;
        if (tier !== null) fields.tier = tier;
        if (holdout !== undefined) fields.holdout = holdout;
      }
    },

    async setBestSellers(productIds) {
      productIds.forEach((id) => assertNumericId("Product", id));
      refuseIf("metafieldsSet", null);
      state.bestSellers = productIds.length > 0 ? [...productIds] : null;
    },

    async tagCustomer(customerId, add, remove) {
      assertNumericId("Customer", customerId);
      if (add.length === 0 && remove.length === 0) return;
      refuseIf(remove.length > 0 ? "tagsRemove" : "tagsAdd", null);
      const tags = new Set((state.tags[customerId] ?? []).filter((t) => !remove.includes(t)));
      add.forEach((t) => tags.add(t));
      state.tags[customerId] = [...tags];
    },

    async setAppearanceMetafield(value) {
      refuseIf("metafieldsSet", null);
      state.shopMetafields["kembali.appearance"] = JSON.stringify(value);
    },

    async appEmbedStatus() {
      return state.themeSettings === null ? null : { theme: "Live theme", enabled: appEmbedEnabled(state.themeSettings) };
    },

    async connectWebPixel(settings) {
      // As Shopify checks settings against the extension's definition: shopKey is required, min 1.
      refuseIf(
        "webPixelCreate",
        typeof settings.shopKey === "string" && settings.shopKey.length > 0 ? null : "Invalid settings",
        ["settings"],
        "INVALID_SETTINGS",
      );
      state.webPixel = { id: state.webPixel?.id ?? `gid://shopify/WebPixel/${++state.lastId}`, settings: JSON.stringify(settings) };
      return { webPixelId: state.webPixel.id };
    },

    async flowTriggerReceive(handle, payload) {
      // As Shopify: a handle of letters, digits and dashes; the payload a JSON object under 50 KB.
      const size = Buffer.byteLength(JSON.stringify(payload ?? null));
      const problem = !/^[a-z0-9-]{1,100}$/.test(handle)
        ? "Invalid handle"
        : typeof payload !== "object" || payload === null || Array.isArray(payload)
          ? "Invalid payload"
          : size > 50_000
            ? "Payload too large"
            : null;
      refuseIf("flowTriggerReceive", problem, null);
      state.flowTriggers.push({ handle, payload: JSON.parse(JSON.stringify(payload)), receivedAt: clock() });
    },

    async productFacts(productIds) {
      productIds.forEach((id) => assertNumericId("Product", id));
      return productIds
        .filter((id) => state.products[id])
        .map((id) => ({ productId: id, tags: [...state.products[id].tags], collectionIds: [...state.products[id].collectionIds] }));
    },

    async productCards(productIds) {
      if (productIds.length > PRODUCT_CARDS_MAX_IDS) {
        throw new RangeError(`At most ${PRODUCT_CARDS_MAX_IDS} products per call, got ${productIds.length}`);
      }
      productIds.forEach((id) => assertNumericId("Product", id));
      return productIds.filter((id) => state.products[id]).map((id) => localCard(id, state.products[id], state.shop.currencyCode));
    },

    async setAlsoBought(items) {
      for (const item of items) {
        assertNumericId("Product", item.productId);
        item.productIds.forEach((id) => assertNumericId("Product", id));
      }
      const failed: Array<{ productIds: string[]; error: unknown }> = [];
      // As the GraphQL implementation sends them: lists in batches of 25, then removals.
      const batches = [
        ...chunks(
          items.filter((i) => i.productIds.length > 0),
          25,
        ),
        ...chunks(
          items.filter((i) => i.productIds.length === 0),
          25,
        ),
      ];
      for (const batch of batches) {
        const removal = batch[0].productIds.length === 0;
        try {
          const missing = removal
            ? undefined
            : batch.find((i) => !state.products[i.productId] || i.productIds.some((id) => !state.products[id]));
          refuseIf(removal ? "metafieldsDelete" : "metafieldsSet", missing ? "Owner or referenced product does not exist." : null, [
            "metafields",
          ]);
          for (const { productId, productIds } of batch) {
            if (removal) delete state.alsoBought[productId];
            else state.alsoBought[productId] = [...productIds];
          }
        } catch (error) {
          failed.push({ productIds: batch.map((i) => i.productId), error });
        }
      }
      return { failed };
    },

    setProduct(productId, facts) {
      state.products[productId] = structuredClone(facts);
    },

    deleteProduct(productId) {
      delete state.products[productId];
      delete state.alsoBought[productId];
    },

    addOrder(order) {
      const copy = structuredClone(order);
      const index = state.orders.findIndex((o) => o.id === order.id);
      if (index >= 0) state.orders[index] = copy;
      else state.orders.push(copy);
    },

    markDiscountUsed(discountId, customerId) {
      const discount = findDiscount(discountId);
      if (!discount) throw new Error(`No discount ${discountId}`);
      if (status(discount) !== "ACTIVE") throw new Error(`Discount ${discount.code} is ${status(discount)}`);
      if (discount.usage !== "once_per_customer" && discount.usageCount >= 1) throw new Error(`Discount ${discount.code} was already used`);
      if (customerId !== undefined && discount.customerId !== undefined && discount.customerId !== customerId) {
        throw new Error(`Discount ${discount.code} is for another customer`);
      }
      if (customerId !== undefined && discount.usedBy.includes(customerId)) {
        throw new Error(`Discount ${discount.code} was already used by this customer`);
      }
      discount.usageCount += 1;
      if (customerId !== undefined) discount.usedBy.push(customerId);
    },

    rejectNext(message) {
      state.pendingRejection = message;
    },

    discount(discountId) {
      const discount = findDiscount(discountId);
      return discount && structuredClone(discount);
    },

    customer(customerId) {
      return {
        metafields: { ...state.metafields[customerId] },
        tags: [...(state.tags[customerId] ?? [])],
        storeCredit: state.storeCredits.filter((c) => c.customerId === customerId).map((c) => ({ ...c })),
      };
    },
  };
}

function localCard(productId: string, p: LocalProduct, currency: string): ProductCard {
  return {
    productId,
    title: p.title ?? `Product ${productId}`,
    handle: p.handle ?? `product-${productId}`,
    imageUrl: p.imageUrl ?? null,
    imageAlt: p.imageAlt ?? null,
    price: p.price ?? 0,
    currency,
    available: (p.status ?? "ACTIVE") === "ACTIVE" && p.published !== false && p.inStock !== false,
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What Shopify's discount validation says about the reward, or null when it accepts it. */
function rewardProblem({ reward }: Pick<CreateDiscountCodeInput, "reward">): string | null {
  if (reward.type === "percentage" && !(reward.percent > 0 && reward.percent <= 100)) {
    return "Value must be between 0.0 and 1.0";
  }
  if (reward.type === "fixed_amount" && !(reward.amount > 0)) return "Value must be greater than 0";
  if (reward.type === "free_product" && !(reward.value > 0)) return "Value must be greater than 0";
  return null;
}

function assertNumericId(type: string, id: string) {
  if (!/^\d+$/.test(id)) throw new RangeError(`Not a numeric Shopify ${type} id: ${JSON.stringify(id)}`);
}

/** Where a page ended: the sort time and the numeric id, as Shopify's cursors encode them. */
type Position = [number, number];

function comparePositions(a: Position, b: Position): number {
  return a[0] - b[0] || a[1] - b[1];
}

function writeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

function readCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (Array.isArray(value) && value.length === 2 && value.every(Number.isFinite)) return value as Position;
  } catch {
    // an unreadable cursor is refused below, as Shopify refuses one
  }
  throw new ShopifyAdminError("failed", "orders", `Invalid cursor ${JSON.stringify(cursor)}`);
}
