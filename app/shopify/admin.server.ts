// Which Admin API a shop's work talks to: Shopify's GraphQL API through the shop's stored
// offline session in production; in demo and test mode, an in-memory store per shop (this
// process only), so whole flows run without a network.
import { config } from "../config.server";
import { SCOPES, unauthenticated } from "../shopify.server";
import { graphqlAdmin, type AdminGraphql } from "./admin/graphql.server";
import { createLocalStoreState, localStoreAdmin, type LocalStoreAdmin } from "./admin/local-store.server";
import type { ShopifyAdmin } from "./admin/port";
import { DEMO_PRODUCTS } from "../demo/catalog";
import { demoOrderHistory } from "../demo/history";

const localStores = new Map<string, LocalStoreAdmin>();

export function localShopify(shop: string): LocalStoreAdmin {
  if (config.mode === "production") throw new Error("The local store is for demo and test mode only");
  let store = localStores.get(shop);
  if (!store) {
    // The demo storefront stands in for a live theme with the app embed on.
    const themeSettings =
      config.mode === "demo" && shop === config.demoShop
        ? JSON.stringify({ current: { blocks: { demo: { type: "shopify://apps/kembali/blocks/app_embed/demo", disabled: false } } } })
        : null;
    // Every scope Kembali asks for is granted, as on a shop that approved them (the demo reads
    // its whole older history); a test takes one away through the store's state.
    store = localStoreAdmin(createLocalStoreState({ themeSettings, accessScopes: [...SCOPES] }));
    // The demo shop's Shopify sells the demo catalogue.
    if (config.mode === "demo" && shop === config.demoShop) {
      for (const p of DEMO_PRODUCTS) store.setProduct(p.productId, { tags: [], collectionIds: [] });
      // ...and holds the orders placed before the shop installed Kembali (what the import reads).
      for (const order of demoOrderHistory(new Date())) store.addOrder(order);
    }
    localStores.set(shop, store);
  }
  return store;
}

export async function shopifyFor(shop: string): Promise<ShopifyAdmin> {
  if (config.mode !== "production") return localShopify(shop);
  const { admin } = await unauthenticated.admin(shop);
  return graphqlAdmin(admin.graphql as AdminGraphql);
}
