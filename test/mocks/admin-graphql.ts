// A fake Shopify Admin GraphQL endpoint for msw: stateful, dispatching on the operation
// name, refusing variables of the wrong shape the way Shopify does (a top-level error), and
// able to answer the next request with THROTTLED, userErrors or an HTTP error instead.
import { ApiVersion } from "@shopify/shopify-api";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { http, HttpResponse } from "msw";
import { z } from "zod";
import { toDecimal } from "~/shopify/admin/decimal";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import type { LocalProduct } from "~/shopify/admin/local-store.server";
import { ALL_ORDERS_SCOPE, RECENT_ORDERS_DAYS, type AdminOrder, type DiscountStatus } from "~/shopify/admin/port";

const ADMIN_API_VERSION = ApiVersion.October25;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** How the next matching request is answered instead of normally. */
export type Injection =
  | { kind: "throttled"; requestedQueryCost: number; throttleStatus: ThrottleStatus }
  | {
      kind: "http";
      status: number;
      headers?: Record<string, string>;
      /** Carry the request out, then answer with the error: it reached Shopify, the answer got lost. */
      execute?: boolean;
    }
  | { kind: "userErrors"; userErrors: Array<{ field: string[] | null; message: string; code?: string }> }
  | { kind: "errors"; errors: Array<{ message: string; extensions?: Record<string, unknown> }> };

export interface RecordedRequest {
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
  accessToken: string | null;
}

interface FakeDiscount {
  id: string;
  /** "basic" or "freeShipping": which update mutation may change it. */
  kind: string;
  code: string;
  title: string;
  startsAt: Date;
  endsAt: Date | null;
  usageCount: number;
  /** null: no limit. */
  usageLimit: number | null;
  /** Numeric ids of the customers who used it (appliesOncePerCustomer). */
  usedBy: string[];
  /** Who may use it: one customer's numeric id, or "all". */
  buyers: string;
  /** Shopify's `customerGets`, as last sent. */
  customerGets: unknown;
}

interface Metafield {
  type: string;
  value: string;
}

const DEFAULT_THROTTLE: ThrottleStatus = { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 };

