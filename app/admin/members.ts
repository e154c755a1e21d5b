// The merchant's view of members, for the Customers pages: find customers (search, segment
// and tier filters) and explain one balance from the ledger. Changes to members (adjusting a
// balance, importing order history) are in app/domain/members/changes.ts.
import type { Deps } from "~/domain/deps";
import { dialectOf } from "~/db-types";
import type { EntryKind } from "~/domain/ledger/ledger";
import { labelEntries, type EntryLabel } from "~/domain/ledger/entry-labels";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import { addMonths } from "~/domain/ledger/expiry";
import { NO_SEGMENT, SEGMENTS, type Segment } from "~/domain/analytics/segments";
import { currentTierProgram, NO_TIER } from "~/domain/tiers";

const PAGE_MAX = 100;

async function shopOf(db: Deps["db"], domain: string) {
  const shop = await findShop(db, domain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${domain} is not installed`);
  return shop;
}

async function customerOf(db: Deps["db"], shopId: string, shopifyCustomerId: string) {
  const customer = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId } } });
  // The same answer whether the id is unknown or another shop's: nothing leaks.
  if (!customer) throw new KembaliError("NOT_FOUND", "No such customer in this shop");
  return customer;
}

// ---------------------------------------------------------------------------------------
// Search

export interface MemberRow {
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  balance: number;
  pending: number;
  orders: number;
  lastActivityAt: string | null;
  redacted: boolean;
  /** RFM segment as of the last dashboard snapshot; null: no purchase in the 24-month window. */
  segment: Segment | null;
  /** Tier key under the current tier program; null below the first tier. */
  tier: string | null;
}

export interface MemberPage {
  members: MemberRow[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

// ---------------------------------------------------------------------------------------
// Filters: segment and tier

export { NO_SEGMENT };
/** NO_SEGMENT: customers with no purchase in the window; NO_TIER: customers without a tier; null: no filter. */
export type SegmentFilter = Segment | typeof NO_SEGMENT;

export interface MemberFilters {
  segment: SegmentFilter | null;
  /** A tier key of the current program, NO_TIER, or null for every customer. */
  tier: string | null;
}

export interface MemberFilterOptions {
  /** The filters that apply: values from the URL that this shop knows. */
  filters: MemberFilters;
  /** URL values that were not understood and were left out (the page says so). */
  ignored: Array<"segment" | "tier">;
  /** The current tier program's tiers, in threshold order (empty without a program). */
  tiers: Array<{ key: string; name: string }>;
  /** When customers' segments were last computed (the dashboard's "segments" part); null: never. */
  segmentsAsOf: string | null;
}

/**
 * Reads the segment and tier filters from the page's URL. An empty value or "all" means no
 * filter; an unknown value (a typo, a tier removed since the link was shared) is ignored and
 * reported rather than refused, so an old link still opens the list.
 */
export async function memberFilterOptions(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  raw: { segment?: string | null; tier?: string | null },
): Promise<MemberFilterOptions> {
  const shop = await shopOf(deps.db, shopDomain);
  const [program, snapshot] = await Promise.all([
    currentTierProgram(deps.db, shop.id),
    deps.db.analyticsSnapshot.findUnique({ where: { shopId_key: { shopId: shop.id, key: "segments" } }, select: { asOf: true } }),
  ]);
  const tiers = (program?.tiers ?? []).map((tier) => ({ key: tier.key, name: tier.name }));
  const ignored: MemberFilterOptions["ignored"] = [];
  const pick = <T extends string>(value: string | null | undefined, allowed: readonly T[], name: "segment" | "tier"): T | null => {
    const v = (value ?? "").trim();
    if (v === "" || v === "all") return null;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    ignored.push(name);
    return null;
  };
  return {
    filters: {
      segment: pick<SegmentFilter>(raw.segment, [...SEGMENTS, NO_SEGMENT], "segment"),
      tier: pick(raw.tier, [...tiers.map((t) => t.key), NO_TIER], "tier"),
    },
    ignored,
    tiers,
    segmentsAsOf: snapshot?.asOf.toISOString() ?? null,
  };
}

/** The Prisma condition of a (validated) filter; a value outside the known ones matches nothing. */
function filterWhere({ segment, tier }: Partial<MemberFilters>) {
  const where: { segment?: string | null; tier?: string | null } = {};
  if (segment) where.segment = segment === NO_SEGMENT ? null : segment;
  if (tier) where.tier = tier === NO_TIER ? null : tier;
  return where;
}

/**
 * PostgreSQL compares text case-sensitively unless asked, and SQLite rejects the option
 * (its LIKE already ignores ASCII case), so the option is set only where it exists.
 */
function textMatch(db: Deps["db"], term: string) {
  return dialectOf(db) === "postgresql" ? ({ contains: term, mode: "insensitive" } as { contains: string }) : { contains: term };
}

export async function searchMembers(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  {
    query,
    cursor,
    take = 25,
    segment = null,
    tier = null,
  }: { query?: string | null; cursor?: string | null; take?: number } & Partial<MemberFilters> = {},
): Promise<MemberPage> {
  const shop = await shopOf(deps.db, shopDomain);
  const size = Math.min(Math.max(Math.trunc(take) || 25, 1), PAGE_MAX);
  // Every word must match one of the fields, so "ayu lestari" finds first + last name.
  const terms = (query ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 5);
  const where = {
    shopId: shop.id,
    ...filterWhere({ segment, tier }),
    AND: terms.map((term) => ({
      OR: [
        { email: textMatch(deps.db, term) },
        { firstName: textMatch(deps.db, term) },
        { lastName: textMatch(deps.db, term) },
        { shopifyCustomerId: { contains: term } },
      ],
    })),
  };
  // The cursor must be this shop's customer: a foreign id would start nowhere, not elsewhere.
  const start = cursor ? await deps.db.customer.findFirst({ where: { id: cursor, shopId: shop.id }, select: { id: true } }) : null;
  const rows = await deps.db.customer.findMany({
    where,
    orderBy: [{ lastActivityAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
    ...(start ? { cursor: { id: start.id }, skip: 1 } : {}),
    take: size + 1,
    include: { _count: { select: { orders: { where: { paidAt: { not: null } } } } } },
  });
  const page = rows.slice(0, size);
  return {
    members: page.map((c) => ({
      shopifyCustomerId: c.shopifyCustomerId,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      balance: c.balance,
      pending: c.pendingPoints,
      orders: c._count.orders,
      lastActivityAt: c.lastActivityAt?.toISOString() ?? null,
      redacted: c.redactedAt !== null,
      segment: (SEGMENTS as readonly string[]).includes(c.segment ?? "") ? (c.segment as Segment) : null,
      tier: c.tier,
    })),
    nextCursor: rows.length > size ? page[page.length - 1].id : null,
  };
}

// ---------------------------------------------------------------------------------------
// Audit: why this balance

export interface AuditEntry {
  id: string;
  kind: EntryKind;
  points: number;
  /** Spendable balance right after the entry was written (pending points excluded). */
  balanceAfter: number;
  /** Sum of all entries up to this one, in date order: what balance + pending added up to then. */
  runningTotal: number;
  /** The stored reason (English for the app's own entries): what the page shows is `label`. */
  reason: string | null;
  label: EntryLabel;
  source: string;
  /** The order an entry came from (earned on it, reversed by its refund or cancellation): its page in the Shopify admin. */
  order: { id: string; url: string } | null;
  at: string;
  /** Additions are lots that spends and expiries draw from; null for deductions. */
  lot: { remaining: number; pending: boolean; availableAt: string | null; expiresAt: string | null } | null;
}

export interface MemberAudit {
  currency: string;
  profile: {
    shopifyCustomerId: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    memberSince: string;
    lastActivityAt: string | null;
    redacted: boolean;
  };
  balance: number;
  pending: number;
  entries: AuditEntry[];
  redemptions: Array<{
    id: string;
    reward: string;
    pointsSpent: number;
    status: string;
    code: string | null;
    at: string;
    expiresAt: string | null;
    failureReason: string | null;
  }>;
  /** With expiry after inactivity: when the whole balance goes unless the member earns or spends. */
  inactivityExpiresAt: string | null;
  /** balance + pending equals the sum of the ledger entries. */
  consistent: boolean;
  ledgerSum: number;
}

/** Entries whose source id is the Shopify order's id. */
const ORDER_SOURCES = new Set(["order", "refund", "cancellation", "stamps"]);

/** An order's page in the Shopify admin (admin.shopify.com/store/<store>/orders/<id>). */
export function adminOrderUrl(shopDomain: string, shopifyOrderId: string): string {
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(store)}/orders/${encodeURIComponent(shopifyOrderId)}`;
}

export async function memberAudit(deps: Pick<Deps, "db">, shopDomain: string, shopifyCustomerId: string): Promise<MemberAudit> {
  const shop = await shopOf(deps.db, shopDomain);
  const customer = await customerOf(deps.db, shop.id, shopifyCustomerId);
  const [entries, redemptions] = await Promise.all([
    deps.db.pointsEntry.findMany({
      where: { shopId: shop.id, customerId: customer.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    deps.db.redemption.findMany({
      where: { shopId: shop.id, customerId: customer.id },
      orderBy: { createdAt: "desc" },
      include: { reward: { select: { name: true } } },
    }),
  ]);
  const { expiry } = shop.settings;
  // Lots carry no expiry date of their own when it follows from the program's setting.
  const lotExpiry = (e: (typeof entries)[number]) =>
    e.expiresAt ?? (expiry.mode === "after_earning" ? addMonths(e.createdAt, expiry.months) : null);
  const labels = await labelEntries(deps, shop.id, entries);
  let running = 0;
  const audit = entries.map((e, i): AuditEntry => {
    running += e.points;
    return {
      id: e.id,
      kind: e.kind as EntryKind,
      points: e.points,
      balanceAfter: e.balanceAfter,
      runningTotal: running,
      reason: e.reason,
      label: labels[i]!,
      source: `${e.sourceType}:${e.sourceId}`,
      order: ORDER_SOURCES.has(e.sourceType) && e.sourceId ? { id: e.sourceId, url: adminOrderUrl(shopDomain, e.sourceId) } : null,
      at: e.createdAt.toISOString(),
      lot:
        e.points > 0
          ? {
              remaining: e.remainingPoints ?? 0,
              pending: e.pending,
              availableAt: e.availableAt?.toISOString() ?? null,
              expiresAt: lotExpiry(e)?.toISOString() ?? null,
            }
          : null,
    };
  });
  return {
    currency: shop.currency,
    profile: {
      shopifyCustomerId: customer.shopifyCustomerId,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      memberSince: customer.createdAt.toISOString(),
      lastActivityAt: customer.lastActivityAt?.toISOString() ?? null,
      redacted: customer.redactedAt !== null,
    },
    balance: customer.balance,
    pending: customer.pendingPoints,
    entries: audit,
    redemptions: redemptions.map((r) => ({
      id: r.id,
      reward: r.reward.name,
      pointsSpent: r.pointsSpent,
      status: r.status,
      code: r.code,
      at: r.createdAt.toISOString(),
      expiresAt: r.expiresAt?.toISOString() ?? null,
      failureReason: r.failureReason,
    })),
    inactivityExpiresAt:
      expiry.mode === "inactivity" && customer.lastActivityAt && customer.balance > 0
        ? addMonths(customer.lastActivityAt, expiry.months).toISOString()
        : null,
    consistent: customer.balance + customer.pendingPoints === running,
    ledgerSum: running,
  };
}
