import { describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import prisma, { transaction, type Tx } from "~/db.server";
import { redeemReward, retryPendingRedemptions, rewardCode, settleExpiredRewards } from "~/domain/rewards/redemption";
import { hitRateLimits } from "~/domain/rate-limit";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as redeem } from "~/routes/proxy.redeem";
import { loader as state } from "~/routes/proxy.state";
import { createReward } from "~/domain/rewards/rewards";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { localShopify } from "~/shopify/shopify-for.server";
import { newShopDomain, paidOrder, points, proxyRequest, releasePending, routeArgs, webhookRequest } from "../helpers";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";

/**
 * A member with 1,000 spendable points per order (8 × Rp125.000 at 1 point per Rp1.000, no
 * pending period) and a reward costing 100 points.
 */
async function memberWithPoints(customerId: string, orders: number, reward: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  for (let i = 0; i < orders; i++) {
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`2${customerId}${i}`, customerId, 8))));
  }
  await releasePending(shop);
  const created = await createReward({ db: prisma }, shop, {
    name: "Rp25.000 off",
    type: "fixed_amount",
    pointsCost: 100,
    value: 2_500_000,
    validityDays: 30,
    ...reward,
  });
  return { shop, rewardId: created.id };
}

function redeemRequest(shop: string, customerId: string, body: unknown, secret = TEST_API_SECRET) {
  const query = signProxyQuery(new URLSearchParams(), { shop, customerId, secret });
  return new Request(`http://127.0.0.1:3000/proxy/redeem?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("redeeming a reward through the App Proxy", () => {
  test("GIVEN enough points THEN a single-use code for that customer is created in Shopify and the points are spent", async () => {
    const { shop, rewardId } = await memberWithPoints("7501", 1);
    const before = await points(shop);
    const res = await redeem(routeArgs(redeemRequest(shop, "7501", { rewardId, requestId: "req-7501-aaaa" })));
    expect(res.status).toBe(200);
    const { redemption } = await res.json();
    expect(redemption).toMatchObject({ status: "issued", pointsSpent: 100, balance: before.balance - 100 });
    expect(redemption.code).toMatch(/^KMB-[A-Z2-9]{10}$/);
    const discount = localShopify(shop).state.discounts.find((d) => d.code === redemption.code);
    expect(discount).toMatchObject({ customerId: "7501", reward: { type: "fixed_amount", amount: 2_500_000 }, currency: "IDR" });
    expect(await points(shop)).toEqual({ balance: before.balance - 100, pending: 0 });
  });

  test("GIVEN the same request id twice THEN the second returns the first result and spends nothing more", async () => {
    const { shop, rewardId } = await memberWithPoints("7502", 1);
    const first = await (await redeem(routeArgs(redeemRequest(shop, "7502", { rewardId, requestId: "req-7502-aaaa" })))).json();
    const again = await (await redeem(routeArgs(redeemRequest(shop, "7502", { rewardId, requestId: "req-7502-aaaa" })))).json();
    expect(again.redemption.code).toBe(first.redemption.code);
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
  });

  test("GIVEN Shopify refuses to create the code THEN the points come back at once and the reason is kept", async () => {
    const { shop, rewardId } = await memberWithPoints("7503", 1);
    const before = await points(shop);
    localShopify(shop).rejectNext("Code must be unique");
    const { redemption } = await (await redeem(routeArgs(redeemRequest(shop, "7503", { rewardId, requestId: "req-7503-aaaa" })))).json();
    expect(redemption).toMatchObject({ status: "failed", code: null, balance: before.balance });
    expect(redemption.failureReason).toMatch(/Code must be unique/);
    expect(await points(shop)).toEqual(before);
    const entries = await prisma.pointsEntry.findMany({
      where: { shop: { domain: shop }, sourceType: "redemption" },
      orderBy: { createdAt: "asc" },
    });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([
      ["spend", -100],
      ["reverse", 100],
    ]);
  });

  test("GIVEN Shopify already holds the code: ours (same title) is adopted once, another discount's is refused and refunded", async () => {
    const { shop, rewardId } = await memberWithPoints("7504", 1);
    const before = await points(shop);
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const existing = (code: string, title: string) =>
      localShopify(shop).createDiscountCode({
        code,
        title,
        reward: { type: "fixed_amount", amount: 2_500_000 },
        customerId: "7504",
        startsAt: new Date(),
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
        currency: "IDR",
      });
    // An earlier attempt created it and died before recording it (test/integration/crash/redemption.test.ts).
    const ours = await existing(rewardCode(shopId, "req-7504-aaaa"), "Kembali reward: Rp25.000 off");
    const adopted = await (await redeem(routeArgs(redeemRequest(shop, "7504", { rewardId, requestId: "req-7504-aaaa" })))).json();
    expect(adopted.redemption).toMatchObject({ status: "issued", code: rewardCode(shopId, "req-7504-aaaa") });
    expect(await prisma.redemption.findFirstOrThrow({ where: { shopId, requestId: "req-7504-aaaa" } })).toMatchObject({
      discountId: ours.discountId,
    });
    // The merchant's own discount has the code: not ours, so refused and the points come back.
    await existing(rewardCode(shopId, "req-7504-bbbb"), "Summer sale");
    const refused = await (await redeem(routeArgs(redeemRequest(shop, "7504", { rewardId, requestId: "req-7504-bbbb" })))).json();
    expect(refused.redemption).toMatchObject({ status: "failed", code: null });
    expect(localShopify(shop).state.discounts).toHaveLength(2);
    expect(await points(shop)).toEqual({ balance: before.balance - 100, pending: 0 });
  });

  test("GIVEN not enough points THEN 409 INSUFFICIENT_POINTS and nothing changes", async () => {
    const { shop, rewardId } = await memberWithPoints("7504", 1, { pointsCost: 5000 });
    const res = await redeem(routeArgs(redeemRequest(shop, "7504", { rewardId, requestId: "req-7504-aaaa" })));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "INSUFFICIENT_POINTS" } });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN a forged signature THEN 401 and nothing is spent", async () => {
    const { shop, rewardId } = await memberWithPoints("7505", 1);
    const before = await points(shop);
    const res = await redeem(routeArgs(redeemRequest(shop, "7505", { rewardId, requestId: "req-7505-aaaa" }, "forged")));
    expect(res.status).toBe(401);
    expect(await points(shop)).toEqual(before);
  });

  test("GIVEN another customer's id in the body THEN it is ignored: the signed shopper pays", async () => {
    const { shop, rewardId } = await memberWithPoints("7506", 1);
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("37507", "7507", 8))));
    expect(await points(shop, "7507")).toEqual({ balance: 1000, pending: 0 });
    await releasePending(shop);
    const victim = await points(shop, "7507");
    const res = await redeem(
      routeArgs(redeemRequest(shop, "7506", { rewardId, requestId: "req-7506-aaaa", customerId: "7507", logged_in_customer_id: "7507" })),
    );
    expect(res.status).toBe(200);
    expect(await points(shop, "7507")).toEqual(victim);
    const r = await prisma.redemption.findFirstOrThrow({ where: { shop: { domain: shop } }, include: { customer: true } });
    expect(r.customer.shopifyCustomerId).toBe("7506");
  });

  test("GIVEN a guest THEN 403 NOT_A_MEMBER", async () => {
    const { shop, rewardId } = await memberWithPoints("7508", 0);
    const query = signProxyQuery(new URLSearchParams(), { shop, customerId: null, secret: TEST_API_SECRET });
    const res = await redeem(
      routeArgs(
        new Request(`http://127.0.0.1:3000/proxy/redeem?${query}`, {
          method: "POST",
          body: JSON.stringify({ rewardId, requestId: "req-guest-aaaa" }),
        }),
      ),
    );
    expect(res.status).toBe(403);
  });

  test("GIVEN 200 concurrent redemptions and a balance that covers 10 THEN exactly 10 are spent", async () => {
    // Straight at the domain function: the route's rate limit would stop most of them first,
    // and this is about the ledger's serialisation, not the limit.
    const { shop, rewardId } = await memberWithPoints("7509", 1);
    const { balance } = await points(shop);
    expect(balance).toBe(1000); // covers exactly 10 rewards of 100
    const deps = { db: prisma, clock: () => new Date(), transaction: transaction(prisma), shopify: localShopify(shop) };
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () =>
        redeemReward(deps, { shopDomain: shop, shopifyCustomerId: "7509", rewardId, requestId: randomUUID() }).then(
          (r) => r.status,
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((s) => s === "issued")).toHaveLength(10);
    expect(outcomes.filter((s) => s === "INSUFFICIENT_POINTS")).toHaveLength(190);
    const after = await points(shop);
    expect(after.balance).toBe(0);
    expect(await prisma.redemption.count({ where: { shop: { domain: shop }, status: "issued" } })).toBe(10);
    expect(localShopify(shop).state.discounts).toHaveLength(10);
  });

  test("GIVEN Shopify created the code but recording it fails THEN the points never come back: retried, else left pending", async () => {
    const { shop, rewardId } = await memberWithPoints("7531", 1);
    const before = (await points(shop)).balance;
    const shopify = localShopify(shop);
    // Every transaction after Shopify created the code fails `failures` times (a busy pool).
    const flaky = (failures: number) => {
      let created = false;
      let left = failures;
      const real = transaction(prisma);
      return {
        db: prisma,
        clock: () => new Date(),
        shopify: new Proxy(shopify, {
          get: (target, name) =>
            name === "createDiscountCode"
              ? async (...args: Parameters<typeof shopify.createDiscountCode>) => {
                  const answer = await target.createDiscountCode(...args);
                  created = true;
                  return answer;
                }
              : Reflect.get(target, name),
        }),
        transaction: (<T>(fn: (tx: Tx) => Promise<T>) => {
          if (created && left > 0) {
            left--;
            return Promise.reject(new Error("Unable to start a transaction in the given time"));
          }
          return real(fn);
        }) as ReturnType<typeof transaction>,
      };
    };
    const issued = await redeemReward(flaky(2), { shopDomain: shop, shopifyCustomerId: "7531", rewardId, requestId: "record-7531-a" });
    expect(issued.status).toBe("issued");
    const stuck = await redeemReward(flaky(99), { shopDomain: shop, shopifyCustomerId: "7531", rewardId, requestId: "record-7531-b" });
    expect(stuck.status).toBe("pending");
    // Two codes exist in Shopify, and two rewards' points are spent: none came back.
    expect(shopify.state.discounts).toHaveLength(2);
    expect((await points(shop)).balance).toBe(before - 200);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop }, kind: "reverse" } })).toBe(0);
  });

  test("GIVEN pending redemptions of two shops and one shop's Shopify failing THEN the sweep still settles the other's", async () => {
    const stuckIn = async (customerId: string) => {
      const { shop, rewardId } = await memberWithPoints(customerId, 1);
      const shopify = localShopify(shop);
      const failing = { db: prisma, clock: () => new Date(), shopify, transaction: (() => Promise.reject(new Error("busy"))) as never };
      // The spend commits in its own transaction first; every later one fails: left pending.
      let calls = 0;
      const real = transaction(prisma);
      failing.transaction = (<T>(fn: (tx: Tx) => Promise<T>) => (calls++ === 0 ? real(fn) : Promise.reject(new Error("busy")))) as never;
      const view = await redeemReward(failing, {
        shopDomain: shop,
        shopifyCustomerId: customerId,
        rewardId,
        requestId: `sweep-${customerId}`,
      });
      expect(view.status).toBe("pending");
      return shop;
    };
    const broken = await stuckIn("7541");
    const fine = await stuckIn("7542");
    const failed: string[] = [];
    const later = { db: prisma, clock: () => new Date(Date.now() + 5 * 60_000), transaction: transaction(prisma) };
    await retryPendingRedemptions(
      {
        ...later,
        shopifyFor: async (shop) => {
          if (shop === broken) throw new Error("token revoked");
          return localShopify(shop);
        },
      },
      { limit: 1000 },
      (r) => failed.push(r.id),
    );
    const of = (shop: string) => prisma.redemption.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect((await of(broken)).status).toBe("pending");
    expect(failed).toContain((await of(broken)).id);
    expect((await of(fine)).status).toBe("issued");
  });

  test("GIVEN a shopper redeeming faster than a person can THEN the route answers 429 with Retry-After", async () => {
    const { shop, rewardId } = await memberWithPoints("7530", 3);
    const statuses: number[] = [];
    // 10 a minute per shopper; a run may straddle a minute boundary, so allow one reset.
    for (let i = 0; i < 25 && !statuses.includes(429); i++) {
      statuses.push((await redeem(routeArgs(redeemRequest(shop, "7530", { rewardId, requestId: `rate-7530-${i}` })))).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    const limited = await redeem(routeArgs(redeemRequest(shop, "7530", { rewardId, requestId: "rate-7530-x" })));
    if (limited.status === 429) {
      expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
      expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    }
    // Refused requests spent nothing.
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(
      statuses.filter((s) => s === 200).length + (limited.status === 200 ? 1 : 0),
    );
  });

  test("GIVEN a fixed clock THEN the 11th hit in a window is refused and the next window starts over", async () => {
    const at = new Date("2026-11-23T10:00:30Z");
    const deps = (d: Date) => ({ db: prisma, clock: () => d });
    const key = [{ key: `test:${randomUUID()}`, limit: { max: 10, windowSeconds: 60 } }];
    for (let i = 0; i < 10; i++) await hitRateLimits(deps(at), key);
    await expect(hitRateLimits(deps(at), key)).rejects.toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 30 } });
    await expect(hitRateLimits(deps(new Date("2026-11-23T10:01:00Z")), key)).resolves.toBeUndefined();
  });

  test("GIVEN many shoppers from one address THEN that address is limited too", async () => {
    const { shop, rewardId } = await memberWithPoints("7531", 1);
    const fromOneIp = (customerId: string, i: number) => {
      const r = redeemRequest(shop, customerId, { rewardId, requestId: `ip-${customerId}-${i}` });
      const headers = new Headers(r.headers);
      headers.set("X-Forwarded-For", "203.0.113.9, 10.0.0.1");
      return new Request(r.url, { method: "POST", headers, body: JSON.stringify({ rewardId, requestId: `ip-${customerId}-${i}` }) });
    };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await redeem(routeArgs(fromOneIp(String(8000 + i), i)))).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const keys = await prisma.rateLimitHit.findMany({ where: { key: { contains: shop } } });
    expect(keys.some((k) => k.key.includes("203.0.113.9"))).toBe(false); // the address is only stored hashed
  });

  test("the shop's state lists rewards with whether the shopper can afford them", async () => {
    const { shop } = await memberWithPoints("7510", 1, { pointsCost: 100 });
    await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 1500 });
    const body = await (await state(routeArgs(proxyRequest("state", { shop, customerId: "7510" })))).json();
    expect(body.rewards).toEqual([
      expect.objectContaining({ name: "Rp25.000 off", pointsCost: 100, available: true, unavailableReason: null }),
      expect.objectContaining({ name: "Free shipping", pointsCost: 1500, available: false, unavailableReason: "not_enough_points" }),
    ]);
    const guest = await (await state(routeArgs(proxyRequest("state", { shop, customerId: null })))).json();
    expect(guest.rewards.map((r: { name: string }) => r.name)).toEqual(["Rp25.000 off", "Free shipping"]);
  });
});

