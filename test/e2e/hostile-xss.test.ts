// Hostile text (issue 16): HTML and script in every merchant's and shopper's text render as text
// in the admin, the storefront widget (panel, survey card, the appearance preview) and the email,
// in Chromium: reward names, shoppers' names, the programme's texts (custom action labels, a
// campaign's name, tier names, the widget's title, the survey question), survey comments (and a
// comment a spreadsheet would run as a formula, in the CSV export) and the merchant's own message
// templates. The demo shop (npm run demo's data) gets the text written into its rows before the
// built app starts, so every page reads it as it would a merchant's or a shopper's input.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer } from "../../scripts/server.js";
import { defaultTemplate, renderEmail, type Variables } from "~/domain/messages/compose";
import { TEMPLATE_VARIABLES } from "~/domain/messages/catalog";
import { endVisit, hydrated, launchChromium, openContext, visitStore } from "./support";

const HOSTILE = `<img src=x onerror=alert(1)><script>alert(1)</script>"'&`;
/** For the texts limited to 40 characters (the widget's title, tier names). */
const SHORT = `<img src=x onerror=alert(1)>"'&`;
/** A shopper's comment a spreadsheet would run as a formula. */
const FORMULA = `=HYPERLINK("https://evil.example","${HOSTILE}")`;
const NAME = "e2e-hostile-xss";
const FILE = `.tmp/${NAME}.db`;
// E2E_PORT: the same override as support.ts startDemoApp().
const port = Number(process.env.E2E_PORT) || 3641;
let app: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let member = "";
/** A member the storefront's survey card asks today. */
let asked = "";

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
  const shop = db.prepare("SELECT id, settings, survey, appearance FROM Shop").get() as Record<string, string>;
  const settings = JSON.parse(shop.settings);
  for (const action of settings.bonuses.actions) action.label = `Action ${HOSTILE}`;
  const day = 86_400_000;
  settings.campaigns = [
    {
      id: "xss",
      name: `Campaign ${HOSTILE}`,
      multiplier: 2,
      startsAt: new Date(Date.now() - day).toISOString(),
      endsAt: new Date(Date.now() + 30 * day).toISOString(),
    },
  ];
  const survey = { ...JSON.parse(shop.survey), question: { en: `Question ${HOSTILE}`, id: `Pertanyaan ${HOSTILE}` } };
  const appearance = { ...JSON.parse(shop.appearance), titles: { en: `T ${SHORT}`, id: `T ${SHORT}` } };
  const messages = {
    fromName: `From ${HOSTILE}`,
    messages: {
      welcome: { enabled: true, subject: { en: `Subject ${HOSTILE}`, id: null }, body: { en: `Body ${HOSTILE} {{name}}`, id: null } },
    },
  };
  db.prepare("UPDATE Shop SET settings = ?, survey = ?, appearance = ?, messages = ?").run(
    JSON.stringify(settings),
    JSON.stringify(survey),
    JSON.stringify(appearance),
    JSON.stringify(messages),
  );
  const program = db.prepare("SELECT id, tiers FROM TierProgram ORDER BY version DESC LIMIT 1").get() as { id: string; tiers: string };
  const tiers = (JSON.parse(program.tiers) as Array<{ name: string }>).map((t) => ({ ...t, name: `${t.name} ${SHORT}` }));
  db.prepare("UPDATE TierProgram SET tiers = ? WHERE id = ?").run(JSON.stringify(tiers), program.id);
  // Shoppers' survey answers: a detractor's (with its alert) and one a spreadsheet would run.
  const customer = db.prepare("SELECT id FROM Customer WHERE shopifyCustomerId = ?").get(member) as { id: string };
  const answer = db.prepare(
    "INSERT INTO SurveyResponse (id, shopId, shopifyOrderId, customerId, kind, score, comment, channel, pointsAwarded, answeredAt) VALUES (?, ?, ?, ?, 'nps', ?, ?, 'checkout', 0, ?)",
  );
  const now = new Date().toISOString();
  answer.run("xss-detractor", shop.id, "990001", customer.id, 2, `Comment ${HOSTILE}`, now);
  answer.run("xss-formula", shop.id, "990002", customer.id, 9, FORMULA, now);
  db.prepare(
    "INSERT INTO DetractorAlert (id, shopId, responseId, status, createdAt) VALUES ('xss-alert', ?, 'xss-detractor', 'open', ?)",
  ).run(shop.id, now);
  db.close();
  const out = execFileSync("npx", ["tsx", "test/e2e/seeded-survey.ts"], { env: { ...process.env, ...demo }, encoding: "utf8" });
  asked = (JSON.parse(out.trim().split("\n").at(-1)!) as { member: string | null }).member ?? "";
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
  // Playwright's CSS locators pierce open shadow roots (the widget's); frames are each looked in.
  for (const frame of page.frames()) expect(await frame.locator('img[src="x"]').count()).toBe(0);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The text is on the page as typed: shown, or the value of a form field (the settings forms). */
