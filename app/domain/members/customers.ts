import type { Deps } from "../deps";
import { ensureShop, findShop } from "../shop/shops";
import { upsertCustomer, type OrderCustomer } from "../earning/orders";
import { recordAccountSignal, type AccountSignal } from "../earning/bonuses";
import { endPlanOnUninstall } from "../shop/plans";

/**
 * customers/create, customers/update and customers/enable: keep the member's profile current
 * and note what the payload's `state` says about their account; the signup bonus is paid once
 * they have an account made while Kembali is installed (bonuses.recordAccountSignal).
 */
export async function recordCustomer(
  deps: Deps,
  shopDomain: string,
  customer: OrderCustomer,
  signal: Exclude<AccountSignal, { source: "storefront" }>,
) {
  const shop = await ensureShop(deps.db, shopDomain);
  const row = await upsertCustomer(deps.db, shop, customer);
  await recordAccountSignal(deps, shop, row, signal);
  return row;
}

/**
 * app/uninstalled: sessions go at once; the shop's data stays until shop/redact (48 h later).
 * Shopify cancels the app's subscriptions, so a paid plan ends (`at`: when it was uninstalled).
 */
export async function recordUninstall(deps: Deps, shopDomain: string, at: Date = deps.clock()) {
  await deps.db.session.deleteMany({ where: { shop: shopDomain } });
  if (await findShop(deps.db, shopDomain)) {
    // Shopify removes the app's web pixel with the app: a reinstall connects it again.
    await deps.db.shop.update({ where: { domain: shopDomain }, data: { uninstalledAt: deps.clock(), pixelConnectedAt: null } });
    await endPlanOnUninstall(deps, shopDomain, at);
  }
}
