// The survey card in a real browser on the demo store: a member whose order was fulfilled past
// the shop's delay opens the panel, the card's script loads then (never on page load, never for
// a guest), asks on the 0–10 scale by keyboard, takes a comment, sends it through the signed App
// Proxy and thanks with the points paid and the promoter's referral link; the answer is stored.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { type StoreVisit, endVisit, launchChromium, screenshotPath, startDemoApp, visitStore } from "./support";

const NAME = "e2e-survey";
const CARD = "/demo/assets/kembali-card-survey.js";
const SURVEY = "/apps/kembali/survey";
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;
let member: string;
let order: string;

const env = {
  ...process.env,
  DATABASE_URL: `file:./.tmp/${NAME}.db`,
  DEMO_MODE: "1",
  HOST: "127.0.0.1",
  SHOPIFY_API_KEY: "",
  SHOPIFY_API_SECRET: "",
};

beforeAll(async () => {
  app = await startDemoApp(NAME, 3697, { seed: true });
  const out = execFileSync("npx", ["tsx", "test/e2e/seeded-survey.ts"], { env, encoding: "utf8" });
  ({ member, order } = JSON.parse(out.trim().split("\n").at(-1)!));
  // The seed fulfils its orders and turns the survey on: some member is asked today.
  expect(member).toMatch(/^\d+$/);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function visit(as: string): Promise<StoreVisit> {
  return visitStore(browser, app.url, as);
}

const done = endVisit;

describe("survey card", () => {
  test("a guest's panel never loads the card nor asks for a survey", async () => {
    const v = await visit("");
    const { page, requested } = v;
    await page.getByTestId("kembali-launcher").click();
    await page.getByRole("dialog").waitFor();
    await expect.poll(() => requested.includes("/apps/kembali/state")).toBe(true);
    await page.waitForTimeout(1_000);
    expect(requested).not.toContain(CARD);
    expect(requested).not.toContain(SURVEY);
    expect(await page.getByTestId("kembali-survey").count()).toBe(0);
    await done(v);
  });

  test("a member with a fulfilled order answers in the panel by keyboard and is thanked, paid and given the referral link", async () => {
    const v = await visit(member);
    const { page, requested } = v;
    const launcher = page.getByTestId("kembali-launcher");
    await launcher.waitFor();
    await page.waitForTimeout(1_500);
    expect(requested).not.toContain(CARD);
    expect(requested).not.toContain(SURVEY);

    await launcher.click();
    const card = page.getByTestId("kembali-survey");
    await card.waitFor();
    expect(requested.indexOf(CARD)).toBeLessThan(requested.indexOf(SURVEY));
    expect(await card.getByRole("heading").textContent()).toBe("How likely are you to recommend us to a friend?");
    await expect.poll(() => card.getByText("Answer and earn 25 points").count()).toBe(1);
    const scores = card.getByRole("group").getByRole("button");
    expect(await scores.count()).toBe(11);
    const ten = card.getByRole("button", { name: "10 / 10 (Very likely)" });
    await ten.focus();
    await page.keyboard.press("Enter");
    expect(await ten.getAttribute("aria-pressed")).toBe("true");
    await card.getByLabel("Anything to add? (optional)").fill("<b>Kopinya enak</b>");
    await page.screenshot({ path: screenshotPath("widget-survey-card") });
    await card.getByRole("button", { name: "Send" }).click();

    await expect.poll(() => card.getByRole("heading").textContent()).toBe("Thank you for your answer!");
    expect(await card.getByText("You earned 25 points for answering.").count()).toBe(1);
    const link = card.locator("input");
    expect(await link.inputValue()).toMatch(/^https?:\/\/\S+$/);
    await page.screenshot({ path: screenshotPath("widget-survey-thanks") });

    // Closed and opened again: still the thanks, with no second script or survey call.
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    await launcher.click();
    await expect.poll(() => card.getByRole("heading").textContent()).toBe("Thank you for your answer!");
    expect(requested.filter((p) => p === CARD)).toHaveLength(1);
    expect(requested.filter((p) => p === SURVEY)).toHaveLength(2); // the GET and the POST
    await done(v);

    // A fresh page: the order is answered, so the card is gone.
    const again = await visit(member);
    await again.page.getByTestId("kembali-launcher").click();
    await expect.poll(() => again.requested.includes(SURVEY)).toBe(true);
    await again.page.waitForTimeout(1_000);
    expect(await again.page.getByTestId("kembali-survey").count()).toBe(0);
    expect(order).toMatch(/^\d+$/);
    await done(again);
  });
});
