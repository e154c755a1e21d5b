// The Admin API port over Shopify's GraphQL Admin API (2025-10). `graphql` has the shape of
// shopify-app-remix's `admin.graphql`; that one throws shopify-api's errors for GraphQL and
// HTTP failures, a plain fetch returns them as a Response, and both are handled here.
import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { z } from "zod";
import { parseMoney } from "../../../common/money";
import { toDecimal } from "./decimal";
import { appEmbedEnabled } from "./app-embed";
import * as documents from "./documents";
import { isCodeTaken, ShopifyAdminError, type ShopifyAdminErrorKind, type ShopifyUserError } from "./errors";
import {
  PAID_STATUSES,
  PRODUCT_CARDS_MAX_IDS,
  type AdminOrder,
  type AlsoBoughtList,
  type BasicDiscountReward,
  type CreateDiscountCodeInput,
  type CustomerMetafields,
  type ProductCard,
  type ShopifyAdmin,
} from "./port";

/** The segment query for "customers with this tag" (tier tags are [a-z0-9_-], nothing to escape). */
export const tagSegmentQuery = (tag: string) => `customer_tags CONTAINS '${tag}'`;

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export interface GraphqlAdminOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt, for throttling, 429 and 5xx answers. */
  maxRetries?: number;
}

/** Even when the bucket should be refilled, wait a little: other callers share it. */
const MIN_THROTTLE_WAIT_MS = 250;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** metafieldsSet takes at most 25 metafields per call. */
const METAFIELDS_PER_CALL = 25;
// Page sizes inside an order. Shopify prices a query by these worst cases (a 1,000-point cap
// per query), so they stay small and an order with more is flagged `truncated`.
const LINES_PER_ORDER = 20;
const REFUNDS_PER_ORDER = 5;
const LINES_PER_REFUND = 10;
const MAX_ORDERS_PER_PAGE = 250;
// Products per nodes() call and collections per product: small enough for one query's cost.
const PRODUCTS_PER_CALL = 25;
const COLLECTIONS_PER_PRODUCT = 25;
// Product cards: about 6 points per product plus one per variant asked for, so 50 products
// with 10 variants each stay under 1,000. A product with more variants whose first 10 cannot
// be bought counts as available when its inventory says some unit is in stock.
const CARDS_PER_QUERY = 50;
const VARIANTS_PER_CARD = 10;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function graphqlAdmin(graphql: AdminGraphql, opts: GraphqlAdminOptions = {}): ShopifyAdmin {
  const sleep = opts.sleep ?? sleepFor;
  const maxRetries = opts.maxRetries ?? 5;
  /** The shop's gid (a shop metafield's owner), asked once. */
  let shopId: string | undefined;

  /** Sends one document, retrying what Shopify says is worth retrying; returns `data`. */
  async function call(document: string, variables: Record<string, unknown>, retrySafe: boolean) {
    const operation = operationName(document);
    for (let attempt = 0; ; attempt++) {
      const outcome = classify(await send(graphql, document, variables), attempt, retrySafe);
      if (outcome.ok) return { operation, data: outcome.data };
      if (outcome.retryInMs === null || attempt >= maxRetries) {
        throw new ShopifyAdminError(outcome.kind, operation, `${operation}: ${outcome.message}`, {
          outcomeUnknown: outcome.outcomeUnknown,
        });
      }
      await sleep(outcome.retryInMs);
    }
  }

  async function query<T>(document: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    const { operation, data } = await call(document, variables, true);
    return read(operation, schema, data);
  }

  /** A mutation's payload (the field it is named after), after checking its userErrors. */
  async function mutate<T>(
    document: string,
    field: string,
    variables: Record<string, unknown>,
    retrySafe: boolean,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const { operation, data } = await call(document, variables, retrySafe);
    const payload = read(operation, z.object({ userErrors: z.array(userError) }).loose(), data[field]);
    if (payload.userErrors.length > 0) {
      const messages = payload.userErrors.map((e) => e.message).join("; ");
      throw new ShopifyAdminError("rejected", operation, `${operation} rejected: ${messages}`, {
        userErrors: payload.userErrors,
      });
    }
    return read(operation, schema, payload);
  }

  async function discountByCode(code: string) {
    const { codeDiscountNodeByCode: found } = await query(documents.DISCOUNT_CODE_BY_CODE, { code }, discountByCodeAnswer);
    return found && { discountId: found.id, title: found.codeDiscount.title };
  }

  async function createDiscount(input: CreateDiscountCodeInput) {
    const { document, field, variables } = discountCreateRequest(input);
    const payload = await mutate(document, field, variables, false, discountCreatePayload);
    return { discountId: payload.codeDiscountNode.id, code: input.code };
  }

  async function segmentNamed(name: string): Promise<string | null> {
    const { segments } = await query(documents.SEGMENTS_BY_NAME, { query: `name:'${name}'` }, segmentsAnswer);
    return segments.nodes.find((s) => s.name === name)?.id ?? null;
  }

  async function freeShippingTitled(title: string): Promise<string | null> {
    const { discountNodes } = await query(documents.AUTOMATIC_DISCOUNTS_BY_TITLE, { query: `title:'${title}'` }, discountsAnswer);
    return discountNodes.nodes.find((d) => d.discount.title === title)?.id ?? null;
  }

  /**
   * Finds what `create` makes by a unique name first; creates it otherwise (never resent
   * blindly). After an unclear answer or a refusal it looks again: a create that did happen
   * is found, anything else is the error.
   */
  async function findOrCreate(find: () => Promise<string | null>, create: () => Promise<string>): Promise<string> {
    const found = await find();
    if (found) return found;
    try {
      return await create();
    } catch (error) {
      if (!(error instanceof ShopifyAdminError && (error.outcomeUnknown || error.kind === "rejected"))) throw error;
      const after = await find();
      if (after) return after;
      throw error;
    }
  }

  return {
    async createTagSegment({ name, tag }) {
      const segmentId = await findOrCreate(
        () => segmentNamed(name),
        async () =>
          (await mutate(documents.SEGMENT_CREATE, "segmentCreate", { name, query: tagSegmentQuery(tag) }, false, segmentCreatePayload))
            .segment.id,
      );
      return { segmentId };
    },

    async createSegmentFreeShipping({ title, segmentId, startsAt, combinesWith }) {
      const discount = {
        title,
        startsAt: startsAt.toISOString(),
        endsAt: null,
        context: { customerSegments: { add: [segmentId] } },
        destination: { all: true },
        combinesWith,
      };
      const discountId = await findOrCreate(
        () => freeShippingTitled(title),
        async () =>
          (
            await mutate(
              documents.DISCOUNT_AUTOMATIC_FREE_SHIPPING_CREATE,
              "discountAutomaticFreeShippingCreate",
              { discount },
              false,
              automaticCreatePayload,
            )
          ).automaticDiscountNode.id,
      );
      return { discountId };
    },

    async setAutomaticDiscountActive(discountId, active) {
      const [document, field] = active
        ? [documents.DISCOUNT_AUTOMATIC_ACTIVATE, "discountAutomaticActivate"]
        : [documents.DISCOUNT_AUTOMATIC_DEACTIVATE, "discountAutomaticDeactivate"];
      await mutate(document, field, { id: discountId }, true, z.unknown());
    },

    async shopInfo() {
      const { shop } = await query(documents.SHOP_INFO, {}, shopAnswer);
      return shop;
    },

    async accessScopes() {
      const { currentAppInstallation } = await query(documents.ACCESS_SCOPES, {}, accessScopesAnswer);
      return currentAppInstallation.accessScopes.map((s) => s.handle);
    },

    async createDiscountCode(input) {
      try {
        return await createDiscount(input);
      } catch (error) {
        if (!(error instanceof ShopifyAdminError && error.outcomeUnknown)) throw error;
        // Codes are unique per shop: if the code exists now with the title just sent, the
        // create that failed on the way back did happen; with another title it is not ours.
        const found = await discountByCode(input.code);
        if (found?.title === input.title) return { discountId: found.discountId, code: input.code };
        if (found) {
          throw new ShopifyAdminError("rejected", error.operation, `${error.operation} rejected: another discount has this code`, {
            userErrors: [{ field: ["code"], message: "Another discount has this code", code: "TAKEN" }],
          });
        }
        return createDiscount(input);
      }
    },

    async updateDiscountCode(discountId, input) {
      const discount = {
        code: input.code,
        title: input.title,
        endsAt: input.endsAt ? input.endsAt.toISOString() : null,
        customerGets: customerGets(input.reward, input.currency),
      };
      // Setting the same values again is harmless, so a 5xx is retried.
      await mutate(documents.DISCOUNT_CODE_BASIC_UPDATE, "discountCodeBasicUpdate", { id: discountId, discount }, true, z.unknown());
    },

    discountByCode,

    async deactivateDiscount(discountId) {
      await mutate(documents.DISCOUNT_CODE_DEACTIVATE, "discountCodeDeactivate", { id: discountId }, true, z.unknown());
    },

    async discountUsage(discountId) {
      const { codeDiscountNode } = await query(documents.DISCOUNT_USAGE, { id: discountId }, discountUsageAnswer);
      if (!codeDiscountNode) {
        throw new ShopifyAdminError("not_found", operationName(documents.DISCOUNT_USAGE), `No discount ${discountId}`);
      }
      const { asyncUsageCount, status } = codeDiscountNode.codeDiscount;
      return { usageCount: asyncUsageCount, status };
    },

    async creditStoreCredit({ customerId, amount, currency, expiresAt }) {
      const variables = {
        ownerId: gid("Customer", customerId),
        credit: {
          creditAmount: { amount: toDecimal(amount, currency), currencyCode: currency },
          expiresAt: expiresAt ? expiresAt.toISOString() : null,
        },
      };
      // Never resent after a 5xx: a second credit would be real money.
      const payload = await mutate(documents.STORE_CREDIT_ACCOUNT_CREDIT, "storeCreditAccountCredit", variables, false, storeCreditPayload);
      return { transactionId: numericId(payload.storeCreditAccountTransaction.id) };
    },

    async listOrders({ updatedSince, after, first }) {
      if (!Number.isInteger(first) || first < 1 || first > MAX_ORDERS_PER_PAGE) {
        throw new RangeError(`first must be 1..${MAX_ORDERS_PER_PAGE}, got ${first}`);
      }
      const { orders } = await query(
        documents.PAID_ORDERS,
        {
          first,
          after: after ?? null,
          query: ordersSearch(updatedSince),
          sortKey: updatedSince ? "UPDATED_AT" : "CREATED_AT",
          linesPerOrder: LINES_PER_ORDER,
          refundsPerOrder: REFUNDS_PER_ORDER,
          linesPerRefund: LINES_PER_REFUND,
        },
        ordersAnswer,
      );
      return {
        orders: orders.nodes.map(toAdminOrder),
        nextCursor: orders.pageInfo.hasNextPage ? orders.pageInfo.endCursor : null,
      };
    },

    async setCustomerMetafields(items) {
      const metafields = items.flatMap(metafieldInputs);
      for (let i = 0; i < metafields.length; i += METAFIELDS_PER_CALL) {
        const batch = metafields.slice(i, i + METAFIELDS_PER_CALL);
        await mutate(documents.CUSTOMER_METAFIELDS_SET, "metafieldsSet", { metafields: batch }, true, z.unknown());
      }
    },

    async setBestSellers(productIds) {
      const references = productIds.map((id) => gid("Product", id));
      shopId ??= (await query(documents.SHOP_ID, {}, shopIdAnswer)).shop.id;
      const metafield = { ownerId: shopId, namespace: "kembali", key: "best_sellers" };
      if (references.length === 0) {
        await mutate(documents.SHOP_METAFIELDS_DELETE, "metafieldsDelete", { metafields: [metafield] }, true, z.unknown());
        return;
      }
      const value = JSON.stringify(references);
      const metafields = [{ ...metafield, type: "list.product_reference", value }];
      await mutate(documents.SHOP_METAFIELDS_SET, "metafieldsSet", { metafields }, true, z.unknown());
    },

    async setAppearanceMetafield(value) {
      shopId ??= (await query(documents.SHOP_ID, {}, shopIdAnswer)).shop.id;
      const metafield = { ownerId: shopId, namespace: "kembali", key: "appearance", type: "json", value: JSON.stringify(value) };
      await mutate(documents.SHOP_METAFIELDS_SET, "metafieldsSet", { metafields: [metafield] }, true, z.unknown());
    },

    async appEmbedStatus() {
      const { themes } = await query(documents.MAIN_THEME_SETTINGS, {}, mainThemeAnswer);
      const theme = themes.nodes[0];
      if (!theme) return null;
      const content = theme.files?.nodes[0]?.body?.content ?? "";
      return { theme: theme.name, enabled: appEmbedEnabled(content) };
    },

    async connectWebPixel(settings) {
      // Shopify's JSON scalar for pixel settings takes the settings as a JSON string.
      const webPixel = { settings: JSON.stringify(settings) };
      try {
        // Safe to resend: a create that did happen makes the next one TAKEN, answered below.
        const created = await mutate(documents.WEB_PIXEL_CREATE, "webPixelCreate", { webPixel }, true, webPixelPayload);
        return { webPixelId: created.webPixel.id };
      } catch (error) {
        if (!isCodeTaken(error)) throw error;
      }
      // The shop has the app's pixel already (a reinstall, a lost answer): give it these settings.
      const { webPixel: existing } = await query(documents.WEB_PIXEL, {}, webPixelAnswer);
      if (!existing) throw new ShopifyAdminError("not_found", operationName(documents.WEB_PIXEL), "The shop has no web pixel of this app");
      const updated = await mutate(documents.WEB_PIXEL_UPDATE, "webPixelUpdate", { id: existing.id, webPixel }, true, webPixelPayload);
      return { webPixelId: updated.webPixel.id };
    },

    async flowTriggerReceive(handle, payload) {
      // Not retried here on an unknown outcome: a second call would start the workflows twice.
      await mutate(documents.FLOW_TRIGGER_RECEIVE, "flowTriggerReceive", { handle, payload }, false, z.unknown());
    },

    async productFacts(productIds) {
      const out: Array<{ productId: string; tags: string[]; collectionIds: string[] }> = [];
      for (let i = 0; i < productIds.length; i += PRODUCTS_PER_CALL) {
        const ids = productIds.slice(i, i + PRODUCTS_PER_CALL).map((id) => gid("Product", id));
        const { nodes } = await query(documents.PRODUCT_FACTS, { ids, collections: COLLECTIONS_PER_PRODUCT }, productFactsAnswer);
        for (const n of nodes) {
          if (!n?.id) continue; // not a product (deleted, or another type)
          out.push({
            productId: numericId(n.id),
            tags: n.tags ?? [],
            collectionIds: (n.collections?.nodes ?? []).map((c) => numericId(c.id)),
          });
        }
      }
      return out;
    },

    async productCards(productIds) {
      if (productIds.length > PRODUCT_CARDS_MAX_IDS) {
        throw new RangeError(`At most ${PRODUCT_CARDS_MAX_IDS} products per call, got ${productIds.length}`);
      }
      const all = productIds.map((id) => gid("Product", id));
      const out: ProductCard[] = [];
      for (let i = 0; i < all.length; i += CARDS_PER_QUERY) {
        const ids = all.slice(i, i + CARDS_PER_QUERY);
        const { nodes } = await query(documents.PRODUCT_CARDS, { ids, variants: VARIANTS_PER_CARD }, productCardsAnswer);
        for (const n of nodes) if (n) out.push(toProductCard(n));
      }
      return out;
    },

    async setAlsoBought(items) {
      // Every id is checked before anything is sent: a malformed one is a bug, not a failed batch.
      const lists = items.map((item) => ({
        ownerId: gid("Product", item.productId),
        item,
        references: item.productIds.map((id) => gid("Product", id)),
      }));
      const failed: Array<{ productIds: string[]; error: unknown }> = [];
      const key = { namespace: "kembali", key: "also_bought" };
      const writes = lists.filter((l) => l.references.length > 0);
      const removals = lists.filter((l) => l.references.length === 0);
      for (let i = 0; i < writes.length; i += METAFIELDS_PER_CALL) {
        const batch = writes.slice(i, i + METAFIELDS_PER_CALL);
        const metafields = batch.map((l) => ({
          ownerId: l.ownerId,
          ...key,
          type: "list.product_reference",
          value: JSON.stringify(l.references),
        }));
        await sendBatch(batch, () => mutate(documents.PRODUCT_METAFIELDS_SET, "metafieldsSet", { metafields }, true, z.unknown()));
      }
      for (let i = 0; i < removals.length; i += METAFIELDS_PER_CALL) {
        const batch = removals.slice(i, i + METAFIELDS_PER_CALL);
        const metafields = batch.map((l) => ({ ownerId: l.ownerId, ...key }));
        await sendBatch(batch, () => mutate(documents.PRODUCT_METAFIELDS_DELETE, "metafieldsDelete", { metafields }, true, z.unknown()));
      }
      return { failed };

      async function sendBatch(batch: Array<{ item: AlsoBoughtList }>, send: () => Promise<unknown>) {
        try {
          await send();
        } catch (error) {
          failed.push({ productIds: batch.map((l) => l.item.productId), error });
        }
      }
    },

    async tagCustomer(customerId, add, remove) {
      const id = gid("Customer", customerId);
      if (remove.length > 0) {
        await mutate(documents.CUSTOMER_TAGS_REMOVE, "tagsRemove", { id, tags: remove }, true, z.unknown());
      }
      if (add.length > 0) {
        await mutate(documents.CUSTOMER_TAGS_ADD, "tagsAdd", { id, tags: add }, true, z.unknown());
      }
    },
  };
}