export function fakeShopifyAdmin(
  opts: {
    shop?: string;
    accessToken?: string;
    shopInfo?: { name: string; currencyCode: string; ianaTimezone: string };
    now?: () => Date;
  } = {},
) {
  const shop = opts.shop ?? "kembali-test.myshopify.com";
  const accessToken = opts.accessToken ?? "shpat_kembali_test";
  const shopInfo = opts.shopInfo ?? { name: "Toko Kembali", currencyCode: "IDR", ianaTimezone: "Asia/Jakarta" };
  const now = opts.now ?? (() => new Date());
  const endpoint = `https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  const shopGid = "gid://shopify/Shop/60001";

  const state = {
    discounts: [] as FakeDiscount[],
    storeCredits: [] as Array<{
      id: string;
      ownerId: string;
      amount: string;
      currencyCode: string;
      expiresAt: string | null;
    }>,
    metafields: new Map<string, Map<string, Metafield>>(),
    /** The shop's own metafields by "namespace.key". */
    shopMetafields: new Map<string, Metafield>(),
    tags: new Map<string, Set<string>>(),
    segments: [] as Array<{ id: string; name: string; query: string }>,
    automaticDiscounts: [] as Array<{
      id: string;
      title: string;
      segmentIds: string[];
      startsAt: Date;
      active: boolean;
      combinesWith: unknown;
    }>,
    orders: [] as AdminOrder[],
    products: new Map<string, LocalProduct>(),
    themeSettings: null as string | null,
    /** Flow triggers fired, with their payloads as sent. */
    flowTriggers: [] as Array<{ handle: string; payload: Record<string, unknown> }>,
    /** The app's web pixel on the shop, settings as sent (JSON text); null: none. */
    webPixel: null as { id: string; settings: string } | null,
    /** What currentAppInstallation.accessScopes answers; without read_all_orders, orders go back 60 days. */
    accessScopes: ["read_orders", ALL_ORDERS_SCOPE],
    lastId: 5000,
  };
  const requests: RecordedRequest[] = [];
  const injections: Array<{ operationName: string | null; injection: Injection }> = [];
  const nextId = () => String(++state.lastId);

  /** One POST to the endpoint, answered as Shopify would. */
  async function handle(body: unknown, token: string | null): Promise<Response> {
    const request = z.object({ query: z.string(), variables: z.record(z.string(), z.unknown()).nullish() }).safeParse(body);
    if (!request.success) return HttpResponse.json({ errors: [{ message: "Bad request body" }] }, { status: 400 });
    const { query } = request.data;
    const variables = request.data.variables ?? {};
    const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operationName = operation?.name?.value ?? "";
    requests.push({ operationName, query, variables, accessToken: token });
    if (token !== accessToken) {
      return HttpResponse.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }

    const index = injections.findIndex((i) => i.operationName === null || i.operationName === operationName);
    const injection = index >= 0 ? injections.splice(index, 1)[0].injection : null;
    if (injection?.kind === "throttled") {
      return HttpResponse.json({
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: {
          cost: {
            requestedQueryCost: injection.requestedQueryCost,
            actualQueryCost: null,
            throttleStatus: injection.throttleStatus,
          },
        },
      });
    }
    if (injection?.kind === "errors") return HttpResponse.json({ errors: injection.errors, extensions: cost(1) });
    if (injection?.kind === "userErrors") {
      const field = firstField(operation);
      return HttpResponse.json({ data: { [field]: { userErrors: injection.userErrors } }, extensions: cost(10) });
    }
    if (injection?.kind === "http") {
      if (injection.execute) execute(operationName, variables);
      return new HttpResponse("Internal error", { status: injection.status, headers: injection.headers });
    }
    return HttpResponse.json(execute(operationName, variables));
  }

  function execute(operationName: string, variables: Record<string, unknown>) {
    const op = operations[operationName];
    if (!op) return { errors: [{ message: `Unknown operation ${JSON.stringify(operationName)}` }] };
    const parsed = op.variables.safeParse(variables);
    if (!parsed.success) {
      return {
        errors: [
          {
            message: `Variables of ${operationName} were provided invalid values: ${z.prettifyError(parsed.error)}`,
            extensions: { code: "INVALID_VARIABLE" },
          },
        ],
      };
    }
    return { data: op.run(parsed.data as never), extensions: cost(op.cost) };
  }

  function discountStatus(d: FakeDiscount): DiscountStatus {
    if (d.endsAt && d.endsAt.getTime() <= now().getTime()) return "EXPIRED";
    return d.startsAt.getTime() > now().getTime() ? "SCHEDULED" : "ACTIVE";
  }

  function createDiscount(
    field: string,
    input: z.output<typeof discountCommon>,
    value?: z.output<typeof basicDiscount>["customerGets"]["value"],
  ) {
    const problems = [...codeProblems(field, input.code, null), ...valueProblems(field, value)];
    if (input.endsAt && new Date(input.endsAt) <= new Date(input.startsAt)) {
      problems.push({
        field: [field, "endsAt"],
        message: "Ends at needs to be after starts_at",
        code: "END_DATE_BEFORE_START_DATE",
      });
    }
    if (problems.length > 0) return { codeDiscountNode: null, userErrors: problems };
    const discount: FakeDiscount = {
      id: `gid://shopify/DiscountCodeNode/${nextId()}`,
      kind: value ? "basic" : "freeShipping",
      code: input.code,
      title: input.title,
      startsAt: new Date(input.startsAt),
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      usageCount: 0,
      usageLimit: input.usageLimit,
      usedBy: [],
      buyers: "all" in input.context ? "all" : input.context.customers.add[0].split("/").pop()!,
      customerGets: "customerGets" in input ? input.customerGets : null,
    };
    state.discounts.push(discount);
    return { codeDiscountNode: { id: discount.id }, userErrors: [] };
  }

  /** Codes are unique per shop, in any case; a discount keeps its own. */
  function codeProblems(field: string, code: string, ownId: string | null) {
    const other = state.discounts.find((d) => d.code.toLowerCase() === code.toLowerCase() && d.id !== ownId);
    return other ? [{ field: [field, "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] : [];
  }

  function valueProblems(field: string, value: z.output<typeof basicDiscount>["customerGets"]["value"] | undefined) {
    const problems: Array<{ field: string[]; message: string; code: string }> = [];
    if (value && "percentage" in value && !(value.percentage > 0 && value.percentage <= 1)) {
      problems.push({
        field: [field, "customerGets", "value", "percentage"],
        message: "Value must be between 0.0 and 1.0",
        code: "VALUE_OUTSIDE_RANGE",
      });
    }
    if (value && "discountAmount" in value && !(Number(value.discountAmount.amount) > 0)) {
      problems.push({
        field: [field, "customerGets", "value", "discountAmount"],
        message: "Value must be greater than 0",
        code: "GREATER_THAN",
      });
    }
    return problems;
  }

  function setAutomaticActive(id: string, active: boolean) {
    const discount = state.automaticDiscounts.find((d) => d.id === id);
    if (!discount) return { automaticDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: null }] };
    discount.active = active;
    return { automaticDiscountNode: { id }, userErrors: [] };
  }

  const operations: Record<string, { variables: z.ZodType; cost: number; run: (v: never) => unknown }> = {
    KembaliShopInfo: op(z.strictObject({}), 1, () => ({ shop: shopInfo })),
    KembaliShopId: op(z.strictObject({}), 1, () => ({ shop: { id: shopGid } })),
    KembaliAccessScopes: op(z.strictObject({}), 1, () => ({
      currentAppInstallation: { accessScopes: state.accessScopes.map((handle) => ({ handle })) },
    })),

    KembaliShopMetafieldsSet: op(shopMetafieldsVariables, 10, ({ metafields }) => {
      const userErrors = metafields.flatMap((m, elementIndex) => {
        if (m.ownerId !== shopGid) {
          return [
            { field: ["metafields", String(elementIndex), "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex },
          ];
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(m.value);
        } catch {
          parsed = undefined;
        }
        const valid =
          m.type === "json"
            ? parsed !== undefined
            : Array.isArray(parsed) &&
              parsed.length > 0 &&
              parsed.every((r) => typeof r === "string" && /^gid:\/\/shopify\/Product\/\d+$/.test(r));
        return valid
          ? []
          : [
              {
                field: ["metafields", String(elementIndex), "value"],
                message: "Value is invalid JSON.",
                code: "INVALID_VALUE",
                elementIndex,
              },
            ];
      });
      if (userErrors.length === 0) {
        for (const m of metafields) state.shopMetafields.set(`${m.namespace}.${m.key}`, { type: m.type, value: m.value });
      }
      return { metafieldsSet: { userErrors } };
    }),

    KembaliShopMetafieldsDelete: op(shopMetafieldsDeleteVariables, 10, ({ metafields }) => {
      for (const m of metafields) if (m.ownerId === shopGid) state.shopMetafields.delete(`${m.namespace}.${m.key}`);
      return { metafieldsDelete: { deletedMetafields: metafields, userErrors: [] } };
    }),

    KembaliWebPixelCreate: op(webPixelVariables, 10, ({ webPixel }) => {
      // One web pixel per app and shop.
      if (state.webPixel) {
        return { webPixelCreate: { webPixel: null, userErrors: [{ field: ["webPixel"], message: "Web pixel is taken.", code: "TAKEN" }] } };
      }
      const problem = pixelSettingsProblem(webPixel.settings);
      if (problem) return { webPixelCreate: { webPixel: null, userErrors: [problem] } };
      state.webPixel = { id: `gid://shopify/WebPixel/${nextId()}`, settings: webPixel.settings };
      return { webPixelCreate: { webPixel: { id: state.webPixel.id }, userErrors: [] } };
    }),

    KembaliWebPixel: op(z.strictObject({}), 1, () => ({ webPixel: state.webPixel && { id: state.webPixel.id } })),

    KembaliWebPixelUpdate: op(z.strictObject({ id: z.string(), webPixel: webPixelVariables.shape.webPixel }), 10, ({ id, webPixel }) => {
      if (state.webPixel?.id !== id) {
        return { webPixelUpdate: { webPixel: null, userErrors: [{ field: ["id"], message: "Web pixel not found.", code: "NOT_FOUND" }] } };
      }
      const problem = pixelSettingsProblem(webPixel.settings);
      if (problem) return { webPixelUpdate: { webPixel: null, userErrors: [problem] } };
      state.webPixel.settings = webPixel.settings;
      return { webPixelUpdate: { webPixel: { id }, userErrors: [] } };
    }),

    KembaliFlowTriggerReceive: op(z.strictObject({ handle: z.string(), payload: z.unknown() }), 10, ({ handle, payload }) => {
      // Shopify refuses a payload that is not a JSON object, or over 50 KB.
      const isObject = typeof payload === "object" && payload !== null && !Array.isArray(payload);
      if (!isObject || JSON.stringify(payload).length > 50_000) {
        return { flowTriggerReceive: { userErrors: [{ field: ["payload"], message: "Errors validating schema" }] } };
      }
      state.flowTriggers.push({ handle, payload: payload as Record<string, unknown> });
      return { flowTriggerReceive: { userErrors: [] } };
    }),

    KembaliMainThemeSettings: op(z.strictObject({}), 2, () => ({
      themes: {
        nodes: state.themeSettings === null ? [] : [{ name: "Dawn", files: { nodes: [{ body: { content: state.themeSettings } }] } }],
      },
    })),

    KembaliProductFacts: op(
      z.strictObject({
        ids: z.array(z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/)).max(250),
        collections: z.number().int().max(250),
      }),
      10,
      ({ ids, collections }) => ({
        nodes: ids.map((id) => {
          const facts = state.products.get(id.split("/").pop()!);
          return facts
            ? {
                id,
                tags: facts.tags,
                collections: { nodes: facts.collectionIds.slice(0, collections).map((c) => ({ id: `gid://shopify/Collection/${c}` })) },
              }
            : null;
        }),
      }),
    ),

    KembaliProductCards: op(
      z.strictObject({
        ids: z.array(gidOf("Product")).max(250),
        variants: z.number().int().min(1).max(250),
      }),
      10,
      ({ ids, variants }) => {
        // Shopify prices each product at its objects plus the variants asked for, before running it.
        const requested = ids.length * (6 + variants);
        if (requested > 1000) {
          throw new FakeTopLevelError(
            `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
            "MAX_COST_EXCEEDED",
          );
        }
        return {
          nodes: ids.map((id) => {
            const p = state.products.get(id.split("/").pop()!);
            if (!p) return null;
            const handle = p.handle ?? `product-${id.split("/").pop()}`;
            const inStock = p.inStock !== false;
            return {
              id,
              title: p.title ?? `Product ${id.split("/").pop()}`,
              handle,
              status: p.status ?? "ACTIVE",
              onlineStoreUrl: p.published === false ? null : `https://${shop}/products/${handle}`,
              totalInventory: inStock ? 12 : 0,
              featuredMedia: p.imageUrl ? { preview: { image: { url: p.imageUrl, altText: p.imageAlt ?? null } } } : null,
              priceRangeV2: {
                minVariantPrice: { amount: toDecimal(p.price ?? 0, shopInfo.currencyCode), currencyCode: shopInfo.currencyCode },
              },
              variants: { nodes: [{ availableForSale: inStock }].slice(0, variants), pageInfo: { hasNextPage: false } },
            };
          }),
        };
      },
    ),

    KembaliProductMetafieldsSet: op(productMetafieldsVariables, 10, ({ metafields }) => {
      if (metafields.length > 25) {
        throw new FakeTopLevelError(
          `The input array size of ${metafields.length} is greater than the maximum allowed of 25.`,
          "MAX_INPUT_SIZE_EXCEEDED",
        );
      }
      const exists = (ref: string) => state.products.has(ref.split("/").pop()!);
      const userErrors = metafields.flatMap((m, elementIndex) => {
        if (!exists(m.ownerId)) {
          return [
            { field: ["metafields", String(elementIndex), "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex },
          ];
        }
        let refs: unknown;
        try {
          refs = JSON.parse(m.value);
        } catch {
          refs = undefined;
        }
        const valid =
          Array.isArray(refs) &&
          refs.length > 0 &&
          refs.every((r) => typeof r === "string" && /^gid:\/\/shopify\/Product\/\d+$/.test(r) && exists(r));
        return valid
          ? []
          : [
              {
                field: ["metafields", String(elementIndex), "value"],
                message: "Value references a product that does not exist.",
                code: "INVALID_VALUE",
                elementIndex,
              },
            ];
      });
      // Shopify sets all of a call's metafields or none.
      if (userErrors.length === 0) {
        for (const m of metafields) {
          const owner = state.metafields.get(m.ownerId) ?? new Map<string, Metafield>();
          owner.set(`${m.namespace}.${m.key}`, { type: m.type, value: m.value });
          state.metafields.set(m.ownerId, owner);
        }
      }
      return { metafieldsSet: { userErrors } };
    }),

    KembaliProductMetafieldsDelete: op(productMetafieldsDeleteVariables, 10, ({ metafields }) => {
      for (const m of metafields) state.metafields.get(m.ownerId)?.delete(`${m.namespace}.${m.key}`);
      return { metafieldsDelete: { deletedMetafields: metafields, userErrors: [] } };
    }),

    KembaliDiscountCodeBasicCreate: op(z.strictObject({ discount: basicDiscount }), 10, ({ discount }) => ({
      discountCodeBasicCreate: createDiscount("basicCodeDiscount", discount, discount.customerGets.value),
    })),

    KembaliDiscountCodeFreeShippingCreate: op(z.strictObject({ discount: freeShippingDiscount }), 10, ({ discount }) => ({
      discountCodeFreeShippingCreate: createDiscount("freeShippingCodeDiscount", discount),
    })),

    KembaliDiscountCodeBasicUpdate: op(
      z.strictObject({ id: gidOf("DiscountCodeNode"), discount: basicDiscountUpdate }),
      10,
      ({ id, discount: input }) => {
        const discount = state.discounts.find((d) => d.id === id && d.kind === "basic");
        if (!discount) {
          return {
            discountCodeBasicUpdate: {
              codeDiscountNode: null,
              userErrors: [{ field: ["id"], message: "Discount does not exist", code: null }],
            },
          };
        }
        const field = "basicCodeDiscount";
        const problems = [...codeProblems(field, input.code, id), ...valueProblems(field, input.customerGets.value)];
        if (problems.length > 0) return { discountCodeBasicUpdate: { codeDiscountNode: null, userErrors: problems } };
        Object.assign(discount, {
          code: input.code,
          title: input.title,
          endsAt: input.endsAt ? new Date(input.endsAt) : null,
          customerGets: input.customerGets,
        });
        return { discountCodeBasicUpdate: { codeDiscountNode: { id }, userErrors: [] } };
      },
    ),

    KembaliDiscountCodeByCode: op(z.strictObject({ code: z.string().min(1) }), 1, ({ code }) => {
      const found = state.discounts.find((d) => d.code.toLowerCase() === code.toLowerCase());
      return { codeDiscountNodeByCode: found ? { id: found.id, codeDiscount: { title: found.title } } : null };
    }),

    KembaliDiscountCodeDeactivate: op(z.strictObject({ id: gidOf("DiscountCodeNode") }), 10, ({ id }) => {
      const discount = state.discounts.find((d) => d.id === id);
      if (!discount) {
        return {
          discountCodeDeactivate: {
            codeDiscountNode: null,
            userErrors: [{ field: ["id"], message: "Discount does not exist", code: null }],
          },
        };
      }
      if (discountStatus(discount) !== "EXPIRED") discount.endsAt = now();
      return { discountCodeDeactivate: { codeDiscountNode: { id }, userErrors: [] } };
    }),

    KembaliDiscountUsage: op(z.strictObject({ id: gidOf("DiscountCodeNode") }), 2, ({ id }) => {
      const discount = state.discounts.find((d) => d.id === id);
      const codeDiscount = discount && { status: discountStatus(discount), asyncUsageCount: discount.usageCount };
      return { codeDiscountNode: discount ? { id, codeDiscount } : null };
    }),

    KembaliStoreCreditAccountCredit: op(storeCreditVariables, 10, ({ ownerId, credit }) => {
      const problems = [];
      if (!(Number(credit.creditAmount.amount) > 0)) {
        problems.push({
          field: ["creditInput", "creditAmount", "amount"],
          message: "A positive amount must be used to credit a store credit account.",
          code: "NEGATIVE_OR_ZERO_AMOUNT",
        });
      }
      if (credit.expiresAt && new Date(credit.expiresAt) <= now()) {
        problems.push({
          field: ["creditInput", "expiresAt"],
          message: "The expiry date must be in the future.",
          code: "EXPIRES_AT_IN_PAST",
        });
      }
      if (problems.length > 0) {
        return { storeCreditAccountCredit: { storeCreditAccountTransaction: null, userErrors: problems } };
      }
      const id = nextId();
      state.storeCredits.push({ id, ownerId, ...credit.creditAmount, expiresAt: credit.expiresAt ?? null });
      return {
        storeCreditAccountCredit: {
          storeCreditAccountTransaction: { id: `gid://shopify/StoreCreditAccountCreditTransaction/${id}` },
          userErrors: [],
        },
      };
    }),

    KembaliPaidOrders: op(ordersVariables, 50, (v) => {
      // Shopify's default: an app without read_all_orders sees the last 60 days' orders only.
      const oldest = state.accessScopes.includes(ALL_ORDERS_SCOPE) ? 0 : now().getTime() - RECENT_ORDERS_DAYS * 86_400_000;
      return ordersPage(
        state.orders.filter((o) => o.createdAt.getTime() >= oldest),
        v,
      );
    }),

    KembaliCustomerMetafieldsSet: op(metafieldsVariables, 10, ({ metafields }) => {
      if (metafields.length > 25) {
        throw new FakeTopLevelError(
          `The input array size of ${metafields.length} is greater than the maximum allowed of 25.`,
          "MAX_INPUT_SIZE_EXCEEDED",
        );
      }
      const userErrors = metafields.flatMap((m, elementIndex) =>
        (m.type === "number_integer" && !/^-?\d+$/.test(m.value)) || (m.type === "boolean" && !/^(true|false)$/.test(m.value))
          ? [
              {
                field: ["metafields", String(elementIndex), "value"],
                message: m.type === "boolean" ? "Value must be true or false." : "Value must be an integer.",
                code: "INVALID_VALUE",
                elementIndex,
              },
            ]
          : [],
      );
      if (userErrors.length === 0) {
        for (const m of metafields) {
          const owner = state.metafields.get(m.ownerId) ?? new Map<string, Metafield>();
          owner.set(`${m.namespace}.${m.key}`, { type: m.type, value: m.value });
          state.metafields.set(m.ownerId, owner);
        }
      }
      return { metafieldsSet: { userErrors } };
    }),

    KembaliCustomerTagsAdd: op(tagsVariables, 10, ({ id, tags }) => {
      const current = state.tags.get(id) ?? new Set<string>();
      tags.forEach((t) => current.add(t));
      state.tags.set(id, current);
      return { tagsAdd: { userErrors: [] } };
    }),

    KembaliCustomerTagsRemove: op(tagsVariables, 10, ({ id, tags }) => {
      tags.forEach((t) => state.tags.get(id)?.delete(t));
      return { tagsRemove: { userErrors: [] } };
    }),

    // Only the one kind of segment query Kembali writes is understood: a customer tag.
    KembaliSegmentCreate: op(z.strictObject({ name: z.string().min(1).max(255), query: z.string().min(1) }), 10, ({ name, query }) => {
      const userErrors: Array<{ field: string[]; message: string }> = [];
      if (state.segments.some((s) => s.name === name)) userErrors.push({ field: ["name"], message: "Name has already been taken" });
      if (!TAG_SEGMENT.test(query)) userErrors.push({ field: ["query"], message: `Query ${query} is invalid` });
      if (userErrors.length > 0) return { segmentCreate: { segment: null, userErrors } };
      const segment = { id: `gid://shopify/Segment/${nextId()}`, name, query };
      state.segments.push(segment);
      return { segmentCreate: { segment: { id: segment.id }, userErrors: [] } };
    }),

    KembaliSegmentsByName: op(z.strictObject({ query: z.string().regex(/^name:'[^']+'$/) }), 2, ({ query }) => {
      const name = query.slice("name:'".length, -1);
      return { segments: { nodes: state.segments.filter((s) => s.name.includes(name)) } };
    }),

    KembaliDiscountAutomaticFreeShippingCreate: op(z.strictObject({ discount: automaticFreeShipping }), 10, ({ discount }) => {
      const segmentIds = discount.context.customerSegments.add;
      const unknown = segmentIds.filter((id) => !state.segments.some((s) => s.id === id));
      if (unknown.length > 0) {
        return {
          discountAutomaticFreeShippingCreate: {
            automaticDiscountNode: null,
            userErrors: [
              { field: ["freeShippingAutomaticDiscount", "context"], message: "Customer segments are invalid", code: "INVALID" },
            ],
          },
        };
      }
      const created = {
        id: `gid://shopify/DiscountAutomaticNode/${nextId()}`,
        title: discount.title,
        segmentIds,
        startsAt: new Date(discount.startsAt),
        active: true,
        combinesWith: discount.combinesWith,
      };
      state.automaticDiscounts.push(created);
      return { discountAutomaticFreeShippingCreate: { automaticDiscountNode: { id: created.id }, userErrors: [] } };
    }),

    KembaliAutomaticDiscountsByTitle: op(z.strictObject({ query: z.string().regex(/^title:'[^']+'$/) }), 2, ({ query }) => {
      const title = query.slice("title:'".length, -1);
      const nodes = state.automaticDiscounts
        .filter((d) => d.title.toLowerCase().includes(title.toLowerCase()))
        .map((d) => ({ id: d.id, discount: { title: d.title } }));
      return { discountNodes: { nodes } };
    }),

    KembaliDiscountAutomaticActivate: op(z.strictObject({ id: gidOf("DiscountAutomaticNode") }), 10, ({ id }) => ({
      discountAutomaticActivate: setAutomaticActive(id, true),
    })),

    KembaliDiscountAutomaticDeactivate: op(z.strictObject({ id: gidOf("DiscountAutomaticNode") }), 10, ({ id }) => ({
      discountAutomaticDeactivate: setAutomaticActive(id, false),
    })),
  };

  /** Answers one request body sent with `token`; the msw handler is this over HTTP. */
  async function respond(body: unknown, token: string | null): Promise<Response> {
    try {
      return await handle(body, token);
    } catch (error) {
      if (!(error instanceof FakeTopLevelError)) throw error;
      return HttpResponse.json({
        errors: [{ message: error.message, extensions: { code: error.code } }],
        extensions: cost(1),
      });
    }
  }

  const handler = http.post(endpoint, async ({ request }) =>
    respond(await request.json().catch(() => null), request.headers.get("X-Shopify-Access-Token")),
  );

  const customerGid = (customerId: string) => `gid://shopify/Customer/${customerId}`;

  return {
    shop,
    accessToken,
    shopInfo,
    /** Register with `server.use(fake.handler)`. */
    handler,
    respond,
    state,
    /** Every request that reached the endpoint, in order. */
    requests,
    /** Operation names of the requests so far. */
    operations: () => requests.map((r) => r.operationName),
    /** Answers the next request (of `operationName`, or any when null) with `injection` instead. */
    inject(injection: Injection, operationName: string | null = null) {
      injections.push({ operationName, injection });
    },
    /** A fetch-based transport with admin.graphql's shape: a Response, whatever Shopify answered. */
    graphql: (async (query, options) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
        body: JSON.stringify({ query, variables: options?.variables }),
      })) satisfies AdminGraphql,
    setThemeSettings(content: string | null) {
      state.themeSettings = content;
    },
    setAccessScopes(handles: string[]) {
      state.accessScopes = [...handles];
    },
    setProduct(productId: string, facts: LocalProduct) {
      state.products.set(productId, structuredClone(facts));
    },
    /** Deletes a product as a merchant does in Shopify: its metafields go with it. */
    deleteProduct(productId: string) {
      state.products.delete(productId);
      state.metafields.delete(`gid://shopify/Product/${productId}`);
    },
    /** A product's kembali.also_bought as numeric product ids, in order (null: no metafield). */
    alsoBought(productId: string): string[] | null {
      const field = state.metafields.get(`gid://shopify/Product/${productId}`)?.get("kembali.also_bought");
      if (!field) return null;
      if (field.type !== "list.product_reference") throw new Error(`kembali.also_bought has type ${field.type}`);
      return (JSON.parse(field.value) as string[]).map((ref) => ref.split("/").pop()!);
    },
    addOrder(order: AdminOrder) {
      const index = state.orders.findIndex((o) => o.id === order.id);
      if (index >= 0) state.orders[index] = structuredClone(order);
      else state.orders.push(structuredClone(order));
    },
    /** Whether the customer (numeric id) gets the automatic discount at checkout now: on, started, and in one of its segments. */
    getsAutomaticDiscount(discountId: string, customerId: string): boolean {
      const discount = state.automaticDiscounts.find((d) => d.id === discountId);
      if (!discount?.active || discount.startsAt.getTime() > now().getTime()) return false;
      const tags = state.tags.get(customerGid(customerId)) ?? new Set<string>();
      return state.segments.filter((s) => discount.segmentIds.includes(s.id)).some((s) => tags.has(TAG_SEGMENT.exec(s.query)![1]));
    },
    discountBuyers(discountId: string): string | undefined {
      return state.discounts.find((d) => d.id === discountId)?.buyers;
    },
    /** A checkout (of this customer, when given) used the code; refused as Shopify's checkout would. */
    markDiscountUsed(discountId: string, customerId?: string) {
      const discount = state.discounts.find((d) => d.id === discountId);
      if (!discount) throw new Error(`No discount ${discountId}`);
      if (discountStatus(discount) !== "ACTIVE") throw new Error(`Discount ${discount.code} is ${discountStatus(discount)}`);
      if (discount.usageLimit !== null && discount.usageCount >= discount.usageLimit) {
        throw new Error(`Discount ${discount.code} was already used`);
      }
      if (customerId !== undefined && discount.buyers !== "all" && discount.buyers !== customerId) {
        throw new Error(`Discount ${discount.code} is for another customer`);
      }
      if (customerId !== undefined && discount.usedBy.includes(customerId)) {
        throw new Error(`Discount ${discount.code} was already used by this customer`);
      }
      discount.usageCount += 1;
      if (customerId !== undefined) discount.usedBy.push(customerId);
    },
    /** A discount as the fake shop holds it (its code, title, end and what it gives). */
    discount: (discountId: string) => structuredClone(state.discounts.find((d) => d.id === discountId)),
    metafields(customerId: string) {
      const owner = state.metafields.get(customerGid(customerId));
      return Object.fromEntries([...(owner ?? [])].map(([key, m]) => [key, m]));
    },
    tags: (customerId: string) => [...(state.tags.get(customerGid(customerId)) ?? [])],
    /** The shop's kembali.best_sellers as numeric product ids, best first (null: no metafield). */
    bestSellers(): string[] | null {
      const field = state.shopMetafields.get("kembali.best_sellers");
      if (!field) return null;
      return (JSON.parse(field.value) as string[]).map((ref) => ref.split("/").pop()!);
    },
    /** The app's web pixel settings as the shop holds them, parsed; undefined when there is no pixel. */
    webPixelSettings: (): unknown => (state.webPixel ? JSON.parse(state.webPixel.settings) : undefined),
    /** The shop's kembali.appearance metafield as Shopify holds it (type and JSON text), or undefined. */
    appearanceMetafield: () => state.shopMetafields.get("kembali.appearance"),
    storeCredits(customerId: string) {
      return state.storeCredits.filter((c) => c.ownerId === customerGid(customerId));
    },
  };
}

export type FakeShopifyAdmin = ReturnType<typeof fakeShopifyAdmin>;

// Settings are a JSON string checked against the extension's definition (shopKey, required).
const webPixelVariables = z.strictObject({ webPixel: z.strictObject({ settings: z.string() }) });

function pixelSettingsProblem(settings: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settings);
  } catch {
    return { field: ["webPixel", "settings"], message: "Settings are not valid JSON.", code: "INVALID_CONFIGURATION_JSON" };
  }
  const valid = z.strictObject({ shopKey: z.string().min(1) }).safeParse(parsed).success;
  return valid ? null : { field: ["webPixel", "settings"], message: "Settings do not match the definition.", code: "INVALID_SETTINGS" };
}

