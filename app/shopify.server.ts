// The only place that configures the Shopify app library.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, BillingInterval, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { config } from "./config.server";
import { graphqlAdmin, type AdminGraphql } from "./shopify/admin/graphql.server";
import { installShop } from "./domain/shop/shops";
import { PLANS } from "./domain/shop/plans";

/** The paid plans as Shopify bills them (app/domain/shop/plans.ts has the prices and limits; Free is no subscription). */
const billing = {
  [PLANS.growth.shopifyName!]: {
    lineItems: [{ amount: PLANS.growth.monthlyUsd, currencyCode: "USD", interval: BillingInterval.Every30Days as const }],
  },
  [PLANS.pro.shopifyName!]: {
    lineItems: [{ amount: PLANS.pro.monthlyUsd, currencyCode: "USD", interval: BillingInterval.Every30Days as const }],
  },
};

/** Must equal [webhooks] api_version in shopify.app.toml (test/unit/config.test.ts). */
export const API_VERSION = ApiVersion.October25;

/** Must equal [access_scopes] in shopify.app.toml (test/unit/config.test.ts). */
export const SCOPES = [
  "read_orders",
  "read_all_orders",
  "read_customers",
  "write_customers",
  "read_products",
  "read_discounts",
  "write_discounts",
  "read_store_credit_accounts",
  "write_store_credit_account_transactions",
  "read_themes",
  "write_pixels",
  "read_customer_events",
];

const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecret,
  apiVersion: API_VERSION,
  scopes: SCOPES,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  // The generated client for either provider has the Session model this storage needs.
  sessionStorage: new PrismaSessionStorage(prisma as never),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  // Requests go through app/shopify/billing.server.ts (test charges unless really in production).
  billing,
  // The library logs every proxy and webhook request at info level: keep warnings and errors.
  logger: { level: LogSeverity.Warning },
  hooks: {
    // Install (and reinstall): the shop's row, in its own currency, before any webhook.
    afterAuth: async ({ session, admin }) => {
      const info = await graphqlAdmin(admin.graphql as AdminGraphql).shopInfo();
      await installShop(prisma, session.shop, info, new Date());
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