async function showsLiterally(page: Page, text: string): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          (t) =>
            document.body.innerText.includes(t) ||
            [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input, textarea")].some((f) => f.value.includes(t)),
          text,
        ),
      { timeout: 15_000, message: `${text} on ${page.url()}` },
    )
    .toBe(true);
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

  test("admin: the programme's texts, tiers, survey question, comments, alerts and message templates show literally", async () => {
    const { context, page } = await openContext(browser);
    for (const [path, texts] of [
      ["/app/program", [`Action ${HOSTILE}`, `Campaign ${HOSTILE}`]],
      ["/app/tiers", [`Bronze ${SHORT}`, `Gold ${SHORT}`]],
      ["/app/surveys", [`Question ${HOSTILE}`, `Comment ${HOSTILE}`, FORMULA]],
      ["/app/surveys?group=detractor", [`Comment ${HOSTILE}`]],
      ["/app/settings", [`T ${SHORT}`]],
      ["/app/messages", [`From ${HOSTILE}`]],
      ["/app/messages?message=welcome", [`Subject ${HOSTILE}`, `Body ${HOSTILE} {{name}}`]],
      ["/app", []],
    ] as const) {
      await noScript(page, async () => {
        await page.goto(`${app.url}${path}`);
        await hydrated(page, 90_000).catch((e: unknown) => {
          throw new Error(`${path}: ${String(e)}`);
        });
        for (const text of texts) await showsLiterally(page, text);
      });
    }
    await context.close();
  });

  test("admin: the message editor's preview shows the merchant's template as text", async () => {
    const { context, page } = await openContext(browser);
    await noScript(page, async () => {
      await page.goto(`${app.url}/app/messages?message=welcome`);
      await hydrated(page, 90_000);
      const preview = page.frameLocator('iframe[sandbox=""]');
      await preview.getByText(`Body ${HOSTILE}`).first().waitFor({ timeout: 15_000 });
    });
    await context.close();
  });

  test("admin: the appearance preview draws the widget with the hostile title and reward names as text", async () => {
    const { context, page } = await openContext(browser);
    await noScript(page, async () => {
      await page.goto(`${app.url}/app/settings`);
      await hydrated(page, 90_000);
      const frame = page.getByTestId("appearance-preview").contentFrame();
      await frame.getByRole("dialog").waitFor({ timeout: 15_000 });
      await frame.getByText(`Reward ${HOSTILE}`).first().waitFor({ timeout: 15_000 });
      await frame.getByText(`T ${SHORT}`).first().waitFor({ timeout: 15_000 });
    });
    await context.close();
  });

  test("admin: the survey CSV export neutralises a comment a spreadsheet would run", async () => {
    const { context } = await openContext(browser);
    const res = await context.request.get(`${app.url}/app/surveys/export.csv`);
    expect(res.status()).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""${HOSTILE.replace(/"/g, '""')}"")"`);
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv).toContain(`Comment ${HOSTILE}`.replace(/"/g, '""'));
    await context.close();
  });

  test("storefront widget: the title, tier names, action labels and the survey card's question are text", async () => {
    expect(asked).toMatch(/^\d+$/);
    const visit = await visitStore(browser, app.url, asked);
    await noScript(visit.page, async () => {
      const launcher = visit.page.getByTestId("kembali-launcher");
      await launcher.waitFor();
      await launcher.click();
      await visit.page.getByRole("dialog").waitFor();
      for (const text of [`T ${SHORT}`, `Action ${HOSTILE}`]) await visit.page.getByText(text).first().waitFor({ timeout: 15_000 });
      // The member's tier ("Gold … member"), read from the widget's shadow root.
      const panel = () => visit.page.evaluate(() => document.querySelector("kembali-widget")?.shadowRoot?.textContent ?? "");
      await expect.poll(panel, { timeout: 15_000 }).toMatch(new RegExp(`(Bronze|Silver|Gold) ${escapeRegExp(SHORT)} member`));
      const card = visit.page.getByTestId("kembali-survey");
      await card.waitFor({ timeout: 15_000 });
      expect(await card.getByRole("heading").textContent()).toBe(`Question ${HOSTILE}`);
    });
    await endVisit(visit);
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

  test("email: the merchant's own subject and body, and a shopper's comment in the detractor alert, are text", async () => {
    const empty = Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, ""])) as Variables;
    const frame = { locale: "en" as const, shopName: "Toko", links: { unsubscribe: null, open: null } };
    const own = renderEmail(
      { subject: `Subject ${HOSTILE}`, body: `Body ${HOSTILE} {{name}}` },
      { ...empty, name: "Ana" },
      { ...frame, toMerchant: false },
    );
    const alert = renderEmail(
      defaultTemplate("detractor_alert", "en"),
      { ...empty, comment: `Comment ${HOSTILE}`, score: "2" },
      { ...frame, toMerchant: true },
    );
    for (const [mail, shown] of [
      [own, `Body ${HOSTILE} Ana`],
      [alert, `Comment ${HOSTILE}`],
    ] as const) {
      expect(mail.html).not.toContain("<script>");
      expect(mail.html).not.toContain("<img src=x");
      const { context, page } = await openContext(browser);
      await noScript(page, () => page.setContent(mail.html));
      expect(await page.evaluate(() => document.body.innerText)).toContain(shown);
      await context.close();
    }
  });
});
