// The Surveys page in a real browser on the seeded demo shop: the settings are changed with the
// preview following as the merchant types (English and Bahasa Indonesia) and saved through the
// save bar; a member's low score is listed with its comment shown as text; the apology reward
// is sent from the detractor queue and the alert leaves it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { createRequire } from "node:module";
import { translate, type MessageKey } from "~/i18n";
import { DEMO_SHOP } from "~/config.server";
import { SURVEY_TEXTS } from "../../common/survey-questions";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

// The SQLite driver Prisma's adapter uses (it ships no types of its own).
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => {
  prepare(sql: string): { run(...params: unknown[]): unknown; get(...params: unknown[]): unknown };
  close(): void;
};

const NAME = "e2e-admin-surveys";
const t = (key: MessageKey, vars?: Record<string, string | number>) => translate("en", key, vars);
const COMMENT = `<img src=x onerror="window.__pwned=1">Coffee arrived cold`;
let app: { url: string; stop: () => Promise<void> };
let browser: Browser;

/** A seeded member's detractor answer and its alert, as answering the survey leaves them. */
function detractorAnswer(): { customerName: string } {
  const db = new Database(`.tmp/${NAME}.db`);
  try {
    const { id: shopId } = db.prepare(`SELECT id FROM Shop WHERE domain = ?`).get(DEMO_SHOP) as { id: string };
    const customer = db
      .prepare(`SELECT id, firstName, lastName FROM Customer WHERE shopId = ? AND firstName IS NOT NULL ORDER BY id LIMIT 1`)
      .get(shopId) as { id: string; firstName: string; lastName: string | null };
    const now = new Date().toISOString().replace("Z", "+00:00");
    db.prepare(
      `INSERT INTO SurveyResponse (id, shopId, shopifyOrderId, customerId, kind, score, comment, channel, pointsAwarded, answeredAt)
       VALUES ('e2e-response', ?, '990001', ?, 'nps', 2, ?, 'checkout', 0, ?)`,
    ).run(shopId, customer.id, COMMENT, now);
    db.prepare(
      `INSERT INTO DetractorAlert (id, shopId, responseId, status, createdAt) VALUES ('e2e-alert', ?, 'e2e-response', 'open', ?)`,
    ).run(shopId, now);
    return { customerName: [customer.firstName, customer.lastName].filter(Boolean).join(" ") };
  } finally {
    db.close();
  }
}

let customerName = "";
beforeAll(async () => {
  app = await startDemoApp(NAME, 3671, { seed: true });
  customerName = detractorAnswer().customerName;
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("admin Surveys page (demo)", () => {
  test("settings saved with a live preview; a response listed with its comment as text; the apology reward sent", async () => {
    const { context, page, errors } = await openContext(browser);
    const response = await page.goto(`${app.url}/app/surveys?locale=en`);
    expect(response?.status()).toBe(200);
    await hydrated(page, 90_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${errors.join("\n")}`);
    });
    for (const heading of ["surveys.alerts", "surveys.responses", "surveys.settings", "surveys.preview"] as const) {
      await expect(page.getByRole("heading", { name: t(heading), exact: true }).count(), heading).resolves.toBe(1);
    }

    // The preview follows the form before anything is saved.
    const en = page.locator("[data-preview=en]");
    const id = page.locator("[data-preview=id]");
    await en.getByText(SURVEY_TEXTS.en.nps.question).waitFor();
    await expect(en.locator("[data-score]").count()).resolves.toBe(11);
    await page.getByLabel(t("surveys.settings.enabled")).check();
    await page.getByLabel(t("surveys.settings.question.en")).fill("How was your coffee?");
    await page.getByLabel(t("surveys.settings.points")).fill("25");
    await en.getByText("How was your coffee?").waitFor();
    await en.getByText("Answer and earn 25 points, whatever your score.").waitFor();
    await id.getByText(SURVEY_TEXTS.id.nps.question).waitFor();
    await id.getByText("Jawab dan dapatkan 25 poin, berapa pun nilai Anda.").waitFor();
    await page.getByLabel(t("surveys.settings.kind")).selectOption("csat");
    await expect(en.locator("[data-score]").count()).resolves.toBe(5);

    const bar = page.getByRole("region", { name: t("saveBar.message") });
    await bar.getByRole("button", { name: t("surveys.settings.save") }).click();
    await page.getByText(t("surveys.settings.saved")).waitFor();
    await expect(bar.count()).resolves.toBe(0);
    // Saved: a reload shows it.
    await page.reload();
    await hydrated(page, 90_000);
    await expect(page.getByLabel(t("surveys.settings.question.en")).inputValue()).resolves.toBe("How was your coffee?");
    await expect(page.getByLabel(t("surveys.settings.kind")).inputValue()).resolves.toBe("csat");

    // The response, its comment as text (the markup is shown, never run).
    const table = page.locator(".Polaris-DataTable");
    await table.getByText(COMMENT).waitFor();
    await expect(table.locator("img").count()).resolves.toBe(0);
    await expect(table.getByRole("link", { name: t("member.source.order.label", { id: "990001" }) }).getAttribute("href")).resolves.toMatch(
      /\/orders\/990001$/,
    );

    // The apology reward, from the queue: sent with its code, and the alert leaves the queue.
    const alert = page.locator("[data-alert=e2e-alert]");
    await alert.getByText(customerName).waitFor();
    await alert.getByRole("button", { name: t("surveys.alerts.apology") }).click();
    await page.getByText(/Apology reward sent: code KMB-[A-Z2-9]{10}\./).waitFor();
    await page.getByText(t("surveys.alerts.empty")).waitFor();
    await expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();

    await page.screenshot({ path: screenshotPath("admin-surveys"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
