// What the storefront widget shows, in one answer (one App Proxy call per panel open).
import type { Deps } from "./deps";
import { findShop } from "./shops";
import { KembaliError } from "./errors";

export interface ShopperState {
  shop: { currency: string };
  program: { earning: { points: number; perAmount: number } };
  /** null for a guest (nobody logged in). */
  customer: {
    balance: number;
    history: Array<{ kind: string; points: number; reason: string | null; at: string }>;
  } | null;
}

export async function shopperState(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  shopifyCustomerId: string | null,
): Promise<ShopperState> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", "This shop has not installed Kembali");
  const base = { shop: { currency: shop.currency }, program: { earning: shop.settings.earning } };
  if (!shopifyCustomerId) return { ...base, customer: null };

  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: {
      balance: true,
      pointsEntries: {
        orderBy: { createdAt: "desc" },
        take: 10,
        select: { kind: true, points: true, reason: true, createdAt: true },
      },
    },
  });
  return {
    ...base,
    customer: {
      balance: customer?.balance ?? 0,
      history: (customer?.pointsEntries ?? []).map((e) => ({
        kind: e.kind,
        points: e.points,
        reason: e.reason,
        at: e.createdAt.toISOString(),
      })),
    },
  };
}
