// VIP tiers: a versioned tier program per shop, a preview of what a new version would do,
// a durable job that recalculates every customer under a saved version, and the one-customer
// evaluation after an order or refund. Each change of a customer's tier is one guarded update
// (only from the tier last read), recorded as a TierChange and a "tier_changed" event in the
// same transaction; Shopify (tag kembali-tier-<key>, "tier" metafield) is written after the
// transaction, and a TierChange stays unsynced until that write succeeded.
import { z } from "zod";
import type { Tx } from "../../db-types";
import type { ShopifyAdmin } from "../../shopify/admin/port";
import type { Deps, ShopifyFor, TxDeps } from "../deps";
import { enqueueJob, type JobHandler } from "../jobs";
import { KembaliError } from "../errors";
import { isUniqueViolation } from "../db-errors";
import { findShop } from "../shop/shops";
import { recordEvent } from "../messages/events";
import { amountsFromPurchases, qualifyingAmounts, type Purchase } from "./amounts";
import { execFragment, joinSql, num, query, sql } from "../sql";
import { markTierShipping } from "./shipping";
import {
  NO_TIER,
  parseTierProgram,
  tierFor,
  tierMove,
  tierProgramSchema,
  windowStart,
  withTierFloor,
  type Tier,
  type TierBasis,
  type TierProgramInput,
} from "./rules";

export * from "./rules";
export { customerPurchases, qualifyingAmounts, type Purchase } from "./amounts";
export { markTierShipping, syncTierShipping, tierSegmentName, tierShippingTitle } from "./shipping";

export const TIER_RECALCULATION_JOB = "tier_recalculation";
export const TIER_CHANGED_EVENT = "tier_changed" as const;

export type TierChangeReason = "order" | "refund" | "cancellation" | "recalculation" | "config_change" | "import";

export interface TierProgram extends TierProgramInput {
  version: number;
  createdAt: Date;
}

/** The Shopify tag a tier is written as. */
export const tierTag = (key: string) => `kembali-tier-${key}`;

function readProgram(row: { version: number; basis: string; period: string; tiers: unknown; createdAt: Date }): TierProgram {
  const parsed = tierProgramSchema.safeParse({ basis: row.basis, period: row.period, tiers: row.tiers });
  // Every version was validated when saved; a bad one here is a bug, not input.
  if (!parsed.success) throw new Error(`Stored tier program v${row.version} is invalid: ${parsed.error.message}`);
  return { ...parsed.data, version: row.version, createdAt: row.createdAt };
}

/** The shop's current (newest) tier program, or null when the merchant never saved one. */
export async function currentTierProgram(db: Tx, shopId: string): Promise<TierProgram | null> {
  const row = await db.tierProgram.findFirst({ where: { shopId }, orderBy: { version: "desc" } });
  return row ? readProgram(row) : null;
}

/** Every version, newest first (the program's history). */
export async function tierProgramHistory(db: Tx, shopId: string): Promise<TierProgram[]> {
  const rows = await db.tierProgram.findMany({ where: { shopId }, orderBy: { version: "desc" } });
  return rows.map(readProgram);
}

type FormerTiers = Map<string, { basis: TierBasis; threshold: number; position: number }>;

/** Each key any version used, as the newest version that had it defined it. */
async function formerTiers(db: Tx, shopId: string): Promise<FormerTiers> {
  return formerTiersOf(await tierProgramHistory(db, shopId));
}

function formerTiersOf(history: readonly TierProgram[]): FormerTiers {
  const former: FormerTiers = new Map();
  for (const program of history) {
    program.tiers.forEach((t, position) => {
      if (!former.has(t.key)) former.set(t.key, { basis: program.basis, threshold: t.threshold, position });
    });
  }
  return former;
}

/** A shop's tier programs as one read gives them: the current one and every key any version used. */
export interface TierPrograms {
  current: TierProgram | null;
  former: FormerTiers;
}

/**
 * The shop's tier programs, kept in this process per shop and Shop.stateVersion
 * (decision 049): a database trigger raises that version in the same transaction as every
 * write to TierProgram, so a version read from the shop row names one set of programs, and a
 * kept answer is used only for the version it was read under. An order's webhook reads the
 * shop row anyway; its program then costs no statement. One version is kept per shop; the
 * programs are values parsed once and shared by every caller of that version (never changed).
 */
