// What the GraphQL implementation sends to Shopify and how it handles Shopify's answers:
// exact documents and variables, userErrors, throttling, HTTP errors. Every behaviour runs
// through both transports: a plain fetch, and shopify-api's client as admin.graphql uses it.
import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, test } from "vitest";
import { isCodeTaken, ShopifyAdminError } from "~/shopify/admin/errors";
import { graphqlAdmin, type AdminGraphql, type GraphqlAdminOptions } from "~/shopify/admin/graphql.server";
import type { CreateDiscountCodeInput } from "~/shopify/admin/port";
import { fakeShopifyAdmin, type FakeShopifyAdmin, type Injection } from "../../mocks/admin-graphql";
import { shopifyApiGraphql } from "../../mocks/shopify-api-graphql";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const reward = (overrides: Partial<CreateDiscountCodeInput> = {}): CreateDiscountCodeInput => ({
  code: "KMB-7QX2PA",
  title: "Rp25.000 off — Kembali reward",
  reward: { type: "fixed_amount", amount: 2_500_000 },
  customerId: "7001",
  minimumSubtotal: 10_000_000,
  startsAt: new Date("2026-11-20T10:00:00.000Z"),
  endsAt: new Date("2026-12-20T10:00:00.000Z"),
  combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
  currency: "IDR",
  ...overrides,
});

const THROTTLED = (currentlyAvailable: number): Injection => ({
  kind: "throttled",
  requestedQueryCost: 752,
  throttleStatus: { maximumAvailable: 1000, currentlyAvailable, restoreRate: 50 },
});

function setup(transport: (fake: FakeShopifyAdmin) => AdminGraphql, opts: GraphqlAdminOptions = {}) {
  const fake = fakeShopifyAdmin();
  server.use(fake.handler);
  const waits: number[] = [];
  const admin = graphqlAdmin(transport(fake), {
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...opts,
  });
  return { fake, admin, waits };
}

async function failure(promise: Promise<unknown>): Promise<ShopifyAdminError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShopifyAdminError);
  return error as ShopifyAdminError;
}

test("admin.graphql from shopify-app-remix fits the transport graphqlAdmin takes", () => {
  expectTypeOf<AdminApiContext["graphql"]>().toExtend<AdminGraphql>();
});

