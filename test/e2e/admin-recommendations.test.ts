// The Recommendations page in a real browser on the seeded demo shop: every section is there;
// a setting is saved through the save bar; a product found by search is added to the picks;
// another is excluded; products are pinned on one product's page; the last rebuild's quality
// figure is shown in words, and a new rebuild is started and its status shown.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { createRequire } from "node:module";
import { translate, type MessageKey } from "~/i18n";
import { DEMO_SHOP } from "~/config.server";
import { DEMO_PRODUCTS } from "~/demo/catalog";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

// The SQLite driver Prisma's adapter uses (it ships no types of its own).
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  close(): void;
};

const NAME = "e2e-admin-recommendations";
const t = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

const QUALITY = { baskets: 300, items: 10, hr5: 0.4, hr10: 0.52, hr10_sd: 0.021, popularity_hr10: 0.41, ms: 80, cases: 60 };

/**
 * The demo's products as Product rows (the recommendation counting creates them for every
 * product in a counted order; written here so this test does not depend on it), and a finished
 * rebuild with its quality figure, as the rebuild job leaves it.
 */
function ensureProducts() {
  const db = new Database(`.tmp/${NAME}.db`);
  try {
    const { id } = db.prepare(`SELECT id FROM Shop WHERE domain = ?`).get(DEMO_SHOP) as { id: string };
    const insert = db.prepare(
      `INSERT OR IGNORE INTO Product (shopId, productId, title, available, excluded, updatedAt) VALUES (?, ?, ?, ?, 0, ?)`,
    );
    const now = new Date().toISOString().replace("Z", "+00:00");
    for (const p of DEMO_PRODUCTS) insert.run(id, p.productId, p.title, p.soldOut ? 0 : 1, now);
    db.prepare(
      `INSERT INTO Job (id, shopDomain, type, status, outcome, progress, total, runAfter, startedAt, finishedAt, createdAt, updatedAt)
       VALUES ('e2e-rebuild-done', ?, 'recs-rebuild', 'done', ?, 300, 300, ?, ?, ?, ?, ?)`,
    ).run(DEMO_SHOP, JSON.stringify({ quality: QUALITY }), now, now, now, now, now);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  app = await startDemoApp(NAME, 3613, { seed: true });
  ensureProducts();
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function visit(page: Page) {
  const response = await page.goto(`${app.url}/app/recommendations?locale=en`);
  expect(response?.status()).toBe(200);
  await hydrated(page, 90_000);
}

/** Types into one of the page's product searches and waits for the product's row among the matches. */
async function found(page: Page, search: string, query: string, title: string): Promise<Locator> {
  await page.locator(`#${search}`).fill(query);
  const row = page.locator(`#${search}-results .Polaris-Box`).filter({ hasText: title });
  await row.waitFor();
  return row;
}

describe("admin Recommendations page (demo)", () => {
  test("shows each section; saves a setting, adds a pick, excludes a product, pins products, starts a rebuild", async () => {
    const { context, page, errors } = await openContext(browser);
    await visit(page);
    for (const heading of ["recs.overview", "recs.quality", "recs.rebuild", "recs.settings", "recs.picks", "recs.products"] as const) {
      await expect(page.getByRole("heading", { name: t(heading), exact: true }).count(), heading).resolves.toBe(1);
    }
    await expect(page.getByRole("link", { name: t("nav.recommendations") }).count()).resolves.toBeGreaterThan(0);

    // Settings, through the save bar.
    const bar = page.getByRole("region", { name: t("saveBar.message") });
    await expect(bar.count()).resolves.toBe(0);
    await page.getByLabel(t("recs.settings.listLength")).fill("6");
    await bar.waitFor();
    await bar.getByRole("button", { name: t("recs.settings.save") }).click();
    await page.getByText(t("recs.settings.saved")).waitFor();
    await expect(bar.count()).resolves.toBe(0);

    // A pick, found by search (any case).
    const toraja = await found(page, "recs-picks-search", "TORAJA", "Kopi Toraja Kalosi 250 g");
    await toraja.getByRole("button", { name: t("recs.picks.add") }).click();
    await page.locator("#recs-picks").getByText("Kopi Toraja Kalosi 250 g").waitFor();

    // An excluded product, found by search; a sold-out one is marked as not available.
    const flores = await found(page, "recs-products-search", "flores", "Kopi Flores Bajawa 250 g");
    await expect(flores.getByText(t("recs.product.unavailable")).count()).resolves.toBe(1);
    const kintamani = await found(page, "recs-products-search", "kintamani", "Kopi Kintamani 250 g");
    await kintamani.getByRole("button", { name: t("recs.products.exclude") }).click();
    await page.locator("#recs-excluded").getByText("Kopi Kintamani 250 g").waitFor();
    // The search shows it excluded now, with the way back.
    await kintamani.getByRole("button", { name: t("recs.products.include") }).waitFor();

    // Pins on one product's page: found by search, pinned in order, shown in the list of pins.
    const gayo = await found(page, "recs-products-search", "gayo", "Kopi Gayo Arabica 250 g");
    await gayo.getByRole("button", { name: t("recs.products.pin") }).click();
    await page.getByRole("heading", { name: t("recs.pins.title", { product: "Kopi Gayo Arabica 250 g" }) }).waitFor();
    for (const [query, title] of [
      ["toraja", "Kopi Toraja Kalosi 250 g"],
      ["kintamani", "Kopi Kintamani 250 g"],
    ]) {
      const row = await found(page, "recs-pins-search", query, title);
      if (title === "Kopi Kintamani 250 g") {
        // Excluded: it cannot be pinned.
        await expect(row.getByRole("button", { name: t("recs.pins.add") }).isDisabled()).resolves.toBe(true);
      } else {
        await row.getByRole("button", { name: t("recs.pins.add") }).click();
        await page
          .locator("#recs-pinned")
          .getByText(t("recs.products.pinned.first", { products: title }))
          .waitFor();
      }
    }
    // A second pin, then moved above the first: the order is what the product's list shows first.
    const grinder = await found(page, "recs-pins-search", "grinder", "Hand Grinder Ceramic Burr");
    await grinder.getByRole("button", { name: t("recs.pins.add") }).click();
    await page
      .locator("#recs-pinned")
      .getByText(t("recs.products.pinned.first", { products: "Kopi Toraja Kalosi 250 g, Hand Grinder Ceramic Burr" }))
      .waitFor();
    await page
      .locator("#recs-pins-editor")
      .getByRole("button", { name: t("recs.product.up") })
      .last()
      .click();
    await page
      .locator("#recs-pinned")
      .getByText(t("recs.products.pinned.first", { products: "Hand Grinder Ceramic Burr, Kopi Toraja Kalosi 250 g" }))
      .waitFor();
    await page.getByRole("button", { name: t("recs.pins.close") }).click();

    // A rebuild: its status appears (after the badge's tone, read to screen readers); it stays
    // queued in this build if no handler runs it (the handler runs in the background, if at all in this build).
    const figure = t("recs.quality.figure", { count: 60, found: "52%", popular: "41%" });
    await expect(page.locator("#recs-quality").innerText()).resolves.toBe(figure);
    await page.getByText(t("recs.quality.spread", { spread: "2.1" })).waitFor();
    await expect(page.locator("#recs-rebuild-status").innerText()).resolves.toMatch(new RegExp(`${t("recs.rebuild.status.done")}$`));
    await page.getByRole("button", { name: t("recs.rebuild.start") }).click();
    await expect
      .poll(async () => (await page.locator("#recs-rebuild-status").innerText()).trim(), { timeout: 30_000 })
      .toMatch(new RegExp(`(${["queued", "running"].map((s) => t(`recs.rebuild.status.${s}` as MessageKey)).join("|")})$`));
    // The last figure stays while the new rebuild runs.
    await expect(page.locator("#recs-quality").innerText()).resolves.toBe(figure);
    await page.screenshot({ path: screenshotPath("admin-recommendations-en"), fullPage: true });

    // All of it is stored: a fresh load shows the same.
    await visit(page);
    await expect(page.getByLabel(t("recs.settings.listLength")).inputValue()).resolves.toBe("6");
    await page.locator("#recs-picks").getByText("Kopi Toraja Kalosi 250 g").waitFor();
    await page.locator("#recs-excluded").getByText("Kopi Kintamani 250 g").waitFor();
    await page.locator("#recs-pinned").getByText("Kopi Gayo Arabica 250 g").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
