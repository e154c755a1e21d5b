// Hostile text (issue 16): HTML and script in a reward's name, shoppers' names and a message
// template render as text in the admin, the storefront widget and the email, in Chromium. The
// demo shop (npm run demo's data) gets the text written into its rows before the built app
// starts, so every page reads it as it would a merchant's or a shopper's input.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../scripts/server.js";
import { renderEmail, type Variables } from "~/domain/messages/compose";
import { TEMPLATE_VARIABLES } from "~/domain/messages/catalog";
import { launchChromium, openContext, visitStore } from "./support";

const HOSTILE = `<img src=x onerror=alert(1)><script>alert(1)</script>"'&`;
const NAME = "e2e-hostile-xss";
const FILE = `.tmp/${NAME}.db`;
const port = 3599;
let app: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let member = "";

beforeAll(async () => {
  mkdirSync(".tmp", { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${FILE}${suffix}`, { force: true });
  const DATABASE_URL = `file:./${FILE}`;
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL }, stdio: "pipe" });
  const demo = { DATABASE_URL, DEMO_MODE: "1", HOST: "127.0.0.1", SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "" };
  execFileSync("npx", ["tsx", "scripts/seed.ts"], { env: { ...process.env, ...demo }, stdio: "pipe" });
  // The hostile text in every merchant's and shopper's text the pages below show.
  const db = new Database(FILE);
  db.prepare("UPDATE Reward SET name = ?").run(`Reward ${HOSTILE}`);
  db.prepare("UPDATE Customer SET firstName = ?, lastName = ?").run(`First ${HOSTILE}`, `Last ${HOSTILE}`);
  const row = db.prepare("SELECT shopifyCustomerId FROM Customer ORDER BY shopifyCustomerId LIMIT 1").get() as {
    shopifyCustomerId: string;
  };
  member = row.shopifyCustomerId;
  db.close();
  app = await startServer({ port, quiet: true, env: demo });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Opens a page, fails on any dialog (an alert the text ran) and any <img src=x> the text became. */
async function noScript(page: Page, open: () => Promise<unknown>): Promise<void> {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await open();
  await page.waitForTimeout(500);
  expect(dialogs).toEqual([]);
  // Playwright's CSS locators pierce open shadow roots (the widget's).
  expect(await page.locator('img[src="x"]').count()).toBe(0);
}

describe("4. HTML and script in merchants' and shoppers' text render as text", () => {
  test("admin: the rewards and customers pages show the text literally", async () => {
    const { context, page } = await openContext(browser);
    for (const [path, text] of [
      ["/app/rewards", `Reward ${HOSTILE}`],
      ["/app/customers", `First ${HOSTILE}`],
    ] as const) {
      await noScript(page, () => page.goto(`${app.url}${path}`));
      await page.getByText(text).first().waitFor({ timeout: 15_000 });
    }
    await noScript(page, () => page.goto(`${app.url}/app/customers/${member}`));
    await page.getByText(`First ${HOSTILE}`).first().waitFor({ timeout: 15_000 });
    await context.close();
  });

  test("storefront widget: the reward's name is text", async () => {
    const visit = await visitStore(browser, app.url, member);
    await noScript(visit.page, async () => {
      await visit.page.getByTestId("kembali-launcher").click();
      await visit.page.getByRole("dialog").waitFor();
      await visit.page.getByText(`Reward ${HOSTILE}`).first().waitFor({ timeout: 15_000 });
    });
    await visit.context.close();
  });

  test("email: the shopper's name and the reward in a template are escaped, and run nothing in Chromium", async () => {
    const empty = Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, ""])) as Variables;
    const mail = renderEmail(
      { subject: "Hi {{name}}", body: "Hello {{name}}\n\n{{shop_name}}" },
      { ...empty, name: HOSTILE, shop_name: HOSTILE },
      {
        locale: "en",
        shopName: HOSTILE,
        links: { unsubscribe: "https://app.example/u?t=a", open: "https://app.example/o?t=b" },
        toMerchant: false,
      },
    );
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img src=x");
    const { context, page } = await openContext(browser);
    await noScript(page, () => page.setContent(mail.html));
    expect(await page.evaluate(() => document.body.innerText)).toContain(`Hello ${HOSTILE}`);
    await context.close();
  });
});