class FakeTopLevelError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function op<S extends z.ZodType>(variables: S, cost: number, run: (v: z.output<S>) => unknown) {
  return { variables, cost, run: run as (v: never) => unknown };
}

function cost(requestedQueryCost: number) {
  return {
    cost: {
      requestedQueryCost,
      actualQueryCost: requestedQueryCost,
      throttleStatus: {
        ...DEFAULT_THROTTLE,
        currentlyAvailable: DEFAULT_THROTTLE.currentlyAvailable - requestedQueryCost,
      },
    },
  };
}

function firstField(operation: OperationDefinitionNode | undefined): string {
  const selection = operation?.selectionSet.selections[0];
  return selection?.kind === Kind.FIELD ? selection.name.value : "unknown";
}

// ---- the variables each operation accepts ----------------------------------------------

const gidOf = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `a ${type} gid`);
const decimal = z.string().regex(/^\d+(\.\d+)?$/, "a Decimal string");
const isoDateTime = z.iso.datetime();

const discountCommon = z.strictObject({
  title: z.string().min(1),
  code: z.string().min(1),
  startsAt: isoDateTime,
  endsAt: isoDateTime.nullable(),
  context: z.union([
    z.strictObject({ customers: z.strictObject({ add: z.array(gidOf("Customer")).length(1) }) }),
    z.strictObject({ all: z.literal("ALL") }),
  ]),
  combinesWith: z.strictObject({
    orderDiscounts: z.boolean(),
    productDiscounts: z.boolean(),
    shippingDiscounts: z.boolean(),
  }),
  usageLimit: z.literal(1).nullable(),
  appliesOncePerCustomer: z.literal(true),
  minimumRequirement: z.strictObject({ subtotal: z.strictObject({ greaterThanOrEqualToSubtotal: decimal }) }).optional(),
});

