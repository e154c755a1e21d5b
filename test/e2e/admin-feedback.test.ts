// The admin home's Customer feedback section in a real browser on the seeded demo shop, with
// survey answers written straight into its database: the NPS with its change against the
// previous period and its chart, the CSAT average and the tier table, in English and Bahasa
// Indonesia, with no script or hydration errors.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { createRequire } from "node:module";
import { translate, type Locale, type MessageKey } from "~/i18n";
import { DEMO_SHOP } from "~/config.server";
import { hydrated, launchChromium, openContext, screenshotPath, startDemoApp } from "./support";

/** The few better-sqlite3 calls used here (the package ships no types). */
interface Statement {
  get(...values: unknown[]): unknown;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): unknown;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => {
  prepare(sql: string): Statement;
  close(): void;
};

let app: { url: string; stop: () => Promise<void> };
let browser: Browser;
const DAY = 86_400_000;
let paidInPeriod = 0;
let answeredInPeriod = 0;

/** Answers: this period 10, 9, 8, 0 → (2 − 1) / 4 = 25; CSAT 4 and 4 → 4; the period before 10, 5 → 0. */
const ANSWERS: Array<{ kind: string; score: number; daysAgo: number; channel: string }> = [
  { kind: "nps", score: 10, daysAgo: 2, channel: "checkout" },
  { kind: "nps", score: 9, daysAgo: 3, channel: "account" },
  { kind: "nps", score: 8, daysAgo: 4, channel: "storefront" },
  { kind: "nps", score: 0, daysAgo: 5, channel: "checkout" },
  { kind: "csat", score: 4, daysAgo: 6, channel: "checkout" },
  { kind: "csat", score: 4, daysAgo: 7, channel: "checkout" },
  { kind: "nps", score: 10, daysAgo: 40, channel: "checkout" },
  { kind: "nps", score: 5, daysAgo: 45, channel: "checkout" },
];

beforeAll(async () => {
  app = await startDemoApp("e2e-feedback", 3571, { seed: true });
  const db = new Database(".tmp/e2e-feedback.db");
  try {
    const shop = db.prepare(`SELECT id FROM "Shop" WHERE domain = ?`).get(DEMO_SHOP) as { id: string };
    db.prepare(`UPDATE "Shop" SET survey = ? WHERE id = ?`).run(JSON.stringify({ enabled: true }), shop.id);
    const insert = db.prepare(
      `INSERT INTO "SurveyResponse" (id, "shopId", "shopifyOrderId", kind, score, channel, "pointsAwarded", "answeredAt") VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
    );
    // The answers go to the shop's latest paid orders, so the share of orders answered is real.
    const orders = db
      .prepare(
        `SELECT "shopifyOrderId" AS id, "orderedAt" AS at FROM "Order" WHERE "shopId" = ? AND "paidAt" IS NOT NULL AND "cancelledAt" IS NULL`,
      )
      .all(shop.id) as Array<{ id: string; at: string }>;
    const since = Date.now() - 30 * DAY;
    const latest = [...orders].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, ANSWERS.length);
    paidInPeriod = orders.filter((o) => Date.parse(o.at) >= since).length;
    answeredInPeriod = latest.filter((o) => Date.parse(o.at) >= since).length;
    ANSWERS.forEach((a, i) =>
      insert.run(`e2e-${i}`, shop.id, latest[i].id, a.kind, a.score, a.channel, new Date(Date.now() - a.daysAgo * DAY).toISOString()),
    );
  } finally {
    db.close();
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe("admin home: customer feedback", () => {
  for (const locale of ["en", "id"] as Locale[]) {
    test(`NPS, its change, its chart, CSAT and the tier table (${locale})`, async () => {
      const { context, page, errors } = await openContext(browser);
      const t = (key: MessageKey, vars?: Record<string, string>) => translate(locale, key, vars);
      const response = await page.goto(`${app.url}/app?locale=${locale}&days=30`);
      expect(response?.status()).toBe(200);
      await hydrated(page);
      const section = page
        .locator("div")
        .filter({ has: page.getByRole("heading", { name: t("dash.section.surveys") }) })
        .last();
      await section.waitFor();
      const card = (label: MessageKey) =>
        section
          .locator("div")
          .filter({ has: page.getByRole("heading", { name: t(label), exact: true }) })
          .last();
      const decimal = locale === "id" ? "," : ".";
      const nps = card("dash.survey.nps");
      await expect(nps.locator("p").first().textContent()).resolves.toBe(`25${decimal}0`);
      await expect(nps.getByText("+25", { exact: true }).count()).resolves.toBe(1);
      await expect(nps.locator(`.kembali-chart[aria-label="${t("dash.survey.nps")}"] svg path.recharts-line-curve`).count()).resolves.toBe(
        1,
      );
      await expect(card("dash.survey.csat").locator("p").first().textContent()).resolves.toBe(`4${decimal}0`);
      await expect(card("dash.survey.responses").locator("p").first().textContent()).resolves.toBe("6");
      await expect(section.getByText(t("dash.survey.noTier")).count()).resolves.toBeGreaterThan(0);
      expect(paidInPeriod).toBeGreaterThan(0);
      expect(answeredInPeriod).toBeGreaterThan(0);
      await expect(
        card("dash.survey.answerRate")
          .getByText(t("dash.survey.answerRate.help", { answered: String(answeredInPeriod), orders: String(paidInPeriod) }))
          .count(),
      ).resolves.toBe(1);
      await expect(section.getByText(t("dash.survey.channel.storefront")).count()).resolves.toBe(1);
      await section.screenshot({ path: screenshotPath(`admin-home-feedback-${locale}`) });
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
