// The events messages act on, recorded by the domain with what they report: each once, at the
// right time (a controlled clock), with the payload catalog.ts promises.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { appDeps } from "~/deps.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { releasePendingPoints } from "~/domain/ledger/ledger";
import { importOrder } from "~/domain/earning/history";
import { redeemReward } from "~/domain/rewards/redemption";
import { createReward } from "~/domain/rewards/rewards";
import { claimFriendReward, referralFor, releaseReferralRewards } from "~/domain/referrals";
import { answerSurvey } from "~/domain/surveys/responses";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { recordFulfilment } from "~/domain/surveys/fulfilment";
import { saveMessagesSettings } from "~/domain/messages/settings";
import { sweepRewardExpiring, sweepSurveysDue } from "~/domain/messages/sweeps";
import { localShopify } from "~/shopify/shopify-for.server";
import { customer as demoCustomer, newShopDomain, paidOrder, routeArgs, webhookRequest } from "../../helpers";

const DAY = 86_400_000;

async function shopWith(settings: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  const { id: shopId } = await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, ...settings }));
  return { shop, shopId };
}

const events = (shopId: string, type: string) => prisma.customerEvent.findMany({ where: { shopId, type }, orderBy: { createdAt: "asc" } });

async function paid(shop: string, orderId: string, customerId: string | null, quantity = 8) {
  expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(orderId, customerId, quantity))))).status).toBe(200);
}

function customerBody(id: string, more: Record<string, unknown> = {}) {
  const c = demoCustomer(id);
  return { id: Number(id), email: c.email, first_name: c.firstName, last_name: c.lastName, tags: "", ...more };
}

describe("member_joined", () => {
  test("GIVEN an account made while installed THEN member_joined once, whatever signals follow", async () => {
    const { shop, shopId } = await shopWith({ bonuses: { signup: 0 } });
    const created = customerBody("8101", { state: "disabled" });
    expect((await customerCreate(routeArgs(webhookRequest("customers/create", shop, created)))).status).toBe(200);
    expect(await events(shopId, "member_joined")).toHaveLength(0);
    for (let i = 0; i < 2; i++) {
      const res = await customerUpdate(routeArgs(webhookRequest("customers/update", shop, { ...created, state: "enabled" })));
      expect(res.status).toBe(200);
    }
    const joined = await events(shopId, "member_joined");
    const c = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "8101" } });
    expect(joined).toEqual([expect.objectContaining({ customerId: c.id, key: `member_joined:${c.id}`, payload: {} })]);
  });

  test("GIVEN an account older than the install (enabled at first sight) THEN no member_joined", async () => {
    const { shop, shopId } = await shopWith();
    await customerUpdate(routeArgs(webhookRequest("customers/update", shop, customerBody("8102", { state: "enabled" }))));
    expect(await events(shopId, "member_joined")).toHaveLength(0);
  });
});

describe("points_earned and points_available", () => {
  test("GIVEN a pending period THEN points_earned says until when, once per order; the release records points_available once", async () => {
    const { shop, shopId } = await shopWith({ earning: { points: 1, perAmount: 100_000, pendingDays: 14 } });
    await paid(shop, "81001", "8111");
    await paid(shop, "81001", "8111"); // a replay
    const [earned, ...more] = await events(shopId, "points_earned");
    expect(more).toHaveLength(0);
    const order = await prisma.order.findFirstOrThrow({ where: { shopId, shopifyOrderId: "81001" } });
    expect(earned.payload).toEqual({
      shopifyOrderId: "81001",
      orderName: expect.any(String),
      points: 1000,
      availableAt: new Date(order.paidAt!.getTime() + 14 * DAY).toISOString(),
    });

    const sweep = (at: Date) => releasePendingPoints({ db: prisma, clock: () => at, transaction: transaction(prisma) }, { shopId });
    expect(await sweep(new Date(order.paidAt!.getTime() + 13 * DAY))).toBe(0);
    expect(await events(shopId, "points_available")).toHaveLength(0);
    const releasedAt = new Date(order.paidAt!.getTime() + 15 * DAY);
    expect(await sweep(releasedAt)).toBe(1);
    expect(await sweep(releasedAt)).toBe(0);
    const available = await events(shopId, "points_available");
    expect(available).toEqual([expect.objectContaining({ payload: { points: 1000 }, createdAt: releasedAt })]);
  });

  test("GIVEN no pending period THEN availableAt is null; GIVEN imported history older than the install THEN no points_earned", async () => {
    const { shop, shopId } = await shopWith();
    await paid(shop, "81002", "8112");
    expect((await events(shopId, "points_earned"))[0].payload).toMatchObject({ points: 1000, availableAt: null });

    const old = new Date(Date.now() - 60 * DAY);
    await importOrder(
      { db: prisma, clock: () => new Date(), transaction: transaction(prisma) },
      shop,
      {
        id: "81003",
        customer: { id: "8112", email: null, firstName: null, lastName: null },
        currency: "IDR",
        subtotal: 100_000_000,
        total: 100_000_000,
        shipping: 0,
        tax: 0,
        createdAt: old,
        processedAt: old,
        updatedAt: old,
        cancelledAt: null,
        lineItems: [],
        refunds: [],
      } as unknown as Parameters<typeof importOrder>[2],
      { earn: true, shopify: localShopify(shop) },
    );
    expect(await prisma.pointsEntry.count({ where: { shopId, sourceId: "81003" } })).toBe(1);
    expect(await events(shopId, "points_earned")).toHaveLength(1);
  });
});