const basicDiscount = discountCommon.extend({
  customerGets: z.strictObject({
    value: z.union([
      z.strictObject({ discountAmount: z.strictObject({ amount: decimal, appliesOnEachItem: z.literal(false) }) }),
      z.strictObject({ percentage: z.number() }),
    ]),
    items: z.union([
      z.strictObject({ all: z.literal(true) }),
      z.strictObject({
        products: z.strictObject({ productVariantsToAdd: z.array(gidOf("ProductVariant")).length(1) }),
      }),
    ]),
  }),
});

/** A segment of the customers with one tag: the only segment query Kembali writes. */
const TAG_SEGMENT = /^customer_tags CONTAINS '([a-z0-9_-]+)'$/;

/** Free shipping, automatic, for customer segments: everything Kembali sets, nothing else. */
const automaticFreeShipping = z.strictObject({
  title: z.string().min(1),
  startsAt: isoDateTime,
  endsAt: z.null(),
  context: z.strictObject({ customerSegments: z.strictObject({ add: z.array(gidOf("Segment")).min(1) }) }),
  destination: z.strictObject({ all: z.literal(true) }),
  combinesWith: z.strictObject({ orderDiscounts: z.boolean(), productDiscounts: z.boolean(), shippingDiscounts: z.boolean() }),
});

