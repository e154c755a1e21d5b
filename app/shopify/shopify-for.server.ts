// Which Admin API a shop's work talks to: Shopify's GraphQL API through the shop's stored
// offline session in production; in demo and test mode, an in-memory store per shop (this
// process only), so whole flows run without a network. What the demo shop's store holds is
// the demo's business: the demo wiring hands it in (useLocalStoreStandIn, from app/deps.server.ts).
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { config } from "../config.server";
import { KembaliError } from "../domain/errors";
import { SCOPES, unauthenticated } from "../shopify.server";
import { graphqlAdmin, type AdminGraphql } from "./admin/graphql.server";
import { createLocalStoreState, localStoreAdmin, type LocalStoreAdmin } from "./admin/local-store.server";
import type { ShopifyAdmin } from "./admin/port";

const localStores = new Map<string, LocalStoreAdmin>();

/** Fills a shop's new local store (the demo shop's catalogue, theme and older orders). */
export type LocalStoreStandIn = (shop: string, store: LocalStoreAdmin) => void;
let standIn: LocalStoreStandIn | null = null;

export function useLocalStoreStandIn(fill: LocalStoreStandIn): void {
  if (config.mode === "production") throw new Error("The local store is for demo and test mode only");
  standIn = fill;
}

export function localShopify(shop: string): LocalStoreAdmin {
  if (config.mode === "production") throw new Error("The local store is for demo and test mode only");
  let store = localStores.get(shop);
  if (!store) {
    // Every scope Kembali asks for is granted, as on a shop that approved them; a test takes
    // one away through the store's state.
    store = localStoreAdmin(createLocalStoreState({ accessScopes: [...SCOPES] }));
    standIn?.(shop, store);
    localStores.set(shop, store);
  }
  return store;
}

export async function shopifyFor(shop: string): Promise<ShopifyAdmin> {
  if (config.mode !== "production") return localShopify(shop);
  try {
    const { admin } = await unauthenticated.admin(shop);
    return graphqlAdmin(admin.graphql as AdminGraphql);
  } catch (error) {
    // No offline session: the app is not (or no longer) installed on this shop. A signed
    // storefront call for it is answered as the extensions answer one (a 4xx), not with a 500.
    if (error instanceof SessionNotFoundError) throw new KembaliError("NOT_FOUND", "Kembali is not installed on this shop");
    throw error;
  }
}
