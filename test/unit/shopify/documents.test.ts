// Every GraphQL document Kembali sends, checked offline against Shopify's real Admin schema
// (2025-10 introspection): field names, arguments, input types, and the variables the port
// actually builds. msw tests check what we send; this checks Shopify would accept it at all.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, getVariableValues, Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { beforeAll, expect, test } from "vitest";
import * as documents from "~/shopify/admin/documents";
import { graphqlAdmin } from "~/shopify/admin/graphql.server";
import { fakeShopifyAdmin } from "../../mocks/admin-graphql";

const SCHEMA_FILE = path.resolve("../shared/data/shopify-admin-2025-10.introspection.json.gz");

// Built once for the whole file: the introspection is 9.7 MB of JSON.
let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildClientSchema(JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")).data);
});

const all = Object.entries(documents);

function operationsOf(document: string): OperationDefinitionNode[] {
  return parse(document).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
}

test.each(all)("%s is valid against Shopify's Admin schema 2025-10", (_, document) => {
  expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
});

test("GIVEN every document THEN each is #graphql-tagged with one operation named Kembali…, no two alike", () => {
  expect(all.length).toBeGreaterThan(0);
  const names = all.map(([, document]) => {
    expect(document.trimStart().startsWith("#graphql")).toBe(true);
    const operations = operationsOf(document);
    expect(operations).toHaveLength(1);
    return operations[0].name?.value ?? "";
  });
  names.forEach((name) => expect(name).toMatch(/^Kembali[A-Z]\w+$/));
  expect(new Set(names).size).toBe(names.length);
});

test("GIVEN every port call THEN each document is sent with variables Shopify's schema accepts", async () => {
  const fake = fakeShopifyAdmin();
  const byName = new Map(all.map(([, document]) => [operationsOf(document)[0].name?.value, operationsOf(document)[0]]));
  // Each request is checked against the schema before the fake sees it, then goes to the
  // fake without HTTP but through JSON, as a request body would.
  const admin = graphqlAdmin(
    async (query, options) => {
      const body = JSON.parse(JSON.stringify({ query, variables: options?.variables ?? {} }));
      const operation = operationsOf(query)[0];
      expect(byName.get(operation.name?.value)).toBeDefined();
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], body.variables);
      expect({ operation: operation.name?.value, errors: coerced.errors?.map((e) => e.message) ?? [] }).toEqual({
        operation: operation.name?.value,
        errors: [],
      });
      return fake.respond(body, fake.accessToken);
    },
    { sleep: async () => {} },
  );
  const base = {
    title: "Kembali reward",
    customerId: "7001",
    minimumSubtotal: 10_000_000,
    startsAt: new Date("2026-11-20T10:00:00Z"),
    endsAt: new Date("2026-12-20T10:00:00Z"),
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    currency: "IDR",
  };
  const at = new Date("2026-11-01T00:00:00Z");
  for (const id of ["101", "102"]) {
    fake.addOrder({
      id,
      customer: null,
      currency: "IDR",
      subtotal: 100,
      total: 100,
      shipping: 0,
      tax: 0,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      financialStatus: "PAID",
      lineItems: [],
      refunds: [],
      truncated: false,
    });
  }

  await admin.shopInfo();
  await admin.accessScopes();
  await admin.productFacts(["8001", "8002"]);
  fake.setProduct("8001", {
    tags: [],
    collectionIds: [],
    title: "Kopi",
    handle: "kopi",
    price: 125_000,
    imageUrl: "https://cdn.example/k.jpg",
  });
  fake.setProduct("8006", { tags: [], collectionIds: [] });
  expect(await admin.productCards(["8001", "8002", "8006"])).toHaveLength(2);
  expect(
    await admin.setAlsoBought([
      { productId: "8001", productIds: ["8006"] },
      { productId: "8006", productIds: [] },
    ]),
  ).toEqual({
    failed: [],
  });
  await admin.appEmbedStatus();
  const { discountId } = await admin.createDiscountCode({
    ...base,
    code: "A1",
    reward: { type: "fixed_amount", amount: 2_500_000 },
  });
  await admin.createDiscountCode({ ...base, code: "A2", reward: { type: "percentage", percent: 10 } });
  await admin.createDiscountCode({ ...base, code: "A3", reward: { type: "free_product", variantId: "9001", value: 4_500_000 } });
  await admin.createDiscountCode({ ...base, code: "A4", reward: { type: "free_shipping" }, endsAt: null });
  // A guest's referral welcome code: any buyer, once overall.
  const { customerId: _, ...anyBuyer } = base;
  await admin.createDiscountCode({ ...anyBuyer, code: "A6", reward: { type: "percentage", percent: 10 } });
  await admin.createDiscountCode({ ...anyBuyer, code: "A7", reward: { type: "free_shipping" } });
  // A member's referral code: any buyer, once each; later brought in line with the friend reward.
  const member = await admin.createDiscountCode({
    ...anyBuyer,
    code: "A8",
    endsAt: null,
    usage: "once_per_customer",
    reward: { type: "percentage", percent: 10 },
  });
  await admin.updateDiscountCode(member.discountId, {
    code: "A8",
    title: "Kembali referral code A8",
    reward: { type: "fixed_amount", amount: 2_500_000 },
    endsAt: null,
    currency: "IDR",
  });
  await admin.discountByCode("A8");
  fake.inject({ kind: "http", status: 500, execute: true });
  await admin.createDiscountCode({ ...base, code: "A5", reward: { type: "percentage", percent: 5 } });
  await admin.discountUsage(discountId);
  await admin.deactivateDiscount(discountId);
  await admin.creditStoreCredit({
    customerId: "7001",
    amount: 150,
    currency: "IDR",
    expiresAt: new Date("2030-01-01Z"),
  });
  const page = await admin.listOrders({ first: 1 });
  await admin.listOrders({ first: 1, after: page.nextCursor, updatedSince: at });
  await admin.setCustomerMetafields([{ customerId: "7001", balance: 10, tier: "Gold", holdout: false }]);
  await admin.tagCustomer("7001", ["kembali-gold"], ["kembali-silver"]);
  await admin.setBestSellers(["8006", "8001"]);
  await admin.setBestSellers([]);
  await admin.setAppearanceMetafield({ position: "left", accent: "#112233", titles: {}, languages: ["en"], defaultLanguage: "en" });
  // A VIP tier's free shipping: a tag segment and an automatic discount for it.
  const { segmentId } = await admin.createTagSegment({ name: "Kembali VIP tier gold", tag: "kembali-tier-gold" });
  const shipping = await admin.createSegmentFreeShipping({
    title: "Kembali VIP free shipping: gold",
    segmentId,
    startsAt: at,
    combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
  });
  await admin.setAutomaticDiscountActive(shipping.discountId, false);
  await admin.setAutomaticDiscountActive(shipping.discountId, true);
  // The web pixel: created, then (already there) found and updated.
  await admin.connectWebPixel({ shopKey: "first" });
  await admin.connectWebPixel({ shopKey: "second" });
  await admin.flowTriggerReceive("kembali-flow-points-earned", { customer_id: 7001, points: 120 });

  expect(new Set(fake.operations())).toEqual(new Set(byName.keys()));
});