// ---- requests -------------------------------------------------------------------------

function discountCreateRequest(input: CreateDiscountCodeInput) {
  const common = {
    title: input.title,
    code: input.code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt ? input.endsAt.toISOString() : null,
    // No customer: every buyer is eligible, and usageLimit 1 makes it work once overall.
    context: input.customerId === undefined ? { all: "ALL" } : { customers: { add: [gid("Customer", input.customerId)] } },
    combinesWith: input.combinesWith,
    // null is Shopify's "no limit": a member's referral code, once for each buyer.
    usageLimit: input.usage === "once_per_customer" ? null : 1,
    appliesOncePerCustomer: true,
    ...(input.minimumSubtotal === undefined
      ? {}
      : {
          minimumRequirement: {
            subtotal: { greaterThanOrEqualToSubtotal: toDecimal(input.minimumSubtotal, input.currency) },
          },
        }),
  };
  const { reward } = input;
  if (reward.type === "free_shipping") {
    return {
      document: documents.DISCOUNT_CODE_FREE_SHIPPING_CREATE,
      field: "discountCodeFreeShippingCreate",
      variables: { discount: { ...common, destination: { all: true } } },
    };
  }
  return {
    document: documents.DISCOUNT_CODE_BASIC_CREATE,
    field: "discountCodeBasicCreate",
    variables: { discount: { ...common, customerGets: customerGets(reward, input.currency) } },
  };
}

