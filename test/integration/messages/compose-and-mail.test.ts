// A message as it leaves Kembali, on both databases: built from the real customer's data (their
// name, balance, referral link, welcome code, products in the shop's money and dates in the
// shop's time zone), in English or Bahasa Indonesia, with the merchant's own text where they
// wrote one; then over real SMTP to a catcher that parses it back, with failures classified.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { appDeps } from "~/deps.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { composeEmail, samplePayload, type ComposeShop } from "~/domain/messages/compose";
import { DEFAULT_MESSAGES_SETTINGS, saveMessagesSettings } from "~/domain/messages/settings";
import { MailError, mailFrom, messageIdFor, sendMail, startMailCatcher, type MailCatcher } from "~/mail.server";
import { KembaliError } from "~/domain/errors";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../../helpers";

const NOW = new Date("2026-12-01T10:00:00Z");
const deps = { ...appDeps, clock: () => NOW };
const links = { unsubscribe: "https://app.example/messages/unsubscribe?t=x", open: null };

async function member() {
  const domain = newShopDomain();
  expect((await orderPaid(routeArgs(webhookRequest("orders/paid", domain, paidOrder("880001", "9901"))))).status).toBe(200);
  const row = await prisma.shop.update({ where: { domain }, data: { timezone: "Asia/Jakarta", name: "Toko <Kita>" } });
  const shop: ComposeShop = { id: row.id, domain, name: row.name, currency: row.currency, timezone: row.timezone };
  const customer = await prisma.customer.findFirstOrThrow({ where: { shopId: row.id } });
  return { shop, customer };
}

describe("composeEmail", () => {
  test("fills the customer's name, balance and referral link; the shop's name is escaped", async () => {
    const { shop, customer } = await member();
    await prisma.customer.update({ where: { id: customer.id }, data: { balance: 1250, firstName: "Budi" } });
    await prisma.referralCode.create({ data: { shopId: shop.id, customerId: customer.id, code: "ABCD2345" } });
    const mail = await composeEmail(deps, {
      shop,
      message: "referral_rewarded",
      locale: "en",
      customerId: customer.id,
      payload: { referralId: "r1", points: 500 },
      settings: DEFAULT_MESSAGES_SETTINGS,
      links,
    });
    expect(mail.subject).toBe("Your friend ordered: 500 points for you");
    expect(mail.text).toContain("Hi Budi,");
    expect(mail.text).toContain("Your balance: 1,250 points.");
    expect(mail.text).toContain(`https://${shop.domain}/?ref=ABCD2345`);
    expect(mail.html).toContain("Toko &lt;Kita&gt;");
    expect(mail.html).not.toContain("Toko <Kita>");
  });

  test("Bahasa Indonesia: Indonesian numbers and dates in the shop's time zone", async () => {
    const { shop, customer } = await member();
    await prisma.customer.update({ where: { id: customer.id }, data: { balance: 12500 } });
    const mail = await composeEmail(deps, {
      shop,
      message: "points_expiring",
      locale: "id",
      customerId: customer.id,
      // 18:00 UTC on 14 December is already 15 December in Jakarta.
      payload: { points: 3000, expiresAt: "2026-12-14T18:00:00.000Z" },
      settings: DEFAULT_MESSAGES_SETTINGS,
      links,
    });
    expect(mail.subject).toBe("3.000 poin akan hangus pada 15 Desember 2026");
    expect(mail.text).toContain("saldomu 12.500 poin");
    expect(mail.text).toContain("Berhenti berlangganan email ini: https://app.example/messages/unsubscribe?t=x");
  });

  test("the welcome message carries the member's welcome code; without one that paragraph is left out", async () => {
    const { shop, customer } = await member();
    const base = {
      shop,
      message: "welcome" as const,
      locale: "en" as const,
      customerId: customer.id,
      payload: {},
      settings: DEFAULT_MESSAGES_SETTINGS,
      links,
    };
    const without = await composeEmail(deps, base);
    expect(without.text).not.toContain("WELCOME");
    const reward = await prisma.reward.create({
      data: { shopId: shop.id, name: "Rp 20.000 off", type: "fixed_amount", pointsCost: 0, value: 2_000_000 },
    });
    await prisma.redemption.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        rewardId: reward.id,
        requestId: `welcome:${customer.id}`,
        pointsSpent: 0,
        status: "issued",
        code: "WELCOME-7QX",
      },
    });
    const mail = await composeEmail(deps, base);
    expect(mail.text).toContain("Rp 20.000 off WELCOME-7QX");
    expect(mail.html).toContain("WELCOME-7QX</strong>");
  });

  test("replenishment shows the product with its image and price in the shop's money; the merchant's own text wins", async () => {
    const { shop, customer } = await member();
    await prisma.product.create({
      data: {
        shopId: shop.id,
        productId: "7001",
        title: "Kopi Gayo",
        handle: "kopi-gayo",
        imageUrl: "https://cdn.example/kopi.jpg",
        priceMinor: 12_500_000n,
        available: true,
      },
    });
    const settings = {
      ...DEFAULT_MESSAGES_SETTINGS,
      messages: {
        ...DEFAULT_MESSAGES_SETTINGS.messages,
        replenishment: { enabled: true, subject: { en: "Refill, {{name}}?", id: null }, body: { en: "Again?\n\n{{products}}", id: null } },
      },
    };
    const mail = await composeEmail(deps, {
      shop,
      message: "replenishment",
      locale: "en",
      customerId: customer.id,
      payload: { productId: "7001", lastBoughtAt: "2026-10-01T00:00:00Z", intervalDays: 30 },
      settings,
      links,
    });
    expect(mail.subject).toBe("Refill, Test?");
    expect(mail.html).toContain(`href="https://${shop.domain}/products/kopi-gayo"`);
    expect(mail.html).toContain('src="https://cdn.example/kopi.jpg"');
    expect(mail.text).toMatch(/Kopi Gayo \(IDR\s125,000\)/u);
  });

  test("another shop's customer is not found; a sample payload is made from the member's own order", async () => {
    const a = await member();
    const b = await member();
    await expect(
      composeEmail(deps, {
        shop: a.shop,
        message: "welcome",
        locale: "en",
        customerId: b.customer.id,
        payload: {},
        settings: DEFAULT_MESSAGES_SETTINGS,
        links,
      }),
    ).rejects.toBeInstanceOf(KembaliError);
    const sample = (await samplePayload(deps, a.shop.id, "points_earned", a.customer.id)) as { shopifyOrderId: string; points: number };
    expect(sample.shopifyOrderId).toBe("880001");
    expect(sample.points).toBeGreaterThan(0);
  });

  test("saving settings refuses a welcome reward of another shop and changes nothing", async () => {
    const a = await member();
    const b = await member();
    const reward = await prisma.reward.create({ data: { shopId: b.shop.id, name: "x", type: "free_shipping", pointsCost: 0 } });
    await expect(saveMessagesSettings(deps, a.shop.domain, { welcomeRewardId: reward.id })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: a.shop.id } })).messages).toBeNull();
  });
});

