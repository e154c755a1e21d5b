// A friend who is not logged in follows a member's referral link on the demo storefront: the
// panel opens on their welcome code (decision 006); following the link again shows the same
// code, and another visitor (another address) gets another one. Then the history of a member
// who redeemed reads in Bahasa Indonesia around the reward's name.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-referral-guest", 3541, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * A browser of its own; `ip` stands in for the address Shopify's proxy forwards (the demo's
 * ?visitor=, since the demo refuses requests that carry X-Forwarded-For themselves).
 */
async function visitor(ip: string, as = "", locale = "en") {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${app.url}/demo/store?as=${as}&visitor=${ip}`);
  await page.goto(`${app.url}/demo/store?locale=${locale}`);
  return { context, page, errors };
}

async function referralCodeOf(member: string): Promise<string> {
  const { context, page } = await visitor("198.51.100.1", member);
  const s = await page.evaluate(async () => (await fetch("/apps/kembali/state", { headers: { Accept: "application/json" } })).json());
  await context.close();
  return s.customer.referral.code;
}

async function welcomeCode(page: Page): Promise<string> {
  const code = page.getByRole("dialog").getByTestId("kembali-code");
  await expect.poll(() => code.count(), { timeout: 15_000 }).toBe(1);
  return (await code.textContent())!;
}

describe("demo storefront: a guest friend's welcome code", () => {
  test("a guest follows the link: the panel opens on the welcome code, the same code on the next visit", async () => {
    const code = await referralCodeOf("7004");
    const guest = await visitor("203.0.113.77");
    expect(await guest.page.getByText("Guest").count()).toBeGreaterThan(0);
    await guest.page.goto(`${app.url}/demo/store?ref=${code}`);
    const first = await welcomeCode(guest.page);
    expect(first).toMatch(/^REF-[A-Z2-9]{10}$/);
    expect(await guest.page.getByRole("dialog").textContent()).toContain("A gift from your friend");
    await guest.page.screenshot({ path: screenshotPath("widget-guest-welcome-code") });

    // A reload, or the link followed again: the same code.
    await guest.page.reload();
    expect(await welcomeCode(guest.page)).toBe(first);
    // The code also travels as the cart attribute, so the order is attributed either way.
    expect(await guest.page.evaluate(async () => (await (await fetch("/cart.js")).json()).attributes.kembali_ref)).toBe(code);

    // Another visitor, another address: another code; in Bahasa Indonesia.
    const other = await visitor("203.0.113.78", "", "id");
    await other.page.goto(`${app.url}/demo/store?ref=${code}&locale=id`);
    const second = await welcomeCode(other.page);
    expect(second).not.toBe(first);
    expect(await other.page.getByRole("dialog").textContent()).toContain("Hadiah dari teman Anda");

    // A page without the link does not open the panel.
    await guest.page.goto(`${app.url}/demo/store`);
    await guest.page.waitForTimeout(1_500);
    expect(await guest.page.getByRole("dialog").count()).toBe(0);
    expect(guest.errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await guest.context.close();
    await other.context.close();
  });

  test("a member's redemption reads in Bahasa Indonesia in the history, with the reward's name", async () => {
    let member = "";
    for (let id = 7010; id <= 7040 && !member; id++) {
      const { context, page } = await visitor("198.51.100.2", String(id));
      const s = await page.evaluate(async () => (await fetch("/apps/kembali/state", { headers: { Accept: "application/json" } })).json());
      if (s.customer.balance >= 150) member = String(id);
      await context.close();
    }
    expect(member).not.toBe("");
    const { context, page, errors } = await visitor("198.51.100.3", member, "id");
    await page.getByTestId("kembali-launcher").click();
    await page.getByTestId("kembali-balance").waitFor();
    await page.getByRole("button", { name: /: Free shipping$/ }).click();
    await expect.poll(() => page.getByTestId("kembali-code").first().textContent(), { timeout: 10_000 }).toMatch(/^KMB-/);
    await expect.poll(() => page.getByRole("dialog").textContent()).toContain("Ditukar: Free shipping");
    expect(await page.getByRole("dialog").textContent()).not.toContain("Redeemed:");
    await page.screenshot({ path: screenshotPath("widget-redeemed-history-id") });
    expect(errors).toEqual([]);
    await context.close();
  });
});
