// Onboarding in a real browser, as a merchant trying the demo meets it (issue 6): the demo
// installed as a brand-new shop (npm run demo -- --fresh) opens /app on onboarding; step 1
// shows the IDR defaults and a live example that follows the form, refuses a bad value with a
// field error without moving on; step 2 creates the first rewards once (the back button and a
// stale second tab submitting again create nothing more); step 3 checks the app embed and
// links to the theme editor; finishing lands on the home page's dashboard. Then step 1 in
// Bahasa Indonesia. No page errors; screenshots go to test-results/.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { messages, translate, type Locale, type MessageKey } from "~/i18n";
import { formatMoney } from "../../common/money";
import { DEMO_API_KEY, DEMO_SHOP } from "~/config.server";
import { themeEditorLink } from "~/domain/shop/setup";
import { DEMO_CURRENCY } from "~/demo/catalog";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-onboarding", 3571, { fresh: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function visit(page: Page, path: string) {
  const response = await page.goto(`${app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await hydrated(page);
}

const money = (amount: number, locale: Locale) => formatMoney({ amount, currency: DEMO_CURRENCY }, locale === "id" ? "id-ID" : "en-US");

/** English sentences that must not appear on an Indonesian page (as in admin.test.ts). */
const ENGLISH_ONLY: string[] = (() => {
  const fragments = new Set<string>();
  for (const key of Object.keys(messages.en) as MessageKey[]) {
    if (messages.en[key] === messages.id[key]) continue;
    for (const part of messages.en[key].split(/\{\w+\}/)) {
      const text = part.trim();
      if (text.length >= 16 && !messages.id[key].includes(text)) fragments.add(text);
    }
  }
  return [...fragments];
})();

const step = (page: Page, locale: Locale, n: 1 | 2 | 3) =>
  page.getByRole("heading", { name: translate(locale, `onboarding.step${n}.title` as MessageKey), exact: true });

/** Step 1's fields, found by their labels. */
function earningFields(page: Page, locale: Locale) {
  const t = (key: MessageKey) => translate(locale, key, { currency: DEMO_CURRENCY });
  return {
    points: page.getByLabel(t("program.points"), { exact: true }).first(),
    perAmount: page.getByLabel(t("program.perAmount"), { exact: true }).first(),
    pendingDays: page.getByLabel(t("program.pendingDays"), { exact: true }).first(),
    pointValue: page.getByLabel(t("program.redemption.pointValue"), { exact: true }).first(),
    example: page.locator("#earning-example"),
    next: page.getByRole("button", { name: t("onboarding.next"), exact: true }),
  };
}

/** The suggested IDR rate: 1 point per Rp20.000 (about a US dollar's worth; Rp1.000 is about six US cents). */
const SUGGESTED_PER = 20_000;

/** What the live example says an order of 250 × the suggested Rp20.000 earns. */
const exampleText = (locale: Locale, points: string) =>
  translate(locale, "program.example", { amount: money(250 * SUGGESTED_PER * 100, locale), points });

describe("onboarding on a freshly installed demo shop", () => {
  test("English: /app opens onboarding; three steps; finish lands on the dashboard", async () => {
    const { context, page, errors } = await openContext(browser, { locale: "en-US" });
    const t = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);

    // A new install is sent to onboarding from the home page.
    await page.goto(`${app.url}/app?locale=en`);
    await page.waitForURL(/\/app\/onboarding/);
    await hydrated(page);
    await page.getByRole("heading", { level: 1, name: t("onboarding.title") }).waitFor();
    await step(page, "en", 1).waitFor();
    await expect(page.getByText(t("onboarding.step", { step: 1, total: 3 })).count()).resolves.toBe(1);

    // Step 1: the IDR defaults (1 point per Rp20.000, a point worth Rp1.000), said in true words, and the live example.
    const f = earningFields(page, "en");
    await expect(f.points.inputValue()).resolves.toBe("1");
    await expect(f.perAmount.inputValue()).resolves.toBe(String(SUGGESTED_PER));
    await expect(f.pendingDays.inputValue()).resolves.toBe("30");
    await expect(f.pointValue.inputValue()).resolves.toBe("1000");
    const help = t("onboarding.step1.help", { currency: DEMO_CURRENCY, amount: money(SUGGESTED_PER * 100, "en") });
    expect(help).toContain(`1 point for every ${money(SUGGESTED_PER * 100, "en")} spent`);
    await expect(page.getByText(help, { exact: true }).count()).resolves.toBe(1);
    await expect(f.example.textContent()).resolves.toBe(exampleText("en", "250"));
    await page.screenshot({ path: screenshotPath("onboarding-step1-en"), fullPage: true });

    // Changing a value updates the example before anything is saved.
    await f.points.fill("2");
    await expect.poll(() => f.example.textContent()).toBe(exampleText("en", "500"));

    // A value the program refuses: the example says so; continuing marks the field, stays on step 1.
    await f.points.fill("2000000");
    await expect.poll(() => page.getByText(t("program.example.invalid")).count()).toBe(1);
    await f.next.click();
    await page.getByText(t("program.error.points")).first().waitFor();
    await page.getByText(t("onboarding.error")).waitFor();
    await expect(step(page, "en", 1).count()).resolves.toBe(1);
    await expect(step(page, "en", 2).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath("onboarding-step1-error-en"), fullPage: true });

    await f.points.fill("2");
    await f.next.click();
    await step(page, "en", 2).waitFor();
    await page.waitForURL(/step=2/);

    // Step 2: the proposed rewards (5 % back: Rp100.000 off for 100 points, free shipping, 10 % off); leave 10 % off out.
    const fixedName = t("onboarding.reward.fixed", { amount: money(100_000_00, "en") });
    const shippingName = t("onboarding.reward.freeShipping");
    const percentName = t("onboarding.reward.percent", { percent: 10 });
    const names = page.getByLabel(t("rewards.field.name"), { exact: true });
    await expect(names.count()).resolves.toBe(3);
    await expect(names.nth(0).inputValue()).resolves.toBe(fixedName);
    await expect(names.nth(1).inputValue()).resolves.toBe(shippingName);
    await expect(names.nth(2).inputValue()).resolves.toBe(percentName);
    await expect(page.getByLabel(t("rewards.field.pointsCost"), { exact: true }).nth(0).inputValue()).resolves.toBe("100");
    await page.getByLabel(t("onboarding.step2.include")).nth(2).uncheck();
    await expect(names.nth(2).isDisabled()).resolves.toBe(true);

    // A second tab left open on step 2 (the stale form a merchant could submit again later).
    const stale = await context.newPage();
    stale.on("pageerror", (e) => errors.push(`pageerror (stale tab): ${String(e)}`));
    await visit(stale, "/app/onboarding?step=2");
    await expect(stale.getByLabel(t("rewards.field.name"), { exact: true }).count()).resolves.toBe(3);

    await page.screenshot({ path: screenshotPath("onboarding-step2-en"), fullPage: true });
    await page.getByRole("button", { name: t("onboarding.next"), exact: true }).click();
    await step(page, "en", 3).waitFor();

    // Back, then "Save and continue" again: step 2 says the rewards exist and creates nothing more.
    await page.goBack();
    await step(page, "en", 2).waitFor();
    await page.getByText(t("onboarding.step2.done", { count: 2 })).waitFor();
    await page.getByRole("link", { name: t("onboarding.next"), exact: true }).click();
    await step(page, "en", 3).waitFor();
    // The stale tab submits its (all ticked) rows: nothing is created, it moves on to step 3.
    await stale.getByRole("button", { name: t("onboarding.next"), exact: true }).click();
    await step(stale, "en", 3).waitFor();
    await stale.close();

    // Step 3: the live theme's app embed (the demo storefront has it on) and the theme editor's deep link.
    await page.getByText(t("setup.embed.on", { theme: "Live theme" })).waitFor();
    const editor = page.getByRole("link", { name: t("setup.embed.action"), exact: true });
    await expect(editor.getAttribute("href")).resolves.toBe(themeEditorLink(DEMO_SHOP, DEMO_API_KEY));
    await expect(editor.getAttribute("href")).resolves.toContain("/admin/themes/current/editor?context=apps&activateAppId=");
    await page.screenshot({ path: screenshotPath("onboarding-step3-en"), fullPage: true });

    // Finish: the home page with the dashboard (a new shop's figures are computed in the background).
    await page.getByRole("button", { name: t("onboarding.finish"), exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/app");
    await page.getByRole("heading", { level: 1, name: t("home.title") }).waitFor();
    await page.getByRole("heading", { name: t("dash.section.retention") }).waitFor({ timeout: 60_000 });
    // The rate saved in step 1.
    await expect(
      page.getByText(t("home.rule", { points: "2", amount: money(SUGGESTED_PER * 100, "en") }), { exact: true }).count(),
    ).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath("onboarding-home-en"), fullPage: true });

    // Home no longer sends the merchant to onboarding.
    await visit(page, "/app?locale=en");
    expect(new URL(page.url()).pathname).toBe("/app");

    // The Rewards page lists the two chosen rewards, each once, and not the one left out.
    await visit(page, "/app/rewards?locale=en");
    // Each row's first cell starts with the reward's name (the type column may read the same).
    const listed = await page
      .locator("table tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.querySelector("th, td")?.querySelector("span")?.textContent ?? ""));
    expect(listed.sort()).toEqual([fixedName, shippingName].sort());
    expect(listed).not.toContain(percentName);
    await page.screenshot({ path: screenshotPath("onboarding-rewards-en"), fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });

  test("Bahasa Indonesia: step 1 with its example and field error, no English left", async () => {
    const { context, page, errors } = await openContext(browser, { locale: "id-ID" });
    const t = (key: MessageKey, vars?: Record<string, string | number>) => translate("id", key, vars);
    await visit(page, "/app/onboarding?step=1&locale=id");
    await page.getByRole("heading", { level: 1, name: t("onboarding.title") }).waitFor();
    await step(page, "id", 1).waitFor();
    await expect(
      page.getByText(t("onboarding.step1.help", { currency: DEMO_CURRENCY, amount: money(SUGGESTED_PER * 100, "id") })).count(),
    ).resolves.toBe(1);

    // What step 1 saved (2 points per Rp20.000), in Indonesian number and money formats.
    const f = earningFields(page, "id");
    await expect(f.points.inputValue()).resolves.toBe("2");
    await expect(f.perAmount.inputValue()).resolves.toBe(String(SUGGESTED_PER));
    await expect(f.example.textContent()).resolves.toBe(exampleText("id", "500"));
    const text = await page.locator("body").innerText();
    expect(ENGLISH_ONLY.filter((fragment) => text.includes(fragment))).toEqual([]);
    await page.screenshot({ path: screenshotPath("onboarding-step1-id"), fullPage: true });

    await f.points.fill("3");
    await expect.poll(() => f.example.textContent()).toBe(exampleText("id", "750"));
    await f.perAmount.fill("0");
    await f.next.click();
    await page.getByText(t("program.error.perAmount")).first().waitFor();
    await page.getByText(t("onboarding.error")).waitFor();
    await expect(step(page, "id", 2).count()).resolves.toBe(0);
    await page.screenshot({ path: screenshotPath("onboarding-step1-error-id"), fullPage: true });

    // Refused: the saved rate is unchanged on the home page.
    await visit(page, "/app?locale=id");
    await expect(
      page.getByText(t("home.rule", { points: "2", amount: money(SUGGESTED_PER * 100, "id") }), { exact: true }).count(),
    ).resolves.toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  });
});
