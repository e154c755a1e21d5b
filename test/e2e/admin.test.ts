// The admin in a real browser on the seeded demo shop (issue 6): every page renders its
// heading in English and Bahasa Indonesia with no script or hydration errors and no English
// left on the Indonesian pages; the earning rule's live example follows the form before it is
// saved; the order-history import's progress is followed to the end; a member's balance is
// explained by the ledger's running total; the dashboard's period switch. Screenshots of every
// page in both languages go to test-results/.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { messages, translate, type Locale, type MessageKey } from "~/i18n";
import { formatMoney } from "../../common/money";
import { DEMO_CURRENCY, DEMO_CUSTOMERS } from "~/demo/catalog";
import { demoOrderHistory } from "~/demo/history";
import { readFile } from "node:fs/promises";
import { DEMO_API_SECRET, DEMO_SHOP } from "~/config.server";
import { signedWebhookRequest } from "~/shopify/webhook-signature";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-admin", 3561, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const LOCALES: Locale[] = ["en", "id"];

/** Loads a page and waits until React has hydrated it (Remix's client entry has run). */
async function visit(page: Page, path: string) {
  const response = await page.goto(`${app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  await hydrated(page);
}

/**
 * English sentences that must not appear on an Indonesian page: the static parts (at least
 * 16 characters) of every English string whose Indonesian translation differs.
 */
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

function untranslated(bodyText: string): string[] {
  return ENGLISH_ONLY.filter((fragment) => bodyText.includes(fragment));
}

const money = (amount: number, locale: Locale) => formatMoney({ amount, currency: DEMO_CURRENCY }, locale === "id" ? "id-ID" : "en-US");
const number = (text: string | null) => Number((text ?? "").replace(/[^\d-]/g, ""));

/** The 15 dashboard figures that come with a month-by-month chart. */
const CHARTED: MessageKey[] = [
  "dash.crr",
  "dash.repeat",
  "dash.frequency",
  "dash.aov",
  "dash.clv",
  "dash.gap",
  "dash.customers",
  "dash.new",
  "dash.orders",
  "dash.revenue",
  "dash.issued",
  "dash.redeemed",
  "dash.expired",
  "dash.redemptionRate",
  "dash.liability",
];

/** A dashboard figure's card (its innermost box holding both its label and its chart), found by its label. */
const metric = (page: Page, label: string) =>
  page
    .locator("div")
    .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) })
    .filter({ has: page.locator(".kembali-chart") })
    .last();

async function waitForDashboard(page: Page, locale: Locale) {
  await page.getByRole("heading", { name: translate(locale, "dash.section.retention") }).waitFor({ timeout: 60_000 });
  await expect.poll(() => page.locator(".kembali-chart svg").count()).toBe(CHARTED.length);
}

describe("admin pages in English and Bahasa Indonesia", () => {
  for (const locale of LOCALES) {
    test(`every page renders its heading with no errors (${locale})`, async () => {
      const { context, page, errors } = await openContext(browser);
      const t = (key: MessageKey, vars?: Record<string, string>) => translate(locale, key, vars);
      const shot = async (name: string) => {
        const text = await page.locator("body").innerText();
        // The same check finds the English on the English page: it can fail.
        if (locale === "id") expect(untranslated(text), `English on ${name} (id)`).toEqual([]);
        else expect(untranslated(text).length, `English strings found on ${name} (en)`).toBeGreaterThan(0);
        await page.screenshot({ path: screenshotPath(`admin-${name}-${locale}`), fullPage: true });
      };

      // Home: the seed computed the figures; each charted figure has its chart.
      await visit(page, `/app?locale=${locale}`);
      await page.getByRole("heading", { level: 1, name: t("home.title") }).waitFor();
      await waitForDashboard(page, locale);
      for (const key of CHARTED) {
        const card = metric(page, t(key));
        await expect(card.locator(".kembali-chart").count(), key).resolves.toBe(1);
        await expect(card.locator(`.kembali-chart[aria-label="${t(key)}"] svg path.recharts-line-curve`).count(), key).resolves.toBe(1);
      }
      for (const section of [
        "dash.section.program",
        "dash.section.referrals",
        "dash.section.segments",
        "dash.section.cohorts",
        "dash.section.recs",
        "dash.section.surveys",
        "home.recent",
      ] as const) {
        await page.getByRole("heading", { name: t(section) }).waitFor();
      }
      await shot("home");

      const pages: Array<[string, string, MessageKey]> = [
        ["program", "/app/program", "program.title"],
        ["rewards", "/app/rewards", "rewards.title"],
        ["tiers", "/app/tiers", "tiers.title"],
        ["referrals", "/app/referrals", "referrals.title"],
        ["customers", "/app/customers", "customers.title"],
        ["settings", "/app/settings", "settings.title"],
        ["data-requests", "/app/settings/data-requests", "dataRequests.title"],
        ["plans", "/app/plans", "plans.title"],
        ["onboarding", "/app/onboarding", "onboarding.title"],
      ];
      for (const [name, path, title] of pages) {
        await visit(page, `${path}?locale=${locale}`);
        await page.getByRole("heading", { level: 1, name: t(title), exact: true }).waitFor();
        await shot(name);
      }

      // One customer's page, through the list's link.
      await visit(page, `/app/customers?locale=${locale}`);
      const first = page.locator(".Polaris-IndexTable__TableRow a").first();
      const name = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/app\/customers\/\d+/);
      await page.getByRole("heading", { level: 1, name }).waitFor();
      await page.getByRole("heading", { name: t("member.ledger") }).waitFor();
      await shot("customer");

      expect(errors).toEqual([]);
      await context.close();
    });
  }
});

describe("admin: what a merchant does", () => {
  test("Program: a new earning rate changes the live example before saving, then the home page's rule", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey, vars?: Record<string, string>) => translate("en", key, vars);
    const rule = (points: string) => t("home.rule", { points, amount: money(1_000_00, "en") });
    await visit(page, "/app?locale=en");
    await expect(page.getByText(rule("1"), { exact: true }).count()).resolves.toBe(1);

    await visit(page, "/app/program?locale=en");
    const example = page.locator("#earning-example");
    // The demo's rate: 1 point per Rp1.000; the example order is 250 times that.
    await expect(example.textContent()).resolves.toBe(t("program.example", { amount: money(250_000_00, "en"), points: "250" }));
    const points = page.getByLabel(t("program.points"), { exact: true }).first();
    await points.fill("3");
    await expect.poll(() => example.textContent()).toBe(t("program.example", { amount: money(250_000_00, "en"), points: "750" }));
    await page.screenshot({ path: screenshotPath("admin-program-example-en"), fullPage: true });

    // Not saved yet: the home page still shows the saved rule.
    const other = await context.newPage();
    await other.goto(`${app.url}/app?locale=en`);
    await expect(other.getByText(rule("1"), { exact: true }).count()).resolves.toBe(1);
    await other.close();

    // A rate the program refuses: the example says so, saving marks the field and saves nothing.
    await points.fill("2000000");
    await expect.poll(() => page.getByText(t("program.example.invalid")).count()).toBe(1);
    await page
      .getByRole("button", { name: t("program.save"), exact: true })
      .first()
      .click();
    await page.getByText(t("program.error.points")).first().waitFor();
    await expect(page.getByText(t("program.saved")).count()).resolves.toBe(0);

    await points.fill("3");
    await page
      .getByRole("button", { name: t("program.save"), exact: true })
      .first()
      .click();
    await page.getByText(t("program.saved")).waitFor();
    await visit(page, "/app?locale=en");
    await expect(page.getByText(rule("3"), { exact: true }).count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath("admin-home-new-rule-en") });

    expect(errors).toEqual([]);
    await context.close();
  });

  test("Settings: the order-history import runs to the end with its progress bar", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey, vars?: Record<string, string>) => translate("en", key, vars);
    // The demo's Shopify holds the shop's older history (app/demo/history.ts): the import reads
    // all of it. The customer with the most of those orders has that many more afterwards.
    const history = demoOrderHistory(new Date());
    const perCustomer = new Map<string, number>();
    for (const o of history) perCustomer.set(o.customer!.id, (perCustomer.get(o.customer!.id) ?? 0) + 1);
    const [loyalId, loyalOrders] = [...perCustomer].sort((a, b) => b[1] - a[1])[0];
    const loyal = DEMO_CUSTOMERS.find((c) => c.id === loyalId)!;
    const ordersOf = async () => {
      await visit(page, `/app/customers?locale=en&q=${encodeURIComponent(loyal.email)}`);
      const row = page.locator(".Polaris-IndexTable__TableRow");
      await expect.poll(() => row.count()).toBe(1);
      return Number((await row.locator("td").nth(6).innerText()).trim());
    };
    const ordersBefore = await ordersOf();

    await visit(page, "/app/settings?locale=en");
    await page.getByText(t("settings.backfill.never")).waitFor();
    // The demo shop granted access to all orders: no "last 60 days only" warning.
    await expect(page.locator("#history-access").textContent()).resolves.toBe(t("settings.backfill.scope.granted"));
    await page.getByRole("button", { name: t("settings.backfill.start") }).click();
    // Queued at once; the page follows the background job by itself (no reload) until it is finished.
    await page
      .getByText(t("settings.backfill.status.queued"))
      .or(page.getByText(t("settings.backfill.status.running")))
      .first()
      .waitFor();
    const bar = page.locator("progress").first();
    await page.screenshot({ path: screenshotPath("admin-backfill-started-en") });
    // Every count the page shows on the way: it only goes up, never past the history.
    const seen: number[] = [];
    const done = page.getByText(t("settings.backfill.status.done"), { exact: true });
    const deadline = Date.now() + 60_000;
    while (!(await done.isVisible())) {
      expect(Date.now(), "the import finishes within a minute").toBeLessThan(deadline);
      const text =
        (await page
          .locator("#backfill-progress")
          .textContent()
          .catch(() => null)) ?? "";
      const count = /^(\d+) orders imported$/.exec(text)?.[1];
      if (count !== undefined) seen.push(Number(count));
      await page.waitForTimeout(200);
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.every((n) => n <= history.length)).toBe(true);
    await expect(bar.getAttribute("value")).resolves.toBe("100");
    await expect(page.locator("#backfill-progress").textContent()).resolves.toBe(
      t("settings.backfill.imported", { count: String(history.length) }),
    );
    await expect(page.locator("#backfill-range").textContent()).resolves.toBe(t("settings.backfill.range.all"));
    await page.getByRole("button", { name: t("settings.backfill.start") }).waitFor();
    await expect(page.getByRole("button", { name: t("settings.backfill.start") }).isEnabled()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath("admin-backfill-finished-en"), fullPage: true });

    expect(await ordersOf()).toBe(ordersBefore + loyalOrders);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Customers: find a customer and explain their balance with the ledger's running total", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey, vars?: Record<string, string>) => translate("en", key, vars);
    await visit(page, "/app/customers?locale=en");
    // The most recently active member; search for them by email.
    const row = page.locator(".Polaris-IndexTable__TableRow").first();
    const name = (await row.locator("a").innerText()).trim();
    const email = (await row.locator("td").nth(1).innerText()).trim();
    expect(email).toMatch(/@example\.com$/);
    await page.getByLabel(t("customers.search")).fill(email);
    await page.getByRole("button", { name: t("customers.search.submit") }).click();
    await page.waitForURL(/[?&]q=/);
    await expect.poll(() => page.locator(".Polaris-IndexTable__TableRow").count()).toBe(1);
    await page.getByRole("link", { name }).click();
    await page.waitForURL(/\/app\/customers\/\d+/);
    await page.getByRole("heading", { level: 1, name }).waitFor();

    const figure = (label: string) =>
      page
        .locator("div")
        .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) })
        .last()
        .locator("p")
        .first();
    const balance = number(await figure(t("member.balance")).textContent());
    const pending = number(await figure(t("member.pending")).textContent());
    // "Why this balance": oldest first; the last row's "Total after" is what balance + pending add up to.
    const ledger = page
      .locator("div")
      .filter({ has: page.getByRole("heading", { name: t("member.ledger") }) })
      .last()
      .locator("table");
    const headers = await ledger.locator("thead th").allInnerTexts();
    const total = headers.findIndex((h) => h.trim() === t("member.col.total"));
    const points = headers.findIndex((h) => h.trim() === t("home.col.points"));
    expect(total).toBeGreaterThan(0);
    const rows = ledger.locator("tbody tr");
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    const cells = async (i: number) => rows.nth(i).locator("td, th").allInnerTexts();
    // Each running total is the previous one plus the entry's points.
    let running = 0;
    for (let i = 0; i < count; i++) {
      const row = await cells(i);
      running += number(row[points]);
      expect(number(row[total]), `row ${i + 1}`).toBe(running);
    }
    expect(running).toBe(balance + pending);
    expect(balance + pending).toBeGreaterThan(0);
    await page.getByText(t("member.check.ok")).waitFor();
    await page.screenshot({ path: screenshotPath("admin-customer-balance-en"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Home: the period switch changes the figures, with a chart in every figure's card", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey, vars?: Record<string, string>) => translate("en", key, vars);
    await visit(page, "/app?locale=en");
    await waitForDashboard(page, "en");
    const orders = async () => number(await metric(page, t("dash.orders")).locator("p").first().textContent());
    const seen: Record<string, number> = {};
    for (const days of ["90", "365", "30"]) {
      const button = page.getByRole("button", { name: t(`dash.period.${days}` as MessageKey), exact: true });
      await button.click();
      await page.waitForURL(new RegExp(`[?&]days=${days}\\b`));
      await expect.poll(() => button.getAttribute("aria-pressed")).toBe("true");
      for (const other of ["30", "90", "365"].filter((d) => d !== days)) {
        await expect(
          page.getByRole("button", { name: t(`dash.period.${other}` as MessageKey) }).getAttribute("aria-pressed"),
        ).resolves.not.toBe("true");
      }
      await expect.poll(() => page.locator(".kembali-chart svg path.recharts-line-curve").count()).toBe(CHARTED.length);
      seen[days] = await orders();
      await page.screenshot({ path: screenshotPath(`admin-home-${days}-days-en`) });
    }
    // A year of orders holds more than its last 90 days, which hold more than the last 30.
    expect(seen["365"]).toBeGreaterThan(seen["90"]);
    expect(seen["90"]).toBeGreaterThan(seen["30"]);
    expect(seen["30"]).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test("Data requests: Shopify's request shows on Settings, the customer's data downloads as JSON, and the request is marked fulfilled", async () => {
    const { context, page, errors } = await openContext(browser);
    const t = (key: MessageKey, vars?: Record<string, string>) => translate("en", key, vars);
    const customer = DEMO_CUSTOMERS[0];
    const body = {
      shop_id: 1,
      shop_domain: DEMO_SHOP,
      customer: { id: Number(customer.id), email: customer.email, phone: null },
      orders_requested: [],
    };
    const sent = await fetch(
      signedWebhookRequest(`${app.url}/webhooks/customers/data_request`, {
        topic: "customers/data_request",
        shop: DEMO_SHOP,
        body,
        secret: DEMO_API_SECRET,
      }),
    );
    expect(sent.status).toBe(200);

    await visit(page, "/app/settings?locale=en");
    await expect(page.locator("#data-requests-pending").textContent()).resolves.toBe(t("settings.dataRequests.pending", { count: "1" }));
    await page.getByRole("link", { name: t("settings.dataRequests.open") }).click();
    await page.getByRole("heading", { level: 1, name: t("dataRequests.title"), exact: true }).waitFor();
    await page.getByText(customer.email, { exact: true }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: t("dataRequests.download") }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^kembali-customer-${customer.id}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    const data = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(data).toMatchObject({ shop: DEMO_SHOP, customer: { shopifyCustomerId: customer.id, email: customer.email } });
    expect(data.orders.length).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath("admin-data-requests-en"), fullPage: true });

    await page.getByRole("button", { name: t("dataRequests.fulfil") }).click();
    await page.getByText(t("dataRequests.empty.pending")).waitFor();
    await expect(page.getByRole("button", { name: t("dataRequests.fulfil") }).count()).resolves.toBe(0);
    await expect(page.getByText(/^Fulfilled /).count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
