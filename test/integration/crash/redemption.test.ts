// Issue 16, a redemption: a real process redeeming a reward against a Shopify stand-in on a
// local port is killed (SIGKILL) (a) after the spend is written, before discountCodeBasicCreate
// is sent; (b) while the stand-in holds the request, once with the code created and once not;
// (c) after Shopify's answer arrived, before the app recorded it. A restarted process runs the
// app's recovery sweep (retryPendingRedemptions): each time the code is issued exactly once
// and the points are spent exactly once, with no refund (never both, never neither).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import prisma from "~/db.server";
import { parseSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, points, releasePending, routeArgs, webhookRequest } from "../../helpers";
import { linesOf, runChild, startChild, startStandIn, type ChildResult, type StandIn } from "./harness";

const CREATE = "KembaliDiscountCodeBasicCreate";

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

/** A member with 1,000 spendable points and a 100-point reward. */
async function member() {
  const shop = newShopDomain();
  const customerId = String(9_000_000 + Math.floor(Math.random() * 900_000));
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`${customerId}1`, customerId, 8))));
  await releasePending(shop);
  const reward = await createReward({ db: prisma }, shop, {
    name: "Rp25.000 off",
    type: "fixed_amount",
    pointsCost: 100,
    value: 2_500_000,
    validityDays: 30,
  });
  const requestId = `crash-${randomUUID()}`;
  const env = {
    ...standIn.env,
    KEMBALI_TEST_SHOP: shop,
    KEMBALI_TEST_CUSTOMER: customerId,
    KEMBALI_TEST_REWARD: reward.id,
    KEMBALI_TEST_REQUEST: requestId,
  };
  return { shop, customerId, requestId, env, before: await points(shop, customerId) };
}

/**
 * After the crash the points are spent and the redemption pending; a restart a few minutes later
 * runs the sweep; then the code is issued once in Shopify and recorded, the points spent once.
 */
async function expectRecovered(m: Awaited<ReturnType<typeof member>>, crashed: ChildResult, createsSeen: number) {
  expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
  const where = { shop: { domain: m.shop }, requestId: m.requestId };
  const pending = await prisma.redemption.findFirstOrThrow({ where });
  expect(pending).toMatchObject({ status: "pending", discountId: null });
  expect(await points(m.shop, m.customerId)).toEqual({ balance: m.before.balance - 100, pending: 0 });
  const creates = () =>
    standIn.seen.filter(
      (r) => r.operationName === CREATE && (r.variables.discount as { code?: string } | undefined)?.code === pending.code,
    );
  expect(creates()).toHaveLength(createsSeen);

  const later = new Date(Date.now() + 5 * 60_000).toISOString();
  const sweep = await runChild({ ...m.env, KEMBALI_TEST_MODE: "sweep", KEMBALI_TEST_NOW: later });
  expect(sweep.code, sweep.stderr).toBe(0);
  expect(linesOf(sweep)).toHaveLength(1);

  const done = await prisma.redemption.findFirstOrThrow({ where });
  const live = standIn.fake.state.discounts.filter((d) => d.code === pending.code);
  expect(live).toHaveLength(1);
  expect(done).toMatchObject({ status: "issued", discountId: live[0].id, failureReason: null });
  const entries = await prisma.pointsEntry.findMany({ where: { shop: { domain: m.shop }, sourceId: m.requestId } });
  expect(entries.map((e) => [e.kind, e.points])).toEqual([["spend", -100]]);
  expect(await points(m.shop, m.customerId)).toEqual({ balance: m.before.balance - 100, pending: 0 });
  expect(await prisma.customerEvent.count({ where: { shopId: done.shopId, key: `reward_issued:${done.id}` } })).toBe(1);
}

const NOW = () => new Date().toISOString();

test("(a) killed after the spend, before the create is sent: the sweep creates the code once", async () => {
  const m = await member();
  const crashed = await runChild({ ...m.env, KEMBALI_TEST_MODE: "redeem", KEMBALI_TEST_NOW: NOW(), KEMBALI_TEST_CRASH_BEFORE_OP: CREATE });
  await expectRecovered(m, crashed, 0);
}, 90_000);

test.each([
  ["Shopify created the code", true],
  ["Shopify did not create it", false],
])(
  "(b) killed while the create is at Shopify (%s): the code is issued once",
  async (_, created) => {
    const m = await member();
    const { child, done } = startChild({ ...m.env, KEMBALI_TEST_MODE: "redeem", KEMBALI_TEST_NOW: NOW() });
    standIn.setIntercept(async (request) => {
      if (request.operationName !== CREATE) return "answer";
      standIn.setIntercept(() => "answer");
      if (created) await standIn.fake.respond(request.body, standIn.fake.accessToken);
      child.kill("SIGKILL");
      return "hang";
    });
    await expectRecovered(m, await done, 1);
  },
  90_000,
);

test("(c) killed after Shopify's answer, before it was recorded: the sweep adopts the code Shopify calls TAKEN", async () => {
  const m = await member();
  const crashed = await runChild({ ...m.env, KEMBALI_TEST_MODE: "redeem", KEMBALI_TEST_NOW: NOW(), KEMBALI_TEST_CRASH_AFTER_OP: CREATE });
  await expectRecovered(m, crashed, 1);
}, 90_000);
