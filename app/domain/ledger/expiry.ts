// Points expiry, as the merchant set it (settings.expiry):
// - after_earning: what is left of each lot expires N months after it was earned;
// - inactivity: everything expires N months after the member last earned or spent.
// The sweep writes one expiry entry per lot (or per inactive spell), keyed so a second run
// writes nothing, and records "points expiring soon" events warnDays ahead for messages.
import type { TxDeps } from "../deps";
import { appendEntry } from "./ledger";
import { readSettings } from "../earning/program";
import { recordEvent } from "../messages/events";

const DAY = 86_400_000;

/** N calendar months after `from` (clamped to the month's last day), in UTC. */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export interface ExpirySweepResult {
  expiredEntries: number;
  expiredPoints: number;
  warnings: number;
}

export async function sweepExpiry(deps: TxDeps, shopId: string): Promise<ExpirySweepResult> {
  const result: ExpirySweepResult = { expiredEntries: 0, expiredPoints: 0, warnings: 0 };
  const shop = await deps.db.shop.findUnique({ where: { id: shopId } });
  if (!shop) return result;
  const { expiry } = readSettings(shop.settings, shop.currency);
  if (expiry.mode === "never") return result;
  const now = deps.clock();

  if (expiry.mode === "after_earning") {
    // Lots earned before this moment have expired; before `warnFrom` they expire soon.
    const expiredBefore = addMonths(now, -expiry.months);
    const warnBefore = addMonths(new Date(now.getTime() + expiry.warnDays * DAY), -expiry.months);
    const lots = await deps.db.pointsEntry.findMany({
      where: { shopId, pending: false, remainingPoints: { gt: 0 }, createdAt: { lt: warnBefore } },
      orderBy: { createdAt: "asc" },
      take: 1000,
    });
    for (const lot of lots) {
      const expiresAt = addMonths(lot.createdAt, expiry.months);
      if (lot.createdAt < expiredBefore) {
        const points = lot.remainingPoints ?? 0;
        const { applied } = await deps.transaction((tx) =>
          appendEntry(
            tx,
            {
              shopId,
              customerId: lot.customerId,
              kind: "expire",
              points: -points,
              idempotencyKey: `expire:lot:${lot.id}`,
              sourceType: "expiry",
              sourceId: lot.idempotencyKey,
              reason: `${expiry.months} months after they were earned`,
              at: now,
              fromLot: lot.idempotencyKey,
            },
            { mayGoNegative: true },
          ),
        );
        if (applied) {
          result.expiredEntries++;
          result.expiredPoints += points;
        }
      } else {
        result.warnings += await warn(deps, shopId, lot.customerId, `expiring:lot:${lot.id}`, lot.remainingPoints ?? 0, expiresAt);
      }
    }
    return result;
  }

  // inactivity
  const warnBefore = addMonths(new Date(now.getTime() + expiry.warnDays * DAY), -expiry.months);
  const customers = await deps.db.customer.findMany({
    where: { shopId, balance: { gt: 0 }, lastActivityAt: { lt: warnBefore } },
    take: 1000,
  });
  for (const c of customers) {
    const since = c.lastActivityAt!;
    const expiresAt = addMonths(since, expiry.months);
    const spell = since.toISOString();
    if (expiresAt <= now) {
      const points = c.balance;
      const { applied } = await deps.transaction((tx) =>
        appendEntry(
          tx,
          {
            shopId,
            customerId: c.id,
            kind: "expire",
            points: -points,
            idempotencyKey: `expire:inactive:${c.id}:${spell}`,
            sourceType: "expiry",
            sourceId: spell,
            reason: `No points earned or spent for ${expiry.months} months`,
            at: now,
          },
          { mayGoNegative: true },
        ),
      );
      if (applied) {
        result.expiredEntries++;
        result.expiredPoints += points;
      }
    } else {
      result.warnings += await warn(deps, shopId, c.id, `expiring:inactive:${c.id}:${spell}`, c.balance, expiresAt);
    }
  }
  return result;
}

/** Records "points expiring soon" once per key; returns 1 when it was new. */
async function warn(deps: TxDeps, shopId: string, customerId: string, key: string, points: number, expiresAt: Date) {
  if (points <= 0) return 0;
  const recorded = await recordEvent(
    deps.db,
    shopId,
    customerId,
    "points_expiring",
    key,
    { points, expiresAt: expiresAt.toISOString() },
    deps.clock(),
  );
  return recorded ? 1 : 0;
}