const freeShippingDiscount = discountCommon.extend({ destination: z.strictObject({ all: z.literal(true) }) });

/** What Kembali changes on a basic code discount: its code, title, end and what it gives. */
const basicDiscountUpdate = z.strictObject({
  code: z.string().min(1),
  title: z.string().min(1),
  endsAt: isoDateTime.nullable(),
  customerGets: basicDiscount.shape.customerGets,
});

const storeCreditVariables = z.strictObject({
  ownerId: gidOf("Customer"),
  credit: z.strictObject({
    creditAmount: z.strictObject({ amount: decimal, currencyCode: z.string().regex(/^[A-Z]{3}$/) }),
    expiresAt: isoDateTime.nullable(),
  }),
});

const ordersVariables = z.strictObject({
  first: z.number().int().min(1).max(250),
  after: z.string().nullable(),
  query: z.string(),
  sortKey: z.enum(["CREATED_AT", "UPDATED_AT"]),
  linesPerOrder: z.number().int().min(1).max(250),
  refundsPerOrder: z.number().int().min(1),
  linesPerRefund: z.number().int().min(1).max(250),
});

const metafieldsVariables = z.strictObject({
  metafields: z
    .array(
      z.strictObject({
        ownerId: gidOf("Customer"),
        namespace: z.literal("kembali"),
        key: z.enum(["balance", "tier", "holdout"]),
        type: z.enum(["number_integer", "single_line_text_field", "boolean"]),
        value: z.string(),
      }),
    )
    .min(1),
});