export async function tierProgramsAt(db: Tx, shop: { id: string; stateVersion: number }): Promise<TierPrograms> {
  const kept = keptPrograms.get(shop.id);
  if (kept && kept.version === shop.stateVersion) return kept.programs;
  const history = await tierProgramHistory(db, shop.id);
  const programs: TierPrograms = { current: history[0] ?? null, former: formerTiersOf(history) };
  // Read after the shop row: at worst newer than its version says, never older. A reader that
  // saw an older version does not replace a newer one.
  if (!kept || kept.version < shop.stateVersion) {
    keptPrograms.delete(shop.id);
    if (keptPrograms.size >= KEPT_SHOPS_MAX) keptPrograms.delete(keptPrograms.keys().next().value!);
    keptPrograms.set(shop.id, { version: shop.stateVersion, programs });
  }
  return programs;
}

/** Shops whose programs a process keeps at once (the one kept longest is dropped first). */
const KEPT_SHOPS_MAX = 1000;
const keptPrograms = new Map<string, { version: number; programs: TierPrograms }>();

async function requireShop(db: Tx, shopDomain: string) {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop;
}

/** The schema, plus: every exclusive reward is one of the shop's rewards. */
async function validateProgram(db: Tx, shopId: string, proposed: unknown): Promise<TierProgramInput> {
  const program = parseTierProgram(proposed);
  const ids = [...new Set(program.tiers.flatMap((t) => t.exclusiveRewardIds))];
  const found = ids.length
    ? new Set((await db.reward.findMany({ where: { shopId, id: { in: ids } }, select: { id: true } })).map((r) => r.id))
    : new Set<string>();
  const issues = program.tiers.flatMap((t, i) =>
    t.exclusiveRewardIds
      .map((id, j) => ({ id, path: `tiers.${i}.exclusiveRewardIds.${j}` }))
      .filter(({ id }) => !found.has(id))
      .map(({ id, path }) => ({ path, message: `No reward ${id} in this shop` })),
  );
  if (issues.length) throw new KembaliError("BAD_INPUT", "Tier program is invalid", { issues });
  return program;
}

export interface TierPreview {
  up: number;
  down: number;
  unchanged: number;
  /** Customers per proposed tier key, and "none" for those below the first tier. */
  byTier: Record<string, number>;
  /** The first customers (in id order) whose tier would change. */
  sample: Array<{ customerId: string; shopifyCustomerId: string; from: string | null; to: string | null; amount: number }>;
}

const SAMPLE_SIZE = 20;

/**
 * What saving `proposed` would do to every customer of the shop, against their current tier
 * (see tierMove for how a removed tier counts). Writes nothing. A few aggregate queries, so
 * it stays fast for a shop with 100,000 customers.
 */
export async function previewTierProgram(deps: Deps, shopDomain: string, proposed: unknown): Promise<TierPreview> {
  const { db } = deps;
  const shop = await requireShop(db, shopDomain);
  const program = await validateProgram(db, shop.id, proposed);
  const [customers, amounts, former] = await Promise.all([
    db.customer.findMany({
      where: { shopId: shop.id },
      select: { id: true, shopifyCustomerId: true, tier: true, tierFloor: true, tierFloorUntil: true },
      orderBy: { id: "asc" },
    }),
    qualifyingAmounts(db, shop.id, program, deps.clock(), "all"),
    formerTiers(db, shop.id),
  ]);
  const preview: TierPreview = { up: 0, down: 0, unchanged: 0, byTier: {}, sample: [] };
  for (const t of program.tiers) preview.byTier[t.key] = 0;
  preview.byTier[NO_TIER] = 0;
  for (const c of customers) {
    const amount = amounts.get(c.id) ?? 0;
    const to = withTierFloor(tierFor(amount, program.tiers), program.tiers, c, deps.clock());
    preview.byTier[to?.key ?? NO_TIER]++;
    preview[tierMove(c.tier, to, program, former)]++;
    if (c.tier !== (to?.key ?? null) && preview.sample.length < SAMPLE_SIZE) {
      preview.sample.push({ customerId: c.id, shopifyCustomerId: c.shopifyCustomerId, from: c.tier, to: to?.key ?? null, amount });
    }
  }
  return preview;
}

