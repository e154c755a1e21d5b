// The welcome reward (issue 14) on the test database (both, with TEST_DB): one free code per new
// member, whatever runs and however often; none for held-out members or members from before
// the merchant turned it on; shown to the member (state API, account summary) until used.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import { KembaliError } from "~/domain/errors";
import { messagesSettings, saveMessagesSettings } from "~/domain/messages/settings";
import { issueWelcomeRewards, sweepWelcomeRewards, welcomeRequestId } from "~/domain/messages/welcome";
import { shopperState } from "~/domain/storefront";
import { localShopify } from "~/shopify/shopify-for.server";
import { signSessionToken } from "~/shopify/session-token";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { loader as state } from "~/routes/proxy.state";
import { loader as accountSummary } from "~/routes/api.account.summary";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, proxyRequest, routeArgs, webhookRequest } from "../helpers";

const NOW = new Date("2026-12-07T09:00:00Z");
const clock = () => NOW;
const deps = { db: prisma, clock, transaction: transaction(prisma), shopifyFor: async (shop: string) => localShopify(shop) };
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

/** A shop with a welcome-worthy reward and one member who joined before the welcome reward was on. */
async function shopWithReward(reward: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  const { id: shopId } = await ensureShop(prisma, shop, "IDR");
  const { id: rewardId } = await createReward({ db: prisma }, shop, {
    name: "Rp20.000 welcome",
    type: "fixed_amount",
    pointsCost: 200,
    value: 2_000_000,
    validityDays: 30,
    ...reward,
  });
  const old = await member(shopId, "6100", minutes(-60));
  return { shop, shopId, rewardId, old };
}

function member(shopId: string, shopifyCustomerId: string, createdAt: Date, data: { holdout?: boolean; stamps?: number } = {}) {
  return prisma.customer.create({ data: { shopId, shopifyCustomerId, createdAt, ...data } });
}

const welcomeOn = (shop: string, rewardId: string | null) => saveMessagesSettings({ db: prisma }, shop, { welcomeRewardId: rewardId });
const redemptions = (shopId: string) => prisma.redemption.findMany({ where: { shopId }, orderBy: { createdAt: "asc" } });

describe("welcome reward settings", () => {
  test("turning it on stores when (the newest member's join time); changing the reward keeps it; off clears it; input cannot set it", async () => {
    const { shop, rewardId, old } = await shopWithReward();
    const saved = await saveMessagesSettings({ db: prisma }, shop, { welcomeRewardId: rewardId, welcomeSince: "2000-01-01T00:00:00.000Z" });
    expect(saved.welcomeSince).toBe(old.createdAt.toISOString());
    expect((await messagesSettings({ db: prisma }, shop)).welcomeSince).toBe(old.createdAt.toISOString());

    const other = await createReward({ db: prisma }, shop, { name: "10% off", type: "percentage", pointsCost: 100, value: 10 });
    expect((await welcomeOn(shop, other.id)).welcomeSince).toBe(old.createdAt.toISOString());
    expect((await welcomeOn(shop, null)).welcomeSince).toBeNull();
  });

  test("a shop without members yet: every member to come is new", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    const { id } = await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 100, value: 0 });
    expect((await welcomeOn(shop, id)).welcomeSince).toBe(new Date(0).toISOString());
  });

  test("store credit, an inactive reward or another shop's reward is refused with 400 and nothing is saved", async () => {
    const { shop, rewardId } = await shopWithReward({ type: "store_credit", value: 1_000_000 });
    const elsewhere = await shopWithReward();
    await prisma.reward.create({
      data: {
        shopId: (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id,
        name: "Old",
        type: "percentage",
        pointsCost: 1,
        value: 5,
        active: false,
      },
    });
    const inactive = await prisma.reward.findFirstOrThrow({ where: { shop: { domain: shop }, active: false } });
    for (const id of [rewardId, inactive.id, elsewhere.rewardId]) {
      const error = await welcomeOn(shop, id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KembaliError);
      expect((error as KembaliError).code).toBe("BAD_INPUT");
    }
    expect((await messagesSettings({ db: prisma }, shop)).welcomeRewardId).toBeNull();
  });
});