/** What Kembali writes on the shop: its best sellers and the widget's appearance. */
const shopMetafieldsVariables = z.strictObject({
  metafields: z
    .array(
      z.discriminatedUnion("key", [
        z.strictObject({
          ownerId: gidOf("Shop"),
          namespace: z.literal("kembali"),
          key: z.literal("best_sellers"),
          type: z.literal("list.product_reference"),
          value: z.string(),
        }),
        z.strictObject({
          ownerId: gidOf("Shop"),
          namespace: z.literal("kembali"),
          key: z.literal("appearance"),
          type: z.literal("json"),
          value: z.string(),
        }),
      ]),
    )
    .length(1),
});

const shopMetafieldsDeleteVariables = z.strictObject({
  metafields: z.array(z.strictObject({ ownerId: gidOf("Shop"), namespace: z.literal("kembali"), key: z.literal("best_sellers") })).min(1),
});

/** Each product's own list: kembali.also_bought, nothing else. */
const productMetafieldsVariables = z.strictObject({
  metafields: z
    .array(
      z.strictObject({
        ownerId: gidOf("Product"),
        namespace: z.literal("kembali"),
        key: z.literal("also_bought"),
        type: z.literal("list.product_reference"),
        value: z.string(),
      }),
    )
    .min(1),
});