/**
 * Validates and writes the next version (BAD_INPUT with field paths otherwise), marks the tiers
 * whose free shipping changed for the background sync, and queues the job that recalculates
 * every customer under it, in one transaction.
 */
export async function saveTierProgram(deps: TxDeps, shopDomain: string, proposed: unknown): Promise<{ version: number; jobId: string }> {
  const shop = await requireShop(deps.db, shopDomain);
  const program = await validateProgram(deps.db, shop.id, proposed);
  // Two saves at once compute the same next version; the unique index refuses one, which retries.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.transaction(async (tx) => {
        const last = await tx.tierProgram.findFirst({
          where: { shopId: shop.id },
          orderBy: { version: "desc" },
          select: { version: true },
        });
        const version = (last?.version ?? 0) + 1;
        await tx.tierProgram.create({
          data: { shopId: shop.id, version, basis: program.basis, period: program.period, tiers: program.tiers, createdAt: deps.clock() },
        });
        // A tier's free shipping turned on or off is made so in Shopify by the background sync.
        await markTierShipping(tx, shop.id, program);
        const job = await enqueueJob(
          { db: tx, clock: deps.clock },
          { shopDomain, type: TIER_RECALCULATION_JOB, input: { version, reason: "config_change" } },
        );
        return { version, jobId: job.id };
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/**
 * Queues a recalculation under the current version (for a periodic sweep: rolling and
 * calendar-year windows move with time, not only with orders). Returns null when the shop has
 * no tier program or a recalculation is already queued or running.
 */
export async function scheduleTierRecalculation(deps: Deps, shopDomain: string): Promise<{ jobId: string } | null> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return null;
  const program = await currentTierProgram(deps.db, shop.id);
  if (!program) return null;
  const open = await deps.db.job.findFirst({
    where: { shopDomain, type: TIER_RECALCULATION_JOB, status: { in: ["queued", "running"] } },
  });
  if (open) return null;
  const job = await enqueueJob(deps, {
    shopDomain,
    type: TIER_RECALCULATION_JOB,
    input: { version: program.version, reason: "recalculation" },
  });
  return { jobId: job.id };
}

interface ChangeInput {
  shopId: string;
  customerId: string;
  from: string | null;
  to: Tier | null;
  program: TierProgram;
  former: FormerTiers;
  reason: TierChangeReason;
  at: Date;
}

/**
 * Moves one customer from `from` to `to`, only if their tier is still `from`: a batch run
 * twice, or a job racing an order's evaluation, records each change once. Call in a transaction.
 */
async function applyTierChange(tx: Tx, c: ChangeInput): Promise<boolean> {
  const toKey = c.to?.key ?? null;
  const { count } = await tx.customer.updateMany({
    where: { id: c.customerId, shopId: c.shopId, tier: c.from },
    data: { tier: toKey, tierSince: toKey ? c.at : null },
  });
  if (count !== 1) return false;
  const change = await tx.tierChange.create({
    data: {
      shopId: c.shopId,
      customerId: c.customerId,
      fromTier: c.from,
      toTier: toKey,
      configVersion: c.program.version,
      reason: c.reason,
      createdAt: c.at,
    },
  });
  // One event per change: a customer may reach the same tier again after a refund and an order.
  await recordEvent(
    tx,
    c.shopId,
    c.customerId,
    TIER_CHANGED_EVENT,
    `tier:${c.customerId}:${c.program.version}:${toKey ?? NO_TIER}:${change.id}`,
    {
      from: c.from,
      to: toKey,
      toName: c.to?.name ?? null,
      direction: tierMove(c.from, c.to, c.program, c.former),
      version: c.program.version,
      reason: c.reason,
    },
    c.at,
  );
  return true;
}

/**
 * A tier carried over from another loyalty app (member CSV import): the customer holds at
 * least `tier` until `until`, and moves into it now unless they hold a higher one, recorded
 * like any other change (reason "import"). Call in a transaction; then syncTierChanges.
 */