describe("rewards that expire unused", () => {
  const sweep = async (shop: string, at: Date) => {
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const deps = { db: prisma, clock: () => at, transaction: transaction(prisma), shopifyFor: async (s: string) => localShopify(s) };
    return settleExpiredRewards(deps, { shopId });
  };

  test("GIVEN a code that expires unused THEN it is switched off and its points come back; a used one stays spent", async () => {
    const { shop, rewardId } = await memberWithPoints("7520", 1);
    const first = (await (await redeem(routeArgs(redeemRequest(shop, "7520", { rewardId, requestId: "req-7520-used" })))).json())
      .redemption;
    const second = (await (await redeem(routeArgs(redeemRequest(shop, "7520", { rewardId, requestId: "req-7520-unused" })))).json())
      .redemption;
    const store = localShopify(shop);
    const used = store.state.discounts.find((d) => d.code === first.code)!;
    store.markDiscountUsed(used.id);
    expect(await points(shop)).toEqual({ balance: 800, pending: 0 });

    const result = await sweep(shop, new Date(Date.now() + 31 * 86_400_000));
    expect(result).toMatchObject({ used: 1, refunded: 1 });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
    const unused = store.state.discounts.find((d) => d.code === second.code)!;
    expect(unused.deactivatedAt).not.toBeNull();
    const statuses = await prisma.redemption.findMany({ where: { shop: { domain: shop } }, orderBy: { requestId: "asc" } });
    expect(statuses.map((r) => [r.requestId, r.status])).toEqual([
      ["req-7520-unused", "refunded"],
      ["req-7520-used", "used"],
    ]);
    // A second sweep changes nothing.
    expect(await sweep(shop, new Date(Date.now() + 32 * 86_400_000))).toEqual({ used: 0, refunded: 0, expired: 0 });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
  });

  test("GIVEN the merchant keeps expired codes' points THEN they do not come back", async () => {
    const { shop, rewardId } = await memberWithPoints("7521", 1);
    await updateProgramSettings(
      prisma,
      shop,
      parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, redemption: { refundExpiredCodes: false } }),
    );
    await redeem(routeArgs(redeemRequest(shop, "7521", { rewardId, requestId: "req-7521-aaaa" })));
    expect(await sweep(shop, new Date(Date.now() + 31 * 86_400_000))).toMatchObject({ expired: 1, refunded: 0 });
    expect(await points(shop)).toEqual({ balance: 900, pending: 0 });
  });
});

