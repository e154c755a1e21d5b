// The merchant's outgoing webhooks against the database and an endpoint in msw: create (the
// secret shown once, bad addresses refused, nothing written), list, delete scoped to the shop,
// the signed POST the endpoint receives (the signature verifies with the secret), retries and
// refusals, and the delivery log (the endpoint's MessageSend rows, newest first).
import { createHmac, timingSafeEqual } from "node:crypto";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { RetryLater, type ChannelDelivery } from "~/domain/messages/channels";
import {
  createOutgoingWebhook,
  deleteOutgoingWebhook,
  listOutgoingWebhooks,
  webhookDeliveries,
  webhookSender,
  type WebhookBody,
} from "~/domain/messages/webhooks";
import { newShopDomain } from "../helpers";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const ENDPOINT = "https://hooks.example.com/kembali";
const NOW = new Date("2026-12-07T12:00:00Z");
const deps = { db: prisma, clock: () => NOW };

async function shopWithHook(events = ["points_earned", "tier_changed"]) {
  const domain = newShopDomain();
  const shop = await prisma.shop.create({ data: { domain, settings: {} } });
  const { webhook, secret } = await createOutgoingWebhook(deps, domain, { url: ENDPOINT, events });
  return { domain, shop, webhook, secret };
}

function delivery(shop: { id: string; domain: string }, webhookId: string, attempts = 0): ChannelDelivery {
  return {
    shop: { id: shop.id, domain: shop.domain, name: null, currency: "IDR", timezone: "UTC", klaviyoKey: null },
    send: { id: "send1", key: `webhook:${webhookId}:points_earned:o1`, channel: `webhook:${webhookId}`, attempts },
    event: {
      id: "evt_1",
      type: "points_earned",
      key: "points_earned:o1",
      payload: { shopifyOrderId: "5501", orderName: "#1001", points: 120, availableAt: null },
      createdAt: new Date("2026-12-07T10:00:00Z"),
      customer: {
        id: "c1",
        shopifyCustomerId: "7001",
        email: "ayu@example.com",
        firstName: "Ayu",
        lastName: null,
        balance: 340,
        tier: null,
      },
    },
  };
}

