// The step-1 slice in a real browser: a signed orders/paid webhook earns points, and the demo
// storefront's widget (the real theme-extension asset, through the demo App Proxy) shows them.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_API_SECRET, DEMO_SHOP } from "~/config.server";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { DEMO_CUSTOMERS, DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-storefront", 3511);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const shopper = DEMO_CUSTOMERS[0];
const order = orderPaidPayload({
  orderId: "424201",
  customer: shopper,
  lines: [{ product: DEMO_PRODUCTS[0], quantity: 2 }], // Rp250.000 subtotal
  createdAt: new Date(),
});
const send = (eventId: string, secret = DEMO_API_SECRET) =>
  fetch(signedWebhookRequest(`${app.url}/webhooks/orders/paid`, { topic: "orders/paid", shop: DEMO_SHOP, body: order, secret, eventId }));

/** Opens the widget with the keyboard; returns the spendable and pending figures it shows. */
async function openWidget(page: Page, path: string) {
  await page.goto(`${app.url}/demo/store?as=${shopper.id}`);
  await page.goto(`${app.url}${path}`);
  const launcher = page.locator("kembali-widget").getByRole("button").first();
  await launcher.focus();
  await page.keyboard.press("Enter");
  const balance = page.getByTestId("kembali-balance");
  await balance.waitFor({ state: "visible" });
  return { balance, pending: page.getByTestId("kembali-pending") };
}

describe("demo storefront", () => {
  test("shows the points a signed webhook just earned (pending for the return period), once however often it is delivered", async () => {
    expect((await send("e2e-event-1")).status).toBe(200);
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    const shown = await openWidget(page, "/demo/store");
    await expect.poll(() => shown.pending.textContent()).toBe("250,000");
    expect(await shown.balance.textContent()).toBe("0");
    await page.screenshot({ path: screenshotPath("storefront-balance-en") });

    // The same delivery again, and a forged one: neither changes the balance.
    expect((await send("e2e-event-1")).status).toBe(200);
    expect((await send("e2e-event-forged", "not-the-app-secret")).status).toBe(401);
    const again = await openWidget(page, "/demo/store");
    await expect.poll(() => again.pending.textContent()).toBe("250,000");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("speaks Bahasa Indonesia and formats rupiah the Indonesian way", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 800 } });
    const shown = await openWidget(page, "/demo/store?locale=id");
    await expect.poll(() => shown.pending.textContent()).toBe("250.000");
    await expect.poll(() => page.getByRole("dialog").innerText()).toMatch(/poin/i);
    await page.screenshot({ path: screenshotPath("storefront-balance-id") });
    await page.close();
  });

  test("the demo admin shows the member and the points issued", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1200, height: 900 } });
    await page.goto(`${app.url}/app`);
    // The dashboard's figures are computed by the background job (queued by this first visit,
    // run within a tick of 15 s); the page re-reads them while they are being prepared.
    await expect.poll(() => page.getByRole("heading", { name: "Points issued", exact: true }).isVisible(), { timeout: 45_000 }).toBe(true);
    const body = await page.locator("body").innerText();
    expect(body).toContain("250,000");
    expect(body).toContain("Points for paid order");
    await page.screenshot({ path: screenshotPath("admin-home"), fullPage: true });
    await page.close();
  });
});