describe("issuing welcome rewards", () => {
  test("GIVEN it is on THEN each new member gets one free code, once however often the sweep runs; older and held-out members get none", async () => {
    const { shop, shopId, rewardId, old } = await shopWithReward();
    await welcomeOn(shop, rewardId);
    const fresh = await member(shopId, "6101", minutes(1));
    await member(shopId, "6102", minutes(2), { holdout: true });
    await prisma.customer.update({ where: { id: old.id }, data: { balance: 300 } });

    expect(await issueWelcomeRewards(deps, shopId)).toBe(1);
    expect(await issueWelcomeRewards(deps, shopId)).toBe(0);
    expect(await sweepWelcomeRewards(deps)).toBeGreaterThanOrEqual(0);

    const rows = await redemptions(shopId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      customerId: fresh.id,
      rewardId,
      requestId: welcomeRequestId(fresh.id),
      pointsSpent: 0,
      status: "issued",
      expiresAt: new Date(NOW.getTime() + 30 * 86_400_000),
    });
    const discounts = localShopify(shop).state.discounts;
    expect(discounts).toHaveLength(1);
    expect(discounts[0]).toMatchObject({ code: rows[0].code, customerId: "6101", reward: { type: "fixed_amount", amount: 2_000_000 } });
    // No points moved for anyone.
    expect(await prisma.pointsEntry.count({ where: { shopId } })).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: old.id } })).balance).toBe(300);
  });

  test("GIVEN several servers sweeping at once THEN still one code per member", async () => {
    const { shop, shopId, rewardId } = await shopWithReward();
    await welcomeOn(shop, rewardId);
    const ids = ["6201", "6202", "6203", "6204"];
    for (const [i, id] of ids.entries()) await member(shopId, id, minutes(i + 1));
    const created = await Promise.all([1, 2, 3].map(() => issueWelcomeRewards(deps, shopId)));
    expect(created.reduce((a, b) => a + b, 0)).toBe(ids.length);
    const rows = await redemptions(shopId);
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => "issued"));
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(ids.length);
    expect(
      localShopify(shop)
        .state.discounts.map((d) => d.customerId)
        .sort(),
    ).toEqual(ids);
  });

  test("GIVEN it is off, or turned on after members joined THEN those members get nothing; turned on again, only later members do", async () => {
    const { shop, shopId, rewardId } = await shopWithReward();
    await member(shopId, "6301", minutes(1));
    expect(await issueWelcomeRewards(deps, shopId)).toBe(0);
    await welcomeOn(shop, rewardId);
    expect(await issueWelcomeRewards(deps, shopId)).toBe(0);
    await welcomeOn(shop, null);
    const whileOff = await member(shopId, "6302", minutes(2));
    await welcomeOn(shop, rewardId);
    const after = await member(shopId, "6303", minutes(3));
    expect(await issueWelcomeRewards(deps, shopId)).toBe(1);
    const rows = await redemptions(shopId);
    expect(rows.map((r) => r.customerId)).toEqual([after.id]);
    expect(rows.some((r) => r.customerId === whileOff.id)).toBe(false);
  });

  test("GIVEN Shopify refuses the code THEN the redemption is failed, no points are returned, and it is not tried again", async () => {
    const { shop, shopId, rewardId } = await shopWithReward();
    await welcomeOn(shop, rewardId);
    await member(shopId, "6401", minutes(1));
    const refusing = {
      ...deps,
      shopifyFor: async () => ({
        ...localShopify(shop),
        createDiscountCode: async () => {
          throw new Error("Code refused");
        },
      }),
    };
    expect(await issueWelcomeRewards(refusing, shopId)).toBe(1);
    expect(await issueWelcomeRewards(deps, shopId)).toBe(0);
    const rows = await redemptions(shopId);
    expect(rows).toMatchObject([{ status: "failed", pointsSpent: 0 }]);
    expect(await prisma.pointsEntry.count({ where: { shopId } })).toBe(0);
  });
});

describe("what the member sees", () => {
  async function welcomed(reward: Record<string, unknown> = {}) {
    const { shop, shopId, rewardId } = await shopWithReward(reward);
    await updateProgramSettings(
      prisma,
      shop,
      parseSettings({
        earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
        stamps: { enabled: true, target: 5, rewardPoints: 150 },
      }),
    );
    await welcomeOn(shop, rewardId);
    const fresh = await member(shopId, "6501", minutes(1), { stamps: 8 });
    await issueWelcomeRewards(deps, shopId);
    const { code } = await prisma.redemption.findUniqueOrThrow({
      where: { shopId_requestId: { shopId, requestId: welcomeRequestId(fresh.id) } },
    });
    return { shop, shopId, code: code! };
  }

  test("the state: the welcome code with its reward and end date, and the stamp card (8 stamps on cards of 5: 3 of 5)", async () => {
    const { shop, code } = await welcomed();
    const s = await shopperState({ db: prisma, clock }, shop, "6501");
    expect(s.customer?.welcome).toEqual({
      code,
      rewardName: "Rp20.000 welcome",
      expiresAt: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
    });
    expect(s.customer?.stamps).toEqual({ count: 3, target: 5, rewardPoints: 150 });
    // Past its end date it is no longer offered.
    const later = await shopperState({ db: prisma, clock: () => new Date(NOW.getTime() + 31 * 86_400_000) }, shop, "6501");
    expect(later.customer?.welcome).toBeNull();
  });

  test("a member without a welcome reward and a shop without a stamp card: both null", async () => {
    const { shop } = await shopWithReward();
    const s = await shopperState({ db: prisma, clock }, shop, "6100");
    expect(s.customer).toMatchObject({ welcome: null, stamps: null });
  });

  test("the App Proxy state and the account summary carry it; an order that used the code takes it away", async () => {
    const { shop, code } = await welcomed({ validityDays: null });
    const viaProxy = await (await state(routeArgs(proxyRequest("state", { shop, customerId: "6501" })))).json();
    expect(viaProxy.customer).toMatchObject({
      welcome: { code, rewardName: "Rp20.000 welcome", expiresAt: null },
      stamps: { count: 3, target: 5, rewardPoints: 150 },
    });
    const auth = signSessionToken({ shop, customerId: "6501", secret: TEST_API_SECRET, apiKey: TEST_API_KEY });
    const summary = await accountSummary(
      routeArgs(new Request("http://127.0.0.1:3000/api/account/summary", { headers: { Authorization: `Bearer ${auth}` } })),
    );
    expect(summary.status).toBe(200);
    expect((await summary.json()).customer).toMatchObject({ welcome: { code }, stamps: { count: 3, target: 5 } });

    const order = {
      ...paidOrder("65001", "6501"),
      discount_codes: [{ code: code.toLowerCase(), amount: "20000.00", type: "fixed_amount" }],
    };
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, order)))).status).toBe(200);
    const after = await (await state(routeArgs(proxyRequest("state", { shop, customerId: "6501" })))).json();
    expect(after.customer.welcome).toBeNull();
  });
});
