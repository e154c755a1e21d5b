import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { backfillJob, reconcileJob } from "~/domain/earning/history";
import { claimJob, enqueueJob, runJob } from "~/domain/jobs";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import type { AdminOrder } from "~/shopify/admin/port";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const DAY = 86_400_000;

function adminOrder(id: number, customerId: string, daysAgo: number, extra: Partial<AdminOrder> = {}): AdminOrder {
  const at = new Date(Date.now() - daysAgo * DAY);
  return {
    id: String(id),
    currency: "IDR",
    customer: { id: customerId, email: `c${customerId}@example.com`, firstName: "Old", lastName: "Customer" },
    subtotal: 25_000_000,
    total: 29_750_000,
    shipping: 2_000_000,
    tax: 2_750_000,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    cancelledAt: null,
    financialStatus: "PAID",
    lineItems: [{ productId: "8001", variantId: "9001", title: "Kopi Gayo", quantity: 2, price: 12_500_000 }],
    refunds: [],
    truncated: false,
    ...extra,
  };
}

async function setup(installedDaysAgo = 0) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await prisma.shop.update({ where: { domain: shop }, data: { installedAt: new Date(Date.now() - installedDaysAgo * DAY) } });
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  const store = localStoreAdmin(createLocalStoreState());
  const handlers = {
    backfill: backfillJob(async () => store, transaction(prisma)),
    reconcile: reconcileJob(async () => store, transaction(prisma)),
  };
  const deps = { db: prisma, clock: () => new Date() };
  const run = async (type: string, input: unknown, maxSteps = Infinity) => {
    const job = await enqueueJob(deps, { shopDomain: shop, type, input });
    const claimed = await claimJob(deps, [type]);
    expect(claimed?.id).toBe(job.id);
    return { job, outcome: await runJob(deps, handlers, job.id, maxSteps) };
  };
  return { shop, store, run, handlers, deps };
}

describe("order history", () => {
  test("GIVEN a backfill that earns THEN past orders, refunds and cancellations land once, dated when they happened", async () => {
    const { shop, store, run } = await setup();
    store.addOrder(adminOrder(71001, "7701", 200));
    store.addOrder(
      adminOrder(71002, "7701", 100, {
        financialStatus: "PARTIALLY_REFUNDED",
        refunds: [{ id: "81", createdAt: new Date(Date.now() - 95 * DAY), subtotal: 12_500_000 }],
      }),
    );
    store.addOrder(adminOrder(71003, "7702", 50, { cancelledAt: new Date(Date.now() - 49 * DAY) }));
    const { job, outcome } = await run("backfill", { earnPoints: true });
    expect(outcome).toBe("done");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "done", progress: 3 });
    expect(await points(shop, "7701")).toEqual({ balance: 250 + 125, pending: 0 });
    expect(await points(shop, "7702")).toEqual({ balance: 0, pending: 0 });
    const earn = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop }, idempotencyKey: "earn:order:71001" } });
    expect(Math.round((Date.now() - earn.createdAt.getTime()) / DAY)).toBe(200);

    // The same history again (a second backfill, a reconciliation, a late webhook): nothing changes.
    await run("backfill", { earnPoints: true });
    await run("reconcile", { since: new Date(Date.now() - 365 * DAY).toISOString() });
    const body = { ...paidOrder("71001", "7701", 2), currency: "IDR" };
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body)));
    expect(await points(shop, "7701")).toEqual({ balance: 375, pending: 0 });
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(5);
  });

  test("GIVEN a backfill without points THEN orders are kept and nobody earns, and a later reconciliation does not pay them either", async () => {
    const { shop, store, run } = await setup();
    store.addOrder(adminOrder(72001, "7703", 30));
    await run("backfill", { earnPoints: false });
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
    await run("reconcile", { since: new Date(Date.now() - 60 * DAY).toISOString() });
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN a webhook that never arrived THEN the reconciliation earns it, once", async () => {
    const { shop, store, run } = await setup(10);
    store.addOrder(adminOrder(73001, "7704", 2));
    await run("reconcile", { since: new Date(Date.now() - 3 * DAY).toISOString() });
    await run("reconcile", { since: new Date(Date.now() - 3 * DAY).toISOString() });
    expect(await points(shop, "7704")).toEqual({ balance: 250, pending: 0 });
  });

  test("GIVEN a crash after the first page THEN the job resumes from its cursor and counts each order once", async () => {
    const { shop, store, handlers, deps } = await setup();
    for (let i = 0; i < 25; i++) store.addOrder(adminOrder(74000 + i, "7705", 100 - i));
    const job = await enqueueJob(deps, { shopDomain: shop, type: "backfill", input: { earnPoints: true } });
    await claimJob(deps, ["backfill"]);
    expect(await runJob(deps, handlers, job.id, 1)).toBe("paused");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", progress: 10 });
    // The worker died: its lease runs out and another worker claims the job.
    const later = { db: prisma, clock: () => new Date(Date.now() + 5 * 60_000) };
    expect((await claimJob(later, ["backfill"]))?.id).toBe(job.id);
    expect(await runJob(later, handlers, job.id)).toBe("done");
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "done", progress: 25 });
    expect(await points(shop, "7705")).toEqual({ balance: 25 * 250, pending: 0 });
  });
});
