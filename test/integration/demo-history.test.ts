// The demo shop's older order history in the demo's Shopify stand-in (app/demo/history.ts):
// the same orders every start, 19 to 30 months old (older than the seed's), only demo customers and products, and a
// backfill over them records each exactly once. Tests themselves keep empty stores.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { DEMO_SHOP } from "~/config.server";
import { DEMO_CUSTOMERS, DEMO_PRODUCTS } from "~/demo/catalog";
import { demoOrderHistory } from "~/demo/history";
import { DEMO_SEED_DAYS } from "~/demo/seed.server";
import { backfillJob } from "~/domain/earning/history";
import { enqueueJob, runJob } from "~/domain/jobs";
import { ensureShop } from "~/domain/shop/shops";
import { localShopify } from "~/shopify/shopify-for.server";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import { newShopDomain } from "../helpers";

const DAY = 86_400_000;
const NOW = new Date("2026-05-20T03:00:00Z");

describe("the demo shop's order history", () => {
  test("is the same every start, dated relative to now", () => {
    const history = demoOrderHistory(NOW);
    expect(demoOrderHistory(new Date(NOW))).toEqual(history);
    // A day later: the same orders, each a day later.
    const later = demoOrderHistory(new Date(NOW.getTime() + DAY));
    expect(later.map((o) => [o.id, o.customer?.id, o.total, o.createdAt.getTime() - DAY])).toEqual(
      history.map((o) => [o.id, o.customer?.id, o.total, o.createdAt.getTime()]),
    );
  });

  test("holds 150 to 250 paid orders of demo customers and products from 19 to 30 months ago, a few refunded or cancelled", () => {
    const history = demoOrderHistory(NOW);
    expect(history.length).toBeGreaterThanOrEqual(150);
    expect(history.length).toBeLessThanOrEqual(250);
    expect(new Set(history.map((o) => o.id)).size).toBe(history.length);
    // Older Shopify orders than the seed's (#1001 on, written straight into Kembali).
    expect(history.every((o) => Number(o.id) < 1001)).toBe(true);

    const customers = new Map(DEMO_CUSTOMERS.map((c) => [c.id, c]));
    const products = new Map(DEMO_PRODUCTS.map((p) => [p.productId, p]));
    // 30 and 19 calendar months before NOW, and older than every seeded order.
    const from = new Date("2023-11-20T03:00:00Z").getTime();
    const to = new Date("2024-10-20T03:00:00Z").getTime();
    expect(to).toBeLessThanOrEqual(NOW.getTime() - DEMO_SEED_DAYS * DAY);
    for (const order of history) {
      expect(order.createdAt.getTime()).toBeGreaterThanOrEqual(from);
      expect(order.createdAt.getTime()).toBeLessThan(to);
      const customer = customers.get(order.customer?.id ?? "");
      expect(customer, order.id).toBeDefined();
      expect(order.customer).toEqual({
        id: customer!.id,
        email: customer!.email,
        firstName: customer!.firstName,
        lastName: customer!.lastName,
      });
      expect(order.currency).toBe("IDR");
      expect(order.lineItems.length).toBeGreaterThan(0);
      for (const line of order.lineItems) {
        const product = products.get(line.productId ?? "");
        expect(product, order.id).toBeDefined();
        expect(line).toMatchObject({ variantId: product!.variantId, title: product!.title, price: product!.price * 100 });
      }
      expect(order.subtotal).toBe(order.lineItems.reduce((sum, l) => sum + l.price * l.quantity, 0));
      expect(order.total).toBe(order.subtotal + order.shipping + order.tax);
      for (const refund of order.refunds) {
        expect(refund.createdAt.getTime()).toBeGreaterThan(order.createdAt.getTime());
        expect(refund.subtotal).toBeLessThanOrEqual(order.subtotal);
      }
      expect(order.updatedAt.getTime()).toBe(Math.max(order.createdAt.getTime(), ...order.refunds.map((r) => r.createdAt.getTime())));
    }
    // Loyal customers ordered more than once.
    expect(new Set(history.map((o) => o.customer!.id)).size).toBeLessThan(history.length);
    const refunded = history.filter((o) => o.refunds.length > 0 && !o.cancelledAt);
    const cancelled = history.filter((o) => o.cancelledAt);
    expect(refunded.length).toBeGreaterThan(0);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(refunded.length + cancelled.length).toBeLessThan(history.length * 0.15);
    expect(history.filter((o) => o.financialStatus === "PAID").length).toBe(history.length - refunded.length - cancelled.length);
  });

  test("outside demo mode the stand-in starts empty, even for the demo shop's domain", async () => {
    expect(localShopify(DEMO_SHOP).state.orders).toEqual([]);
    expect((await localShopify(DEMO_SHOP).listOrders({ first: 10 })).orders).toEqual([]);
  });

  test("GIVEN a stand-in holding it WHEN a backfill without points runs twice THEN exactly those orders are recorded, once", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    const history = demoOrderHistory(new Date());
    const store = localStoreAdmin(createLocalStoreState());
    for (const order of history) store.addOrder(order);
    const deps = { db: prisma, clock: () => new Date() };
    const handlers = { backfill: backfillJob(async () => store, transaction(prisma)) };
    const backfill = async () => {
      const job = await enqueueJob(deps, { shopDomain: shop, type: "backfill", input: { earnPoints: false } });
      expect(await runJob(deps, handlers, job.id)).toBe("done");
      return prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    };
    const recorded = async () => {
      const orders = await prisma.order.findMany({
        where: { shop: { domain: shop } },
        select: {
          shopifyOrderId: true,
          totalMinor: true,
          orderedAt: true,
          cancelledAt: true,
          customer: { select: { shopifyCustomerId: true } },
        },
        orderBy: { shopifyOrderId: "asc" },
      });
      const refunds = await prisma.refund.findMany({
        where: { shop: { domain: shop } },
        select: { shopifyRefundId: true, subtotalMinor: true },
      });
      return { orders, refunds: refunds.sort((a, b) => a.shopifyRefundId.localeCompare(b.shopifyRefundId)) };
    };
    const expected = {
      orders: [...history]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((o) => ({
          shopifyOrderId: o.id,
          totalMinor: BigInt(o.total),
          orderedAt: o.createdAt,
          cancelledAt: o.cancelledAt,
          customer: { shopifyCustomerId: o.customer!.id },
        })),
      refunds: history
        .flatMap((o) => o.refunds.map((r) => ({ shopifyRefundId: r.id, subtotalMinor: BigInt(r.subtotal) })))
        .sort((a, b) => a.shopifyRefundId.localeCompare(b.shopifyRefundId)),
    };

    // The import's progress counts every order of the history (pages of 10).
    expect(await backfill()).toMatchObject({ status: "done", progress: history.length });
    expect(await recorded()).toEqual(expected);
    expect(await prisma.customer.count({ where: { shop: { domain: shop } } })).toBe(new Set(history.map((o) => o.customer!.id)).size);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);

    // Run again: it reads the same orders and records nothing new.
    await backfill();
    expect(await recorded()).toEqual(expected);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
  }, 120_000);
});