describe("reward_issued and reward_expiring", () => {
  test("GIVEN a redemption THEN reward_issued once with its code; the expiring sweep records it once within rewardExpiringDays", async () => {
    const { shop, shopId } = await shopWith();
    await paid(shop, "81201", "8121");
    const reward = await createReward({ db: prisma }, shop, {
      name: "Rp25.000 off",
      type: "fixed_amount",
      pointsCost: 100,
      value: 2_500_000,
      validityDays: 10,
    });
    const now = new Date();
    const deps = { ...appDeps, clock: () => now, shopify: localShopify(shop) };
    const view = await redeemReward(deps, { shopDomain: shop, shopifyCustomerId: "8121", rewardId: reward.id, requestId: "req-8121-aaaa" });
    const r = await prisma.redemption.findFirstOrThrow({ where: { shopId } });
    const expiresAt = new Date(now.getTime() + 10 * DAY).toISOString();
    expect((await events(shopId, "reward_issued")).map((e) => e.payload)).toEqual([
      { redemptionId: r.id, rewardName: "Rp25.000 off", code: view.code, expiresAt, source: "points" },
    ]);

    await saveMessagesSettings({ db: prisma }, shop, { rewardExpiringDays: 3 });
    const sweep = (days: number) => sweepRewardExpiring({ db: prisma, clock: () => new Date(now.getTime() + days * DAY) }, shopId);
    expect(await sweep(6)).toBe(0);
    expect(await sweep(7.5)).toBe(1);
    expect(await sweep(8)).toBe(0);
    expect(await sweep(11)).toBe(0);
    expect((await events(shopId, "reward_expiring")).map((e) => e.payload)).toEqual([
      { redemptionId: r.id, rewardName: "Rp25.000 off", code: view.code, expiresAt },
    ]);
  });
});

describe("stamp_reward", () => {
  test("GIVEN buy 3 THEN the third order records stamp_reward once, replays too", async () => {
    const { shop, shopId } = await shopWith({
      earning: { points: 0, perAmount: 100_000, pendingDays: 0 },
      stamps: { enabled: true, counts: "orders", target: 3, rewardPoints: 500 },
    });
    for (const id of ["81301", "81302", "81302", "81303", "81303"]) await paid(shop, id, "8131", 1);
    expect((await events(shopId, "stamp_reward")).map((e) => e.payload)).toEqual([{ shopifyOrderId: "81303", points: 500, target: 3 }]);
    expect(await events(shopId, "stamps_collected")).toHaveLength(3);
  });
});

describe("referral_rewarded", () => {
  test("GIVEN a referral past its hold THEN the referrer's referral_rewarded once", async () => {
    const { shop, shopId } = await shopWith({ referral: { holdDays: 30 } });
    const { code } = await referralFor({ ...appDeps }, shop, "8141");
    const body = { ...paidOrder("81401", "8142"), note_attributes: [{ name: "kembali_ref", value: code }] };
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body)))).status).toBe(200);
    const referral = await prisma.referral.findFirstOrThrow({ where: { shopId } });
    const release = (days: number) => releaseReferralRewards({ ...appDeps, clock: () => new Date(Date.now() + days * DAY) }, { shopId });
    expect(await release(29)).toBe(0);
    expect(await events(shopId, "referral_rewarded")).toHaveLength(0);
    expect(await release(31)).toBe(1);
    expect(await release(32)).toBe(0);
    const referrer = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "8141" } });
    expect(await events(shopId, "referral_rewarded")).toEqual([
      expect.objectContaining({ customerId: referrer.id, payload: { referralId: referral.id, points: referral.points } }),
    ]);
  });
});

