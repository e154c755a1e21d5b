import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { syncBalanceMetafields } from "~/domain/members/metafields";
import { localShopify } from "~/shopify/shopify-for.server";
import { newShopDomain, paidOrder, releasePending, routeArgs, webhookRequest } from "../helpers";

describe("balance metafield", () => {
  test("GIVEN balances that changed THEN each member's metafield is written once, and again after the next change", async () => {
    const shop = newShopDomain();
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("66001", "7951", 1))));
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("66002", "7952", 2))));
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const sync = () => syncBalanceMetafields({ db: prisma, shopifyFor: async (s) => localShopify(s) }, { shopId });
    const store = localShopify(shop);

    expect(await sync()).toEqual({ written: 2, failed: [] }); // pending points are not spendable: both balances are 0
    expect(store.customer("7951").metafields).toEqual({ balance: 0 });
    expect((await sync()).written).toBe(0);

    await releasePending(shop);
    expect((await sync()).written).toBe(2);
    expect(store.customer("7951").metafields).toEqual({ balance: 125_000 });
    expect(store.customer("7952").metafields).toEqual({ balance: 250_000 });
    expect((await sync()).written).toBe(0);
  });

  test("GIVEN Shopify refuses THEN nothing is marked written and the next run tries again", async () => {
    const shop = newShopDomain();
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("66101", "7953", 1))));
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const sync = () => syncBalanceMetafields({ db: prisma, shopifyFor: async (s) => localShopify(s) }, { shopId });
    localShopify(shop).rejectNext("Internal error");
    const first = await sync();
    expect(first.written).toBe(0);
    expect(String(first.failed[0].error)).toMatch(/Internal error/);
    expect((await sync()).written).toBe(1);
  });
});
