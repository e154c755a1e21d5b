// The Messages page in a real browser on the seeded demo shop: a message turned on and saved
// through the save bar, its subject edited with the live preview following (the composed email
// in a sandboxed frame), a test send, and the demo inbox showing the email the in-process SMTP
// catcher received; the page in Bahasa Indonesia; the home page's Messages section.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { translate, type MessageKey } from "~/i18n";
import { DEMO_API_SECRET, DEMO_SHOP } from "~/config.server";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

const NAME = "e2e-admin-messages";
const t = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp(NAME, 3727, { seed: true });
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("admin Messages page (demo)", () => {
  test("turn a message on, edit it with the live preview, send a test and read it in the demo inbox", async () => {
    const { context, page, errors } = await openContext(browser);
    const response = await page.goto(`${app.url}/app/messages?locale=en`);
    expect(response?.status()).toBe(200);
    await hydrated(page, 90_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${errors.join("\n")}`);
    });
    for (const heading of ["messages.list", "messages.preview", "messages.sends", "messages.sender"] as const) {
      await expect(page.getByRole("heading", { name: t(heading), exact: true }).count(), heading).resolves.toBe(1);
    }
    await expect(page.locator("[data-message]").count()).resolves.toBe(14);

    // The switch, saved through the save bar.
    await page.getByLabel(t("messages.name.welcome"), { exact: true }).check();
    const bar = page.getByRole("region", { name: t("saveBar.message") });
    await bar.getByRole("button", { name: t("messages.save") }).click();
    await page.getByText(t("messages.saved")).waitFor();

    // The preview follows the subject as typed, composed for the newest customer.
    await page.getByLabel(t("messages.editor.subject.en")).fill("Hello {{name}}, from the demo");
    const preview = page.locator("[data-preview=en]");
    await preview.getByText(/^Subject: Hello .*, from the demo$/).waitFor({ timeout: 30_000 });
    await expect(preview.locator("iframe").getAttribute("sandbox")).resolves.toBe("");
    // The built-in text (the body was left empty), in the plain-text part too.
    await expect(preview.locator("pre").textContent()).resolves.toContain("You're now a member");

    // A test send, then the demo inbox has it.
    await page.getByLabel(t("messages.test.to")).fill("owner@example.com");
    await page.getByRole("button", { name: t("messages.test.send") }).click();
    await page.getByText(t("messages.test.sent", { to: "owner@example.com" })).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath("admin-messages"), fullPage: true });

    await page.goto(`${app.url}/app/messages/inbox?locale=en`);
    await hydrated(page, 90_000);
    await page
      .locator("[data-inbox-subject]", { hasText: /^Hello .*, from the demo$/ })
      .first()
      .click();
    await page.locator("iframe[data-inbox-html]").waitFor();
    await expect(page.locator("iframe[data-inbox-html]").getAttribute("sandbox")).resolves.toBe("");
    await expect(page.locator("[data-inbox-text]").textContent()).resolves.toContain("You're now a member");

    // A real event: "points earned" on, a signed orders/paid for a subscribed demo customer, the
    // message jobs run, and the rendered email is in the inbox.
    await page.goto(`${app.url}/app/messages?locale=en`);
    await hydrated(page, 90_000);
    await page.getByLabel(t("messages.name.points_earned"), { exact: true }).check();
    // Quiet hours (21:00 to 08:00 in the demo shop's Jakarta time) would hold the email until
    // morning whenever this runs in the evening there: off, as a merchant may choose.
    await page.getByLabel(t("messages.sender.quiet"), { exact: true }).uncheck();
    await page
      .getByRole("region", { name: t("saveBar.message") })
      .getByRole("button", { name: t("messages.save") })
      .click();
    await page.getByText(t("messages.saved")).waitFor();
    const buyer = DEMO_CUSTOMERS.find((c) => Number(c.id) % 5 !== 0)!;
    const order = orderPaidPayload({
      orderId: "990001",
      customer: buyer,
      lines: [{ product: DEMO_PRODUCTS[0]!, quantity: 1 }],
      createdAt: new Date(),
    });
    const paid = await fetch(
      signedWebhookRequest(`${app.url}/webhooks/orders/paid`, {
        topic: "orders/paid",
        shop: DEMO_SHOP,
        body: order,
        secret: DEMO_API_SECRET,
        eventId: "e2e-messages-990001",
      }),
    );
    expect(paid.status).toBe(200);
    await page.goto(`${app.url}/app/messages/inbox?locale=en`);
    await hydrated(page, 90_000);
    await page.getByRole("button", { name: t("messages.inbox.run") }).click();
    await page.getByText(/The message jobs ran\./).waitFor({ timeout: 60_000 });
    await page.goto(`${app.url}/app/messages/inbox?locale=en`);
    await hydrated(page, 90_000);
    await page
      .locator("[data-inbox-subject]", { hasText: /^You earned [\d,]+ points$/ })
      .first()
      .click();
    await expect(page.locator("[data-inbox-text]").textContent()).resolves.toMatch(
      new RegExp(`Hi ${buyer.firstName},[\\s\\S]*Your order #990001 earned`),
    );
    await page.screenshot({ path: screenshotPath("admin-messages-inbox"), fullPage: true });

    // In Bahasa Indonesia.
    await page.goto(`${app.url}/app/messages?locale=id`);
    await hydrated(page, 90_000);
    await page.getByRole("heading", { name: translate("id", "messages.list"), exact: true }).waitFor();

    // The home page's Messages section.
    await page.goto(`${app.url}/app?locale=en`);
    await hydrated(page, 90_000);
    await page.getByRole("heading", { name: t("dash.section.messages"), exact: true }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