describe("a redemption in the shopper's history", () => {
  test("GIVEN a redeemed and a refused reward THEN their entries carry their label and the merchant's reward name as is", async () => {
    const { shop, rewardId } = await memberWithPoints("7531", 1, { name: "Kopi <b>& Teh</b> gratis" });
    await redeem(routeArgs(redeemRequest(shop, "7531", { rewardId, requestId: "req-7531-aaaa" })));
    localShopify(shop).rejectNext("Discount limit reached");
    await redeem(routeArgs(redeemRequest(shop, "7531", { rewardId, requestId: "req-7531-bbbb" })));
    const body = await (await state(routeArgs(proxyRequest("state", { shop, customerId: "7531" })))).json();
    const ofRedemptions = body.customer.history.filter((e: { source: string }) => e.source === "redemption");
    // Newest first: the refused one's spend and its points returned, then the first spend.
    expect(ofRedemptions).toEqual([
      expect.objectContaining({ kind: expect.any(String), name: "Kopi <b>& Teh</b> gratis" }),
      expect.objectContaining({ kind: expect.any(String), name: "Kopi <b>& Teh</b> gratis" }),
      expect.objectContaining({
        kind: "spend",
        points: -100,
        label: "redemption_spend",
        vars: { name: "Kopi <b>& Teh</b> gratis" },
        name: "Kopi <b>& Teh</b> gratis",
        // The English stored reason is not for shoppers: the widget words the label.
        reason: null,
      }),
    ]);
    expect(ofRedemptions.map((e: { kind: string }) => e.kind).sort()).toEqual(["reverse", "spend", "spend"]);
    expect(ofRedemptions.map((e: { label: string }) => e.label).sort()).toEqual([
      "redemption_failed",
      "redemption_spend",
      "redemption_spend",
    ]);
    // Other entries carry no name.
    expect(body.customer.history.find((e: { source: string }) => e.source === "order")).not.toHaveProperty("name");
  });
});
