// The recommendation blocks and the "picked for you" card in a real browser on the demo store:
// the product block on two product pages and the cart block on the demo cart (the theme
// extension's Liquid, no JavaScript of their own), and the card's script fetched only once a
// logged-in member's panel is open (never on page load, never for a guest), with one App
// Proxy call however often the panel opens.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { type StoreVisit, endVisit, launchChromium, screenshotPath, startDemoApp, visitStore } from "./support";

const NAME = "e2e-recommendations";
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;
/** A demo member with paid orders (the recommendation rows are learned by the seed's refit). */
let member: string;

beforeAll(async () => {
  app = await startDemoApp(NAME, 3611, { seed: true });
  const out = execFileSync("npx", ["tsx", "test/e2e/seeded-recommendations.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: `file:./.tmp/${NAME}.db`,
      DEMO_MODE: "1",
      HOST: "127.0.0.1",
      SHOPIFY_API_KEY: "",
      SHOPIFY_API_SECRET: "",
    },
    encoding: "utf8",
  });
  const seeded = JSON.parse(out.trim().split("\n").at(-1)!);
  // The seed learned lists from the demo's orders: nothing here writes recommendation rows.
  expect(seeded.learned).toBeGreaterThan(3);
  member = seeded.member;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function visit(as: string | null, path = "/demo/store"): Promise<StoreVisit> {
  return visitStore(browser, app.url, as, path);
}

const done = endVisit;

const CARD = "/demo/assets/kembali-card-picked.js";
const PICKED = "/apps/kembali/picked";
const POINTS = /^Earn \d{1,3}(,\d{3})* points?$/;

describe("recommendation blocks", () => {
  test("the product block on two product pages: cards with price and points, never the page's product or a sold-out one, links marked", async () => {
    const v = await visit(null);
    const { page } = v;
    const block = page.locator("section.kembali-ab");
    const titles = block.locator(".kembali-ab__title");
    // The lists are written to the demo's Shopify before the first storefront page; allow for start-up.
    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/demo/store?product=8003`);
          return titles.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(0);
    const lists: string[][] = [];
    for (const product of ["8003", "8006"]) {
      await page.goto(`${app.url}/demo/store?product=${product}`);
      const heading = await page.locator("h1").textContent();
      // The product's own list, learned from the seeded orders (not the shop's best sellers).
      expect(await block.getAttribute("data-kembali-list")).toBe("product");
      const shown = await titles.allTextContents();
      lists.push(shown);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown).not.toContain(heading);
      expect(shown).not.toContain("Kopi Flores Bajawa 250 g");
      const cards = await block.locator(".kembali-ab__card").all();
      for (const card of cards) {
        expect(await card.locator(".kembali-ab__price").textContent()).toMatch(/^Rp\d{1,3}(\.\d{3})+$/);
        // The demo program: 1 point per Rp1.000.
        const price = Number((await card.locator(".kembali-ab__price").textContent())!.replace(/\D/g, ""));
        expect(await card.locator(".kembali-ab__points").textContent()).toBe(`Earn ${Math.floor(price / 1000)} points`);
        expect(await card.locator("a").getAttribute("href")).toMatch(/^\/demo\/store\?product=\d+&kembali_rec=product$/);
      }
      await block.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`storefront-product-block-${product}`), fullPage: true });
    }
    expect(lists[0]).not.toEqual(lists[1]);
    await done(v);
  });

  test("the cart block on the demo cart: other products than the cart's, marked links; nothing for an empty cart", async () => {
    const v = await visit(null, "/demo/store?product=8001");
    const { page } = v;
    await page.getByTestId("demo-add-to-cart").click();
    await page.waitForURL(/\/demo\/cart/);
    await page.goto(`${app.url}/demo/store?product=8004`);
    await page.getByTestId("demo-add-to-cart").click();
    await page.waitForURL(/\/demo\/cart/);
    expect(await page.getByTestId("demo-cart-line").count()).toBe(2);
    const block = page.locator("section.kembali-ab");
    await expect.poll(() => block.locator(".kembali-ab__title").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await block.getByRole("heading").textContent()).toBe("Complete your order");
    const shown = await block.locator(".kembali-ab__title").allTextContents();
    expect(shown).not.toContain("Kopi Gayo Arabica 250 g");
    expect(shown).not.toContain("Robusta Lampung 500 g");
    expect(new Set(shown).size).toBe(shown.length);
    for (const link of await block.locator("a").all()) expect(await link.getAttribute("href")).toMatch(/&kembali_rec=cart$/);
    for (const points of await block.locator(".kembali-ab__points").allTextContents()) expect(points).toMatch(POINTS);
    await page.screenshot({ path: screenshotPath("storefront-cart-block"), fullPage: true });

    await page.getByRole("button", { name: "Empty the cart" }).click();
    await page.getByTestId("demo-cart-empty").waitFor();
    expect(await block.count()).toBe(0);

    // Checking out the cart places one paid order with its lines and empties the cart.
    await page.goto(`${app.url}/demo/store?product=8002`);
    await page.getByTestId("demo-add-to-cart").click();
    await page.getByTestId("demo-cart-order").click();
    await page.waitForURL(/order=\d+/);
    expect(await page.getByRole("status").first().textContent()).toMatch(/^Order \d+ paid/);
    expect(await page.getByTestId("demo-cart-link").textContent()).toBe("Cart (0)");
    await done(v);
  });
});

describe("picked for you", () => {
  test("a member's card script is fetched only after the panel opens, with one proxy call however often it opens", async () => {
    const v = await visit(member);
    const { page, requested } = v;
    const launcher = page.getByTestId("kembali-launcher");
    await launcher.waitFor();
    // Loaded, idle (the panel may be prefetched): no card and no picks yet.
    await page.waitForTimeout(1_500);
    expect(requested).not.toContain(CARD);
    expect(requested).not.toContain(PICKED);

    await launcher.click();
    const card = page.getByTestId("kembali-picked");
    await card.waitFor();
    expect(requested.indexOf("/apps/kembali/state")).toBeLessThan(requested.indexOf(CARD));
    expect(requested.indexOf(CARD)).toBeLessThan(requested.indexOf(PICKED));
    expect(await card.getByRole("heading").textContent()).toBe("Picked for you");
    const links = await card.locator("a").all();
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(4);
    for (const link of links) {
      expect(await link.getAttribute("href")).toMatch(/^\/products\/[a-z0-9-]+\?kembali_rec=picked$/);
      expect(await link.locator("small").textContent()).toMatch(/^Rp\d{1,3}(\.\d{3})+ · Earn \d{1,3}(,\d{3})* points?$/);
    }
    await page.screenshot({ path: screenshotPath("widget-picked-for-you") });

    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    await launcher.click();
    await card.waitFor();
    expect(requested.filter((p) => p === CARD)).toHaveLength(1);
    expect(requested.filter((p) => p === PICKED)).toHaveLength(1);
    await done(v);
  });

  test("a guest's panel never loads the card", async () => {
    const v = await visit("");
    const { page, requested } = v;
    await page.getByTestId("kembali-launcher").click();
    await page.getByRole("dialog").waitFor();
    await expect.poll(() => requested.includes("/apps/kembali/state")).toBe(true);
    await page.waitForTimeout(1_000);
    expect(requested).not.toContain(CARD);
    expect(requested).not.toContain(PICKED);
    expect(await page.getByTestId("kembali-picked").count()).toBe(0);
    await done(v);
  });
});
