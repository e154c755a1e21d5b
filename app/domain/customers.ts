import type { Deps } from "./deps";
import { ensureShop, findShop } from "./shops";
import { upsertCustomer, type OrderCustomer } from "./orders";
import { awardSignupBonus } from "./bonuses";
import { endPlanOnUninstall } from "./plans";

/** customers/create and customers/update: keep the member's profile current; a new account gets the welcome bonus. */
export async function recordCustomer(
  deps: Deps,
  shopDomain: string,
  customer: OrderCustomer,
  { created = false }: { created?: boolean } = {},
) {
  const shop = await ensureShop(deps.db, shopDomain);
  const row = await upsertCustomer(deps.db, shop, customer);
  if (created && !row.holdout) await awardSignupBonus(deps, shop, row.id, row.shopifyCustomerId);
  return row;
}

/**
 * app/uninstalled: sessions go at once; the shop's data stays until shop/redact (48 h later).
 * Shopify cancels the app's subscriptions, so a paid plan ends (`at`: when it was uninstalled).
 */
export async function recordUninstall(deps: Deps, shopDomain: string, at: Date = deps.clock()) {
  await deps.db.session.deleteMany({ where: { shop: shopDomain } });
  if (await findShop(deps.db, shopDomain)) {
    await deps.db.shop.update({ where: { domain: shopDomain }, data: { uninstalledAt: deps.clock() } });
    await endPlanOnUninstall(deps, shopDomain, at);
  }
}
