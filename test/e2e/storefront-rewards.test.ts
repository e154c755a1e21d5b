// Step 3 in a real browser on the demo storefront (seeded demo shop): a member opens the widget
// with the keyboard and redeems a reward; a friend follows the member's referral link, orders,
// and once the hold window has passed (the demo's clock moved forward) the member is rewarded.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { DESKTOP_CHROME_UA, launchChromium, screenshotPath, startDemoApp } from "./support";

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

beforeAll(async () => {
  app = await startDemoApp("e2e-rewards", 3521, { seed: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

interface Shopper {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

async function shopper(id: string, locale = "en"): Promise<Shopper> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${app.url}/demo/store?as=${id}`);
  await page.goto(`${app.url}/demo/store?locale=${locale}`);
  return { context, page, errors };
}

/** Asserts here, in the test: an expect inside a page event handler fails nothing. */
async function done({ context, errors }: Shopper) {
  expect(errors).toEqual([]);
  await context.close();
}

/** The state the widget would load for the logged-in shopper of this page. */
async function state(page: Page) {
  return page.evaluate(async () => (await fetch("/apps/kembali/state", { headers: { Accept: "application/json" } })).json());
}

async function openWithKeyboard(page: Page) {
  const launcher = page.getByTestId("kembali-launcher");
  await launcher.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  await page.getByTestId("kembali-balance").waitFor();
}

describe("demo storefront: rewards and referrals", () => {
  test("a member opens the widget with the keyboard, redeems a reward and sees the code", async () => {
    // A seeded member who can afford the cheapest reward.
    let member = "";
    for (let id = 7001; id <= 7040 && !member; id++) {
      const candidate = await shopper(String(id));
      const s = await state(candidate.page);
      if (s.customer.balance >= 150) member = String(id);
      await done(candidate);
    }
    expect(member).not.toBe("");
    const buyer = await shopper(member);
    const { page } = buyer;
    await openWithKeyboard(page);
    // Focus moved into the dialog (its close button).
    expect(await page.getByRole("button", { name: "Close" }).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(
      true,
    );

    const before = Number((await page.getByTestId("kembali-balance").textContent())!.replace(/\D/g, ""));
    const redeem = page.getByRole("button", { name: "Redeem: Free shipping" });
    await redeem.focus();
    await page.keyboard.press("Enter");
    const code = page.getByTestId("kembali-code").first();
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toMatch(/^KMB-[A-Z2-9]{10}$/);
    await expect.poll(async () => Number((await page.getByTestId("kembali-balance").textContent())!.replace(/\D/g, ""))).toBe(before - 150);
    await page.screenshot({ path: screenshotPath("widget-redeemed-code") });

    // Escape closes the panel and gives focus back to the launcher.
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    expect(await page.getByTestId("kembali-launcher").evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await done(buyer);
  });

  test("a friend follows the referral link and orders; after the hold window the member is rewarded", async () => {
    const referrer = await shopper("7002");
    await openWithKeyboard(referrer.page);
    const url = await referrer.page.getByTestId("kembali-referral-url").textContent();
    const code = new URL(url!).searchParams.get("ref")!;
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    await referrer.page.screenshot({ path: screenshotPath("widget-referral-link") });

    // The friend: a new shopper on another browser, arriving through the link.
    const friend = await shopper("7901");
    await friend.page.goto(`${app.url}/demo/store?ref=${code}`);
    await expect
      .poll(() => friend.page.evaluate(async () => (await (await fetch("/cart.js")).json()).attributes.kembali_ref), { timeout: 10_000 })
      .toBe(code);
    // Following the link opened the panel on the friend's own welcome code; Escape closes it.
    const welcome = friend.page.getByRole("dialog").getByTestId("kembali-code");
    await expect.poll(() => welcome.textContent(), { timeout: 10_000 }).toMatch(/^REF-[A-Z2-9]{10}$/);
    await friend.page.keyboard.press("Escape");
    await expect.poll(() => friend.page.getByRole("dialog").count()).toBe(0);
    await friend.page.getByRole("button", { name: "Place a demo order (paid)" }).click();
    await friend.page.getByRole("status").filter({ hasText: "paid" }).waitFor();

    const before = (await state(referrer.page)).customer.history as Array<{ label: string | null }>;
    expect(before.some((e) => e.label === "referral")).toBe(false);

    // 31 days later (the demo's time travel also runs the background work).
    // From the demo's own origin, as a page of the demo would send it (demo POSTs from elsewhere are refused).
    const moved = await referrer.page.request.post(`${app.url}/demo/clock`, { form: { days: "31" }, headers: { Origin: app.url } });
    expect(moved.status()).toBe(200);

    await referrer.page.reload();
    await openWithKeyboard(referrer.page);
    // The entry comes labelled by its source; the widget words it in the shopper's language.
    const history = (await state(referrer.page)).customer.history as Array<{ label: string | null; points: number }>;
    expect(history).toContainEqual(expect.objectContaining({ label: "referral", points: 500 }));
    await expect.poll(() => referrer.page.getByRole("dialog").innerText()).toContain("Referral: your friend");
    // The background work has made the member's code a Shopify discount code: the panel offers it to type at checkout.
    expect((await state(referrer.page)).customer.referral).toMatchObject({ code, checkout: true });
    expect(await referrer.page.getByTestId("kembali-referral-code").textContent()).toBe(code);
    expect(await referrer.page.getByRole("dialog").innerText()).toContain("it works typed at checkout");
    await referrer.page.getByTestId("kembali-referral-code").scrollIntoViewIfNeeded();
    await referrer.page.screenshot({ path: screenshotPath("widget-referral-code") });
    await referrer.page.screenshot({ path: screenshotPath("widget-referrer-rewarded") });
    await done(referrer);
    await done(friend);
  });

  test("the same panel in Bahasa Indonesia", async () => {
    const member = await shopper("7003", "id");
    const { page } = member;
    await openWithKeyboard(page);
    // textContent: headings are upper-cased by CSS in what innerText returns.
    const text = await page.getByRole("dialog").textContent();
    expect(text).toContain("Tukar poin Anda");
    expect(text).toContain("Ajak teman");
    expect(text).toMatch(/menuju (Silver|Gold)/);
    await page.screenshot({ path: screenshotPath("widget-member-id") });
    await done(member);
  });
});
