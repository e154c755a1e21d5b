// The storefront split (decision 026) in a real browser on the demo storefront: the launcher
// script comes first and alone; the panel's script is fetched only when the browser is idle,
// when the shopper points at the launcher, or on the first click; amounts are in the shop's
// own money format (the one the theme shows prices in); a reward code has an "Apply to cart"
// link, Shopify's discount permalink, in English and in Bahasa Indonesia; a member's welcome gift
// and stamp card show in the panel. The launcher starts only after the page's load event, and
// the panel's stylesheet comes with the panel (decision 046); the launcher's script itself is
// requested only after the load event, by the app embed's inline loader (decision 048).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launcherLoader } from "~/demo/launcher-loader";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-launcher", 3591, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Paths the page asked for, in order (LOAD where a page's load event fired). */
  requested: string[];
  /** For each of those, the page that asked (the request's referrer; the page's URL for LOAD). */
  askedBy: string[];
  errors: string[];
}

/**
 * A shopper's browser on the demo store; `busy`: the browser never gets idle (no idle prefetch);
 * `noPaintTiming`: a browser without paint timing (the loader then waits for load alone).
 */
async function visit(as: string, { busy = false, locale = "en", noPaintTiming = false } = {}): Promise<Visit> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 900 } });
  if (busy) await context.addInitScript(() => Object.assign(window, { requestIdleCallback: () => 0 }));
  if (noPaintTiming) await context.addInitScript(() => Object.defineProperty(PerformanceObserver, "supportedEntryTypes", { value: [] }));
  // When the launcher started: defined at DOMContentLoaded, at load, its stylesheet fetched by
  // then; its script requested by then (an element or a resource entry); anything of the widget's
  // on screen to click before it started. This listener runs before the loader's (init scripts
  // run first), so it sees the page as it is when the load event fires.
  await context.addInitScript(() => {
    const start = {
      atDomReady: false,
      atLoad: false,
      sheetBeforeLoad: false,
      scriptBeforeLoad: false,
      boxBeforeLoad: false,
    };
    Object.assign(window, { kembaliStart: start });
    const launcherScript = () =>
      Boolean(document.querySelector('script[src$="/kembali-widget.js"]')) ||
      performance.getEntriesByType("resource").some((e) => e.name.endsWith("/kembali-widget.js"));
    const box = () => {
      const widget = document.querySelector("kembali-widget");
      const { width, height } = widget?.getBoundingClientRect() ?? { width: 0, height: 0 };
      return Boolean(widget?.shadowRoot) || width * height > 0;
    };
    document.addEventListener("DOMContentLoaded", () => {
      start.atDomReady = Boolean(customElements.get("kembali-widget"));
      start.scriptBeforeLoad = launcherScript();
      start.boxBeforeLoad = box();
    });
    addEventListener("load", () => {
      start.atLoad = Boolean(customElements.get("kembali-widget"));
      start.sheetBeforeLoad = performance.getEntriesByType("resource").some((e) => e.name.endsWith("/kembali-widget.css"));
      start.scriptBeforeLoad ||= launcherScript();
      start.boxBeforeLoad ||= box();
    });
  });
  const page = await context.newPage();
  const requested: string[] = [];
  const errors: string[] = [];
  const askedBy: string[] = [];
  page.on("request", (r) => {
    requested.push(new URL(r.url()).pathname);
    askedBy.push(r.headers().referer ?? "");
  });
  page.on("load", () => {
    requested.push(LOAD);
    askedBy.push(page.url());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${app.url}/demo/store?as=${as}`);
  await page.goto(`${app.url}/demo/store?locale=${locale}`, { waitUntil: "load" });
  return { context, page, requested, askedBy, errors };
}

async function done({ context, errors }: Visit) {
  expect(errors).toEqual([]);
  await context.close();
}

/** Marks the page's load event among the requests. */
const LOAD = "(load)";
const PANEL = "/demo/assets/kembali-panel.js";
const LAUNCHER = "/demo/assets/kembali-widget.js";
const SHEET = "/demo/assets/kembali-widget.css";

async function balanceOf(page: Page): Promise<number> {
  const s = await page.evaluate(async () => (await fetch("/apps/kembali/state", { headers: { Accept: "application/json" } })).json());
  return s.customer?.balance ?? 0;
}

describe("storefront launcher and lazy panel", () => {
  test("the launcher comes first; the panel's script is fetched on the first click, then the panel's data", async () => {
    const v = await visit("7001", { busy: true });
    const { page, requested } = v;
    const launcher = page.getByTestId("kembali-launcher");
    await launcher.waitFor();
    expect(await launcher.getAttribute("aria-expanded")).toBe("false");
    // Loaded and idle-less for a while: only the launcher's script, no panel, no App Proxy call.
    await page.waitForTimeout(700);
    expect(requested).toContain(LAUNCHER);
    expect(requested).not.toContain(PANEL);
    expect(requested.some((p) => p.startsWith("/apps/kembali/"))).toBe(false);

    const panelLoaded = page.waitForRequest((r) => r.url().endsWith(PANEL));
    await launcher.click();
    await panelLoaded;
    await page.getByRole("dialog").waitFor();
    await page.getByTestId("kembali-balance").waitFor();
    expect(await launcher.getAttribute("aria-expanded")).toBe("true");
    // The panel's script before the panel's data.
    expect(requested.indexOf(PANEL)).toBeLessThan(requested.indexOf("/apps/kembali/state"));
    expect(requested.filter((p) => p === PANEL)).toHaveLength(1);
    await page.screenshot({ path: screenshotPath("widget-lazy-panel-open") });

    // Escape closes it and gives focus back to the launcher; a second click opens it again.
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    await launcher.click();
    await page.getByRole("dialog").waitFor();
    expect(requested.filter((p) => p === PANEL)).toHaveLength(1);
    await done(v);
  });

  test("the launcher's script is requested after the page's load event, and starts then; its stylesheet comes with the panel, not before", async () => {
    const v = await visit("7001", { busy: true });
    await v.page.getByTestId("kembali-launcher").waitFor();
    const start = await v.page.evaluate(() => (window as unknown as { kembaliStart: unknown }).kembaliStart);
    // Nothing of Kembali's before load: no script, no element, no button to click (so a click
    // before load cannot be lost: there is nothing yet to click).
    expect(start).toEqual({ atDomReady: false, atLoad: false, sheetBeforeLoad: false, scriptBeforeLoad: false, boxBeforeLoad: false });
    // This page's requests and load event (visit() went through a first page that set the shopper).
    const requested = v.requested.filter((_, i) => v.askedBy[i].endsWith("/demo/store?locale=en"));
    expect(requested.filter((p) => p === LAUNCHER)).toHaveLength(1);
    expect(requested.indexOf(LOAD)).toBeGreaterThan(0);
    expect(requested.indexOf(LOAD)).toBeLessThan(requested.indexOf(LAUNCHER));
    // Requested at low priority, as a script added by a script is (a deferred one was high).
    expect(await v.page.evaluate(() => document.querySelector<HTMLScriptElement>('script[src$="/kembali-widget.js"]')?.async)).toBe(true);
    expect(v.requested).not.toContain(SHEET);
    const sheet = v.page.waitForRequest((r) => r.url().endsWith(SHEET));
    await v.page.getByTestId("kembali-launcher").hover();
    await sheet;
    await done(v);
  });

  test("a browser without paint timing gets the launcher after the load event alone", async () => {
    const v = await visit("7001", { busy: true, noPaintTiming: true });
    await v.page.getByTestId("kembali-launcher").waitFor();
    const start = await v.page.evaluate(() => (window as unknown as { kembaliStart: { scriptBeforeLoad: boolean } }).kembaliStart);
    expect(start.scriptBeforeLoad).toBe(false);
    await done(v);
  });

  test("the loader, run after the page has loaded (readyState complete), requests the launcher at once", async () => {
    const v = await visit("7001", { busy: true });
    await v.page.getByTestId("kembali-launcher").waitFor();
    const again = v.page.waitForRequest((r) => r.url().endsWith(`${LAUNCHER}?again`));
    // Scripts of a contextual fragment run when inserted, as a section re-rendered by a theme's would.
    await v.page.evaluate(
      (html) => document.body.append(document.createRange().createContextualFragment(html)),
      launcherLoader(`${LAUNCHER}?again`),
    );
    await again;
    // The launcher, run twice, still defines the element once and draws one button.
    await v.page.waitForTimeout(300);
    expect(await v.page.getByTestId("kembali-launcher").count()).toBe(1);
    await done(v);
  });

  test("pointing at the launcher prefetches the panel without opening it", async () => {
    const v = await visit("7001", { busy: true });
    const panelLoaded = v.page.waitForRequest((r) => r.url().endsWith(PANEL));
    await v.page.getByTestId("kembali-launcher").hover();
    await panelLoaded;
    await v.page.waitForTimeout(300);
    expect(await v.page.getByRole("dialog").count()).toBe(0);
    expect(v.requested.some((p) => p.startsWith("/apps/kembali/"))).toBe(false);
    await done(v);
  });

  test("an idle browser prefetches the panel after the page has loaded, without opening it", async () => {
    const v = await visit("7001");
    await expect.poll(() => v.requested.includes(PANEL), { timeout: 10_000 }).toBe(true);
    expect(v.requested.indexOf(LAUNCHER)).toBeLessThan(v.requested.indexOf(PANEL));
    expect(await v.page.getByRole("dialog").count()).toBe(0);
    await done(v);
  });

  test("amounts are in the shop's money format, the one the theme shows prices in", async () => {
    const v = await visit("7001");
    const { page } = v;
    const price = await page.locator("main .product p").first().textContent();
    expect(price).toMatch(/^Rp\d{1,3}(\.\d{3})+/);
    await page.getByTestId("kembali-launcher").click();
    const dialog = page.getByRole("dialog");
    await page.getByTestId("kembali-balance").waitFor();
    const text = await dialog.innerText();
    expect(text).toContain("Earn 1 point for every Rp1.000 spent");
    expect(text).not.toMatch(/IDR|Rp\s\d/);
    await page.screenshot({ path: screenshotPath("widget-shop-money-format") });
    await done(v);
  });

  test("a reward code applies to the cart in one click (Shopify's discount permalink), in English and in Indonesian", async () => {
    let member = "";
    for (let id = 7001; id <= 7040 && !member; id++) {
      const v = await visit(String(id), { busy: true });
      if ((await balanceOf(v.page)) >= 150) member = String(id);
      await done(v);
    }
    expect(member).not.toBe("");
    const v = await visit(member);
    const { page } = v;
    await page.getByTestId("kembali-launcher").click();
    await page.getByRole("button", { name: "Redeem: Free shipping" }).click();
    const code = page.getByRole("dialog").getByTestId("kembali-code").first();
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^KMB-[A-Z2-9]{10}$/);
    const issued = (await code.textContent())!;
    const apply = page.getByRole("dialog").getByRole("link", { name: "Apply to cart" }).first();
    expect(await apply.getAttribute("href")).toBe(`/discount/${issued}?redirect=%2Fdemo%2Fstore`);
    await page.screenshot({ path: screenshotPath("widget-apply-to-cart") });
    await apply.click();
    await page.getByTestId("demo-cart-discount").waitFor();
    expect(await page.getByTestId("demo-cart-discount").textContent()).toContain(issued);
    const cart = await page.evaluate(async () => (await fetch("/cart.js")).json());
    expect(cart.discount_codes).toEqual([{ code: issued, applicable: true }]);
    await done(v);

    const id = await visit(member, { locale: "id" });
    await id.page.getByTestId("kembali-launcher").click();
    const link = id.page.getByRole("dialog").getByRole("link", { name: "Pakai di keranjang" });
    await expect.poll(() => link.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await link.first().getAttribute("href")).toMatch(/^\/discount\/KMB-[A-Z2-9]{10}\?redirect=%2Fdemo%2Fstore$/);
    await done(id);
  });

  test("a member's welcome gift (its own section, with Apply to cart) and the stamp card, in English and in Indonesian", async () => {
    const cases = [
      ["en", "Your welcome gift", "Stamp card: 3 of 5 — collect 2 more for 100 points", "Apply to cart"],
      ["id", "Hadiah selamat datang Anda", "Kartu stempel: 3 dari 5 — kumpulkan 2 lagi untuk 100 poin", "Pakai di keranjang"],
    ];
    for (const [locale, heading, stamps, apply] of cases) {
      const v = await visit("7001", { busy: true, locale });
      // The app's own answer, with a welcome code and a stamp card added (the sweep that issues
      // it and the state that carries it are tested in test/integration/welcome-reward.test.ts).
      await v.page.route(/\/apps\/kembali\/state/, async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.customer = {
          ...body.customer,
          welcome: { code: "KMB-WELCOME234", rewardName: "Welcome <b>gift</b>", expiresAt: null },
          stamps: { count: 3, target: 5, rewardPoints: 100 },
        };
        await route.fulfill({ response, json: body });
      });
      await v.page.getByTestId("kembali-launcher").click();
      const dialog = v.page.getByRole("dialog");
      await dialog.getByRole("heading", { name: heading }).waitFor();
      expect(await dialog.getByTestId("kembali-stamps").textContent()).toBe(stamps);
      expect(await dialog.getByText("Welcome <b>gift</b>").count()).toBe(1);
      const link = dialog.getByRole("link", { name: apply }).first();
      expect(await link.getAttribute("href")).toBe("/discount/KMB-WELCOME234?redirect=%2Fdemo%2Fstore");
      await v.page.screenshot({ path: screenshotPath(`widget-welcome-${locale}`) });
      await done(v);
    }
  });
});