function customerGets(reward: BasicDiscountReward, currency: string) {
  if (reward.type === "fixed_amount") {
    return {
      value: { discountAmount: { amount: toDecimal(reward.amount, currency), appliesOnEachItem: false } },
      items: { all: true },
    };
  }
  if (reward.type === "percentage") return { value: { percentage: reward.percent / 100 }, items: { all: true } };
  return {
    // An amount off the variant's lines, not 100 %: a cart with three of them gets one free.
    value: { discountAmount: { amount: toDecimal(reward.value, currency), appliesOnEachItem: false } },
    items: { products: { productVariantsToAdd: [gid("ProductVariant", reward.variantId)] } },
  };
}

/** Paid at some point, optionally updated since a time (whole seconds, rounded down so nothing is skipped). */
function ordersSearch(updatedSince: Date | undefined): string {
  const paid = `(${PAID_STATUSES.map((s) => `financial_status:${s.toLowerCase()}`).join(" OR ")})`;
  if (!updatedSince) return paid;
  const since = new Date(Math.floor(updatedSince.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  return `updated_at:>='${since}' AND ${paid}`;
}

function metafieldInputs({ customerId, balance, tier, holdout }: CustomerMetafields) {
  if (!Number.isSafeInteger(balance)) throw new RangeError(`A balance is a whole number of points, got ${balance}`);
  const ownerId = gid("Customer", customerId);
  const fields = [{ ownerId, namespace: "kembali", key: "balance", type: "number_integer", value: String(balance) }];
  if (tier !== null) {
    fields.push({ ownerId, namespace: "kembali", key: "tier", type: "single_line_text_field", value: tier });
  }
  if (holdout !== undefined) {
    fields.push({ ownerId, namespace: "kembali", key: "holdout", type: "boolean", value: String(holdout) });
  }
  return fields;
}

// ---- answers --------------------------------------------------------------------------

const userError = z.object({
  field: z
    .array(z.string())
    .nullish()
    .transform((f) => f ?? null),
  message: z.string(),
  code: z.string().nullish(),
}) satisfies z.ZodType<ShopifyUserError>;

const shopAnswer = z.object({
  shop: z.object({ name: z.string(), currencyCode: z.string(), ianaTimezone: z.string() }),
});
const accessScopesAnswer = z.object({
  currentAppInstallation: z.object({ accessScopes: z.array(z.object({ handle: z.string() })) }),
});
const shopIdAnswer = z.object({ shop: z.object({ id: z.string().regex(/^gid:\/\/shopify\/Shop\/\d+$/) }) });
const webPixelPayload = z.object({ webPixel: z.object({ id: z.string() }) });
const webPixelAnswer = z.object({ webPixel: z.object({ id: z.string() }).nullable() });
const segmentCreatePayload = z.object({ segment: z.object({ id: z.string() }) });
const segmentsAnswer = z.object({ segments: z.object({ nodes: z.array(z.object({ id: z.string(), name: z.string() })) }) });
const automaticCreatePayload = z.object({ automaticDiscountNode: z.object({ id: z.string() }) });
const discountsAnswer = z.object({
  discountNodes: z.object({ nodes: z.array(z.object({ id: z.string(), discount: z.object({ title: z.string().optional() }) })) }),
});
const discountCreatePayload = z.object({ codeDiscountNode: z.object({ id: z.string() }) });
const discountByCodeAnswer = z.object({
  codeDiscountNodeByCode: z.object({ id: z.string(), codeDiscount: z.object({ title: z.string() }) }).nullable(),
});
const discountUsageAnswer = z.object({
  codeDiscountNode: z
    .object({
      codeDiscount: z.object({ status: z.enum(["ACTIVE", "EXPIRED", "SCHEDULED"]), asyncUsageCount: z.number().int() }),
    })
    .nullable(),
});
const mainThemeAnswer = z.object({
  themes: z.object({
    nodes: z.array(
      z.object({
        name: z.string(),
        files: z.object({ nodes: z.array(z.object({ body: z.object({ content: z.string() }).partial().nullable() })) }).nullable(),
      }),
    ),
  }),
});
const productFactsAnswer = z.object({
  nodes: z.array(
    z
      .object({ id: z.string(), tags: z.array(z.string()), collections: z.object({ nodes: z.array(z.object({ id: z.string() })) }) })
      .partial()
      .nullable(),
  ),
});
const storeCreditPayload = z.object({ storeCreditAccountTransaction: z.object({ id: z.string() }) });

const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const money = z.object({ shopMoney: z.object({ amount: decimal }) });
const dateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const node = z.object({ id: z.string() });
const financialStatus = z.enum(["AUTHORIZED", "EXPIRED", "PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "PENDING", "REFUNDED", "VOIDED"]);
const orderNode = z.object({
  id: z.string(),
  currencyCode: z.string(),
  createdAt: dateTime,
  processedAt: dateTime,
  updatedAt: dateTime,
  cancelledAt: dateTime.nullable(),
  displayFinancialStatus: financialStatus.nullable(),
  customer: z
    .object({
      id: z.string(),
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      defaultEmailAddress: z.object({ emailAddress: z.string() }).nullable(),
    })
    .nullable(),
  subtotalPriceSet: money.nullable(),
  totalPriceSet: money,
  totalShippingPriceSet: money,
  totalTaxSet: money.nullable(),
  lineItems: z.object({
    nodes: z.array(
      z.object({
        title: z.string(),
        quantity: z.number().int(),
        product: node.nullable(),
        variant: node.nullable(),
        originalUnitPriceSet: money,
      }),
    ),
    pageInfo: z.object({ hasNextPage: z.boolean() }),
  }),
  refunds: z.array(
    z.object({
      id: z.string(),
      createdAt: dateTime.nullable(),
      updatedAt: dateTime,
      totalRefundedSet: money,
      refundLineItems: z.object({
        nodes: z.array(z.object({ subtotalSet: money })),
        pageInfo: z.object({ hasNextPage: z.boolean() }),
      }),
    }),
  ),
});
const productCardNode = z.object({
  id: z.string(),
  title: z.string(),
  handle: z.string(),
  status: z.string(),
  onlineStoreUrl: z.string().nullable(),
  totalInventory: z.number().int(),
  featuredMedia: z
    .object({ preview: z.object({ image: z.object({ url: z.string(), altText: z.string().nullable() }).nullable() }).nullable() })
    .nullable(),
  priceRangeV2: z.object({ minVariantPrice: z.object({ amount: decimal, currencyCode: z.string() }) }),
  variants: z.object({
    nodes: z.array(z.object({ availableForSale: z.boolean() })),
    pageInfo: z.object({ hasNextPage: z.boolean() }),
  }),
});
// A node that is not a product answers {} (the fragment did not apply); a deleted one, null.
const productCardsAnswer = z.object({ nodes: z.array(z.union([productCardNode, z.strictObject({}).transform(() => null), z.null()])) });

function toProductCard(n: z.output<typeof productCardNode>): ProductCard {
  const { amount, currencyCode } = n.priceRangeV2.minVariantPrice;
  const image = n.featuredMedia?.preview?.image ?? null;
  const buyable = n.variants.nodes.some((v) => v.availableForSale) || (n.variants.pageInfo.hasNextPage && n.totalInventory > 0);
  return {
    productId: numericId(n.id),
    title: n.title,
    handle: n.handle,
    imageUrl: image?.url ?? null,
    imageAlt: image?.altText ?? null,
    price: parseMoney(amount, currencyCode).amount,
    currency: currencyCode,
    available: n.status === "ACTIVE" && n.onlineStoreUrl !== null && buyable,
  };
}

const ordersAnswer = z.object({
  orders: z.object({
    nodes: z.array(orderNode),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

function toAdminOrder(o: z.output<typeof orderNode>): AdminOrder {
  const amount = (m: z.output<typeof money> | null) => (m ? parseMoney(m.shopMoney.amount, o.currencyCode).amount : 0);
  return {
    id: numericId(o.id),
    customer: o.customer && {
      id: numericId(o.customer.id),
      email: o.customer.defaultEmailAddress?.emailAddress ?? null,
      firstName: o.customer.firstName,
      lastName: o.customer.lastName,
    },
    currency: o.currencyCode,
    subtotal: amount(o.subtotalPriceSet),
    total: amount(o.totalPriceSet),
    shipping: amount(o.totalShippingPriceSet),
    tax: amount(o.totalTaxSet),
    createdAt: o.createdAt,
    processedAt: o.processedAt,
    updatedAt: o.updatedAt,
    cancelledAt: o.cancelledAt,
    financialStatus: o.displayFinancialStatus,
    lineItems: o.lineItems.nodes.map((l) => ({
      productId: l.product && numericId(l.product.id),
      variantId: l.variant && numericId(l.variant.id),
      title: l.title,
      quantity: l.quantity,
      price: amount(l.originalUnitPriceSet),
    })),
    // As the refunds/create webhook is read: refunded lines' subtotals, or for an
    // amount-only refund (no lines) what was refunded.
    refunds: o.refunds.map((r) => ({
      id: numericId(r.id),
      createdAt: r.createdAt ?? r.updatedAt,
      subtotal:
        r.refundLineItems.nodes.length > 0
          ? r.refundLineItems.nodes.reduce((sum, l) => sum + amount(l.subtotalSet), 0)
          : amount(r.totalRefundedSet),
    })),
    truncated:
      o.lineItems.pageInfo.hasNextPage ||
      o.refunds.length >= REFUNDS_PER_ORDER ||
      o.refunds.some((r) => r.refundLineItems.pageInfo.hasNextPage),
  };
}

function read<T>(operation: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ShopifyAdminError("failed", operation, `${operation}: unexpected answer: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

// ---- transport and retries ------------------------------------------------------------

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}
interface QueryCost {
  requestedQueryCost?: number;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}
interface GraphqlBody {
  data?: unknown;
  errors?: GraphqlError[];
  extensions?: { cost?: QueryCost };
}

/** What came back, whichever way the transport reported it. status 0: no answer at all. */
type Answer = { status: number; retryAfterSeconds?: number; body?: GraphqlBody; unreadable?: boolean };

type Outcome =
  | { ok: true; data: Record<string, unknown> }
  | {
      ok: false;
      kind: Exclude<ShopifyAdminErrorKind, "rejected" | "not_found">;
      message: string;
      /** null: do not retry. */
      retryInMs: number | null;
      outcomeUnknown?: boolean;
    };

async function send(graphql: AdminGraphql, document: string, variables: Record<string, unknown>): Promise<Answer> {
  try {
    const res = await graphql(document, { variables });
    if (!res.ok) return { status: res.status, retryAfterSeconds: seconds(res.headers.get("Retry-After")) };
    try {
      return { status: res.status, body: (await res.json()) as GraphqlBody };
    } catch {
      return { status: res.status, unreadable: true };
    }
  } catch (error) {
    // shopify-api's client throws where a plain fetch would hand back the Response.
    if (error instanceof GraphqlQueryError) {
      const body = error.body as {
        data?: unknown;
        errors?: { graphQLErrors?: GraphqlError[] };
        extensions?: GraphqlBody["extensions"];
      };
      return {
        status: 200,
        body: { data: body?.data, errors: body?.errors?.graphQLErrors, extensions: body?.extensions },
      };
    }
    if (error instanceof HttpThrottlingError) {
      return { status: error.response.code, retryAfterSeconds: error.response.retryAfter };
    }
    if (error instanceof HttpResponseError) return { status: error.response.code };
    if (error instanceof HttpRequestError) return { status: 0 };
    throw error;
  }
}

function classify(answer: Answer, attempt: number, retrySafe: boolean): Outcome {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  const { status, body } = answer;
  if (status === 429) {
    const retryInMs = answer.retryAfterSeconds !== undefined ? answer.retryAfterSeconds * 1000 : backoff;
    return { ok: false, kind: "throttled", message: "HTTP 429 Too Many Requests", retryInMs };
  }
  if (status === 0 || status >= 500) {
    const message = status === 0 ? "no answer from Shopify" : `HTTP ${status}`;
    // The request may have been carried out; only what is safe to repeat is sent again.
    if (retrySafe) return { ok: false, kind: "failed", message, retryInMs: backoff };
    return {
      ok: false,
      kind: "failed",
      message: `${message}; it may or may not have been applied`,
      retryInMs: null,
      outcomeUnknown: true,
    };
  }
  if (status < 200 || status >= 300) return { ok: false, kind: "failed", message: `HTTP ${status}`, retryInMs: null };
  if (!body || answer.unreadable) {
    return { ok: false, kind: "failed", message: "the answer is not JSON", retryInMs: null };
  }

  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
    const wait = throttleWait(body.extensions?.cost);
    if (wait === "never") {
      return {
        ok: false,
        kind: "failed",
        message: "the query costs more than the whole rate-limit bucket",
        retryInMs: null,
      };
    }
    return { ok: false, kind: "throttled", message: "throttled", retryInMs: wait ?? backoff };
  }
  if (errors.length > 0) {
    const messages = errors.map((e) => [e.extensions?.code, e.message].filter(Boolean).join(" ")).join("; ");
    return { ok: false, kind: "failed", message: messages, retryInMs: null };
  }
  if (typeof body.data !== "object" || body.data === null) {
    return { ok: false, kind: "failed", message: "no data in the answer", retryInMs: null };
  }
  return { ok: true, data: body.data as Record<string, unknown> };
}

/** How long until the bucket holds what the query asked for; read from the answer, never assumed. */
function throttleWait(cost: QueryCost | undefined): number | "never" | null {
  const status = cost?.throttleStatus;
  const requested = cost?.requestedQueryCost;
  if (!status || requested === undefined || !(status.restoreRate > 0)) return null;
  if (requested > status.maximumAvailable) return "never";
  const missing = Math.max(0, requested - status.currentlyAvailable);
  return Math.max(MIN_THROTTLE_WAIT_MS, Math.ceil((missing * 1000) / status.restoreRate));
}

function seconds(header: string | null): number | undefined {
  const value = header === null ? NaN : Number(header);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

// ---- ids ------------------------------------------------------------------------------------

function operationName(document: string): string {
  return /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "anonymous";
}

function gid(type: string, id: string): string {
  if (!/^\d+$/.test(id)) throw new RangeError(`Not a numeric Shopify ${type} id: ${JSON.stringify(id)}`);
  return `gid://shopify/${type}/${id}`;
}

function numericId(globalId: string): string {
  const match = /^gid:\/\/shopify\/\w+\/(\d+)(?:\?.*)?$/.exec(globalId);
  if (!match) throw new ShopifyAdminError("failed", "ids", `Not a Shopify global id: ${JSON.stringify(globalId)}`);
  return match[1];
}
