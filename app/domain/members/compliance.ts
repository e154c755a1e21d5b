// Shopify's mandatory privacy webhooks, and the data requests' side in the admin: the list,
// each customer's export as a download, and marking a request answered.
import type { Deps } from "../deps";
import { findShop } from "../shop/shops";
import { forgetReferralContacts, type ReferralDeps } from "../referrals";
import { KembaliError } from "../errors";

/** customers/data_request: record it; the export is built from current data when downloaded. */
export async function recordDataRequest(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  return deps.db.dataRequest.create({ data: { shopId: shop.id, shopifyCustomerId } });
}

/**
 * Everything Kembali holds about one customer of one shop, built from the current data, so after
 * customers/redact it no longer holds the erased personal fields. Only the customer's own data:
 * referrals they made carry no word about the friend.
 */
export async function customerDataExport(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string) {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
    include: {
      pointsEntries: { orderBy: { createdAt: "asc" } },
      orders: { include: { lines: true }, orderBy: { orderedAt: "asc" } },
      redemptions: { include: { reward: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
      referralCode: { select: { code: true } },
      referralsMade: { orderBy: { createdAt: "asc" } },
      referralsReceived: { orderBy: { createdAt: "asc" } },
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
      lines: o.lines.map((l) => ({
        productId: l.productId,
        variantId: l.variantId,
        title: l.title,
        quantity: l.quantity,
        priceMinor: money(l.priceMinor),
      })),
    })),
    redemptions: customer.redemptions.map((r) => ({
      reward: r.reward.name,
      pointsSpent: r.pointsSpent,
      status: r.status,
      code: r.code,
      expiresAt: r.expiresAt?.toISOString() ?? null,
      at: r.createdAt.toISOString(),
    })),
    referrals: {
      code: customer.referralCode?.code ?? null,
      made: customer.referralsMade.map((r) => ({ status: r.status, points: r.points, at: r.createdAt.toISOString() })),
      referredBy: customer.referralsReceived.map((r) => ({ status: r.status, at: r.createdAt.toISOString() })),
    },
  };
}

export interface DataRequestRow {
  id: string;
  shopifyCustomerId: string;
  /** What Kembali holds to recognise them; null when Kembali has no such customer. */
  customer: { firstName: string | null; lastName: string | null; email: string | null; redacted: boolean } | null;
  receivedAt: string;
  fulfilledAt: string | null;
}

/** More pending requests than this is not a real shop's case; the page says how many there are. */
const PENDING_SHOWN = 250;
const FULFILLED_SHOWN = 50;

async function shopIdOf(db: Deps["db"], shopDomain: string): Promise<string> {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop.id;
}

/** The shop's data requests: those waiting for an answer (oldest first), then the latest answered. */
export async function listDataRequests(deps: Pick<Deps, "db">, shopDomain: string) {
  const shopId = await shopIdOf(deps.db, shopDomain);
  const [pending, pendingCount, fulfilled] = await Promise.all([
    deps.db.dataRequest.findMany({
      where: { shopId, fulfilledAt: null },
      orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
      take: PENDING_SHOWN,
    }),
    deps.db.dataRequest.count({ where: { shopId, fulfilledAt: null } }),
    deps.db.dataRequest.findMany({
      where: { shopId, fulfilledAt: { not: null } },
      orderBy: [{ fulfilledAt: "desc" }, { id: "desc" }],
      take: FULFILLED_SHOWN,
    }),
  ]);
  const ids = [...new Set([...pending, ...fulfilled].map((r) => r.shopifyCustomerId))];
  const customers = await deps.db.customer.findMany({
    where: { shopId, shopifyCustomerId: { in: ids } },
    select: { shopifyCustomerId: true, firstName: true, lastName: true, email: true, redactedAt: true },
  });
  const byId = new Map(customers.map((c) => [c.shopifyCustomerId, c]));
  const row = (r: (typeof pending)[number]): DataRequestRow => {
    const c = byId.get(r.shopifyCustomerId);
    return {
      id: r.id,
      shopifyCustomerId: r.shopifyCustomerId,
      customer: c ? { firstName: c.firstName, lastName: c.lastName, email: c.email, redacted: c.redactedAt !== null } : null,
      receivedAt: r.receivedAt.toISOString(),
      fulfilledAt: r.fulfilledAt?.toISOString() ?? null,
    };
  };
  return { pending: pending.map(row), pendingCount, fulfilled: fulfilled.map(row) };
}

/** How many data requests wait for an answer (the Settings page's summary). */
export async function pendingDataRequestCount(deps: Pick<Deps, "db">, shopDomain: string): Promise<number> {
  const shop = await findShop(deps.db, shopDomain);
  return shop ? deps.db.dataRequest.count({ where: { shopId: shop.id, fulfilledAt: null } }) : 0;
}

async function requestOf(db: Deps["db"], shopDomain: string, requestId: string) {
  const shopId = await shopIdOf(db, shopDomain);
  // Scoped to the shop: another shop's request id is "not found", like an id that never existed.
  const request = await db.dataRequest.findFirst({ where: { id: requestId, shopId } });
  if (!request) throw new KembaliError("NOT_FOUND", "No such data request");
  return request;
}