describe("what is sent", () => {
  const send = () => setup((fake) => fake.graphql);

  test("GIVEN a fixed-amount IDR reward THEN discountCodeBasicCreate gets decimal amounts, the customer gid and single use", async () => {
    const { fake, admin } = send();
    const created = await admin.createDiscountCode(reward());

    expect(created).toEqual({
      discountId: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/),
      code: "KMB-7QX2PA",
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.operationName).toBe("KembaliDiscountCodeBasicCreate");
    expect(request.accessToken).toBe(fake.accessToken);
    expect(request.variables).toEqual({
      discount: {
        title: "Rp25.000 off — Kembali reward",
        code: "KMB-7QX2PA",
        startsAt: "2026-11-20T10:00:00.000Z",
        endsAt: "2026-12-20T10:00:00.000Z",
        context: { customers: { add: ["gid://shopify/Customer/7001"] } },
        customerGets: {
          value: { discountAmount: { amount: "25000.00", appliesOnEachItem: false } },
          items: { all: true },
        },
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "100000.00" } },
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        usageLimit: 1,
        appliesOncePerCustomer: true,
      },
    });
  });

  test("GIVEN a percentage reward THEN Shopify gets a fraction of one, on every item", async () => {
    const { fake, admin } = send();
    await admin.createDiscountCode(reward({ reward: { type: "percentage", percent: 15 }, minimumSubtotal: undefined }));
    const { discount } = fake.requests[0].variables as { discount: Record<string, unknown> };
    expect(discount.customerGets).toEqual({ value: { percentage: 0.15 }, items: { all: true } });
    expect(discount).not.toHaveProperty("minimumRequirement");
  });

  test("GIVEN a free-product reward THEN one unit's price comes off that variant, not every unit", async () => {
    const { fake, admin } = send();
    await admin.createDiscountCode(reward({ reward: { type: "free_product", variantId: "9001", value: 4_500_000 } }));
    const { discount } = fake.requests[0].variables as { discount: Record<string, unknown> };
    expect(discount.customerGets).toEqual({
      value: { discountAmount: { amount: "45000.00", appliesOnEachItem: false } },
      items: { products: { productVariantsToAdd: ["gid://shopify/ProductVariant/9001"] } },
    });
  });

  test("GIVEN a free-shipping reward THEN discountCodeFreeShippingCreate is used, for every destination", async () => {
    const { fake, admin } = send();
    await admin.createDiscountCode(reward({ reward: { type: "free_shipping" }, endsAt: null }));
    expect(fake.operations()).toEqual(["KembaliDiscountCodeFreeShippingCreate"]);
    const { discount } = fake.requests[0].variables as { discount: Record<string, unknown> };
    expect(discount).toMatchObject({
      destination: { all: true },
      endsAt: null,
      usageLimit: 1,
      appliesOncePerCustomer: true,
    });
    expect(discount).not.toHaveProperty("customerGets");
  });

  test("GIVEN a member's referral code THEN any buyer may use it, once each, with no overall limit", async () => {
    const { fake, admin } = send();
    await admin.createDiscountCode(
      reward({
        customerId: undefined,
        minimumSubtotal: undefined,
        endsAt: null,
        usage: "once_per_customer",
        reward: { type: "percentage", percent: 10 },
      }),
    );
    const { discount } = fake.requests[0].variables as { discount: Record<string, unknown> };
    expect(discount).toMatchObject({ context: { all: "ALL" }, usageLimit: null, appliesOncePerCustomer: true, endsAt: null });
  });

  test("GIVEN an update THEN discountCodeBasicUpdate gets the discount's id, code, title, end and what it gives, nothing else", async () => {
    const { fake, admin } = send();
    const { discountId } = await admin.createDiscountCode(reward({ code: "ABCD2345", reward: { type: "percentage", percent: 10 } }));
    await admin.updateDiscountCode(discountId, {
      code: "ABCD2345",
      title: "Kembali referral code ABCD2345",
      reward: { type: "fixed_amount", amount: 2_500_000 },
      endsAt: null,
      currency: "IDR",
    });
    expect(fake.requests.slice(1).map((r) => [r.operationName, r.variables])).toEqual([
      [
        "KembaliDiscountCodeBasicUpdate",
        {
          id: discountId,
          discount: {
            code: "ABCD2345",
            title: "Kembali referral code ABCD2345",
            endsAt: null,
            customerGets: { value: { discountAmount: { amount: "25000.00", appliesOnEachItem: false } }, items: { all: true } },
          },
        },
      ],
    ]);
  });

  test("GIVEN store credit THEN storeCreditAccountCredit is addressed to the customer gid with a decimal amount", async () => {
    const { fake, admin } = send();
    const { transactionId } = await admin.creditStoreCredit({
      customerId: "7001",
      amount: 5_000_000,
      currency: "IDR",
      expiresAt: new Date("2027-01-01T00:00:00.000Z"),
    });
    expect(transactionId).toMatch(/^\d+$/);
    expect(fake.requests[0]).toMatchObject({
      operationName: "KembaliStoreCreditAccountCredit",
      variables: {
        ownerId: "gid://shopify/Customer/7001",
        credit: { creditAmount: { amount: "50000.00", currencyCode: "IDR" }, expiresAt: "2027-01-01T00:00:00.000Z" },
      },
    });
  });

  test("GIVEN a reconciliation since a time THEN orders are searched by update time and paid statuses", async () => {
    const { fake, admin } = send();
    await admin.listOrders({ first: 3, updatedSince: new Date("2026-11-20T10:15:42.987Z") });
    await admin.listOrders({ first: 3 });
    expect(fake.requests.map((r) => r.variables)).toEqual([
      expect.objectContaining({
        first: 3,
        after: null,
        sortKey: "UPDATED_AT",
        query:
          "updated_at:>='2026-11-20T10:15:42Z' AND (financial_status:paid OR financial_status:partially_refunded OR financial_status:refunded)",
      }),
      expect.objectContaining({
        sortKey: "CREATED_AT",
        query: "(financial_status:paid OR financial_status:partially_refunded OR financial_status:refunded)",
      }),
    ]);
  });

  test("GIVEN an order with more lines than one page carries THEN it comes back marked truncated", async () => {
    const { fake, admin } = send();
    const line = { productId: "8001", variantId: "9001", title: "Teh", quantity: 1, price: 1_000_000 };
    const at = new Date("2026-11-01T00:00:00.000Z");
    fake.addOrder({
      id: "301",
      customer: null,
      currency: "IDR",
      subtotal: 25_000_000,
      total: 25_000_000,
      shipping: 0,
      tax: 0,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      financialStatus: "PAID",
      lineItems: Array.from({ length: 25 }, () => line),
      refunds: [],
      truncated: false,
    });
    const { orders } = await admin.listOrders({ first: 1 });
    expect(orders[0].truncated).toBe(true);
    expect(orders[0].lineItems).toHaveLength(20);
  });

  test("GIVEN 30 members THEN metafieldsSet is called in batches of at most 25, tier only when known", async () => {
    const { fake, admin } = send();
    const items = Array.from({ length: 30 }, (_, i) => ({
      customerId: String(7100 + i),
      balance: 1000 + i,
      tier: i < 5 ? "Gold" : null,
    }));
    await admin.setCustomerMetafields(items);
    const batches = fake.requests.map((r) => (r.variables as { metafields: Array<Record<string, string>> }).metafields);
    expect(fake.operations()).toEqual(["KembaliCustomerMetafieldsSet", "KembaliCustomerMetafieldsSet"]);
    expect(batches.map((b) => b.length)).toEqual([25, 10]);
    expect(batches[0].slice(0, 2)).toEqual([
      {
        ownerId: "gid://shopify/Customer/7100",
        namespace: "kembali",
        key: "balance",
        type: "number_integer",
        value: "1000",
      },
      {
        ownerId: "gid://shopify/Customer/7100",
        namespace: "kembali",
        key: "tier",
        type: "single_line_text_field",
        value: "Gold",
      },
    ]);
  });

  test("GIVEN best sellers THEN one list.product_reference metafield of product gids is set on the shop's gid", async () => {
    const { fake, admin } = send();
    await admin.setBestSellers(["8006", "8001"]);
    expect(fake.requests.map((r) => [r.operationName, r.variables])).toEqual([
      ["KembaliShopId", {}],
      [
        "KembaliShopMetafieldsSet",
        {
          metafields: [
            {
              ownerId: "gid://shopify/Shop/60001",
              namespace: "kembali",
              key: "best_sellers",
              type: "list.product_reference",
              value: '["gid://shopify/Product/8006","gid://shopify/Product/8001"]',
            },
          ],
        },
      ],
    ]);
  });

  test("GIVEN no best sellers THEN the shop's metafield is deleted, not set to an empty list", async () => {
    const { fake, admin } = send();
    await admin.setBestSellers([]);
    expect(fake.requests.map((r) => [r.operationName, r.variables])).toEqual([
      ["KembaliShopId", {}],
      ["KembaliShopMetafieldsDelete", { metafields: [{ ownerId: "gid://shopify/Shop/60001", namespace: "kembali", key: "best_sellers" }] }],
    ]);
  });

  test("GIVEN Shopify refuses the best sellers THEN it is rejected with Shopify's message", async () => {
    const { fake, admin } = send();
    fake.inject(
      {
        kind: "userErrors",
        userErrors: [{ field: ["metafields", "0", "value"], message: "Value references a product that does not exist." }],
      },
      "KembaliShopMetafieldsSet",
    );
    const error = await failure(admin.setBestSellers(["8001"]));
    expect(error).toMatchObject({ kind: "rejected", operation: "KembaliShopMetafieldsSet" });
    expect(error.message).toContain("does not exist");
    expect(fake.bestSellers()).toBeNull();
  });

  test("GIVEN 120 products THEN productCards asks 50 at a time (under Shopify's cost limit), 10 variants each", async () => {
    const { fake, admin } = send();
    const ids = Array.from({ length: 120 }, (_, i) => String(40_000 + i));
    for (const id of ids.slice(0, 3)) fake.setProduct(id, { tags: [], collectionIds: [], price: 1_250_050 });
    const cards = await admin.productCards(ids);
    expect(cards.map((c) => [c.productId, c.price, c.currency, c.available])).toEqual([
      ["40000", 1_250_050, "IDR", true],
      ["40001", 1_250_050, "IDR", true],
      ["40002", 1_250_050, "IDR", true],
    ]);
    expect(fake.requests.map((r) => [r.operationName, (r.variables.ids as string[]).length, r.variables.variants])).toEqual([
      ["KembaliProductCards", 50, 10],
      ["KembaliProductCards", 50, 10],
      ["KembaliProductCards", 20, 10],
    ]);
    expect((fake.requests[0].variables.ids as string[])[0]).toBe("gid://shopify/Product/40000");
  });

  test("GIVEN Shopify's answer THEN a card can be bought only when active, on the online store, and some variant is for sale", async () => {
    const product = (over: Record<string, unknown>) => ({
      id: "gid://shopify/Product/1",
      title: "Kopi",
      handle: "kopi",
      status: "ACTIVE",
      onlineStoreUrl: "https://kopi.example/products/kopi",
      totalInventory: 0,
      featuredMedia: { preview: { image: { url: "https://cdn.example/kopi.jpg", altText: null } } },
      priceRangeV2: { minVariantPrice: { amount: "125000.0", currencyCode: "IDR" } },
      variants: { nodes: [{ availableForSale: true }], pageInfo: { hasNextPage: false } },
      ...over,
    });
    const answer = async (node: unknown) => {
      const admin = graphqlAdmin(async () => Response.json({ data: { nodes: [node, {}, null] } }));
      return (await admin.productCards(["1", "2", "3"])).map((c) => c.available);
    };
    expect(await answer(product({}))).toEqual([true]);
    expect(await answer(product({ status: "DRAFT" }))).toEqual([false]);
    expect(await answer(product({ onlineStoreUrl: null }))).toEqual([false]);
    const soldOut = { nodes: Array.from({ length: 10 }, () => ({ availableForSale: false })), pageInfo: { hasNextPage: false } };
    expect(await answer(product({ variants: soldOut }))).toEqual([false]);
    // More variants than asked for, none of the first ten for sale: the inventory says whether any unit is left.
    const more = { ...soldOut, pageInfo: { hasNextPage: true } };
    expect(await answer(product({ variants: more, totalInventory: 0 }))).toEqual([false]);
    expect(await answer(product({ variants: more, totalInventory: 3 }))).toEqual([true]);
    const admin = graphqlAdmin(async () => Response.json({ data: { nodes: [product({})] } }));
    expect(await admin.productCards(["1"])).toEqual([
      {
        productId: "1",
        title: "Kopi",
        handle: "kopi",
        imageUrl: "https://cdn.example/kopi.jpg",
        imageAlt: null,
        price: 12_500_000,
        currency: "IDR",
        available: true,
      },
    ]);
  });

  test("GIVEN 30 lists and 2 removals THEN metafieldsSet goes in batches of 25 on the product gids, then one metafieldsDelete", async () => {
    const { fake, admin } = send();
    const ids = Array.from({ length: 33 }, (_, i) => String(50_000 + i));
    for (const id of ids) fake.setProduct(id, { tags: [], collectionIds: [] });
    const lists = ids.slice(0, 30).map((id, i) => ({ productId: id, productIds: [ids[i + 1], ids[i + 2]] }));
    const removals = ids.slice(30, 32).map((id) => ({ productId: id, productIds: [] }));
    expect(await admin.setAlsoBought([...removals, ...lists])).toEqual({ failed: [] });
    expect(fake.requests.map((r) => [r.operationName, (r.variables.metafields as unknown[]).length])).toEqual([
      ["KembaliProductMetafieldsSet", 25],
      ["KembaliProductMetafieldsSet", 5],
      ["KembaliProductMetafieldsDelete", 2],
    ]);
    expect((fake.requests[0].variables.metafields as unknown[])[0]).toEqual({
      ownerId: "gid://shopify/Product/50000",
      namespace: "kembali",
      key: "also_bought",
      type: "list.product_reference",
      value: '["gid://shopify/Product/50001","gid://shopify/Product/50002"]',
    });
    expect(fake.requests[2].variables).toEqual({
      metafields: [
        { ownerId: "gid://shopify/Product/50030", namespace: "kembali", key: "also_bought" },
        { ownerId: "gid://shopify/Product/50031", namespace: "kembali", key: "also_bought" },
      ],
    });
    expect(fake.alsoBought("50029")).toEqual(["50030", "50031"]);
  });

  test("GIVEN nothing to write THEN no request is sent", async () => {
    const { fake, admin } = send();
    await admin.setCustomerMetafields([]);
    await admin.tagCustomer("7001", [], []);
    expect(fake.requests).toEqual([]);
  });

  test("GIVEN tags to swap THEN tagsRemove goes before tagsAdd, on the customer gid", async () => {
    const { fake, admin } = send();
    await admin.tagCustomer("7001", ["kembali-gold"], ["kembali-silver"]);
    expect(fake.requests.map((r) => [r.operationName, r.variables])).toEqual([
      ["KembaliCustomerTagsRemove", { id: "gid://shopify/Customer/7001", tags: ["kembali-silver"] }],
      ["KembaliCustomerTagsAdd", { id: "gid://shopify/Customer/7001", tags: ["kembali-gold"] }],
    ]);
  });

  test("GIVEN a wrong access token THEN the call fails without retrying", async () => {
    const fake = fakeShopifyAdmin({ accessToken: "shpat_right" });
    server.use(fake.handler);
    const admin = graphqlAdmin(shopifyApiGraphql(fake.shop, "shpat_wrong"), { sleep: async () => {} });
    const error = await failure(admin.shopInfo());
    expect(error).toMatchObject({ kind: "failed", operation: "KembaliShopInfo" });
    expect(error.message).toContain("401");
    expect(fake.requests).toHaveLength(1);
  });
});

