// The port contract, once per implementation: the in-memory store, and the GraphQL
// implementation over real HTTP to a fake Shopify, through a plain fetch and through
// shopify-api's client (what admin.graphql uses in the app).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { parseMoney } from "../../../common/money";
import { graphqlAdmin, type AdminGraphql } from "~/shopify/admin/graphql.server";
import { localStoreAdmin } from "~/shopify/admin/local-store.server";
import { fakeShopifyAdmin } from "../../mocks/admin-graphql";
import { shopifyApiGraphql } from "../../mocks/shopify-api-graphql";
import { portContract, type PortHarness } from "./port-contract";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

portContract("local store", () => {
  const admin = localStoreAdmin();
  return {
    admin,
    shop: admin.state.shop,
    addOrder: admin.addOrder,
    setProduct: admin.setProduct,
    deleteProduct: admin.deleteProduct,
    alsoBought: (productId) => admin.state.alsoBought[productId] ?? null,
    setThemeSettings: (content) => {
      admin.state.themeSettings = content;
    },
    setAccessScopes: (handles) => {
      admin.state.accessScopes = [...handles];
    },
    markDiscountUsed: admin.markDiscountUsed,
    discountReward: (discountId) => {
      const reward = admin.discount(discountId)?.reward;
      if (reward?.type === "fixed_amount") return { type: reward.type, amount: reward.amount };
      if (reward?.type === "percentage") return { type: reward.type, percent: reward.percent };
      return undefined;
    },
    discountBuyers: (discountId) => {
      const found = admin.discount(discountId);
      return found && (found.customerId ?? "all");
    },
    refuseNext: admin.rejectNext,
    metafields: (customerId) => admin.customer(customerId).metafields,
    tags: (customerId) => admin.customer(customerId).tags,
    bestSellers: () => admin.state.bestSellers,
    webPixelSettings: () => (admin.state.webPixel ? JSON.parse(admin.state.webPixel.settings) : undefined),
    appearance: () => {
      const json = admin.state.shopMetafields["kembali.appearance"];
      return json === undefined ? undefined : JSON.parse(json);
    },
    getsAutomaticDiscount: admin.getsAutomaticDiscount,
    storeCredits: (customerId) =>
      admin.customer(customerId).storeCredit.map(({ amount, currency, expiresAt }) => ({ amount, currency, expiresAt })),
    flowTriggers: () => admin.state.flowTriggers.map(({ handle, payload }) => ({ handle, payload })),
  };
});

function overGraphql(transport: (fake: ReturnType<typeof fakeShopifyAdmin>) => AdminGraphql) {
  return (): PortHarness => {
    const fake = fakeShopifyAdmin();
    server.use(fake.handler);
    return {
      admin: graphqlAdmin(transport(fake), { sleep: async () => {} }),
      shop: fake.shopInfo,
      addOrder: fake.addOrder,
      setProduct: fake.setProduct,
      deleteProduct: fake.deleteProduct,
      alsoBought: fake.alsoBought,
      setThemeSettings: fake.setThemeSettings,
      setAccessScopes: fake.setAccessScopes,
      markDiscountUsed: fake.markDiscountUsed,
      discountReward(discountId) {
        const gets = fake.discount(discountId)?.customerGets as
          { value: { percentage: number } | { discountAmount: { amount: string } } } | undefined;
        if (!gets) return undefined;
        if ("percentage" in gets.value) return { type: "percentage", percent: Math.round(gets.value.percentage * 100) };
        return { type: "fixed_amount", amount: parseMoney(gets.value.discountAmount.amount, fake.shopInfo.currencyCode).amount };
      },
      discountBuyers: fake.discountBuyers,
      getsAutomaticDiscount: fake.getsAutomaticDiscount,
      refuseNext: (message) => fake.inject({ kind: "userErrors", userErrors: [{ field: null, message }] }),
      metafields(customerId) {
        const fields = fake.metafields(customerId);
        return {
          ...(fields["kembali.balance"] && { balance: Number(fields["kembali.balance"].value) }),
          ...(fields["kembali.tier"] && { tier: fields["kembali.tier"].value }),
          ...(fields["kembali.holdout"] && { holdout: fields["kembali.holdout"].value === "true" }),
        };
      },
      tags: fake.tags,
      bestSellers: fake.bestSellers,
      webPixelSettings: fake.webPixelSettings,
      appearance() {
        const metafield = fake.appearanceMetafield();
        if (metafield === undefined) return undefined;
        expect(metafield.type).toBe("json");
        return JSON.parse(metafield.value);
      },
      storeCredits: (customerId) =>
        fake.storeCredits(customerId).map((c) => ({
          amount: parseMoney(c.amount, c.currencyCode).amount,
          currency: c.currencyCode,
          expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt),
        })),
      flowTriggers: () => fake.state.flowTriggers,
    };
  };
}

portContract(
  "GraphQL over fetch",
  overGraphql((fake) => fake.graphql),
);
portContract(
  "GraphQL through shopify-api's client",
  overGraphql((fake) => shopifyApiGraphql(fake.shop, fake.accessToken)),
);