/** One request's download: the customer's export as of now, with the request it answers. */
export async function dataRequestExport(deps: Pick<Deps, "db">, shopDomain: string, requestId: string) {
  const request = await requestOf(deps.db, shopDomain, requestId);
  const data = await customerDataExport(deps, shopDomain, request.shopifyCustomerId);
  return {
    fileName: `kembali-customer-${request.shopifyCustomerId.replace(/\W/g, "_")}-${request.receivedAt.toISOString().slice(0, 10)}.json`,
    body: {
      dataRequest: { receivedAt: request.receivedAt.toISOString(), shopifyCustomerId: request.shopifyCustomerId },
      ...data,
    },
  };
}

/** The merchant answered the request: recorded with when. Marking it again keeps the first time. */
export async function fulfilDataRequest(deps: Pick<Deps, "db" | "clock">, shopDomain: string, requestId: string) {
  const request = await requestOf(deps.db, shopDomain, requestId);
  if (request.fulfilledAt) return { id: request.id, fulfilledAt: request.fulfilledAt.toISOString(), changed: false };
  const at = deps.clock();
  const { count } = await deps.db.dataRequest.updateMany({ where: { id: request.id, fulfilledAt: null }, data: { fulfilledAt: at } });
  if (count === 1) return { id: request.id, fulfilledAt: at.toISOString(), changed: true };
  // Marked at the same moment from another tab: theirs stands.
  const now = await deps.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } });
  return { id: request.id, fulfilledAt: now.fulfilledAt!.toISOString(), changed: false };
}

/**
 * customers/redact: the referral contact hashes go first (they are found through the
 * customer's email), then the customer's personal data (redactCustomer).
 */
export async function onCustomerRedact(deps: ReferralDeps, shopDomain: string, shopifyCustomerId: string, email?: string | null) {
  await forgetReferralContacts(deps, shopDomain, shopifyCustomerId);
  await redactCustomer(deps, shopDomain, shopifyCustomerId, email);
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
      OR: [
        { shopifyCustomerId },
        ...(customer ? [{ customerId: customer.id }] : []),
        ...(emails.length ? [{ email: { in: emails } }] : []),
      ],
    },
    data: { ...FORGOTTEN_ROW, errorValue: null },
  });
  // Their survey comments are their own words: erased; the scores stay (no personal data).
  if (customer) {
    await deps.db.surveyResponse.updateMany({ where: { customerId: customer.id }, data: { comment: null } });
    await eraseEventText(deps.db, shop.id, customer.id);
    // The addresses their messages went to, and subjects that may name them.
    await deps.db.messageSend.updateMany({ where: { customerId: customer.id }, data: { recipient: null, subject: null } });
    // The storefront's stored answer for them (their history, codes, referral link).
    await deps.db.memberState.deleteMany({ where: { customerId: customer.id } });
    await forgetAddresses(deps.db, shop.id, shopDomain, customer.id);
  }
  // Their storefront rate-limit counters (keyed by their Shopify id), member or not.
  await deps.db.rateLimitHit.deleteMany({
    where: { key: { startsWith: `${shopDomain}:`, endsWith: `:customer:${shopifyCustomerId}` } },
  });
  if (!customer) return;
  // The member row stays for the ledger's totals, under a placeholder instead of their Shopify
  // id (docs/decisions/043-what-redact-keeps.md); their data requests follow it, so the
  // merchant's list still shows that each was received and answered.
  const placeholder = redactedCustomerId(customer.id);
  await deps.db.dataRequest.updateMany({ where: { shopId: shop.id, shopifyCustomerId }, data: { shopifyCustomerId: placeholder } });
  await deps.db.customer.update({
    where: { id: customer.id },
    data: {
      shopifyCustomerId: placeholder,
      email: null,
      firstName: null,
      lastName: null,
      birthdayMonth: null,
      birthdayDay: null,
      birthdaySavedAt: null,
      redactedAt: deps.clock(),
    },
  });
}

/** What a redacted member is known by instead of their Shopify customer id: Kembali's own row id. */
export function redactedCustomerId(customerId: string): string {
  return `redacted-${customerId}`;
}

/**
 * The keyed hashes of the addresses the customer ordered or claimed a friend code from (on their
 * own referral and friend-reward rows): erased wherever the shop keeps them, in referral
 * visits, referrals, friend rewards (with the guest key built from one) and rate-limit keys.
 */
