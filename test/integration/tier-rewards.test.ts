// Issue 10 item 6: a reward a VIP tier lists as exclusive is shown locked to everyone else
// (with the tiers that unlock it) and redeeming it is refused with TIER_REQUIRED, writing nothing.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as redeem } from "~/routes/proxy.redeem";
import { loader as state } from "~/routes/proxy.state";
import { createReward } from "~/domain/rewards/rewards";
import { redeemReward } from "~/domain/rewards/redemption";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { saveTierProgram } from "~/domain/tiers";
import { localShopify } from "~/shopify/shopify-for.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";
import { newShopDomain, paidOrder, points, proxyRequest, releasePending, routeArgs, webhookRequest } from "../helpers";

const deps = () => ({ db: prisma, clock: () => new Date(), transaction: transaction(prisma) });

/** Two members with 1,000 points each (8001 Silver, 8002 Gold), a Gold-only reward and one for everyone. */
async function shopWithGoldReward() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  for (const id of ["8001", "8002"]) await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`9${id}`, id, 8))));
  await releasePending(shop);
  const goldOnly = await createReward({ db: prisma }, shop, { name: "Gold gift", type: "fixed_amount", pointsCost: 100, value: 2_500_000 });
  const everyone = await createReward({ db: prisma }, shop, { name: "For all", type: "fixed_amount", pointsCost: 100, value: 1_000_000 });
  await saveTierProgram(deps(), shop, {
    basis: "points_earned",
    period: "lifetime",
    tiers: [
      { key: "silver", name: "Silver", threshold: 0 },
      { key: "gold", name: "Gold", threshold: 5000, exclusiveRewardIds: [goldOnly.id] },
    ],
  });
  // The tiers are set directly: how members reach them is tiers.test.ts's business.
  const shopRow = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  await prisma.customer.updateMany({ where: { shopId: shopRow.id, shopifyCustomerId: "8001" }, data: { tier: "silver" } });
  await prisma.customer.updateMany({ where: { shopId: shopRow.id, shopifyCustomerId: "8002" }, data: { tier: "gold" } });
  return { shop, goldOnly: goldOnly.id, everyone: everyone.id };
}

function redeemRequest(shop: string, customerId: string, body: unknown) {
  const query = signProxyQuery(new URLSearchParams(), { shop, customerId, secret: TEST_API_SECRET });
  return new Request(`http://127.0.0.1:3000/proxy/redeem?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function rewardsSeenBy(shop: string, customerId: string | null) {
  const res = await state(routeArgs(proxyRequest("state", { shop, customerId })));
  expect(res.status).toBe(200);
  return (await res.json()).rewards as Array<Record<string, unknown>>;
}

describe("rewards exclusive to VIP tiers", () => {
  test("GIVEN a Gold-only reward THEN a Silver member sees it locked with the tiers that unlock it, a Gold member may redeem it", async () => {
    const { shop, goldOnly, everyone } = await shopWithGoldReward();
    const silver = await rewardsSeenBy(shop, "8001");
    expect(silver.find((r) => r.id === goldOnly)).toMatchObject({ tiers: ["Gold"], available: false, unavailableReason: "tier_required" });
    expect(silver.find((r) => r.id === everyone)).toMatchObject({ available: true, unavailableReason: null });
    expect(silver.find((r) => r.id === everyone)).not.toHaveProperty("tiers");
    const gold = await rewardsSeenBy(shop, "8002");
    expect(gold.find((r) => r.id === goldOnly)).toMatchObject({ tiers: ["Gold"], available: true, unavailableReason: null });
    // A guest sees what the tier unlocks.
    const guest = await rewardsSeenBy(shop, null);
    expect(guest.find((r) => r.id === goldOnly)).toMatchObject({ tiers: ["Gold"] });
  });

  test("GIVEN a Silver member redeeming the Gold-only reward THEN 403 TIER_REQUIRED naming Gold, and nothing is written", async () => {
    const { shop, goldOnly } = await shopWithGoldReward();
    const before = await points(shop, "8001");
    const res = await redeem(routeArgs(redeemRequest(shop, "8001", { rewardId: goldOnly, requestId: "req-8001-gold" })));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "TIER_REQUIRED", details: { tiers: ["Gold"] } } });
    expect(await points(shop, "8001")).toEqual(before);
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop }, kind: "spend" } })).toBe(0);
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN a member without any tier THEN the domain function refuses too; the Gold member gets the code", async () => {
    const { shop, goldOnly } = await shopWithGoldReward();
    await prisma.customer.updateMany({ where: { shop: { domain: shop }, shopifyCustomerId: "8001" }, data: { tier: null } });
    const d = { ...deps(), shopify: localShopify(shop) };
    await expect(
      redeemReward(d, { shopDomain: shop, shopifyCustomerId: "8001", rewardId: goldOnly, requestId: "req-8001-none" }),
    ).rejects.toMatchObject({ code: "TIER_REQUIRED", status: 403 });
    const res = await redeem(routeArgs(redeemRequest(shop, "8002", { rewardId: goldOnly, requestId: "req-8002-gold" })));
    expect(res.status).toBe(200);
    expect((await res.json()).redemption).toMatchObject({ status: "issued", pointsSpent: 100 });
  });

  test("GIVEN the tier program drops the reward from Gold THEN everyone may redeem it again", async () => {
    const { shop, goldOnly } = await shopWithGoldReward();
    await saveTierProgram(deps(), shop, {
      basis: "points_earned",
      period: "lifetime",
      tiers: [
        { key: "silver", name: "Silver", threshold: 0 },
        { key: "gold", name: "Gold", threshold: 5000 },
      ],
    });
    const silver = await rewardsSeenBy(shop, "8001");
    expect(silver.find((r) => r.id === goldOnly)).toMatchObject({ available: true });
    const res = await redeem(routeArgs(redeemRequest(shop, "8001", { rewardId: goldOnly, requestId: "req-8001-open" })));
    expect(res.status).toBe(200);
  });
});
