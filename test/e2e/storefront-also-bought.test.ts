// "Customers also bought" in a real browser: the seeded demo shop's best sellers, computed by
// the app's background sweep and written to the demo's Shopify, rendered by the theme block's
// Liquid on the demo product page, with no JavaScript of its own.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-also-bought", 3531, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("demo product page", () => {
  test("shows the best sellers as cards with prices, never the product on the page, and links to them", async () => {
    const page = await browser.newPage({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const block = page.locator("section.kembali-ab");
    const titles = block.locator(".kembali-ab__title");

    // The sweep runs when the server starts; the cards appear once it has written the metafield.
    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/demo/store?product=8003`);
          return titles.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(4);
    await expect(block.getByRole("heading", { name: "Customers also bought" }).isVisible()).resolves.toBe(true);
    const shown = await titles.allTextContents();
    expect(shown).not.toContain("Kopi Kintamani 250 g");
    const prices = await block.locator(".kembali-ab__price").allTextContents();
    expect(prices).toHaveLength(4);
    for (const price of prices) expect(price).toMatch(/^Rp\d{1,3}(\.\d{3})+$/);
    // Images have their size before they load: no layout shift.
    for (const img of await block.locator("img").all()) {
      expect(await img.getAttribute("width")).toBe("600");
      expect(await img.getAttribute("height")).toBe("600");
      expect(await img.getAttribute("loading")).toBe("lazy");
    }
    // Four columns on a desktop-wide page, from the block's stylesheet.
    const columns = await block.locator(".kembali-ab__grid").evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
    expect(columns).toBe(4);
    await block.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("storefront-also-bought"), fullPage: true });

    // Following a card opens that product, whose block leaves it out.
    const first = shown[0];
    await titles.first().click();
    await page.waitForURL(/product=\d+/);
    expect(await page.locator("h1").textContent()).toBe(first);
    expect(await titles.allTextContents()).not.toContain(first);
    expect(errors).toEqual([]);
  });
});
