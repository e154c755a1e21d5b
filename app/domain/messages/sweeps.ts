// The events time makes, recorded by the background sweeps (app/jobs.server.ts): an unused
// reward code about to expire and a survey that became due (hourly), a product due for
// replenishment (daily). Each event has a key that says what it is about, so running a sweep
// twice, or on several servers at once, records it once (recordEvent).
import type { Deps } from "../deps";
import { dialectOf, type Tx } from "../../db-types";
import { readSurveySettings } from "../surveys/settings";
import { surveyDue } from "../surveys/responses";
import { recordEvent } from "./events";
import { readMessagesSettings } from "./settings";
import { queryParts } from "../sql";

const DAY = 86_400_000;
const BATCH = 500;

async function shopOf(db: Tx, shopId: string) {
  return db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, messages: true, survey: true } });
}

/**
 * reward_expiring: issued reward codes whose end date is within the shop's rewardExpiringDays
 * (and still ahead), once per redemption. Returns how many were recorded now.
 */
export async function sweepRewardExpiring(deps: Deps, shopId: string): Promise<number> {
  const shop = await shopOf(deps.db, shopId);
  if (!shop) return 0;
  const now = deps.clock();
  const until = new Date(now.getTime() + readMessagesSettings(shop.messages).rewardExpiringDays * DAY);
  let recorded = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await deps.db.redemption.findMany({
      where: { shopId, status: "issued", code: { not: null }, expiresAt: { gt: now, lte: until } },
      orderBy: { id: "asc" },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, customerId: true, code: true, expiresAt: true, reward: { select: { name: true } } },
    });
    for (const r of batch) {
      const payload = { redemptionId: r.id, rewardName: r.reward.name, code: r.code, expiresAt: r.expiresAt!.toISOString() };
      if (await recordEvent(deps.db, shopId, r.customerId, "reward_expiring", `reward_expiring:${r.id}`, payload, now)) recorded++;
    }
    if (batch.length < BATCH) return recorded;
    cursor = batch[batch.length - 1].id;
  }
}

/** How long after an order's survey became due the sweep still asks (older ones are left alone). */
export const SURVEY_DUE_WINDOW_DAYS = 7;

/**
 * survey_due: members' paid, fulfilled orders whose survey became due in the last
 * SURVEY_DUE_WINDOW_DAYS by the survey rules (surveys/responses.ts: on, delayDays after
 * fulfilment, not answered, not cancelled, the throttle), at most one per member per throttle
 * period (a survey_due recorded for another order counts), once per order.
 */
export async function sweepSurveysDue(deps: Deps, shopId: string): Promise<number> {
  const shop = await shopOf(deps.db, shopId);
  if (!shop) return 0;
  const settings = readSurveySettings(shop.survey);
  if (!settings.enabled) return 0;
  const now = deps.clock();
  const dueBy = new Date(now.getTime() - settings.delayDays * DAY);
  const orders = await deps.db.order.findMany({
    where: {
      shopId,
      paidAt: { not: null },
      cancelledAt: null,
      customerId: { not: null },
      fulfilledAt: { lte: dueBy, gt: new Date(dueBy.getTime() - SURVEY_DUE_WINDOW_DAYS * DAY) },
    },
    orderBy: { fulfilledAt: "asc" },
    take: 2000,
    select: { shopifyOrderId: true, customer: { select: { id: true, shopifyCustomerId: true } } },
  });
  let recorded = 0;
  for (const o of orders) {
    if (!o.customer) continue;
    const key = `survey_due:${o.shopifyOrderId}`;
    if (await deps.db.customerEvent.findUnique({ where: { shopId_key: { shopId, key } }, select: { id: true } })) continue;
    if (settings.throttleDays > 0) {
      const recent = await deps.db.customerEvent.findFirst({
        where: {
          shopId,
          customerId: o.customer.id,
          type: "survey_due",
          createdAt: { gt: new Date(now.getTime() - settings.throttleDays * DAY) },
        },
        select: { id: true },
      });
      if (recent) continue;
    }
    const due = await surveyDue(deps, shop.domain, {
      channel: "storefront",
      order: o.shopifyOrderId,
      shopifyCustomerId: o.customer.shopifyCustomerId,
    });
    if (!due.survey) continue;
    const payload = { shopifyOrderId: o.shopifyOrderId, orderName: null };
    if (await recordEvent(deps.db, shopId, o.customer.id, "survey_due", key, payload, now)) recorded++;
  }
  return recorded;
}

// ---------------------------------------------------------------------------------------
// Replenishment: a product's typical repurchase interval, learned from repeat purchases.

/** One paid order of a product by a customer (several lines of it in one order are one purchase). */
export interface Purchase {
  customerId: string;
  productId: string;
  orderId: string;
  at: Date;
}

export interface RepurchaseInterval {
  /** The median of the product's repeat intervals, in whole days (at least 1). */
  days: number;
  /** How many repeat purchases (consecutive paid orders of it by one customer) it was learned from. */
  repeats: number;
}

/** The median of the values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whole days, at least 1 (two orders on one day do not make a product due at once). */
export function intervalDays(medianDays: number): number {
  return Math.max(1, Math.round(medianDays));
}

/**
 * Each product's repurchase interval (pure; the sweep computes the same in SQL): per customer
 * and product, the days between consecutive purchases; the median over all of them, for
 * products with at least `minRepeats` such repeats.
 */
