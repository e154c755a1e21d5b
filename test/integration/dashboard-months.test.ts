// Completed months kept by the dashboard job (decision 039): a month's stored figures stay
// until an order, ledger entry or referral dated in it or before it is written; then that
// month and every later one are recomputed, so no stored month differs from what the analytics
// functions compute from the data as it is now.
import { describe, expect, test } from "vitest";
import prisma, { databaseUrl, isPostgres, transaction } from "~/db.server";
import type { Db } from "~/db-types";
import { ensureShop } from "~/domain/shop/shops";
import { runJob } from "~/domain/jobs";
import { deleteShopData } from "~/domain/members/compliance";
import { ANALYTICS_JOB, analyticsSnapshotJob, completedMonth, computePart, scheduleAnalyticsSnapshot } from "~/domain/analytics/dashboard";
import { newShopDomain } from "../helpers";
import { seedEntries, seedOrders, type OrderRow } from "./dashboard-fixture";

const DAY = 86_400_000;
const APRIL_15 = new Date("2026-04-15T00:00:00Z");
const handlers = { [ANALYTICS_JOB]: analyticsSnapshotJob() };
const depsAt = (at: Date, db: Db = prisma) => ({ db, clock: () => at, transaction: transaction(prisma) });

/** A shop with orders and ledger entries from January to April 2026 and one rewarded referral in February. */
async function shopWithHistory() {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "USD");
  const [ana, budi] = await Promise.all(
    ["ana", "budi"].map(async (key) => (await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: key } })).id),
  );
  const orders: OrderRow[] = [
    [ana, "2026-01-05", 100],
    [budi, "2026-01-20", 300],
    [ana, "2026-02-10", 200],
    [budi, "2026-02-25", 400],
    [ana, "2026-03-03", 500],
    [null, "2026-03-09", 50],
    [ana, "2026-04-02", 700],
  ];
  await seedOrders(shop.id, "USD", orders);
  await seedEntries(shop.id, ana, [
    ["earn", 100, "2026-01-05"],
    ["earn", 200, "2026-02-10"],
    ["spend", -150, "2026-03-04"],
  ]);
  const referral = await prisma.referral.create({
    data: {
      shopId: shop.id,
      referrerId: ana,
      friendId: budi,
      attributedBy: "code",
      shopifyOrderId: "2",
      status: "rewarded",
      riskScore: 0,
      riskReasons: [],
      decisions: [],
      points: 500,
      rewardAvailableAt: new Date("2026-02-14"),
      createdAt: new Date("2026-02-14"),
    },
  });
  return { domain, shop, ana, budi, referral };
}

async function runSnapshot(domain: string, at: Date, db: Db = prisma) {
  await scheduleAnalyticsSnapshot(depsAt(at), domain);
  const job = await prisma.job.findFirstOrThrow({ where: { shopDomain: domain, type: ANALYTICS_JOB, status: "queued" } });
  expect(await runJob(depsAt(at, db), handlers, job.id)).toBe("done");
}

async function months(shopId: string) {
  const rows = await prisma.analyticsSnapshot.findMany({ where: { shopId, key: { startsWith: "month:" } }, orderBy: { key: "asc" } });
  return new Map(rows.map((r) => [r.key.slice("month:".length), r]));
}

async function writesByMonth(shopId: string) {
  const rows = await prisma.analyticsMonth.findMany({ where: { shopId }, orderBy: { month: "asc" } });
  return Object.fromEntries(rows.map((r) => [r.month, r.writes]));
}

/** Every stored month equals what computePart gives now, from the data as it is. */
async function expectNoStaleMonth(domain: string, shopId: string, asOf: Date) {
  for (const [month, row] of await months(shopId)) {
    expect(JSON.parse(row.data), month).toEqual(JSON.parse(JSON.stringify(await computePart(prisma, domain, `month:${month}`, asOf))));
  }
}

