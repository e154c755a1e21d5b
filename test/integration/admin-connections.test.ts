// The admin Connections page (Messages → Connections) through its real loader and action,
// signed as the embedded admin signs them: the Klaviyo key (only its last four characters come
// back), the Klaviyo and Flow switches saved without touching the other messages settings, and
// the webhooks (added with the secret once, refused with the fields marked and nothing written,
// deleted only within the shop, each with its delivery log).
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { messages } from "~/i18n";
import { readMessagesSettings } from "~/domain/messages/settings";
import { action, loader, type ConnectionsActionResult } from "~/routes/app.messages_.connections";
import { newShopDomain, routeArgs } from "../helpers";

const PAGE = "http://127.0.0.1:3000/app/messages/connections";
const KEY = "pk_abcdef0123456789abcdef0123456789wxyz";

async function adminShop() {
  const shop = newShopDomain();
  const { id: shopId } = await prisma.shop.create({
    data: { domain: shop, settings: {}, messages: { alertEmail: "owner@example.com", messages: { welcome: { enabled: true } } } },
  });
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const signed = (type: RequestType, request: Request) => setUpValidRequest({ type, ...creds }, request);
  return {
    shop,
    shopId,
    load: async () => loader(routeArgs(await signed(RequestType.Admin, new Request(PAGE)))),
    post: async (fields: Array<[string, string]> | Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Array.isArray(fields) ? fields : Object.entries(fields)) body.append(name, value);
      return action(routeArgs(await signed(RequestType.Bearer, new Request(PAGE, { method: "POST", body }))));
    },
  };
}

function refused(result: unknown, error: string) {
  const { data, init } = result as { data: ConnectionsActionResult; init: ResponseInit };
  expect(init.status).toBe(400);
  expect(data).toMatchObject({ ok: false, error });
  for (const key of [data.error, ...Object.values(data.fields)]) {
    expect(messages.en[key as keyof typeof messages.en]).toBeTruthy();
    expect(messages.id[key as keyof typeof messages.id]).toBeTruthy();
  }
  return data;
}

