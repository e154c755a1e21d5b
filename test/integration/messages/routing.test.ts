import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { routeEvents } from "~/domain/messages/routing";
import { customerOf, eventOf, messagesShop, testClock, txDepsAt } from "./fixture";

const clock = testClock("2026-12-07T05:00:00Z");
const deps = txDepsAt(clock);
const rows = (shopId: string) => prisma.messageSend.findMany({ where: { shopId }, orderBy: { key: "asc" } });

describe("routing events into sends", () => {
  test("each event becomes its email row once, however often and however many route at once", async () => {
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    const joined = await eventOf(shopId, c.id, "member_joined", "joined:1");
    await eventOf(shopId, c.id, "points_earned", "earned:1");
    // A demotion is not a message, and stamps_collected is internal: routed, no row.
    await eventOf(shopId, c.id, "tier_changed", "tier:down", {
      from: "gold",
      to: null,
      toName: null,
      direction: "down",
      version: 1,
      reason: "x",
    });
    await prisma.customerEvent.create({ data: { shopId, customerId: c.id, type: "stamps_collected", key: "stamps:1", payload: {} } });

    const results = await Promise.all([routeEvents(deps, { shopId }), routeEvents(deps, { shopId }), routeEvents(deps, { shopId })]);
    expect(results.reduce((s, r) => s + r.events, 0)).toBe(4);
    expect(results.reduce((s, r) => s + r.sends, 0)).toBe(2);
    expect(await routeEvents(deps, { shopId })).toEqual({ events: 0, sends: 0 });

    const sent = await rows(shopId);
    expect(sent.map((r) => [r.key, r.channel, r.message, r.status, r.recipient])).toEqual([
      ["email:earned:1", "email", "points_earned", "queued", c.email],
      ["email:joined:1", "email", "welcome", "queued", c.email],
    ]);
    expect(sent.find((r) => r.key === "email:joined:1")).toMatchObject({ customerId: c.id, eventId: joined.id, locale: "en", attempts: 0 });
    const unrouted = await prisma.customerEvent.count({ where: { shopId, routedAt: null } });
    expect(unrouted).toBe(0);
    // The unique key refuses a second row for the same event and channel.
    await expect(
      prisma.messageSend.create({ data: { shopId, channel: "email", message: "welcome", key: "email:joined:1" } }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  test("oldest first, in batches", async () => {
    const { shopId } = await messagesShop();
    const c = await customerOf(shopId);
    // Recorded newest first: routing goes by when they happened.
    for (let i = 4; i >= 0; i--) await eventOf(shopId, c.id, "points_earned", `earned:${i}`, undefined, new Date(Date.UTC(2026, 11, 1, i)));
    expect(await routeEvents(deps, { shopId, limit: 2 })).toEqual({ events: 2, sends: 2 });
    const first = await rows(shopId);
    expect(first.map((r) => r.key)).toEqual(["email:earned:0", "email:earned:1"]);
    expect(await routeEvents(deps, { shopId, limit: 10 })).toEqual({ events: 3, sends: 3 });
  });

  test("what is not sent is recorded as skipped, with why", async () => {
    const { shopId } = await messagesShop({ off: ["points_expiring"] });
    const noConsent = await customerOf(shopId, { emailMarketing: "NOT_SUBSCRIBED" });
    const neverSeen = await customerOf(shopId, { emailMarketing: null });
    const unsubscribed = await customerOf(shopId, { unsubscribedAt: new Date("2026-12-01T00:00:00Z") });
    const heldOut = await customerOf(shopId, { holdout: true });
    const noEmail = await customerOf(shopId, { email: null });
    const ok = await customerOf(shopId, { locale: "id" });
    await eventOf(shopId, noConsent.id, "member_joined", "a:marketing");
    await eventOf(shopId, noConsent.id, "reward_issued", "a:transactional");
    await eventOf(shopId, neverSeen.id, "member_joined", "b:marketing");
    await eventOf(shopId, unsubscribed.id, "win_back", "c:marketing");
    await eventOf(shopId, unsubscribed.id, "reward_issued", "c:transactional");
    await eventOf(shopId, heldOut.id, "reward_issued", "d:transactional");
    await eventOf(shopId, noEmail.id, "reward_issued", "e:transactional");
    await eventOf(shopId, ok.id, "points_expiring", "f:off");
    await eventOf(shopId, ok.id, "tier_changed", "f:tier");
    await routeEvents(deps, { shopId });
    const byKey = Object.fromEntries((await rows(shopId)).map((r) => [r.key.replace("email:", ""), [r.status, r.reason]]));
    expect(byKey).toEqual({
      "a:marketing": ["skipped", "consent"],
      "a:transactional": ["queued", null],
      "b:marketing": ["skipped", "consent"],
      "c:marketing": ["skipped", "unsubscribed"],
      "c:transactional": ["queued", null],
      "d:transactional": ["skipped", "holdout"],
      "e:transactional": ["skipped", "no_email"],
      "f:off": ["skipped", "off"],
      "f:tier": ["queued", null],
    });
    const tier = await prisma.messageSend.findFirstOrThrow({ where: { shopId, key: "email:f:tier" } });
    expect(tier).toMatchObject({ message: "tier_up", locale: "id" });
  });

  test("the merchant's alert goes to the alert address, also for a guest; none without one", async () => {
    const withAlert = await messagesShop({ settings: { alertEmail: "alerts@toko.example" } });
    const guestEvent = await eventOf(withAlert.shopId, null, "detractor_alert", "alert:guest");
    await routeEvents(deps, { shopId: withAlert.shopId });
    expect(await rows(withAlert.shopId)).toMatchObject([
      {
        key: "email:alert:guest",
        message: "detractor_alert",
        recipient: "alerts@toko.example",
        status: "queued",
        customerId: null,
        eventId: guestEvent.id,
      },
    ]);
    const without = await messagesShop({ settings: { alertEmail: null } });
    const c = await customerOf(without.shopId);
    await eventOf(without.shopId, c.id, "detractor_alert", "alert:member");
    await routeEvents(deps, { shopId: without.shopId });
    expect(await rows(without.shopId)).toMatchObject([{ status: "skipped", reason: "no_email", customerId: c.id }]);
  });
});

describe("routing to the other channels", () => {
  test("Klaviyo, Flow and each webhook that asked for the event get a row of their own; a held-out customer's are skipped", async () => {
    const { shopId } = await messagesShop({ settings: { klaviyo: true, flow: true }, off: ["points_earned"] });
    await prisma.shop.update({ where: { id: shopId }, data: { klaviyoKey: "pk_test_key_1234" } });
    const hook = await prisma.outgoingWebhook.create({
      data: { shopId, url: "https://hooks.example.com/k", secret: "s", events: ["points_earned"] },
    });
    await prisma.outgoingWebhook.create({
      data: { shopId, url: "https://hooks.example.com/other", secret: "s", events: ["tier_changed"] },
    });
    await prisma.outgoingWebhook.create({
      data: { shopId, url: "https://hooks.example.com/off", secret: "s", events: ["points_earned"], active: false },
    });
    const c = await customerOf(shopId);
    const heldOut = await customerOf(shopId, { holdout: true });
    await eventOf(shopId, c.id, "points_earned", "multi:1");
    await eventOf(shopId, heldOut.id, "points_earned", "multi:2");
    await routeEvents(deps, { shopId });
    const byKey = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1);
    const made = (await rows(shopId)).map((r) => [r.key, r.channel, r.message, r.status, r.reason]).sort(byKey);
    expect(made).toEqual(
      [
        ["email:multi:1", "email", "points_earned", "skipped", "off"],
        ["flow:multi:1", "flow", "points_earned", "queued", null],
        ["klaviyo:multi:1", "klaviyo", "points_earned", "queued", null],
        [`webhook:${hook.id}:multi:1`, `webhook:${hook.id}`, "points_earned", "queued", null],
        ["email:multi:2", "email", "points_earned", "skipped", "off"],
        ["flow:multi:2", "flow", "points_earned", "skipped", "holdout"],
        ["klaviyo:multi:2", "klaviyo", "points_earned", "skipped", "holdout"],
        [`webhook:${hook.id}:multi:2`, `webhook:${hook.id}`, "points_earned", "skipped", "holdout"],
      ].sort(byKey),
    );
  });
});
