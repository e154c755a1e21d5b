// The web pixel end to end in a real browser: the demo storefront runs Kembali's pixel as
// Shopify's runtime would (a worker fed the page's standard events), the pixel posts to the
// app's /pixel/events, and the admin home shows the click, the add-to-cart and the paid order that held the
// recommended product, with that order's total.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-demo-pixel", 3537, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The figure card's value under its label on the admin home. */
async function figure(page: Page, label: string): Promise<string> {
  const card = page
    .locator("div")
    .filter({ has: page.getByRole("heading", { level: 3, name: label, exact: true }) })
    .last();
  return (await card.locator("p").first().textContent()) ?? "";
}

describe("pixel events through the real server", () => {
  test("a preflight is answered 204 with CORS, and a refused event carries CORS too", async () => {
    const preflight = await fetch(`${app.url}/pixel/events`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://sandbox.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const refused = await fetch(`${app.url}/pixel/events`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{" });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("recommendation pixel in the demo", () => {
  test("a click from a recommendation and the paid order holding it reach the dashboard; nothing before", async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    // Before any report the section says the pixel has reported nothing.
    await page.goto(`${app.url}/app?locale=en`);
    await page.getByRole("heading", { name: "Recommendations" }).waitFor({ timeout: 60_000 });

    // The app connects the demo shop's pixel in its background tick; then the store loads it.
    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/demo/store?product=8002`);
          return page.locator("#kembali-demo-pixel").count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    await page.goto(`${app.url}/app?locale=en`);
    await page.getByText("The Kembali pixel has reported nothing yet", { exact: false }).waitFor();

    // A shopper opens product 8002 from a recommendation, then buys it (a paid demo order).
    const sent = page.waitForRequest((r) => r.url().endsWith("/pixel/events") && r.method() === "POST");
    await page.goto(`${app.url}/demo/store?product=8002&kembali_rec=product`);
    expect(JSON.parse((await sent).postData() ?? "{}")).toMatchObject({ kind: "click", surface: "product", productId: "8002" });
    // They add it to the cart (the cart page publishes product_added_to_cart), then go back and buy two.
    const added = page.waitForRequest((r) => r.url().endsWith("/pixel/events") && (r.postData() ?? "").includes('"add_to_cart"'));
    await page.getByTestId("demo-add-to-cart").click();
    await page.waitForURL(/\/demo\/cart\?added=8002/);
    expect(JSON.parse((await added).postData() ?? "{}")).toMatchObject({ kind: "add_to_cart", surface: "product", productId: "8002" });
    await page.goto(`${app.url}/demo/store?product=8002`);
    const checkout = page.waitForRequest((r) => r.url().endsWith("/pixel/events") && (r.postData() ?? "").includes('"checkout"'));
    await page.getByRole("button", { name: "Place a demo order (paid)" }).click();
    await page.waitForURL(/order=\d+/);
    expect(JSON.parse((await checkout).postData() ?? "{}")).toMatchObject({ kind: "checkout", productIds: ["8002"] });

    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/app?locale=en`);
          await page.getByRole("heading", { name: "Recommendations" }).waitFor();
          return [
            await figure(page, "Recommendation clicks"),
            await figure(page, "Added to cart from a recommendation"),
            await figure(page, "Orders with a recommended product"),
          ];
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toEqual(["1", "1", "1"]);
    // Two Rp135.000 bags, 11 % tax, Rp20.000 shipping: the whole order's total.
    expect(await figure(page, "Total of those orders")).toMatch(/319[.,]700/);
    await page.getByRole("heading", { name: "Recommendations" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("dashboard-recommendations"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
