// Issue 10 item 6: a VIP tier's free shipping is a real Shopify discount with no code: a
// segment of the tier's tagged members and an automatic free-shipping discount for it, made,
// switched off and on by the background sync after a tier program save.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { evaluateCustomerTier, saveTierProgram, syncTierShipping, tierSegmentName, tierShippingTitle } from "~/domain/tiers";
import { localShopify } from "~/shopify/shopify-for.server";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const MINUTE = 60_000;
const deps = (at = new Date()) => ({ db: prisma, clock: () => at, transaction: transaction(prisma) });

const program = (goldShipping: boolean, extra: Array<Record<string, unknown>> = []) => ({
  basis: "points_earned" as const,
  period: "lifetime" as const,
  tiers: [
    { key: "silver", name: "Silver", threshold: 0 },
    { key: "gold", name: "Gold", threshold: 500, freeShippingReward: goldShipping },
    ...extra,
  ],
});

/** A shop whose member 8101 earned 1,000 points (Gold) and 8102 none yet (Silver once evaluated). */
async function shopWithMembers() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("98101", "8101", 8))));
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("98102", "8102", 1))));
  const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  return { shop, shopId };
}

async function evaluate(shop: string, shopId: string, shopifyCustomerId: string) {
  const c = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId } });
  return evaluateCustomerTier({ ...deps(), shopify: localShopify(shop) }, shop, c.id, "order");
}

const sync = (shopId: string, at = new Date()) =>
  syncTierShipping({ db: prisma, clock: () => at, shopifyFor: async (s) => localShopify(s) }, { shopId });

const row = (shopId: string, tierKey: string) => prisma.tierShipping.findUnique({ where: { shopId_tierKey: { shopId, tierKey } } });

describe("free shipping as a VIP tier benefit", () => {
  test("GIVEN Gold gives free shipping WHEN the sync runs THEN Gold members get an automatic free-shipping discount, others do not", async () => {
    const { shop, shopId } = await shopWithMembers();
    await saveTierProgram(deps(), shop, program(true));
    // Saved, not yet made: the sync does it, never the save.
    expect(await row(shopId, "gold")).toMatchObject({ wanted: true, status: "pending", discountId: null });
    expect(await row(shopId, "silver")).toBeNull();
    expect(localShopify(shop).state.automaticDiscounts).toHaveLength(0);

    expect(await sync(shopId)).toEqual({ synced: 1, failed: [] });
    const gold = (await row(shopId, "gold"))!;
    expect(gold).toMatchObject({ status: "active", error: null });
    const store = localShopify(shop);
    expect(store.state.segments).toEqual([{ id: gold.segmentId, name: tierSegmentName("gold"), tag: "kembali-tier-gold" }]);
    expect(store.state.automaticDiscounts).toMatchObject([
      { id: gold.discountId, title: tierShippingTitle("gold"), segmentId: gold.segmentId, active: true },
    ]);

    // Members reach their tier (and its tag): the segment, so the discount, follows.
    expect((await evaluate(shop, shopId, "8101")).to).toBe("gold");
    expect((await evaluate(shop, shopId, "8102")).to).toBe("silver");
    expect(store.getsAutomaticDiscount(gold.discountId!, "8101")).toBe(true);
    expect(store.getsAutomaticDiscount(gold.discountId!, "8102")).toBe(false);
    // Nothing more to do.
    expect(await sync(shopId)).toEqual({ synced: 0, failed: [] });
  });

  test("GIVEN free shipping switched off, then on again THEN the same discount is switched off and on, never a second one", async () => {
    const { shop, shopId } = await shopWithMembers();
    await saveTierProgram(deps(), shop, program(true));
    await sync(shopId);
    await evaluate(shop, shopId, "8101");
    const { discountId } = (await row(shopId, "gold"))!;

    await saveTierProgram(deps(), shop, program(false));
    expect(await row(shopId, "gold")).toMatchObject({ wanted: false, status: "pending" });
    await sync(shopId);
    expect(await row(shopId, "gold")).toMatchObject({ status: "off", discountId });
    expect(localShopify(shop).getsAutomaticDiscount(discountId!, "8101")).toBe(false);

    await saveTierProgram(deps(), shop, program(true));
    await sync(shopId);
    expect(await row(shopId, "gold")).toMatchObject({ status: "active", discountId });
    expect(localShopify(shop).state.automaticDiscounts).toHaveLength(1);
    expect(localShopify(shop).state.segments).toHaveLength(1);
    expect(localShopify(shop).getsAutomaticDiscount(discountId!, "8101")).toBe(true);
  });

  test("GIVEN a tier that gave free shipping is removed from the program THEN its discount is switched off", async () => {
    const { shop, shopId } = await shopWithMembers();
    await saveTierProgram(deps(), shop, program(true, [{ key: "platinum", name: "Platinum", threshold: 5000, freeShippingReward: true }]));
    await sync(shopId);
    expect(localShopify(shop).state.automaticDiscounts.map((d) => d.active)).toEqual([true, true]);
    await saveTierProgram(deps(), shop, program(true));
    await sync(shopId);
    expect(await row(shopId, "platinum")).toMatchObject({ wanted: false, status: "off" });
    const byTitle = Object.fromEntries(localShopify(shop).state.automaticDiscounts.map((d) => [d.title, d.active]));
    expect(byTitle).toEqual({ [tierShippingTitle("gold")]: true, [tierShippingTitle("platinum")]: false });
  });

  test("GIVEN Shopify refuses THEN the row keeps the error and is retried later, and the retry makes one discount", async () => {
    const { shop, shopId } = await shopWithMembers();
    await saveTierProgram(deps(), shop, program(true));
    const now = new Date();
    localShopify(shop).rejectNext("Internal error, try again");
    const first = await sync(shopId, now);
    expect(first.synced).toBe(0);
    expect(first.failed).toHaveLength(1);
    const failed = (await row(shopId, "gold"))!;
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
    expect(failed.error).toMatch(/Internal error/);
    expect(failed.retryAt!.getTime()).toBe(now.getTime() + MINUTE);
    // Not before the retry time.
    expect(await sync(shopId, new Date(now.getTime() + MINUTE / 2))).toEqual({ synced: 0, failed: [] });
    expect(await sync(shopId, new Date(now.getTime() + 2 * MINUTE))).toEqual({ synced: 1, failed: [] });
    expect(await row(shopId, "gold")).toMatchObject({ status: "active", attempts: 0, error: null, retryAt: null });
    expect(localShopify(shop).state.automaticDiscounts).toHaveLength(1);
  });

  test("GIVEN a save while a sync holds the row THEN the sync does not settle it: the next run applies the save", async () => {
    const { shop, shopId } = await shopWithMembers();
    await saveTierProgram(deps(), shop, program(true));
    // The sync reads the row, and a save lands before it records its outcome.
    const admin = localShopify(shop);
    const slow = {
      ...admin,
      createSegmentFreeShipping: async (input: Parameters<typeof admin.createSegmentFreeShipping>[0]) => {
        await saveTierProgram(deps(), shop, program(false));
        return admin.createSegmentFreeShipping(input);
      },
    };
    await syncTierShipping({ db: prisma, clock: () => new Date(), shopifyFor: async () => slow }, { shopId });
    expect(await row(shopId, "gold")).toMatchObject({ wanted: false, status: "pending" });
    await sync(shopId);
    expect(await row(shopId, "gold")).toMatchObject({ status: "off" });
    expect(localShopify(shop).state.automaticDiscounts.map((d) => d.active)).toEqual([false]);
  });
});
