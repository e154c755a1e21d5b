// The demo shop's Shopify, as the local store stands in for it (demo mode only; wired in
// app/deps.server.ts): a live theme with the app embed on, the demo catalogue, and the orders
// placed before the shop installed Kembali (what the history import reads, all of it: every
// scope is granted).
import { config } from "../config.server";
import type { LocalProduct } from "../shopify/admin/local-store.server";
import type { LocalStoreStandIn } from "../shopify/shopify-for.server";
import { DEMO_PRODUCTS, type DemoProduct } from "./catalog";
import { demoOrderHistory } from "./history";

export const demoStandIn: LocalStoreStandIn = (shop, store) => {
  if (config.mode !== "demo" || shop !== config.demoShop) return;
  store.state.themeSettings = JSON.stringify({
    current: { blocks: { demo: { type: "shopify://apps/kembali/blocks/app_embed/demo", disabled: false } } },
  });
  for (const p of DEMO_PRODUCTS) store.setProduct(p.productId, demoShopifyProduct(p));
  for (const order of demoOrderHistory(new Date())) store.addOrder(order);
};

/** A demo product as the demo's Shopify holds it: the price in minor units (IDR has two), sold out or not. */
export function demoShopifyProduct(p: DemoProduct): LocalProduct {
  return {
    tags: [],
    collectionIds: [],
    title: p.title,
    handle: p.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, ""),
    price: p.price * 100,
    inStock: !p.soldOut,
  };
}