describe.each([
  ["a plain fetch", (fake: FakeShopifyAdmin) => fake.graphql],
  ["shopify-api's client", (fake: FakeShopifyAdmin) => shopifyApiGraphql(fake.shop, fake.accessToken)],
])("Shopify's answers, through %s", (_, transport) => {
  test("GIVEN userErrors THEN it is rejected with Shopify's messages and not sent again", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({
      kind: "userErrors",
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    const error = await failure(admin.createDiscountCode(reward()));
    expect(error).toMatchObject({
      kind: "rejected",
      operation: "KembaliDiscountCodeBasicCreate",
      outcomeUnknown: false,
    });
    expect(error.userErrors).toEqual([
      {
        field: ["basicCodeDiscount", "code"],
        message: "Code must be unique. Please try a different code.",
        code: "TAKEN",
      },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  test("GIVEN THROTTLED twice THEN it waits until the bucket holds the query's cost, then succeeds", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject(THROTTLED(666));
    fake.inject(THROTTLED(700));
    const created = await admin.createDiscountCode(reward());
    expect(created.code).toBe("KMB-7QX2PA");
    // (752 − 666) / 50 points per second, then (752 − 700) / 50
    expect(waits).toEqual([1720, 1040]);
    expect(fake.operations()).toEqual(Array(3).fill("KembaliDiscountCodeBasicCreate"));
    expect(fake.state.discounts).toHaveLength(1);
  });

  test("GIVEN the bucket reports enough points but still throttles THEN it waits a small floor", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject(THROTTLED(900));
    await admin.shopInfo();
    expect(waits).toEqual([250]);
  });

  test("GIVEN THROTTLED on every attempt THEN it gives up as throttled after maxRetries retries", async () => {
    const { fake, admin, waits } = setup(transport, { maxRetries: 4 });
    for (let i = 0; i < 5; i++) fake.inject(THROTTLED(0));
    const error = await failure(admin.setCustomerMetafields([{ customerId: "7001", balance: 10, tier: null }]));
    expect(error).toMatchObject({ kind: "throttled", operation: "KembaliCustomerMetafieldsSet" });
    expect(fake.requests).toHaveLength(5);
    expect(waits).toEqual(Array(4).fill(15_040));
    expect(fake.state.metafields.size).toBe(0);
  });

  test("GIVEN the default options and endless throttling THEN it tries 6 times in all", async () => {
    const { fake, admin, waits } = setup(transport);
    for (let i = 0; i < 7; i++) fake.inject(THROTTLED(0));
    expect((await failure(admin.shopInfo())).kind).toBe("throttled");
    expect([fake.requests.length, waits.length]).toEqual([6, 5]);
  });

  test("GIVEN a query that costs more than the whole bucket THEN it fails at once", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({
      kind: "throttled",
      requestedQueryCost: 1500,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 },
    });
    expect((await failure(admin.listOrders({ first: 50 }))).kind).toBe("failed");
    expect([fake.requests.length, waits]).toEqual([1, []]);
  });

  test("GIVEN HTTP 500 then success THEN a query is sent again after a backoff", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({ kind: "http", status: 500 });
    fake.inject({ kind: "http", status: 503 });
    expect(await admin.shopInfo()).toEqual(fake.shopInfo);
    expect(waits).toEqual([500, 1000]);
    expect(fake.requests).toHaveLength(3);
  });

  test("GIVEN HTTP 429 with Retry-After THEN it waits that long and retries", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({ kind: "http", status: 429, headers: { "Retry-After": "2" } });
    await admin.tagCustomer("7001", ["kembali-gold"], []);
    expect(waits).toEqual([2000]);
    expect(fake.tags("7001")).toEqual(["kembali-gold"]);
  });

  test("GIVEN HTTP 500 on a store credit THEN it is not sent again and the outcome is reported unknown", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({ kind: "http", status: 500, execute: true });
    const error = await failure(admin.creditStoreCredit({ customerId: "7001", amount: 100_000, currency: "IDR" }));
    expect(error).toMatchObject({ kind: "failed", outcomeUnknown: true, operation: "KembaliStoreCreditAccountCredit" });
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(fake.storeCredits("7001")).toHaveLength(1);
  });

  test("GIVEN HTTP 500 after Shopify created the code THEN the existing code is returned, not a second one", async () => {
    const { fake, admin } = setup(transport);
    fake.inject({ kind: "http", status: 500, execute: true });
    const created = await admin.createDiscountCode(reward());
    expect(fake.operations()).toEqual(["KembaliDiscountCodeBasicCreate", "KembaliDiscountCodeByCode"]);
    expect(fake.state.discounts).toHaveLength(1);
    expect(created).toEqual({ discountId: fake.state.discounts[0].id, code: "KMB-7QX2PA" });
  });

  test("GIVEN HTTP 500 and the code is another discount's (another title) THEN it is rejected as taken, not taken over", async () => {
    const { fake, admin } = setup(transport);
    await admin.createDiscountCode(reward({ title: "The merchant's own discount" }));
    fake.inject({ kind: "http", status: 500 });
    const error = await failure(admin.createDiscountCode(reward()));
    expect(isCodeTaken(error)).toBe(true);
    expect(fake.operations()).toEqual(["KembaliDiscountCodeBasicCreate", "KembaliDiscountCodeBasicCreate", "KembaliDiscountCodeByCode"]);
    expect(fake.state.discounts.map((d) => d.title)).toEqual(["The merchant's own discount"]);
  });

  test("GIVEN HTTP 500 before Shopify created the code THEN it is created once on the second try", async () => {
    const { fake, admin } = setup(transport);
    fake.inject({ kind: "http", status: 500 });
    const created = await admin.createDiscountCode(reward());
    expect(fake.operations()).toEqual(["KembaliDiscountCodeBasicCreate", "KembaliDiscountCodeByCode", "KembaliDiscountCodeBasicCreate"]);
    expect(created.discountId).toBe(fake.state.discounts[0].id);
  });

  test("GIVEN HTTP 500 on every attempt THEN a query fails after its retries", async () => {
    const { fake, admin, waits } = setup(transport, { maxRetries: 2 });
    for (let i = 0; i < 3; i++) fake.inject({ kind: "http", status: 502 });
    const error = await failure(admin.discountUsage("gid://shopify/DiscountCodeNode/1"));
    expect(error).toMatchObject({ kind: "failed", outcomeUnknown: false });
    expect(waits).toEqual([500, 1000]);
  });

  test("GIVEN another top-level GraphQL error THEN it fails without retrying, with Shopify's message", async () => {
    const { fake, admin, waits } = setup(transport);
    fake.inject({
      kind: "errors",
      errors: [{ message: "Access denied for orders field.", extensions: { code: "ACCESS_DENIED" } }],
    });
    const error = await failure(admin.listOrders({ first: 5 }));
    expect(error.kind).toBe("failed");
    expect(error.message).toContain("ACCESS_DENIED Access denied for orders field.");
    expect([fake.requests.length, waits]).toEqual([1, []]);
  });
});
