import type { Deps } from "./deps";
import { ensureShop, findShop } from "./shops";
import { upsertCustomer, type OrderCustomer } from "./orders";

/** customers/create and customers/update: keep the member's profile current. */
export async function recordCustomer(deps: Pick<Deps, "db">, shopDomain: string, customer: OrderCustomer) {
  const shop = await ensureShop(deps.db, shopDomain);
  return upsertCustomer(deps.db, shop.id, customer);
}

/** app/uninstalled: sessions go at once; the shop's data stays until shop/redact (48 h later). */
export async function recordUninstall(deps: Deps, shopDomain: string) {
  await deps.db.session.deleteMany({ where: { shop: shopDomain } });
  if (await findShop(deps.db, shopDomain)) {
    await deps.db.shop.update({ where: { domain: shopDomain }, data: { uninstalledAt: deps.clock() } });
  }
}