describe("sendMail over SMTP", () => {
  let catcher: MailCatcher;
  let refusing: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher();
    refusing = await startMailCatcher({
      reject: ({ to }) => (to[0]!.startsWith("busy") ? { code: 451, message: "try later" } : { code: 550, message: "no such user" }),
    });
  });
  afterAll(async () => {
    await catcher.close();
    await refusing.close();
    delete process.env.SMTP_URL;
  });

  const mail = (to: string) => ({
    from: mailFrom('Toko "Kita"'),
    to,
    subject: "Halo <Ana>",
    html: "<p>&lt;b&gt;hi&lt;/b&gt;</p>",
    text: "<b>hi</b>",
    messageId: messageIdFor("send-1"),
    headers: { "List-Unsubscribe": "<https://app.example/u?t=1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });

  test("the catcher receives the message as sent: subject, both parts, Message-ID and headers", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${catcher.port}`;
    await sendMail(mail("ana@example.com"));
    expect(catcher.inbox).toHaveLength(1);
    const got = catcher.inbox[0]!;
    expect(got.to).toEqual(["ana@example.com"]);
    expect(got.subject).toBe("Halo <Ana>");
    expect(got.text.trim()).toBe("<b>hi</b>");
    expect(got.html).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(got.headers["message-id"]).toBe(messageIdFor("send-1"));
    expect(got.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  });

  test("4xx and no server are temporary, 5xx is permanent, and a bad SMTP_URL says what is wrong", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${refusing.port}`;
    await expect(sendMail(mail("busy@example.com"))).rejects.toMatchObject({ name: "MailError", temporary: true });
    await expect(sendMail(mail("gone@example.com"))).rejects.toMatchObject({ name: "MailError", temporary: false });
    process.env.SMTP_URL = "smtp://127.0.0.1:1";
    await expect(sendMail(mail("ana@example.com"))).rejects.toMatchObject({ temporary: true });
    process.env.SMTP_URL = "http://mail.example";
    await expect(sendMail(mail("ana@example.com"))).rejects.toThrow(/smtp:\/\//);
    delete process.env.SMTP_URL;
    await expect(sendMail(mail("ana@example.com"))).rejects.toBeInstanceOf(MailError);
  });
});