export async function carryOverTier(
  tx: Tx,
  input: { shopId: string; customerId: string; tier: Tier; program: TierProgram; until: Date; at: Date },
): Promise<boolean> {
  const floor = { tierFloor: input.tier.key, tierFloorUntil: input.until };
  // A held-out customer gets no tier (decision 010), carried over or not.
  const { count } = await tx.customer.updateMany({ where: { id: input.customerId, holdout: false }, data: floor });
  if (count !== 1) return false;
  const customer = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: { tier: true } });
  // A member already in a higher tier keeps it.
  const held = input.program.tiers.find((t) => t.key === customer.tier) ?? null;
  const to = withTierFloor(held, input.program.tiers, floor, input.at);
  if (customer.tier === (to?.key ?? null)) return false;
  const former = await formerTiers(tx, input.shopId);
  return applyTierChange(tx, {
    shopId: input.shopId,
    customerId: input.customerId,
    from: customer.tier,
    to,
    program: input.program,
    former,
    reason: "import",
    at: input.at,
  });
}

/**
 * Writes to Shopify the current tier of each customer with an unsynced change (only among
 * `customerIds` when given): the one tier tag (every other tier tag removed) and the tier and balance
 * metafields ("none" without a tier: the port cannot delete a metafield). Then marks their
 * changes synced. Call outside any transaction. Returns how many customers were written.
 */
export async function syncTierChanges(
  deps: Deps & { shopify: ShopifyAdmin },
  shopId: string,
  customerIds?: readonly string[],
  /** The shop's stateVersion when the caller read it, for its tier programs (tierProgramsAt). */
  stateVersion?: number,
): Promise<number> {
  const { db } = deps;
  if (customerIds && customerIds.length > SYNC_IDS_PER_QUERY) {
    // Under the bound values SQLite allows in one statement.
    let written = 0;
    for (let i = 0; i < customerIds.length; i += SYNC_IDS_PER_QUERY) {
      written += await syncTierChanges(deps, shopId, customerIds.slice(i, i + SYNC_IDS_PER_QUERY), stateVersion);
    }
    return written;
  }
  // The unsynced changes with their customers' current tier and balance, in one statement; a
  // redacted customer's changes are marked synced without writing anything for them.
  const pending = await query<{
    id: string;
    customerId: string;
    fromTier: string | null;
    toTier: string | null;
    shopifyCustomerId: string | null;
    tier: string | null;
    balance: unknown;
  }>(
    db,
    sql`SELECT t."id" AS "id", t."customerId" AS "customerId", t."fromTier" AS "fromTier", t."toTier" AS "toTier",
          c."shopifyCustomerId" AS "shopifyCustomerId", c."tier" AS "tier", c."balance" AS "balance"
        FROM "TierChange" t LEFT JOIN "Customer" c ON c."id" = t."customerId" AND c."redactedAt" IS NULL
        WHERE t."shopId" = ${shopId} AND t."syncedAt" IS NULL${customerIds ? sql` AND t."customerId" IN (${joinSql(customerIds)})` : sql``}
        ORDER BY t."createdAt" ASC LIMIT 500`,
  );
  if (pending.length === 0) return 0;
  const former =
    stateVersion === undefined ? await formerTiers(db, shopId) : (await tierProgramsAt(db, { id: shopId, stateVersion })).former;
  const knownKeys = new Set(former.keys());
  for (const p of pending) for (const key of [p.fromTier, p.toTier]) if (key) knownKeys.add(key);

  const customers = new Map<string, { shopifyCustomerId: string; tier: string | null; balance: number }>();
  for (const p of pending) {
    if (p.shopifyCustomerId !== null)
      customers.set(p.customerId, { shopifyCustomerId: p.shopifyCustomerId, tier: p.tier, balance: num(p.balance) });
  }
  for (const c of customers.values()) {
    const keep = c.tier ? tierTag(c.tier) : null;
    const remove = [...knownKeys].map(tierTag).filter((t) => t !== keep);
    await deps.shopify.tagCustomer(c.shopifyCustomerId, keep ? [keep] : [], remove);
  }
  await deps.shopify.setCustomerMetafields(
    [...customers.values()].map((c) => ({ customerId: c.shopifyCustomerId, balance: c.balance, tier: c.tier ?? NO_TIER })),
  );
  // One statement (Prisma's updateMany would add a transaction around it).
  await execFragment(db, sql`UPDATE "TierChange" SET "syncedAt" = ${deps.clock()} WHERE "id" IN (${joinSql(pending.map((p) => p.id))})`);
  return customers.size;
}