describe("dashboard: completed months kept", () => {
  test("the daily run keeps completed months and recomputes the current one", async () => {
    const { domain, shop } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    const first = await months(shop.id);
    // Completed months are tracked; the current month (April) is not.
    const tracked = await prisma.analyticsMonth.findMany({ where: { shopId: shop.id } });
    expect(tracked.map((r) => r.month).sort()).toEqual([...first.keys()].filter((m) => m < "2026-04"));
    expect(tracked.every((r) => r.keptWrites === r.writes)).toBe(true);

    const nextDay = new Date(APRIL_15.getTime() + DAY);
    await runSnapshot(domain, nextDay);
    const second = await months(shop.id);
    for (const [month, row] of second) {
      const before = first.get(month)!;
      // Every part now says it is current as of the new run...
      expect(row.asOf).toEqual(nextDay);
      // ...but only April was computed again.
      expect(row.computedAt, month).toEqual(month === "2026-04" ? nextDay : before.computedAt);
      expect(row.data).toEqual(month === "2026-04" ? row.data : before.data);
    }
    await expectNoStaleMonth(domain, shop.id, nextDay);
  });

  test("a late write into a completed month changes its stored figures and every later month's, not earlier ones", async () => {
    const { domain, shop } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    const first = await months(shop.id);
    // A February order cancelled in April (a late cancellation).
    const february = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyOrderId: "3" } });
    await prisma.order.update({ where: { id: february.id }, data: { cancelledAt: APRIL_15 } });

    const later = new Date(APRIL_15.getTime() + 2 * DAY);
    await runSnapshot(domain, later);
    const second = await months(shop.id);
    expect(second.get("2026-01")!.computedAt).toEqual(first.get("2026-01")!.computedAt);
    for (const month of ["2026-02", "2026-03", "2026-04"]) expect(second.get(month)!.computedAt, month).toEqual(later);
    const feb = JSON.parse(second.get("2026-02")!.data);
    expect(JSON.parse(first.get("2026-02")!.data).retention).toMatchObject({ orders: 2, revenueMinor: 600 });
    expect(feb.retention).toMatchObject({ orders: 1, revenueMinor: 400 });
    await expectNoStaleMonth(domain, shop.id, later);
    // Recomputed months are kept again until the next write.
    const tracked = await prisma.analyticsMonth.findMany({ where: { shopId: shop.id } });
    expect(tracked.every((r) => r.keptWrites === r.writes)).toBe(true);
  });

  test("every write the month figures read is counted in its month and the later ones; writes dated this month touch nothing", async () => {
    const { domain, shop, ana, budi, referral } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    const counted = async (write: () => Promise<unknown>) => {
      const before = await writesByMonth(shop.id);
      await write();
      const after = await writesByMonth(shop.id);
      return Object.keys(after).filter((m) => after[m] !== before[m]);
    };
    const fromFebruary = Object.keys(await writesByMonth(shop.id)).filter((m) => m >= "2026-02");
    const entry = (key: string, at: string) =>
      prisma.pointsEntry.create({
        data: {
          shopId: shop.id,
          customerId: budi,
          kind: "earn",
          points: 10,
          balanceAfter: 0,
          idempotencyKey: key,
          sourceType: "order",
          sourceId: key,
          createdAt: new Date(at),
        },
      });

    // A late webhook or imported history: an order dated in February.
    expect(
      await counted(() =>
        prisma.order.create({
          data: {
            shopId: shop.id,
            shopifyOrderId: "late",
            customerId: budi,
            currency: "USD",
            subtotalMinor: 5n,
            totalMinor: 5n,
            orderedAt: new Date("2026-02-20"),
            paidAt: new Date("2026-02-20"),
          },
        }),
      ),
    ).toEqual(fromFebruary);
    // A refund of an old order changes no order column the figures read.
    expect(
      await counted(() => prisma.order.updateMany({ where: { shopId: shop.id, shopifyOrderId: "late" }, data: { fulfilledAt: APRIL_15 } })),
    ).toEqual([]);
    // Redaction detaching an order from its customer, and an order deleted.
    expect(
      await counted(() => prisma.order.updateMany({ where: { shopId: shop.id, shopifyOrderId: "late" }, data: { customerId: null } })),
    ).toEqual(fromFebruary);
    expect(await counted(() => prisma.order.deleteMany({ where: { shopId: shop.id, shopifyOrderId: "late" } }))).toEqual(fromFebruary);
    // Ledger entries dated in February: added, moved, deleted.
    const late = await entry("late", "2026-02-21");
    expect(await counted(() => prisma.pointsEntry.update({ where: { id: late.id }, data: { remainingPoints: 5 } }))).toEqual([]);
    expect(await counted(() => prisma.pointsEntry.update({ where: { id: late.id }, data: { points: 20 } }))).toEqual(fromFebruary);
    expect(await counted(() => prisma.pointsEntry.delete({ where: { id: late.id } }))).toEqual(fromFebruary);
    // A February referral reversed in April.
    expect(await counted(() => prisma.referral.update({ where: { id: referral.id }, data: { status: "rejected" } }))).toEqual(fromFebruary);
    // An order in January counts for January and after.
    expect(
      await counted(() => prisma.order.updateMany({ where: { shopId: shop.id, shopifyOrderId: "1" }, data: { subtotalMinor: 150n } })),
    ).toEqual(Object.keys(await writesByMonth(shop.id)).filter((m) => m >= "2026-01"));
    // Today's orders and entries (April, the current month) update no row.
    expect(await counted(() => entry("today", "2026-04-14"))).toEqual([]);
    expect(
      await counted(() =>
        prisma.order.create({
          data: {
            shopId: shop.id,
            shopifyOrderId: "today",
            customerId: ana,
            currency: "USD",
            subtotalMinor: 5n,
            totalMinor: 5n,
            orderedAt: APRIL_15,
            paidAt: APRIL_15,
          },
        }),
      ),
    ).toEqual([]);
    // Another shop's late write counts only for that shop.
    const other = await shopWithHistory();
    expect(
      await counted(() =>
        prisma.order.updateMany({ where: { shopId: other.shop.id, shopifyOrderId: "1" }, data: { cancelledAt: APRIL_15 } }),
      ),
    ).toEqual([]);

    await runSnapshot(domain, new Date(APRIL_15.getTime() + DAY));
    await expectNoStaleMonth(domain, shop.id, new Date(APRIL_15.getTime() + DAY));
  });

  test("a write that lands while a month is being computed leaves it to be recomputed", async () => {
    const { domain, shop, budi } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    await prisma.order.updateMany({ where: { shopId: shop.id, shopifyOrderId: "4" }, data: { cancelledAt: APRIL_15 } });
    // While February is recomputed, a late order dated in February is written after the
    // figures were read and before they are saved.
    let landed = false;
    const racing = new Proxy(prisma, {
      get(target, prop, receiver) {
        if (prop !== "analyticsSnapshot") {
          const value = Reflect.get(target, prop, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        }
        return new Proxy(target.analyticsSnapshot, {
          get(snapshots, method, r) {
            if (method !== "upsert") return Reflect.get(snapshots, method, r);
            return async (args: { where: { shopId_key: { key: string } } }) => {
              if (args.where.shopId_key.key === "month:2026-02" && !landed) {
                landed = true;
                await prisma.order.create({
                  data: {
                    shopId: shop.id,
                    shopifyOrderId: "racing",
                    customerId: budi,
                    currency: "USD",
                    subtotalMinor: 9n,
                    totalMinor: 9n,
                    orderedAt: new Date("2026-02-27"),
                    paidAt: new Date("2026-02-27"),
                  },
                });
              }
              return snapshots.upsert(args as never);
            };
          },
        });
      },
    }) as Db;
    const later = new Date(APRIL_15.getTime() + DAY);
    await runSnapshot(domain, later, racing);
    expect(landed).toBe(true);
    const february = await prisma.analyticsMonth.findUniqueOrThrow({ where: { shopId_month: { shopId: shop.id, month: "2026-02" } } });
    expect(february.keptWrites).not.toBe(february.writes);
    // The stored February misses the racing order; the next run recomputes it.
    const nextDay = new Date(later.getTime() + DAY);
    await runSnapshot(domain, nextDay);
    expect((await months(shop.id)).get("2026-02")!.computedAt).toEqual(nextDay);
    await expectNoStaleMonth(domain, shop.id, nextDay);
  });

  test("a month computed while it was current is computed again once it is over", async () => {
    const { domain, shop } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    const may = new Date("2026-05-01T06:00:00Z");
    await runSnapshot(domain, may);
    const stored = await months(shop.id);
    expect(stored.get("2026-04")!.computedAt).toEqual(may);
    expect(JSON.parse(stored.get("2026-04")!.data).retention.to).toBe("2026-05-01T00:00:00.000Z");
    expect(completedMonth("month:2026-04", may)).toBe("2026-04");
    expect(completedMonth("month:2026-05", may)).toBeNull();
    expect(completedMonth("period:30", may)).toBeNull();
    // The month that left the twelve-month window is dropped with its count.
    expect(await prisma.analyticsMonth.count({ where: { shopId: shop.id, month: "2025-05" } })).toBe(0);
    await expectNoStaleMonth(domain, shop.id, may);
  });

  test("the counting triggers exist on this database (a migration that rebuilds a table drops them)", async () => {
    const names = ["Order", "PointsEntry", "Referral"];
    if (isPostgres(databaseUrl())) {
      const rows = await prisma.$queryRaw<Array<{ name: string }>>`
        SELECT CAST(c.relname AS TEXT) AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%analytics_months%'`;
      expect(new Set(rows.map((r) => r.name))).toEqual(new Set(names));
      expect(rows).toHaveLength(6);
    } else {
      const rows = await prisma.$queryRaw<Array<{ name: string }>>`
        SELECT tbl_name AS name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%analytics_months%'`;
      expect(new Set(rows.map((r) => r.name))).toEqual(new Set(names));
      expect(rows).toHaveLength(9);
    }
  });

  test("deleting a shop's data deletes its month counts", async () => {
    const { domain, shop } = await shopWithHistory();
    await runSnapshot(domain, APRIL_15);
    expect(await prisma.analyticsMonth.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
    await deleteShopData(prisma, domain);
    expect(await prisma.analyticsMonth.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