describe("admin connections page", () => {
  test("a new shop: no key, both switches off, no webhooks, every event to choose from", async () => {
    const { load } = await adminShop();
    const page = await load();
    expect(page.klaviyo).toEqual({ enabled: false, key: null });
    expect(page.flow.enabled).toBe(false);
    expect(page.flow.events).toEqual(
      expect.arrayContaining(["points_earned", "tier_changed", "reward_issued", "detractor_alert", "win_back"]),
    );
    expect(page.webhooks).toEqual([]);
    expect(page.eventTypes).toContain("replenishment_due");
  });

  test("saves the Klaviyo key and shows only its last four characters; a bad key is refused and changes nothing; remove forgets it", async () => {
    const { shopId, load, post } = await adminShop();
    expect(await post({ intent: "klaviyoKey", key: ` ${KEY} ` })).toMatchObject({ ok: true });
    const page = await load();
    expect(page.klaviyo.key).toBe("…wxyz");
    expect(JSON.stringify(page)).not.toContain(KEY);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).klaviyoKey).toBe(KEY);

    const bad = refused(await post({ intent: "klaviyoKey", key: "sk_live_nope" }), "connections.error.key");
    expect(bad.fields).toEqual({ key: "connections.error.key" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).klaviyoKey).toBe(KEY);

    expect(await post({ intent: "klaviyoRemove" })).toMatchObject({ ok: true });
    expect((await load()).klaviyo.key).toBeNull();
  });

  test("the switches change klaviyo and flow only; the rest of the messages settings stay", async () => {
    const { shopId, load, post } = await adminShop();
    expect(await post({ intent: "switches", klaviyo: "true", flow: "true" })).toMatchObject({ ok: true });
    let stored = readMessagesSettings((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages);
    expect(stored).toMatchObject({ klaviyo: true, flow: true, alertEmail: "owner@example.com" });
    expect(stored.messages.welcome.enabled).toBe(true);
    const page = await load();
    expect([page.klaviyo.enabled, page.flow.enabled]).toEqual([true, true]);

    await post({ intent: "switches", klaviyo: "false", flow: "true" });
    stored = readMessagesSettings((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages);
    expect([stored.klaviyo, stored.flow, stored.messages.welcome.enabled]).toEqual([false, true, true]);
  });

  test("stored settings that no longer validate are not overwritten with the defaults: the switches are refused", async () => {
    const { shopId, post } = await adminShop();
    const old = { alertEmail: "owner@example.com", messages: { welcome: { enabled: true, subject: { en: "Hi {{nmae}}", id: null } } } };
    await prisma.shop.update({ where: { id: shopId }, data: { messages: old } });
    refused(await post({ intent: "switches", klaviyo: "true", flow: "false" }), "connections.error.settings");
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages).toEqual(old);
  });

  test("adds a webhook with the secret in that answer only; lists it with its events and delivery log", async () => {
    const { shopId, load, post } = await adminShop();
    const added = (await post([
      ["intent", "webhookAdd"],
      ["url", "https://hooks.example.com/kembali"],
      ["events", "tier_changed"],
      ["events", "points_earned"],
    ])) as ConnectionsActionResult;
    expect(added).toMatchObject({ ok: true, intent: "webhookAdd" });
    expect(added.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const [hook] = (await load()).webhooks;
    expect(hook).toMatchObject({
      url: "https://hooks.example.com/kembali",
      events: ["points_earned", "tier_changed"],
      active: true,
      deliveries: [],
    });

    await prisma.messageSend.create({
      data: {
        shopId,
        channel: `webhook:${hook.id}`,
        message: "points_earned",
        key: `webhook:${hook.id}:e1`,
        status: "failed",
        attempts: 6,
        error: "The endpoint answered 503",
      },
    });
    const page = await load();
    expect(JSON.stringify(page)).not.toContain(added.secret!);
    expect(page.webhooks[0].deliveries.map((d) => [d.status, d.attempts, d.error])).toEqual([["failed", 6, "The endpoint answered 503"]]);
  });

  test("refuses an address that is not http(s), a missing event or an unknown one with the fields marked, writing nothing", async () => {
    // (Tests, like demo mode, may add a local http receiver; production refuses those too: test/unit/messages.)
    const { shopId, post } = await adminShop();
    const privateUrl = refused(
      await post([
        ["intent", "webhookAdd"],
        ["url", "javascript:alert(1)"],
        ["events", "win_back"],
      ]),
      "connections.error.webhook",
    );
    expect(privateUrl.fields).toEqual({ url: "connections.error.url" });
    const noEvents = refused(await post({ intent: "webhookAdd", url: "https://hooks.example.com/k" }), "connections.error.webhook");
    expect(noEvents.fields).toEqual({ events: "connections.error.events" });
    refused(
      await post([
        ["intent", "webhookAdd"],
        ["url", "https://hooks.example.com/k"],
        ["events", "<script>"],
      ]),
      "connections.error.webhook",
    );
    expect(await prisma.outgoingWebhook.count({ where: { shopId } })).toBe(0);
  });

  test("deletes its own webhook; another shop's id is 404 and stays; an unknown intent is 400", async () => {
    const mine = await adminShop();
    const theirs = await adminShop();
    await theirs.post([
      ["intent", "webhookAdd"],
      ["url", "https://hooks.example.com/theirs"],
      ["events", "win_back"],
    ]);
    const [their] = (await theirs.load()).webhooks;
    const thrown = await mine.post({ intent: "webhookDelete", id: their.id }).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(404);
    expect((await theirs.load()).webhooks).toHaveLength(1);
    expect(await theirs.post({ intent: "webhookDelete", id: their.id })).toMatchObject({ ok: true });
    expect((await theirs.load()).webhooks).toEqual([]);

    const unknown = await mine.post({ intent: "drop tables" }).catch((e: unknown) => e);
    expect((unknown as Response).status).toBe(400);
  });
});