const productMetafieldsDeleteVariables = z.strictObject({
  metafields: z
    .array(z.strictObject({ ownerId: gidOf("Product"), namespace: z.literal("kembali"), key: z.literal("also_bought") }))
    .min(1)
    .max(25),
});

const tagsVariables = z.strictObject({ id: gidOf("Customer"), tags: z.array(z.string().min(1)).min(1) });

// ---- orders, as the Admin API returns them ----------------------------------------------

/** Understands the search syntax Kembali sends: an optional updated_at bound and financial statuses. */
function ordersPage(orders: AdminOrder[], v: z.output<typeof ordersVariables>) {
  const since = /updated_at:>='([^']+)'/.exec(v.query)?.[1];
  const statuses = [...v.query.matchAll(/financial_status:(\w+)/g)].map((m) => m[1].toUpperCase());
  const key = (o: AdminOrder) => (v.sortKey === "UPDATED_AT" ? o.updatedAt : o.createdAt).getTime();
  const compare = (a: AdminOrder, b: AdminOrder) => key(a) - key(b) || Number(a.id) - Number(b.id);
  const cursorOf = (o: AdminOrder) => Buffer.from(`${key(o)}:${o.id}`).toString("base64");
  const after = v.after === null ? null : Buffer.from(v.after, "base64").toString().split(":").map(Number);
  if (after && (after.length !== 2 || after.some(Number.isNaN))) {
    throw new FakeTopLevelError(`Invalid cursor for current pagination sort.`, "BAD_REQUEST");
  }
  const matching = orders
    .filter((o) => o.financialStatus !== null && statuses.includes(o.financialStatus))
    .filter((o) => !since || o.updatedAt.getTime() >= new Date(since).getTime())
    .filter((o) => !after || key(o) > after[0] || (key(o) === after[0] && Number(o.id) > after[1]))
    .sort(compare);
  const page = matching.slice(0, v.first);
  const last = page.at(-1);
  return {
    orders: {
      nodes: page.map((o) => orderNode(o, v)),
      pageInfo: { hasNextPage: matching.length > v.first, endCursor: last ? cursorOf(last) : null },
    },
  };
}