const verifies = (secret: string, raw: string, header: string | null) => {
  const expected = createHmac("sha256", secret).update(raw).digest();
  const given = Buffer.from(header ?? "", "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe("managing webhooks", () => {
  test("GIVEN a new webhook THEN its secret comes back once; the list never holds it", async () => {
    const { domain, webhook, secret } = await shopWithHook(["tier_changed", "points_earned"]);
    expect(secret.length).toBeGreaterThanOrEqual(40);
    // Events are kept in the catalogue's order.
    expect(webhook.events).toEqual(["points_earned", "tier_changed"]);
    const listed = await listOutgoingWebhooks(deps, domain);
    expect(listed).toEqual([
      { id: webhook.id, url: ENDPOINT, events: ["points_earned", "tier_changed"], active: true, createdAt: webhook.createdAt },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const again = await createOutgoingWebhook(deps, domain, { url: ENDPOINT, events: ["win_back"] });
    expect(again.secret).not.toBe(secret);
  });

  test.each([
    [{ url: "http://hooks.example.com/k", events: ["points_earned"] }, "url"],
    [{ url: "https://192.168.0.5/k", events: ["points_earned"] }, "url"],
    [{ url: ENDPOINT, events: [] }, "events"],
    [{ url: ENDPOINT, events: ["no_such_event"] }, "events.0"],
    [{ url: 42, events: ["points_earned"] }, "url"],
  ])("GIVEN bad input %j THEN BAD_INPUT on %s and nothing is written", async (input, path) => {
    const domain = newShopDomain();
    const shop = await prisma.shop.create({ data: { domain, settings: {} } });
    await expect(createOutgoingWebhook(deps, domain, input)).rejects.toMatchObject({
      code: "BAD_INPUT",
      details: { issues: expect.arrayContaining([expect.objectContaining({ path })]) },
    });
    expect(await prisma.outgoingWebhook.count({ where: { shopId: shop.id } })).toBe(0);
  });

  test("GIVEN demo mode or tests THEN a local http receiver may be added", async () => {
    const domain = newShopDomain();
    await prisma.shop.create({ data: { domain, settings: {} } });
    const { webhook } = await createOutgoingWebhook(
      deps,
      domain,
      { url: "http://127.0.0.1:4000/in", events: ["win_back"] },
      { insecure: true },
    );
    expect(webhook.url).toBe("http://127.0.0.1:4000/in");
  });

  test("GIVEN another shop's webhook id THEN delete is NOT_FOUND and it stays; its own shop deletes it", async () => {
    const a = await shopWithHook();
    const b = await shopWithHook();
    await expect(deleteOutgoingWebhook(deps, a.domain, b.webhook.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listOutgoingWebhooks(deps, b.domain)).toHaveLength(1);
    await deleteOutgoingWebhook(deps, b.domain, b.webhook.id);
    expect(await listOutgoingWebhooks(deps, b.domain)).toEqual([]);
  });
});

describe("delivering", () => {
  test("GIVEN an event THEN the endpoint gets the JSON, topic, event id and a signature that verifies with the secret", async () => {
    const { shop, webhook, secret } = await shopWithHook();
    const got: Array<{ raw: string; headers: Headers }> = [];
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        got.push({ raw: await request.text(), headers: request.headers });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await webhookSender(deps)(delivery(shop, webhook.id));
    expect(got).toHaveLength(1);
    const { raw, headers } = got[0];
    expect(verifies(secret, raw, headers.get("x-kembali-hmac-sha256"))).toBe(true);
    expect(verifies("another secret", raw, headers.get("x-kembali-hmac-sha256"))).toBe(false);
    expect(headers.get("x-kembali-topic")).toBe("points_earned");
    expect(headers.get("x-kembali-event-id")).toBe("evt_1");
    expect(JSON.parse(raw) as WebhookBody).toEqual({
      id: "evt_1",
      type: "points_earned",
      shop: shop.domain,
      occurred_at: "2026-12-07T10:00:00.000Z",
      customer: { id: "7001", email: "ayu@example.com" },
      data: { shopifyOrderId: "5501", orderName: "#1001", points: 120, availableAt: null },
    });
  });

  test("GIVEN 500, then 429 with Retry-After, then a timeout THEN each is RetryLater; then 200 is done, same event id each time", async () => {
    const { shop, webhook } = await shopWithHook();
    const answers = [
      () => new HttpResponse("oops", { status: 500 }),
      () => new HttpResponse(null, { status: 429, headers: { "Retry-After": "120" } }),
      async () => {
        await delay(500);
        return new HttpResponse(null, { status: 200 });
      },
      () => new HttpResponse("ok", { status: 200 }),
    ];
    const ids: Array<string | null> = [];
    server.use(
      http.post(ENDPOINT, async ({ request }) => {
        ids.push(request.headers.get("x-kembali-event-id"));
        return answers[ids.length - 1]();
      }),
    );
    const send = webhookSender(deps, { timeoutMs: 100 });
    const first = await send(delivery(shop, webhook.id, 0)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(RetryLater);
    const second = (await send(delivery(shop, webhook.id, 1)).catch((e: unknown) => e)) as RetryLater;
    expect(second).toBeInstanceOf(RetryLater);
    expect(second.afterMs).toBe(120_000);
    const third = (await send(delivery(shop, webhook.id, 2)).catch((e: unknown) => e)) as RetryLater;
    expect(third).toBeInstanceOf(RetryLater);
    expect(third.message).toMatch(/no answer/);
    await send(delivery(shop, webhook.id, 3));
    expect(ids).toEqual(["evt_1", "evt_1", "evt_1", "evt_1"]);
  });

  test("GIVEN 410 or a redirect THEN failed for good; a deleted or switched-off webhook is not called", async () => {
    const { domain, shop, webhook } = await shopWithHook();
    let calls = 0;
    server.use(
      http.post(ENDPOINT, () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 410 })
          : new HttpResponse(null, { status: 302, headers: { Location: "https://127.0.0.1/" } });
      }),
    );
    const send = webhookSender(deps);
    const gone = await send(delivery(shop, webhook.id)).catch((e: unknown) => e);
    expect(gone).not.toBeInstanceOf(RetryLater);
    expect((gone as Error).message).toContain("410");
    const moved = await send(delivery(shop, webhook.id)).catch((e: unknown) => e);
    expect(moved).not.toBeInstanceOf(RetryLater);
    expect(calls).toBe(2);

    await prisma.outgoingWebhook.update({ where: { id: webhook.id }, data: { active: false } });
    await expect(send(delivery(shop, webhook.id))).rejects.toThrow(/switched off/);
    await deleteOutgoingWebhook(deps, domain, webhook.id);
    await expect(send(delivery(shop, webhook.id))).rejects.toThrow(/deleted/);
    // Another shop's delivery naming this shop's webhook is refused the same way.
    const other = await shopWithHook();
    await expect(send(delivery(other.shop, webhook.id))).rejects.toThrow(/deleted/);
    expect(calls).toBe(2);
  });

  test("GIVEN an endpoint's sends THEN its delivery log lists them newest first with status, attempts and error, only its own", async () => {
    const { domain, shop, webhook } = await shopWithHook();
    const other = await createOutgoingWebhook(deps, domain, { url: ENDPOINT, events: ["win_back"] });
    const row = (key: string, at: string, more: Record<string, unknown>) =>
      prisma.messageSend.create({
        data: { shopId: shop.id, channel: `webhook:${webhook.id}`, message: "points_earned", key, createdAt: new Date(at), ...more },
      });
    await row("webhook:a", "2026-12-07T08:00:00Z", { status: "sent", attempts: 1, sentAt: new Date("2026-12-07T08:00:01Z") });
    await row("webhook:b", "2026-12-07T09:00:00Z", { status: "queued", attempts: 2, error: "The endpoint answered 503" });
    await row("webhook:c", "2026-12-07T10:00:00Z", { status: "failed", attempts: 1, error: "The endpoint answered 410" });
    await prisma.messageSend.create({
      data: { shopId: shop.id, channel: `webhook:${other.webhook.id}`, message: "win_back", key: "webhook:d" },
    });
    await prisma.messageSend.create({ data: { shopId: shop.id, channel: "email", message: "points_earned", key: "email:e" } });

    const log = await webhookDeliveries(deps, domain, webhook.id);
    expect(log.map((r) => [r.status, r.attempts, r.error])).toEqual([
      ["failed", 1, "The endpoint answered 410"],
      ["queued", 2, "The endpoint answered 503"],
      ["sent", 1, null],
    ]);
    // Another shop asking for this webhook's log sees nothing.
    const stranger = await shopWithHook();
    expect(await webhookDeliveries(deps, stranger.domain, webhook.id)).toEqual([]);
  });
});