/** Customers per syncTierChanges query (its ids are bound values, with SQLite's limit of 999). */
const SYNC_IDS_PER_QUERY = 500;

const jobInputSchema = z.object({
  version: z.number().int().positive(),
  reason: z.enum(["config_change", "recalculation"]).default("config_change"),
});

/**
 * Job "tier_recalculation", input { version, reason? }: walks the shop's customers in id order,
 * `batchSize` per step (cursor = the last customer id done). Each batch's changes are one
 * transaction; Shopify is written after it, before the cursor moves, so a crash anywhere
 * re-runs the batch: the guarded update skips what was already changed and the unsynced
 * changes are written then. A job whose version is no longer current stops: the newer
 * version's job recalculates everyone.
 */
export function tierRecalculation(
  shopifyFor: ShopifyFor,
  transaction: TxDeps["transaction"],
  { batchSize = 200 }: { batchSize?: number } = {},
): JobHandler {
  return {
    async step(deps, job) {
      const input = jobInputSchema.parse(job.input);
      const shop = await findShop(deps.db, job.shopDomain);
      const program = shop ? await currentTierProgram(deps.db, shop.id) : null;
      if (!shop || !program || program.version !== input.version) return { cursor: null, done: 0 };

      const batch = await deps.db.customer.findMany({
        where: { shopId: shop.id, ...(job.cursor ? { id: { gt: job.cursor } } : {}) },
        select: { id: true, tier: true, holdout: true, tierFloor: true, tierFloorUntil: true },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      const total = job.cursor === null ? await deps.db.customer.count({ where: { shopId: shop.id } }) : undefined;
      if (batch.length === 0) return { cursor: null, done: 0, total };

      const now = deps.clock();
      const ids = batch.map((c) => c.id);
      const amounts = await qualifyingAmounts(deps.db, shop.id, program, now, ids);
      const changes = batch
        // Held-out customers are outside the program: no tier (nor its tag and benefits).
        .map((c) => ({ c, to: c.holdout ? null : withTierFloor(tierFor(amounts.get(c.id) ?? 0, program.tiers), program.tiers, c, now) }))
        .filter(({ c, to }) => c.tier !== (to?.key ?? null));
      if (changes.length > 0) {
        const former = await formerTiers(deps.db, shop.id);
        await transaction(async (tx) => {
          for (const { c, to } of changes) {
            await applyTierChange(tx, {
              shopId: shop.id,
              customerId: c.id,
              from: c.tier,
              to,
              program,
              former,
              reason: input.reason,
              at: now,
            });
          }
        });
      }
      await syncTierChanges({ ...deps, shopify: await shopifyFor(shop.domain) }, shop.id, ids);
      return { cursor: batch.length < batchSize ? null : batch[batch.length - 1].id, done: batch.length, total };
    },
  };
}

export interface TierEvaluation {
  customerId: string;
  from: string | null;
  to: string | null;
  changed: boolean;
  amount: number;
  /** The program version used; null when the shop has none. */
  version: number | null;
}

type TierSubject = { id: string; tier: string | null; holdout: boolean; tierFloor: string | null; tierFloorUntil: Date | null };

/** The tier the customer qualifies for now under `program` (held-out customers: none), and the amount. */
async function tierNow(db: Tx, shopId: string, customer: TierSubject, program: TierProgram, now: Date, purchases?: readonly Purchase[]) {
  const amount =
    (purchases && program.basis === "amount_spent"
      ? amountsFromPurchases(purchases, windowStart(program.period, now))
      : await qualifyingAmounts(db, shopId, program, now, [customer.id])
    ).get(customer.id) ?? 0;
  const to = customer.holdout ? null : withTierFloor(tierFor(amount, program.tiers), program.tiers, customer, now);
  return { amount, to };
}

/**
 * In an order's transaction, with the customer's row as this transaction read it (locked) and
 * the program already read: re-evaluates their tier and records a change. True when it changed:
 * the caller writes it to Shopify after the commit (syncTierChanges).
 */
export async function evaluateTierInTransaction(
  tx: Tx,
  shopId: string,
  customer: TierSubject,
  { current: program, former }: TierPrograms & { current: TierProgram },
  reason: TierChangeReason,
  now: Date,
  /** The customer's purchases as this transaction read them, when it did (customerPurchases). */
  purchases?: readonly Purchase[],
): Promise<boolean> {
  const { to } = await tierNow(tx, shopId, customer, program, now, purchases);
  if (customer.tier === (to?.key ?? null)) return false;
  return applyTierChange(tx, { shopId, customerId: customer.id, from: customer.tier, to, program, former, reason, at: now });
}

/**
 * Recomputes one customer's tier under the current version (after a refund or a
 * cancellation), records a change, then writes it to Shopify. Call after the webhook's
 * transaction has committed, never inside it. `customerId` is Kembali's customer id.
 */
export async function evaluateCustomerTier(
  deps: TxDeps & { shopify: ShopifyAdmin },
  shopDomain: string,
  customerId: string,
  reason: TierChangeReason,
): Promise<TierEvaluation> {
  const shop = await requireShop(deps.db, shopDomain);
  const customer = await deps.db.customer.findFirst({
    where: { id: customerId, shopId: shop.id },
    select: { id: true, tier: true, holdout: true, tierFloor: true, tierFloorUntil: true },
  });
  if (!customer) throw new KembaliError("NOT_FOUND", `No customer ${customerId} in ${shopDomain}`);
  const program = await currentTierProgram(deps.db, shop.id);
  if (!program) return { customerId, from: customer.tier, to: customer.tier, changed: false, amount: 0, version: null };

  const now = deps.clock();
  const { amount, to } = await tierNow(deps.db, shop.id, customer, program, now);
  let changed = false;
  if (customer.tier !== (to?.key ?? null)) {
    const former = await formerTiers(deps.db, shop.id);
    changed = await deps.transaction((tx) =>
      applyTierChange(tx, { shopId: shop.id, customerId, from: customer.tier, to, program, former, reason, at: now }),
    );
  }
  // Also retries an earlier change of this customer whose Shopify write failed.
  await syncTierChanges(deps, shop.id, [customerId]);
  return { customerId, from: customer.tier, to: to?.key ?? null, changed, amount, version: program.version };
}

/**
 * evaluateCustomerTier for the customer of a Shopify order (refunds and cancellations name only
 * the order). Null when the order is unknown or has no customer.
 */
export async function evaluateTierForOrder(
  deps: TxDeps & { shopify: ShopifyAdmin },
  shopDomain: string,
  shopifyOrderId: string,
  reason: TierChangeReason,
): Promise<TierEvaluation | null> {
  const order = await deps.db.order.findFirst({ where: { shopifyOrderId, shop: { domain: shopDomain } }, select: { customerId: true } });
  return order?.customerId ? evaluateCustomerTier(deps, shopDomain, order.customerId, reason) : null;
}

/** The customer's current tier under the current version, or null (none, or a key that version dropped). */
export async function currentTierOf(db: Tx, shopId: string, customerId: string): Promise<Tier | null> {
  const customer = await db.customer.findFirst({ where: { id: customerId, shopId }, select: { tier: true } });
  if (!customer?.tier) return null;
  const program = await currentTierProgram(db, shopId);
  return program?.tiers.find((t) => t.key === customer.tier) ?? null;
}

/** The earn multiplier of a tier key under the program, for orderEarnings' tierMultiplier: 1 without a tier (or a key the program dropped). */
export function tierMultiplierOf(program: TierProgram | null, tierKey: string | null): number {
  return (tierKey && program?.tiers.find((t) => t.key === tierKey)?.earnMultiplier) || 1;
}

/** tierMultiplierOf the customer's tier under the current version, read from the database. */
export async function tierMultiplierFor(db: Tx, shopId: string, customerId: string): Promise<number> {
  return (await currentTierOf(db, shopId, customerId))?.earnMultiplier ?? 1;
}