function orderNode(o: AdminOrder, v: z.output<typeof ordersVariables>) {
  const money = (amount: number) => ({
    shopMoney: { amount: toDecimal(amount, o.currency), currencyCode: o.currency },
  });
  return {
    id: `gid://shopify/Order/${o.id}`,
    currencyCode: o.currency,
    createdAt: o.createdAt.toISOString(),
    processedAt: o.processedAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    cancelledAt: o.cancelledAt?.toISOString() ?? null,
    displayFinancialStatus: o.financialStatus,
    customer: o.customer && {
      id: `gid://shopify/Customer/${o.customer.id}`,
      firstName: o.customer.firstName,
      lastName: o.customer.lastName,
      defaultEmailAddress: o.customer.email === null ? null : { emailAddress: o.customer.email },
    },
    subtotalPriceSet: money(o.subtotal),
    totalPriceSet: money(o.total),
    totalShippingPriceSet: money(o.shipping),
    totalTaxSet: money(o.tax),
    lineItems: {
      nodes: o.lineItems.slice(0, v.linesPerOrder).map((l) => ({
        title: l.title,
        quantity: l.quantity,
        product: l.productId === null ? null : { id: `gid://shopify/Product/${l.productId}` },
        variant: l.variantId === null ? null : { id: `gid://shopify/ProductVariant/${l.variantId}` },
        originalUnitPriceSet: money(l.price),
      })),
      pageInfo: { hasNextPage: o.lineItems.length > v.linesPerOrder },
    },
    // A refund's lines are stored as one line carrying the refund's subtotal.
    refunds: o.refunds.slice(0, v.refundsPerOrder).map((r) => ({
      id: `gid://shopify/Refund/${r.id}`,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.createdAt.toISOString(),
      totalRefundedSet: money(r.subtotal),
      refundLineItems: { nodes: [{ subtotalSet: money(r.subtotal) }], pageInfo: { hasNextPage: false } },
    })),
  };
}