async function forgetAddresses(db: Deps["db"], shopId: string, shopDomain: string, customerId: string) {
  const own = { shopId, friendId: customerId, ipHash: { not: null } };
  const rows = [
    ...(await db.referral.findMany({ where: own, select: { ipHash: true } })),
    ...(await db.friendReward.findMany({ where: own, select: { ipHash: true } })),
  ];
  const hashes = [...new Set(rows.flatMap((r) => (r.ipHash ? [r.ipHash] : [])))];
  if (!hashes.length) return;
  await db.referralVisit.updateMany({ where: { shopId, ipHash: { in: hashes } }, data: { ipHash: null } });
  await db.referral.updateMany({ where: { shopId, ipHash: { in: hashes } }, data: { ipHash: null } });
  await db.friendReward.updateMany({ where: { shopId, ipHash: { in: hashes } }, data: { ipHash: null, guestKey: null } });
  for (const hash of hashes)
    await db.rateLimitHit.deleteMany({ where: { key: { startsWith: `${shopDomain}:`, endsWith: `:ip:${hash}` } } });
  await forgetPixelCounters(db, hashes);
}

/**
 * The web pixel's per-address counters are checked before the shop is known, so their keys
 * (`pixel:ip:<hash>`) name no shop: those of the given address hashes are deleted by hash.
 */
async function forgetPixelCounters(db: Deps["db"], hashes: string[]) {
  for (let i = 0; i < hashes.length; i += 500) {
    await db.rateLimitHit.deleteMany({ where: { key: { in: hashes.slice(i, i + 500).map((h) => `pixel:ip:${h}`) } } });
  }
}

/** Every address hash the shop's rows hold (referrals, friend codes, referral-link visits). */
async function shopAddressHashes(db: Deps["db"], shopId: string): Promise<string[]> {
  const where = { shopId, ipHash: { not: null } };
  const rows = [
    ...(await db.referral.findMany({ where, select: { ipHash: true }, distinct: ["ipHash"] })),
    ...(await db.friendReward.findMany({ where, select: { ipHash: true }, distinct: ["ipHash"] })),
    ...(await db.referralVisit.findMany({ where, select: { ipHash: true }, distinct: ["ipHash"] })),
  ];
  return [...new Set(rows.flatMap((r) => (r.ipHash ? [r.ipHash] : [])))];
}

/**
 * The customer's words in their recorded events (a detractor alert's comment; the other
 * payloads hold ids, points, codes and dates): erased, the rest of the event stays.
 */
async function eraseEventText(db: Deps["db"], shopId: string, customerId: string) {
  const events = await db.customerEvent.findMany({
    where: { shopId, customerId, type: "detractor_alert" },
    select: { id: true, payload: true },
  });
  for (const e of events) {
    const payload = e.payload as Record<string, unknown> | null;
    if (!payload || typeof payload !== "object" || payload.comment == null) continue;
    await db.customerEvent.update({ where: { id: e.id }, data: { payload: { ...payload, comment: null } } });
  }
}

/**
 * A staged member CSV row without who it names or their personal fields: it is detached from
 * the member (customerId null), so an import applies nothing from it. Used by customers/redact
 * and once an import is applied.
 */
export const FORGOTTEN_ROW = {
  shopifyCustomerId: null,
  email: null,
  birthdayMonth: null,
  birthdayDay: null,
  referralCode: null,
  customerId: null,
} as const;

/** shop/redact (48 h after uninstall): delete everything the shop had here. */
export async function redactShop(deps: Pick<Deps, "db">, shopDomain: string) {
  await deps.db.session.deleteMany({ where: { shop: shopDomain } });
  // Every delivery record of the shop, this shop/redact's own too: a redelivery finds nothing
  // left to delete, so nothing is kept to recognise it by.
  await deps.db.webhookEvent.deleteMany({ where: { shopDomain } });
  // Storefront rate-limit counters: keyed "<shop>:<action>:...", with customer ids or address hashes.
  await deps.db.rateLimitHit.deleteMany({ where: { key: { startsWith: `${shopDomain}:` } } });
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (shop) await forgetPixelCounters(deps.db, await shopAddressHashes(deps.db, shop.id));
  await deleteShopData(deps.db, shopDomain);
}

/**
 * The shop and all its data, sessions and webhook records aside. Customers, orders, refunds,
 * ledger, imports, requests, recommendation tables and what the web pixel reported (RecsEvent,
 * RecsCheckout: no personal data) go with the shop (onDelete: Cascade); tier rows and dashboard
 * snapshots are keyed by shop id and jobs by domain, without a relation, so they are deleted
 * here. Also used by the demo seed's --reset and --fresh.
 */
export async function deleteShopData(db: Deps["db"], shopDomain: string) {
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (shop) {
    await db.tierChange.deleteMany({ where: { shopId: shop.id } });
    await db.tierProgram.deleteMany({ where: { shopId: shop.id } });
    await db.tierShipping.deleteMany({ where: { shopId: shop.id } });
    await db.analyticsSnapshot.deleteMany({ where: { shopId: shop.id } });
    // Events about no member (a guest's detractor answer) have no relation to cascade through.
    await db.customerEvent.deleteMany({ where: { shopId: shop.id } });
    // Before the shop's orders and entries go: each deleted row would count on these rows.
    await db.analyticsMonth.deleteMany({ where: { shopId: shop.id } });
  }
  await db.job.deleteMany({ where: { shopDomain } });
  await db.shop.deleteMany({ where: { domain: shopDomain } });
}
