// Keeps each member's kembali.balance metafield equal to their balance, so the storefront
// launcher shows it on first paint from Liquid, with no JavaScript and no network call.
// Batched (the port sends metafieldsSet in groups Shopify accepts) and safe to run anywhere:
// a member is written again until the stored copy matches. The same run writes kembali.holdout
// for customers in the holdout group (and for anyone released from it), so the app embed can
// hide the launcher from them in Liquid (holdout.ts).
import type { Deps } from "../deps";
import type { ShopifyAdmin } from "../../shopify/admin/port";

export async function syncBalanceMetafields(
  deps: Pick<Deps, "db"> & { shopifyFor: (shop: string) => Promise<ShopifyAdmin> },
  { shopId, limit = 250 }: { shopId?: string; limit?: number } = {},
): Promise<{ written: number; failed: Array<{ shop: string; error: unknown }> }> {
  const { fields } = deps.db.customer;
  const stale = await deps.db.customer.findMany({
    where: {
      ...(shopId ? { shopId } : {}),
      shop: { uninstalledAt: null },
      redactedAt: null,
      OR: [
        { metafieldBalance: null },
        { metafieldBalance: { lt: fields.balance } },
        { metafieldBalance: { gt: fields.balance } },
        { holdout: true, OR: [{ metafieldHoldout: null }, { metafieldHoldout: false }] },
        { holdout: false, metafieldHoldout: true },
      ],
    },
    select: {
      id: true,
      shopifyCustomerId: true,
      balance: true,
      tier: true,
      holdout: true,
      metafieldHoldout: true,
      shop: { select: { domain: true } },
    },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  const byShop = new Map<string, typeof stale>();
  for (const c of stale) byShop.set(c.shop.domain, [...(byShop.get(c.shop.domain) ?? []), c]);
  let written = 0;
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const [shop, customers] of byShop) {
    try {
      const shopify = await deps.shopifyFor(shop);
      await shopify.setCustomerMetafields(
        customers.map((c) => ({
          customerId: c.shopifyCustomerId,
          balance: c.balance,
          tier: c.tier,
          // Only customers ever held out carry the flag: members' writes stay one metafield.
          ...(holdoutStale(c) ? { holdout: c.holdout } : {}),
        })),
      );
    } catch (error) {
      // One shop's trouble (no session, Shopify down) must not hold up the others; its members
      // stay stale and are tried again on the next run.
      failed.push({ shop, error });
      continue;
    }
    for (const c of customers) {
      await deps.db.customer.update({
        where: { id: c.id },
        data: { metafieldBalance: c.balance, ...(holdoutStale(c) ? { metafieldHoldout: c.holdout } : {}) },
      });
    }
    written += customers.length;
  }
  return { written, failed };
}

function holdoutStale(c: { holdout: boolean; metafieldHoldout: boolean | null }): boolean {
  return c.holdout !== (c.metafieldHoldout ?? false);
}
