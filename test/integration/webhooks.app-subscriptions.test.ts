// app_subscriptions/update keeps the recorded plan (home banner, limits) in step with Shopify:
// signed deliveries for each status, forged and malformed ones, redeliveries, late events for an
// older subscription, other shops' events, and app/uninstalled ending a paid plan.
import { afterEach, describe, expect, test, vi } from "vitest";
import prisma from "~/db.server";
import { TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { planUsage } from "~/domain/shop/plans";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { action as subscriptionUpdate } from "~/routes/webhooks.app_subscriptions.update";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { newShopDomain, routeArgs, webhookRequest } from "../helpers";

const A = "gid://shopify/AppSubscription/1001";
const B = "gid://shopify/AppSubscription/1002";
const t = (minute: number) => new Date(Date.UTC(2026, 10, 24, 10, minute));

function subscription(id: string, name: string, status: string, updatedAt: Date) {
  return {
    app_subscription: {
      admin_graphql_api_id: id,
      name,
      status,
      admin_graphql_api_shop_id: "gid://shopify/Shop/548380009",
      created_at: "2026-11-01T09:00:00-05:00",
      updated_at: updatedAt.toISOString(),
      currency: "USD",
      capped_amount: null,
    },
  };
}

const deliver = (shop: string, body: unknown, opts: { eventId?: string; secret?: string } = {}) =>
  subscriptionUpdate(routeArgs(webhookRequest("app_subscriptions/update", shop, body, opts)));

async function shopOn(plan: string, subscriptionId: string | null, changedAt: Date | null) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await prisma.shop.update({ where: { domain: shop }, data: { plan, planSubscriptionId: subscriptionId, planChangedAt: changedAt } });
  return shop;
}
const row = (shop: string) =>
  prisma.shop.findUniqueOrThrow({ where: { domain: shop }, select: { plan: true, planSubscriptionId: true, planChangedAt: true } });
const events = (shop: string) => prisma.webhookEvent.count({ where: { shopDomain: shop } });

afterEach(() => vi.restoreAllMocks());

