// What a merchant sees on the admin pages (issue 11's polish), in a real browser on the seeded
// demo shop: every page has a real <title> in the admin's language; the Program page's
// contextual save bar appears with unsaved changes, discards and saves; the member page links
// ledger entries to their order in the Shopify admin and its ledger fits the card in Bahasa
// Indonesia; counts read "1 point", not "1 points"; the preview badge is translated.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { adminTitle } from "~/components/admin-title";
import { DEMO_SHOP } from "~/config.server";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-admin-polish", 3571, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function visit(page: Page, path: string) {
  const response = await page.goto(`${app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await hydrated(page, 90_000);
}

/** The first member on the list (most recently active), opened through its link. */
async function openFirstMember(page: Page, locale: Locale) {
  await visit(page, `/app/customers?locale=${locale}`);
  await page.locator(".Polaris-IndexTable__TableRow a").first().click();
  await page.waitForURL(/\/app\/customers\/\d+/);
  await page.getByRole("heading", { name: translate(locale, "member.ledger") }).waitFor();
}

describe("admin polish", () => {
  for (const locale of ["en", "id"] as Locale[]) {
    test(`every admin page has a real <title> (${locale})`, async () => {
      const { context, page, errors } = await openContext(browser);
      const pages: Array<[string, MessageKey]> = [
        ["/app", "nav.home"],
        ["/app/program", "program.title"],
        ["/app/rewards", "rewards.title"],
        ["/app/tiers", "tiers.title"],
        ["/app/referrals", "referrals.title"],
        ["/app/recommendations", "recs.title"],
        ["/app/surveys", "surveys.title"],
        ["/app/customers", "customers.title"],
        ["/app/settings", "settings.title"],
        ["/app/settings/data-requests", "dataRequests.title"],
        ["/app/plans", "plans.title"],
        ["/app/onboarding", "onboarding.title"],
      ];
      for (const [path, key] of pages) {
        await visit(page, `${path}?locale=${locale}`);
        await expect(page.title(), path).resolves.toBe(adminTitle(locale, key));
      }
      // Client-side navigation keeps it right.
      await page
        .getByRole("link", { name: translate(locale, "nav.program"), exact: true })
        .first()
        .click();
      await page.waitForURL(/\/app\/program/);
      await expect.poll(() => page.title()).toBe(adminTitle(locale, "program.title"));
      // A member's page names the member.
      await openFirstMember(page, locale);
      const name = (await page.getByRole("heading", { level: 1 }).first().innerText()).trim();
      await expect(page.title()).resolves.toBe(adminTitle(locale, "nav.customers", name));
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  test("Program: the contextual save bar appears with unsaved changes, discards them, and saves", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey) => translate("en", key);
    await visit(page, "/app/program?locale=en");
    const bar = page.getByRole("region", { name: t("saveBar.message") });
    const points = page.getByLabel(t("program.points"), { exact: true }).first();
    // Nothing changed: no bar, and no Save button anywhere on the page.
    await expect(bar.count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: t("program.save"), exact: true }).count()).resolves.toBe(0);

    const before = await points.inputValue();
    await points.fill("7");
    await bar.waitFor();
    // Fixed at the top of the window, wherever the page is scrolled.
    await page.mouse.wheel(0, 3000);
    await expect.poll(async () => (await bar.boundingBox())?.y).toBe(0);
    await page.screenshot({ path: screenshotPath("admin-program-save-bar-en") });
    await bar.getByRole("button", { name: t("saveBar.discard") }).click();
    await expect(bar.count()).resolves.toBe(0);
    await expect(points.inputValue()).resolves.toBe(before);

    await points.fill("4");
    await bar.getByRole("button", { name: t("program.save"), exact: true }).click();
    await page.getByText(t("program.saved")).waitFor();
    await expect(bar.count()).resolves.toBe(0);
    await visit(page, "/app/program?locale=en");
    await expect(page.getByLabel(t("program.points"), { exact: true }).first().inputValue()).resolves.toBe("4");

    // Back to the demo's rate for the other tests.
    await page.getByLabel(t("program.points"), { exact: true }).first().fill(before);
    await bar.getByRole("button", { name: t("program.save"), exact: true }).click();
    await page.getByText(t("program.saved")).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Home: one point is '1 point', in the plural rules of each language", async () => {
    const { context, page, errors } = await openContext(browser);
    await visit(page, "/app?locale=en");
    const body = await page.locator("body").innerText();
    // The demo earns 1 point per Rp1.000.
    expect(body).toMatch(/Customers earn 1 point for every /);
    expect(body).not.toMatch(/\b1 points\b/);
    await visit(page, "/app/program?locale=en");
    expect(await page.locator("body").innerText()).not.toMatch(/\b1 (points|days|months)\b/);
    await visit(page, "/app?locale=id");
    expect(await page.locator("body").innerText()).toMatch(/Pelanggan mendapat 1 poin /);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Member (id): ledger entries link to their order in the Shopify admin, and the ledger fits its card", async () => {
    const { context, page, errors } = await openContext(browser, { viewport: { width: 1024, height: 900 } });
    await openFirstMember(page, "id");
    const ledger = page
      .locator("div")
      .filter({ has: page.getByRole("heading", { name: translate("id", "member.ledger") }) })
      .last();
    const links = ledger.getByRole("link", { name: /^Lihat pesanan \d+ di Shopify$/ });
    expect(await links.count()).toBeGreaterThan(0);
    const store = DEMO_SHOP.replace(/\.myshopify\.com$/, "");
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      expect(href).toMatch(new RegExp(`^https://admin\\.shopify\\.com/store/${store}/orders/\\d+$`));
    }
    await expect(links.first().innerText()).resolves.toBe(translate("id", "member.source.order"));
    // No raw sources such as "order:1086".
    expect(await ledger.innerText()).not.toMatch(/\b(order|refund|cancellation|stamps):\d+/);
    // The table is no wider than its card: nothing scrolls sideways or spills out.
    const fit = await ledger
      .locator(".Polaris-DataTable__ScrollContainer")
      .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client + 1);
    await page.screenshot({ path: screenshotPath("admin-member-ledger-id"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Settings (id): the appearance preview's badge is in Bahasa Indonesia", async () => {
    const { context, page, errors } = await openContext(browser, { viewport: { width: 1280, height: 1400 } });
    await visit(page, "/app/settings?locale=id");
    const handle = await page.getByTestId("appearance-preview").elementHandle();
    const frame = (await handle!.contentFrame())!;
    await frame.getByTestId("preview-label").waitFor();
    await expect(frame.locator("[data-testid=preview-label] strong").textContent()).resolves.toBe(
      translate("id", "appearance.preview.badge"),
    );
    await expect(frame.title()).resolves.toBe("Pratinjau");
    expect(await frame.getByTestId("preview-label").innerText()).not.toMatch(/PREVIEW/);
    expect(errors).toEqual([]);
    await context.close();
  });
});