export function learnIntervals(purchases: readonly Purchase[], minRepeats: number): Map<string, RepurchaseInterval> {
  const byPair = new Map<string, Purchase[]>();
  for (const p of purchases) {
    const key = `${p.customerId}\u0000${p.productId}`;
    const list = byPair.get(key) ?? [];
    if (!list.some((q) => q.orderId === p.orderId)) list.push(p);
    byPair.set(key, list);
  }
  const gaps = new Map<string, number[]>();
  for (const list of byPair.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.orderId < b.orderId ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const g = gaps.get(list[i].productId) ?? [];
      g.push((list[i].at.getTime() - list[i - 1].at.getTime()) / DAY);
      gaps.set(list[i].productId, g);
    }
  }
  const out = new Map<string, RepurchaseInterval>();
  for (const [productId, g] of gaps) {
    if (g.length >= minRepeats) out.set(productId, { days: intervalDays(median(g)), repeats: g.length });
  }
  return out;
}

/** A customer whose usual interval for a product has passed since they last bought it longer ago than this is left alone. */
export const REPLENISHMENT_WINDOW_DAYS = 30;

/** Days since 1970 of a DateTime column, as a number, in either database's SQL. */
function epochDays(db: Tx, column: string): string {
  return dialectOf(db) === "postgresql" ? `(EXTRACT(EPOCH FROM ${column}) / 86400.0)` : `(julianday(${column}) - 2440587.5)`;
}

/** The purchases (distinct customer, product, order) of the shop's paid, not cancelled orders before `now`. */
function purchasesSql(db: Tx): string[] {
  return [
    `SELECT DISTINCT o."customerId" AS c, l."productId" AS pr, o."id" AS oid, o."orderedAt" AS at, ${epochDays(db, `o."orderedAt"`)} AS d
     FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id"
     WHERE o."shopId" = `,
    ` AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o."customerId" IS NOT NULL AND l."productId" IS NOT NULL
       AND o."orderedAt" < `,
  ];
}

/**
 * The shop's products' repurchase intervals, aggregated in the database (window functions over
 * the order lines; only one row per qualifying product comes back).
 */
export async function repurchaseIntervals(db: Tx, shopId: string, now: Date, minRepeats: number): Promise<Map<string, RepurchaseInterval>> {
  const [p0, p1] = purchasesSql(db);
  const rows = await queryParts<{ product_id: string; repeats: unknown; median: unknown }[]>(
    db,
    [
      `WITH p AS (${p0}`,
      `${p1}`,
      `),
      g AS (SELECT pr, d - LAG(d) OVER (PARTITION BY c, pr ORDER BY d, oid) AS gap FROM p),
      r AS (SELECT pr, gap, ROW_NUMBER() OVER (PARTITION BY pr ORDER BY gap) AS rn, COUNT(*) OVER (PARTITION BY pr) AS n
            FROM g WHERE gap IS NOT NULL)
      SELECT pr AS product_id, n AS repeats, AVG(gap) AS median FROM r
      WHERE n >= `,
      ` AND (rn = (n + 1) / 2 OR rn = (n + 2) / 2)
      GROUP BY pr, n`,
    ],
    [shopId, now, minRepeats],
  );
  return new Map(rows.map((r) => [r.product_id, { days: intervalDays(Number(r.median)), repeats: Number(r.repeats) }]));
}

/**
 * replenishment_due: for each product with a known interval (settings.replenishmentMinRepeats),
 * customers whose last purchase of it is that interval ago (within REPLENISHMENT_WINDOW_DAYS) and
 * who have not bought it since; once per customer, product and that last order.
 */
export async function sweepReplenishment(deps: Deps, shopId: string): Promise<number> {
  const shop = await shopOf(deps.db, shopId);
  if (!shop) return 0;
  const { db } = deps;
  const now = deps.clock();
  const intervals = await repurchaseIntervals(db, shopId, now, readMessagesSettings(shop.messages).replenishmentMinRepeats);
  if (intervals.size === 0) return 0;
  const json = JSON.stringify([...intervals].map(([productId, i]) => [productId, i.days]));
  const nowDays = now.getTime() / DAY;
  const [p0, p1] = purchasesSql(db);
  const iv =
    dialectOf(db) === "postgresql"
      ? `SELECT x->>0 AS pr, CAST(x->>1 AS DOUBLE PRECISION) AS days FROM json_array_elements(CAST(`
      : `SELECT json_extract(value, '$[0]') AS pr, json_extract(value, '$[1]') AS days FROM json_each(`;
  const ivEnd = dialectOf(db) === "postgresql" ? ` AS json)) AS x` : `) WHERE true`;
  const due = await queryParts<{ customer_id: string; product_id: string; order_id: string; at: unknown; days: unknown }[]>(
    db,
    [
      `WITH iv AS (${iv}`,
      `${ivEnd}),
      p AS (${p0}`,
      `${p1}`,
      `),
      last AS (SELECT p.c, p.pr, p.oid, p.at, p.d, ROW_NUMBER() OVER (PARTITION BY p.c, p.pr ORDER BY p.d DESC, p.oid DESC) AS rn
               FROM p JOIN iv ON iv.pr = p.pr)
      SELECT last.c AS customer_id, last.pr AS product_id, last.oid AS order_id, last.at AS at, iv.days AS days
      FROM last JOIN iv ON iv.pr = last.pr
      WHERE last.rn = 1 AND last.d + iv.days <= `,
      ` AND last.d + iv.days > `,
      `
      ORDER BY last.d
      LIMIT 5000`,
    ],
    [json, shopId, now, nowDays, nowDays - REPLENISHMENT_WINDOW_DAYS],
  );
  let recorded = 0;
  for (const r of due) {
    const at = r.at instanceof Date ? r.at : new Date(String(r.at));
    const payload = { productId: r.product_id, lastBoughtAt: at.toISOString(), intervalDays: Number(r.days) };
    const key = `replenishment_due:${r.customer_id}:${r.product_id}:${r.order_id}`;
    if (await recordEvent(db, shopId, r.customer_id, "replenishment_due", key, payload, now)) recorded++;
  }
  return recorded;
}