describe("app_subscriptions/update", () => {
  test("GIVEN Free WHEN Kembali Growth becomes ACTIVE THEN the shop is on Growth with that subscription, and the limits follow", async () => {
    const shop = await shopOn("free", null, null);
    expect((await planUsage({ db: prisma, clock: () => t(0) }, shop)).limit).toBe(100);
    const res = await deliver(shop, subscription(A, "Kembali Growth", "ACTIVE", t(1)));
    expect(res.status).toBe(200);
    expect(await row(shop)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(1) });
    expect(await planUsage({ db: prisma, clock: () => t(2) }, shop)).toMatchObject({ plan: "growth", limit: 1000 });
  });

  test.each(["CANCELLED", "EXPIRED", "DECLINED", "FROZEN"])(
    "GIVEN Growth WHEN its subscription is %s THEN the shop is back on Free",
    async (status) => {
      const shop = await shopOn("growth", A, t(0));
      expect((await deliver(shop, subscription(A, "Kembali Growth", status, t(5)))).status).toBe(200);
      expect(await row(shop)).toEqual({ plan: "free", planSubscriptionId: null, planChangedAt: t(5) });
      expect((await planUsage({ db: prisma, clock: () => t(6) }, shop)).limit).toBe(100);
    },
  );

  test("GIVEN a frozen Pro WHEN Shopify unfreezes it (ACTIVE again) THEN Pro is back; a late FROZEN after that changes nothing", async () => {
    const shop = await shopOn("pro", A, t(0));
    await deliver(shop, subscription(A, "Kembali Pro", "FROZEN", t(10)));
    expect((await row(shop)).plan).toBe("free");
    await deliver(shop, subscription(A, "Kembali Pro", "ACTIVE", t(20)));
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: A, planChangedAt: t(20) });
    // The freeze before the unfreeze, delivered again as a new event: older than the record.
    await deliver(shop, subscription(A, "Kembali Pro", "FROZEN", t(10)));
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: A, planChangedAt: t(20) });
  });

  test("GIVEN Growth WHEN a new Pro subscription is PENDING or DECLINED THEN Growth stays (the merchant only did not approve the upgrade)", async () => {
    const shop = await shopOn("growth", A, t(0));
    await deliver(shop, subscription(B, "Kembali Pro", "PENDING", t(5)));
    await deliver(shop, subscription(B, "Kembali Pro", "DECLINED", t(6)));
    expect(await row(shop)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(0) });
    expect(await events(shop)).toBe(2);
  });

  test("GIVEN an upgrade from Growth to Pro WHEN the old subscription's events arrive late THEN Pro stays", async () => {
    const shop = await shopOn("growth", A, t(0));
    // Shopify activates B and cancels A at once; B's event arrives first.
    await deliver(shop, subscription(B, "Kembali Pro", "ACTIVE", t(30)));
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: B, planChangedAt: t(30) });
    await deliver(shop, subscription(A, "Kembali Growth", "CANCELLED", t(30)));
    await deliver(shop, subscription(A, "Kembali Growth", "ACTIVE", t(1))); // A's approval, delivered very late
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: B, planChangedAt: t(30) });
  });

  test("GIVEN the old subscription's cancellation arrives before the new one's activation THEN the shop ends on the new plan", async () => {
    const shop = await shopOn("growth", A, t(0));
    await deliver(shop, subscription(A, "Kembali Growth", "CANCELLED", t(30)));
    expect((await row(shop)).plan).toBe("free");
    await deliver(shop, subscription(B, "Kembali Pro", "ACTIVE", t(30)));
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: B, planChangedAt: t(30) });
  });

  test("GIVEN an ACTIVE subscription with a name that is none of our plans THEN it is logged without personal data and the plan stays", async () => {
    const shop = await shopOn("growth", A, t(0));
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    expect((await deliver(shop, subscription(B, "Kembali Legacy 2024", "ACTIVE", t(5)))).status).toBe(200);
    expect(await row(shop)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(0) });
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message?.toString().includes("unknown plan name"));
    expect(logged).toMatchObject({ level: "warn", shop, subscriptionId: B, name: "Kembali Legacy 2024" });
    expect(Object.keys(logged!).sort()).toEqual(["at", "eventId", "level", "message", "name", "shop", "subscriptionId"]);
  });

  test("GIVEN a forged signature THEN 401 and nothing is written", async () => {
    const shop = await shopOn("growth", A, t(0));
    const res = await deliver(shop, subscription(A, "Kembali Growth", "CANCELLED", t(5)), { secret: "forged" });
    expect(res.status).toBe(401);
    expect(await row(shop)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(0) });
    expect(await events(shop)).toBe(0);
  });

  test("GIVEN a payload without the subscription's id THEN 400 BAD_INPUT and nothing is written", async () => {
    const shop = await shopOn("growth", A, t(0));
    const body = subscription(A, "Kembali Growth", "CANCELLED", t(5));
    const res = await deliver(shop, { app_subscription: { ...body.app_subscription, admin_graphql_api_id: "1001" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
    expect(await row(shop)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(0) });
    expect(await events(shop)).toBe(0);
  });

  test("GIVEN an event delivered twice THEN the second delivery has no effect", async () => {
    const shop = await shopOn("free", null, null);
    const activate = subscription(A, "Kembali Growth", "ACTIVE", t(1));
    expect(await (await deliver(shop, activate, { eventId: "evt-sub-1" })).json()).toEqual({ ok: true });
    // Meanwhile the merchant went back to Free on the Plans page.
    await prisma.shop.update({ where: { domain: shop }, data: { plan: "free", planSubscriptionId: null, planChangedAt: t(0) } });
    expect(await (await deliver(shop, activate, { eventId: "evt-sub-1" })).json()).toEqual({ ok: true, duplicate: true });
    expect(await row(shop)).toEqual({ plan: "free", planSubscriptionId: null, planChangedAt: t(0) });
    expect(await events(shop)).toBe(1);
  });

  test("GIVEN two shops WHEN one shop's subscription events arrive THEN the other shop is never touched", async () => {
    const mine = await shopOn("growth", A, t(0));
    const other = await shopOn("free", null, null);
    // Signed for the other shop, naming my subscription: only the other shop's record is looked at.
    await deliver(other, subscription(A, "Kembali Growth", "CANCELLED", t(5)));
    await deliver(other, subscription(B, "Kembali Pro", "ACTIVE", t(6)));
    expect(await row(mine)).toEqual({ plan: "growth", planSubscriptionId: A, planChangedAt: t(0) });
    expect(await row(other)).toEqual({ plan: "pro", planSubscriptionId: B, planChangedAt: t(6) });
    expect(await events(mine)).toBe(0);
  });

  test("GIVEN a shop that is not installed THEN 200 and no shop is created", async () => {
    const shop = newShopDomain();
    expect((await deliver(shop, subscription(A, "Kembali Growth", "ACTIVE", t(1)))).status).toBe(200);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
  });
});

describe("app/uninstalled and the plan", () => {
  const uninstall = (shop: string, at: Date) =>
    uninstalled(
      routeArgs(
        signedWebhookRequest(`http://127.0.0.1:3000/webhooks/app/uninstalled`, {
          topic: "app/uninstalled",
          shop,
          body: { id: 1 },
          secret: TEST_API_SECRET,
          triggeredAt: at,
        }),
      ),
    );

  test("GIVEN Growth WHEN the app is uninstalled THEN the paid plan no longer counts; the cancellation that follows changes nothing", async () => {
    const shop = await shopOn("growth", A, t(0));
    expect((await uninstall(shop, t(40))).status).toBe(200);
    expect(await row(shop)).toEqual({ plan: "free", planSubscriptionId: null, planChangedAt: t(40) });
    await deliver(shop, subscription(A, "Kembali Growth", "CANCELLED", t(40)));
    expect(await row(shop)).toEqual({ plan: "free", planSubscriptionId: null, planChangedAt: t(40) });
  });

  test("GIVEN a reinstall and a new plan WHEN the earlier uninstall is delivered late THEN the new plan stays", async () => {
    const shop = await shopOn("free", null, null);
    await deliver(shop, subscription(B, "Kembali Pro", "ACTIVE", t(50)));
    expect((await uninstall(shop, t(40))).status).toBe(200);
    expect(await row(shop)).toEqual({ plan: "pro", planSubscriptionId: B, planChangedAt: t(50) });
  });

  test("GIVEN Free WHEN the app is uninstalled THEN the plan record is left as it was", async () => {
    const shop = await shopOn("free", null, null);
    await uninstall(shop, t(40));
    expect(await row(shop)).toEqual({ plan: "free", planSubscriptionId: null, planChangedAt: null });
  });
});
