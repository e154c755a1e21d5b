// Shopify's mandatory privacy webhooks.
import type { Deps } from "./deps";
import { findShop } from "./shops";

/** customers/data_request: record it; the export is built from current data when downloaded. */
export async function recordDataRequest(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  return deps.db.dataRequest.create({ data: { shopId: shop.id, shopifyCustomerId } });
}

/** Everything Kembali holds about one customer of one shop. */
export async function customerDataExport(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    include: {
      pointsEntries: { orderBy: { createdAt: "asc" } },
      orders: { include: { lines: true }, orderBy: { orderedAt: "asc" } },
    },
  });
  if (!customer) return { shop: shopDomain, customer: null };
  const money = (minor: bigint) => minor.toString();
  return {
    shop: shopDomain,
    customer: {
      shopifyCustomerId: customer.shopifyCustomerId,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      balance: customer.balance,
      pendingPoints: customer.pendingPoints,
      tier: customer.tier,
      tierSince: customer.tierSince?.toISOString() ?? null,
      birthday: customer.birthdayMonth
        ? { month: customer.birthdayMonth, day: customer.birthdayDay, savedAt: customer.birthdaySavedAt?.toISOString() ?? null }
        : null,
      accountSeenAt: customer.accountSeenAt?.toISOString() ?? null,
      memberSince: customer.createdAt.toISOString(),
      redactedAt: customer.redactedAt?.toISOString() ?? null,
    },
    pointsEntries: customer.pointsEntries.map((e) => ({
      kind: e.kind,
      points: e.points,
      balanceAfter: e.balanceAfter,
      reason: e.reason,
      source: `${e.sourceType}:${e.sourceId}`,
      at: e.createdAt.toISOString(),
    })),
    orders: customer.orders.map((o) => ({
      shopifyOrderId: o.shopifyOrderId,
      currency: o.currency,
      totalMinor: money(o.totalMinor),
      subtotalMinor: money(o.subtotalMinor),
      orderedAt: o.orderedAt.toISOString(),
      paidAt: o.paidAt?.toISOString() ?? null,
      cancelledAt: o.cancelledAt?.toISOString() ?? null,
      lines: o.lines.map((l) => ({ productId: l.productId, variantId: l.variantId, title: l.title, quantity: l.quantity, priceMinor: money(l.priceMinor) })),
    })),
  };
}

/** customers/redact: erase personal data; the ledger's points and totals stay consistent. */
export async function redactCustomer(deps: Deps, shopDomain: string, shopifyCustomerId: string, email?: string | null) {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return;
  // Member CSV rows may name them too, even when they are not in Kembali: found by id, by
  // the member they matched, or by email (theirs here, or the one Shopify sends).
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    select: { id: true, email: true },
  });
  const emails = [...new Set([customer?.email, email].flatMap((e) => (e ? [e.trim().toLowerCase()] : [])))];
  await deps.db.memberImportRow.updateMany({
    where: {
      memberImport: { shopId: shop.id },
      OR: [{ shopifyCustomerId }, ...(customer ? [{ customerId: customer.id }] : []), ...(emails.length ? [{ email: { in: emails } }] : [])],
    },
    data: { ...FORGOTTEN_ROW, errorValue: null },
  });
  await deps.db.customer.updateMany({
    where: { shopId: shop.id, shopifyCustomerId },
    data: { email: null, firstName: null, lastName: null, birthdayMonth: null, birthdayDay: null, birthdaySavedAt: null, redactedAt: deps.clock() },
  });
}

/**
 * A staged member CSV row without who it names or their personal fields: it is detached from
 * the member (customerId null), so an import applies nothing from it. Used by customers/redact
 * and once an import is applied.
 */
export const FORGOTTEN_ROW = {
  shopifyCustomerId: null, email: null, birthdayMonth: null, birthdayDay: null, referralCode: null, customerId: null,
} as const;

/** shop/redact (48 h after uninstall): delete everything the shop had here. */
export async function redactShop(deps: Pick<Deps, "db">, shopDomain: string) {
  await deps.db.session.deleteMany({ where: { shop: shopDomain } });
  await deps.db.webhookEvent.deleteMany({ where: { shopDomain, topic: { not: "SHOP_REDACT" } } });
  await deleteShopData(deps.db, shopDomain);
}

/**
 * The shop and all its data, sessions and webhook records aside. Customers, orders, refunds,
 * ledger, imports and requests go with the shop (onDelete: Cascade); tier rows and dashboard
 * snapshots are keyed by shop id and jobs by domain, without a relation, so they are deleted
 * here. Also used by the demo seed's --reset and --fresh.
 */
export async function deleteShopData(db: Deps["db"], shopDomain: string) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (shop) {
    await db.tierChange.deleteMany({ where: { shopId: shop.id } });
    await db.tierProgram.deleteMany({ where: { shopId: shop.id } });
    await db.analyticsSnapshot.deleteMany({ where: { shopId: shop.id } });
  }
  await db.job.deleteMany({ where: { shopDomain } });
  await db.shop.deleteMany({ where: { domain: shopDomain } });
}
