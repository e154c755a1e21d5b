// The seeded demo as a merchant and a shopper see it (issue 11): the launcher shows a seeded
// member's balance on first paint, from the customer metafield the app embed's Liquid reads,
// with no App Proxy call, on the first start and after a restart (the demo's Shopify stand-in
// starts empty in each process); the Referrals page lists referrals held for review, rejected
// and rewarded with their reasons; the dashboard's redemption figures are not zero.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startServer } from "../../scripts/server.js";
import { createRequire } from "node:module";
import { DEMO_SHOP } from "~/config.server";
import { DEMO_CUSTOMERS } from "~/demo/catalog";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

// The SQLite driver Prisma's adapter uses (it ships no types of its own).
const Database = createRequire(import.meta.url)("better-sqlite3") as new (
  file: string,
  options: { readonly: boolean },
) => { prepare(sql: string): { get(...params: unknown[]): unknown }; close(): void };

const NAME = "e2e-demo-story";
const PORT = 3793;
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp(NAME, PORT, { seed: true });
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A seeded member with points and their balance, read from the demo's own SQLite file. */
function memberWithPoints(): { id: string; balance: number } {
  const db = new Database(`.tmp/${NAME}.db`, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT c.shopifyCustomerId AS id, c.balance AS balance FROM Customer c JOIN Shop s ON s.id = c.shopId
         WHERE s.domain = ? AND c.balance > 0 AND c.shopifyCustomerId IN (${DEMO_CUSTOMERS.map(() => "?").join(",")})
         ORDER BY c.shopifyCustomerId LIMIT 1`,
      )
      .get(DEMO_SHOP, ...DEMO_CUSTOMERS.map((c) => c.id)) as { id: string; balance: number };
    return row;
  } finally {
    db.close();
  }
}

/** Opens the storefront as the member with every App Proxy call refused: what shows comes from Liquid alone. */
async function launcherWithoutProxy(page: Page, url: string, customerId: string) {
  let proxyCalls = 0;
  await page.route("**/apps/kembali/**", (route) => {
    proxyCalls++;
    return route.abort();
  });
  await page.goto(`${url}/demo/store?as=${customerId}`);
  const attribute = await page.locator("kembali-widget").getAttribute("data-balance");
  const launcher = page.getByTestId("kembali-launcher");
  await launcher.waitFor({ state: "visible" });
  return { attribute, text: await launcher.innerText(), proxyCalls: () => proxyCalls };
}

describe("the seeded demo", () => {
  test("the launcher shows a seeded member's balance on first paint, after a restart too", async () => {
    const member = memberWithPoints();
    const shown = new Intl.NumberFormat("en").format(member.balance);

    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 800 } });
    const first = await launcherWithoutProxy(page, app.url, member.id);
    expect(first.attribute).toBe(String(member.balance));
    expect(first.text).toContain(shown);
    await page.screenshot({ path: screenshotPath("demo-story-launcher") });
    await page.close();

    // npm run demo again on the same database: a new process, a new (empty) Shopify stand-in.
    await app.stop();
    app = await startServer({
      port: PORT,
      quiet: true,
      env: { DATABASE_URL: `file:./.tmp/${NAME}.db`, DEMO_MODE: "1", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" },
    });
    const again = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 800 } });
    const restarted = await launcherWithoutProxy(again, app.url, member.id);
    expect(restarted.attribute).toBe(String(member.balance));
    expect(restarted.text).toContain(shown);
    await again.close();
  });

  test("the Referrals page shows referrals held for review, rejected and rewarded, with their reasons", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/app/referrals`);
    await page.getByText("Same shipping address as the referrer").first().waitFor();
    expect(await page.getByText("Yoga Prasetyo").count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("demo-story-referrals-held"), fullPage: true });

    await page.goto(`${app.url}/app/referrals?status=rejected`);
    const rejected = await page.locator("body").innerText();
    expect(rejected).toContain("Self-referral");
    expect(rejected).toContain("Already a customer");
    expect(rejected).toContain("Same shipping address as the referrer");

    await page.goto(`${app.url}/app/referrals?status=rewarded`);
    expect(await page.locator("body").innerText()).toContain("Ratna Sitompul");
    await page.close();
  });

  test("the dashboard's redemption figures are not zero", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 900 } });
    await page.goto(`${app.url}/app?days=365`);
    const card = page
      .locator("div")
      .filter({ has: page.getByRole("heading", { level: 3, name: "Points redeemed", exact: true }) })
      .filter({ has: page.locator(".kembali-chart") })
      .last();
    await card.waitFor({ timeout: 60_000 });
    const value = await card.getByRole("paragraph").first().innerText();
    expect(Number(value.replace(/[^\d]/g, ""))).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("demo-story-dashboard"), fullPage: true });
    await page.close();
  });
});
