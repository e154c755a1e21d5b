// The admin Messages page through its real loader and action, signed as the embedded admin
// signs them: every message with its switch and texts, the settings saved over the stored ones
// or refused (400, nothing written), the live preview made from a real customer (their name
// stays text), a test send that reaches an SMTP server and is recorded, the last sends masked
// and only the signed-in shop's; the demo inbox answers 404 outside demo mode.
import { afterEach, describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { messages } from "~/i18n";
import { createReward } from "~/domain/rewards/rewards";
import { DEFAULT_MESSAGES_SETTINGS, readMessagesSettings } from "~/domain/messages/settings";
import { MESSAGE_KEYS } from "~/domain/messages/catalog";
import { startMailCatcher, type MailCatcher } from "~/mail.server";
import { maskEmail } from "~/admin/messages";
import { action, loader, type MessagesActionResult } from "~/routes/app.messages/route";
import { asForm, type FormState } from "~/routes/app.messages/settings-form";
import { loader as inboxLoader } from "~/routes/app.messages_.inbox";
import { loader as layoutLoader } from "~/routes/app";
import { newShopDomain, routeArgs } from "../helpers";

const PAGE = "http://127.0.0.1:3000/app/messages";

async function adminShop() {
  const shop = newShopDomain();
  const { id: shopId } = await prisma.shop.create({
    data: { domain: shop, name: "Kopi Kita", settings: {}, currency: "IDR", timezone: "Asia/Jakarta" },
  });
  const older = await prisma.customer.create({
    data: {
      shopId,
      shopifyCustomerId: "7001",
      firstName: "Ayu",
      email: "ayu@example.com",
      balance: 120,
      createdAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  const newest = await prisma.customer.create({
    data: {
      shopId,
      shopifyCustomerId: "7002",
      firstName: `<img src=x onerror="alert(1)">`,
      lastName: "Lestari",
      email: "sari@example.com",
      balance: 40,
      createdAt: new Date("2026-02-01T00:00:00Z"),
    },
  });
  const reward = await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 200 });
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const signed = (type: RequestType, request: Request) => setUpValidRequest({ type, ...creds }, request);
  return {
    shop,
    shopId,
    older,
    newest,
    rewardId: reward.id,
    load: async (query = "") => loader(routeArgs(await signed(RequestType.Admin, new Request(`${PAGE}${query}`)))),
    layout: async () => (await layoutLoader(routeArgs(await signed(RequestType.Admin, new Request(`${PAGE}?locale=id`))))) as Response,
    inbox: async () => inboxLoader(routeArgs(await signed(RequestType.Admin, new Request(`${PAGE}/inbox`)))),
    post: async (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      return action(routeArgs(await signed(RequestType.Bearer, new Request(PAGE, { method: "POST", body }))));
    },
  };
}

type Posted = MessagesActionResult | { data: MessagesActionResult; init: ResponseInit };
const unwrap = (r: unknown) => {
  const posted = r as Posted;
  return "data" in posted ? { result: posted.data, status: posted.init.status } : { result: posted, status: 200 };
};

function refused(r: unknown, status = 400) {
  const { result, status: got } = unwrap(r);
  expect(got).toBe(status);
  expect(result.ok).toBe(false);
  for (const key of [result.error, ...Object.values(result.fields)]) {
    expect(messages.en[key as keyof typeof messages.en], String(key)).toBeTruthy();
    expect(messages.id[key as keyof typeof messages.id], String(key)).toBeTruthy();
  }
  return result;
}

const form = (patch: (f: FormState) => void = () => {}) => {
  const f = asForm(DEFAULT_MESSAGES_SETTINGS);
  patch(f);
  return { intent: "settings", settings: JSON.stringify(f) };
};

let catcher: MailCatcher | null = null;
afterEach(async () => {
  delete process.env.SMTP_URL;
  await catcher?.close();
  catcher = null;
});

describe("admin messages page", () => {
  test("lists every message off with its kind, the built-in texts, the newest customer for the preview, and the shop's time zone", async () => {
    const { load, newest, older } = await adminShop();
    const page = await load();
    expect(page.messages.map((m) => m.key)).toEqual([...MESSAGE_KEYS]);
    expect(page.messages.every((m) => !m.enabled)).toBe(true);
    expect(page.messages.find((m) => m.key === "reward_issued")).toMatchObject({ kind: "transactional", to: "customer" });
    expect(page.messages.find((m) => m.key === "detractor_alert")).toMatchObject({ kind: "transactional", to: "merchant" });
    expect(page.messages[0].defaults.en.subject).toBeTruthy();
    expect(page.messages[0].defaults.id.subject).not.toBe(page.messages[0].defaults.en.subject);
    expect(page.selected).toBe("welcome");
    expect(page.members.selected).toBe(newest.id);
    expect(page.members.options.map((o) => o.id)).toEqual([newest.id, older.id]);
    expect(page.timezone).toBe("Asia/Jakarta");
    expect(page.rewards.map((r) => r.name)).toEqual(["Free shipping"]);
    // A search by name or email, and a customer chosen by id.
    expect((await load("?q=ayu")).members.options.map((o) => o.id)).toEqual([older.id]);
    expect((await load("?q=nobody")).members).toMatchObject({ options: [], selected: null });
    expect((await load(`?message=tier_up&customer=${older.id}`)).members.selected).toBe(older.id);
    expect((await load("?message=nonsense")).selected).toBe("welcome");
  });

  test("saves switches, texts and sender settings over what is stored; refuses bad input with the fields marked and writes nothing", async () => {
    const { shopId, post, load, rewardId } = await adminShop();
    // Set elsewhere (the Connections page): kept by this page's save.
    await prisma.shop.update({ where: { id: shopId }, data: { messages: { klaviyo: true } } });
    const ok = unwrap(
      await post(
        form((f) => {
          f.messages.welcome = { enabled: true, subjectEn: "Welcome, {{name}}!", subjectId: "", bodyEn: "", bodyId: "Halo {{name}}" };
          f.messages.points_expiring.enabled = true;
          f.fromName = "Kopi Kita";
          f.replyTo = "hello@kopikita.example";
          f.capCount = "2";
          f.capDays = "10";
          f.quietStart = "22";
          f.quietEnd = "7";
          f.conversionDays = "14";
          f.welcomeRewardId = rewardId;
        }),
      ),
    );
    expect(ok).toMatchObject({ status: 200, result: { ok: true, error: null } });
    const stored = readMessagesSettings((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages);
    expect(stored.messages.welcome).toEqual({
      enabled: true,
      subject: { en: "Welcome, {{name}}!", id: null },
      body: { en: null, id: "Halo {{name}}" },
    });
    expect(stored.messages.points_expiring.enabled).toBe(true);
    expect(stored.messages.tier_up.enabled).toBe(false);
    expect(stored).toMatchObject({
      fromName: "Kopi Kita",
      replyTo: "hello@kopikita.example",
      frequencyCap: { count: 2, days: 10 },
      quietHours: { enabled: true, start: 22, end: 7 },
      conversionDays: 14,
      welcomeRewardId: rewardId,
      klaviyo: true,
    });
    expect((await load()).messages[0]).toMatchObject({ key: "welcome", enabled: true });

    const before = (await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages;
    const other = await adminShop();
    const bad = refused(
      await post(
        form((f) => {
          f.messages.welcome.enabled = true;
          f.messages.welcome.subjectEn = "x".repeat(151);
          f.messages.tier_up.bodyId = "Halo {{nama}}";
          f.replyTo = "not an address";
          f.capCount = "0";
          f.capDays = "1.5";
          f.quietStart = "24";
          f.conversionDays = "61";
          f.welcomeRewardId = other.rewardId;
        }),
      ),
    );
    expect(bad.error).toBe("messages.error.settings");
    expect(bad.fields).toEqual({
      "welcome.subjectEn": "messages.error.subject",
      "tier_up.bodyId": "messages.error.body",
      replyTo: "messages.error.email",
      capCount: "messages.error.capCount",
      capDays: "messages.error.capDays",
      quietStart: "messages.error.hour",
      conversionDays: "messages.error.conversionDays",
    });
    // The reward check runs after the schema: alone, another shop's reward is refused too.
    expect(refused(await post(form((f) => (f.welcomeRewardId = other.rewardId)))).fields).toEqual({
      welcomeRewardId: "messages.error.welcomeReward",
    });
    refused(await post({ intent: "settings", settings: "{not json" }));
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).messages).toEqual(before);
    const unknown = await post({ intent: "explode" }).catch((e: unknown) => e);
    expect((unknown as Response).status).toBe(400);
  });

  test("the preview is the composed email for a real customer, with the texts being edited; a name with HTML stays text", async () => {
    const { post, newest, older } = await adminShop();
    const { result } = unwrap(
      await post({
        intent: "preview",
        message: "welcome",
        locale: "en",
        customerId: newest.id,
        subject: "Hi {{name}}",
        body: "Hello {{name}}, you have {{balance}} points.",
      }),
    );
    expect(result.ok).toBe(true);
    const preview = result.preview!;
    expect(preview.subject).toBe(`Hi <img src=x onerror="alert(1)">`);
    expect(preview.html).not.toContain("<img src=x");
    expect(preview.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(preview.html).toContain("40");
    expect(preview.text).toContain("Hello <img src=x");
    // Empty texts are the built-in ones, in the language asked for.
    const builtIn = unwrap(
      await post({ intent: "preview", message: "points_expiring", locale: "id", customerId: older.id, subject: "", body: "" }),
    );
    expect(builtIn.result.preview!.locale).toBe("id");
    expect(builtIn.result.preview!.html).toContain("Ayu");
    // An unknown variable, an unknown message, another shop's customer: 400 with the field.
    expect(
      refused(await post({ intent: "preview", message: "welcome", locale: "en", customerId: newest.id, subject: "{{nmae}}" })).fields,
    ).toEqual({
      subject: "messages.error.subject",
    });
    expect(refused(await post({ intent: "preview", message: "nope", locale: "en", customerId: newest.id })).fields).toEqual({
      message: "messages.error.message",
    });
    const other = await adminShop();
    expect(refused(await post({ intent: "preview", message: "welcome", locale: "en", customerId: other.newest.id })).fields).toEqual({
      customerId: "messages.error.member",
    });
  });

  test("a test send reaches the SMTP server and is recorded (test key, masked in the last sends); a refusal is recorded as failed", async () => {
    const { shopId, post, load, newest } = await adminShop();
    catcher = await startMailCatcher({
      reject: ({ to }) => (to.includes("bounce@example.com") ? { code: 550, message: "No such user bounce@example.com" } : null),
    });
    process.env.SMTP_URL = `smtp://127.0.0.1:${catcher.port}`;
    const draft = { message: "points_earned", locale: "en", customerId: newest.id, subject: "Test for {{name}}", body: "" };
    const sent = unwrap(await post({ intent: "test", to: "owner@kopikita.example", ...draft }));
    expect(sent).toMatchObject({ status: 200, result: { ok: true, test: { status: "sent", to: "owner@kopikita.example" } } });
    expect(catcher.inbox).toHaveLength(1);
    expect(catcher.inbox[0]).toMatchObject({ to: ["owner@kopikita.example"], subject: `Test for <img src=x onerror="alert(1)">` });
    expect(catcher.inbox[0].html).not.toContain("<img src=x");
    const row = await prisma.messageSend.findFirstOrThrow({ where: { shopId } });
    expect(row).toMatchObject({
      channel: "email",
      message: "points_earned",
      status: "sent",
      customerId: null,
      eventId: null,
      recipient: "owner@kopikita.example",
    });
    expect(row.key).toMatch(/^test:[0-9a-f-]{36}$/);
    expect(row.sentAt).toBeInstanceOf(Date);

    const failed = refused(await post({ intent: "test", to: "bounce@example.com", ...draft }), 422);
    expect(failed).toMatchObject({ error: "messages.test.failed", test: { status: "failed" } });
    expect(catcher.inbox).toHaveLength(1);
    const sends = (await load("?message=points_earned")).sends;
    expect(sends.map((s) => [s.recipient, s.status, s.test])).toEqual([
      ["b***@example.com", "failed", true],
      ["o***@kopikita.example", "sent", true],
    ]);
    // The server's refusal is shown without the address in it.
    expect(sends[0].reason).toContain("b***@example.com");
    expect(sends[0].reason).not.toContain("bounce@");

    expect(refused(await post({ intent: "test", to: "not-an-address", ...draft })).fields).toEqual({ to: "messages.error.email" });
    expect(await prisma.messageSend.count({ where: { shopId } })).toBe(2);
  });

  test("the last sends are the message's own, this shop's only, newest first, with status and reason", async () => {
    const mine = await adminShop();
    const theirs = await adminShop();
    const row = (shopId: string, key: string, more: object) =>
      prisma.messageSend.create({ data: { shopId, channel: "email", message: "welcome", key, ...more } });
    await row(mine.shopId, "email:a", {
      recipient: "jane@example.com",
      status: "sent",
      sentAt: new Date("2026-12-01T15:30:00Z"),
      createdAt: new Date("2026-12-01T15:00:00Z"),
    });
    await row(mine.shopId, "email:b", {
      recipient: null,
      status: "skipped",
      reason: "consent",
      createdAt: new Date("2026-12-02T00:00:00Z"),
    });
    await row(mine.shopId, "klaviyo:a", { channel: "klaviyo", status: "sent", createdAt: new Date("2026-11-30T00:00:00Z") });
    await prisma.messageSend.create({
      data: { shopId: mine.shopId, channel: "email", message: "tier_up", key: "email:c", status: "sent" },
    });
    await row(theirs.shopId, "email:a", { recipient: "other@example.com", status: "sent" });
    const sends = (await mine.load()).sends;
    expect(sends.map((s) => [s.recipient, s.status, s.reason, s.at, s.channel])).toEqual([
      [null, "skipped", "consent", "2026-12-02T00:00:00.000Z", "email"],
      ["j***@example.com", "sent", null, "2026-12-01T15:30:00.000Z", "email"],
      [null, "sent", null, "2026-11-30T00:00:00.000Z", "klaviyo"],
    ]);
    expect(maskEmail("a@b.c")).toBe("a***@b.c");
    expect(maskEmail("nobody")).toBe("***");
  });

  test("the admin layout gives every page the shop's time zone, which its dates are shown in", async () => {
    const { layout } = await adminShop();
    expect(await (await layout()).json()).toMatchObject({ locale: "id", timezone: "Asia/Jakarta" });
  });

  test("the demo inbox is not there outside demo mode", async () => {
    const { inbox } = await adminShop();
    const thrown = await inbox().catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(404);
  });
});