describe("friend_rewarded", () => {
  test("GIVEN a friend claiming their welcome code THEN friend_rewarded once with the code, a second claim adds nothing", async () => {
    const { shop, shopId } = await shopWith({ referral: { enabled: true } });
    const { code } = await referralFor({ ...appDeps }, shop, "8161");
    const claim = () =>
      claimFriendReward({ ...appDeps, clock: () => new Date(), shopify: localShopify(shop) }, shop, code, {
        shopifyCustomerId: "8162",
        requestId: "claim-8162",
        ipHash: null,
      });
    const first = await claim();
    await claim();
    const friend = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "8162" } });
    const reward = await prisma.friendReward.findFirstOrThrow({ where: { shopId } });
    expect(first.code).toBe(reward.code);
    expect(await events(shopId, "friend_rewarded")).toEqual([
      expect.objectContaining({ customerId: friend.id, payload: { referralId: reward.id, code: reward.code } }),
    ]);
  });
});

describe("survey_due and detractor_alert", () => {
  test("GIVEN a fulfilled order THEN survey_due once the delay passed, once, and not for a second order within the throttle", async () => {
    const { shop, shopId } = await shopWith();
    await paid(shop, "81501", "8151");
    await paid(shop, "81502", "8151");
    await saveSurveySettings({ db: prisma }, shop, { enabled: true, delayDays: 7, throttleDays: 90 });
    const fulfilled = new Date();
    await recordFulfilment({ db: prisma }, shop, "81501", fulfilled);
    await recordFulfilment({ db: prisma }, shop, "81502", new Date(fulfilled.getTime() + DAY));
    const sweep = (days: number) => sweepSurveysDue({ db: prisma, clock: () => new Date(fulfilled.getTime() + days * DAY) }, shopId);
    expect(await sweep(6)).toBe(0);
    expect(await sweep(7.1)).toBe(1);
    expect(await sweep(7.2)).toBe(0);
    expect(await sweep(8.5)).toBe(0); // the second order: throttled
    expect((await events(shopId, "survey_due")).map((e) => e.payload)).toEqual([{ shopifyOrderId: "81501", orderName: null }]);
  });

  test("GIVEN an answered order THEN no survey_due; GIVEN a detractor THEN detractor_alert with the comment, erased by customers/redact", async () => {
    const { shop, shopId } = await shopWith();
    await paid(shop, "81511", "8152");
    await paid(shop, "81512", null);
    await saveSurveySettings({ db: prisma }, shop, { enabled: true, delayDays: 0, throttleDays: 0 });
    const deps = { ...appDeps, clock: () => new Date() };
    await answerSurvey(deps, shop, { channel: "checkout", order: "81511", shopifyCustomerId: "8152", score: 2, comment: "<b>late</b>" });
    await answerSurvey(deps, shop, { channel: "checkout", order: "81512", shopifyCustomerId: null, score: 9 });
    await recordFulfilment({ db: prisma }, shop, "81511", new Date(Date.now() - DAY));
    expect(await sweepSurveysDue({ db: prisma, clock: () => new Date() }, shopId)).toBe(0);

    const member = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "8152" } });
    const response = await prisma.surveyResponse.findFirstOrThrow({ where: { shopId, shopifyOrderId: "81511" } });
    expect(await events(shopId, "detractor_alert")).toEqual([
      expect.objectContaining({
        customerId: member.id,
        payload: { responseId: response.id, shopifyOrderId: "81511", score: 2, kind: "nps", comment: "<b>late</b>" },
      }),
    ]);
    const redact = { shop_id: 1, shop_domain: shop, customer: { id: 8152, email: null }, orders_to_redact: [] };
    expect((await customerRedact(routeArgs(webhookRequest("customers/redact", shop, redact)))).status).toBe(200);
    expect((await events(shopId, "detractor_alert"))[0].payload).toMatchObject({ score: 2, comment: null });
  });

  test("GIVEN a guest's detractor answer THEN detractor_alert about no member", async () => {
    const { shop, shopId } = await shopWith();
    await paid(shop, "81521", null);
    await saveSurveySettings({ db: prisma }, shop, { enabled: true });
    await answerSurvey({ ...appDeps, clock: () => new Date() }, shop, {
      channel: "checkout",
      order: "81521",
      shopifyCustomerId: null,
      score: 0,
    });
    expect(await events(shopId, "detractor_alert")).toEqual([
      expect.objectContaining({ customerId: null, payload: expect.objectContaining({ score: 0, comment: null }) }),
    ]);
  });
});
