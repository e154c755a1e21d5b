// The admin Surveys page through its real loader and action (and the CSV download), signed as
// the embedded admin signs them: what the page shows, the settings saved or refused (400,
// nothing written), the apology reward and "Mark handled", always scoped to the signed-in shop.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { messages } from "~/i18n";
import { createReward } from "~/domain/rewards/rewards";
import { localShopify } from "~/shopify/shopify-for.server";
import { action, loader, type SurveysActionResult } from "~/routes/app.surveys/route";
import { loader as exportLoader } from "~/routes/app.surveys_.export[.]csv";
import { newShopDomain, routeArgs } from "../helpers";

const PAGE = "http://127.0.0.1:3000/app/surveys";

/** A shop with a member's detractor answer (with an alert), a guest's, and admin requests signed for it. */
async function adminShop() {
  const shop = newShopDomain();
  const { id: shopId } = await prisma.shop.create({ data: { domain: shop, settings: {}, currency: "IDR" } });
  const member = await prisma.customer.create({ data: { shopId, shopifyCustomerId: "8801", firstName: "Ayu", balance: 40 } });
  const answer = await prisma.surveyResponse.create({
    data: {
      shopId,
      shopifyOrderId: "5501",
      customerId: member.id,
      kind: "nps",
      score: 1,
      comment: "<b>late</b>",
      channel: "checkout",
      answeredAt: new Date("2026-12-01T08:00:00Z"),
    },
  });
  const guestAnswer = await prisma.surveyResponse.create({
    data: { shopId, shopifyOrderId: "5502", kind: "nps", score: 10, channel: "checkout", answeredAt: new Date("2026-12-02T08:00:00Z") },
  });
  const alert = await prisma.detractorAlert.create({ data: { shopId, responseId: answer.id } });
  const reward = await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 200 });
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const signed = (type: RequestType, request: Request) => setUpValidRequest({ type, ...creds }, request);
  return {
    shop,
    shopId,
    member,
    alert,
    guestAnswer,
    rewardId: reward.id,
    load: async (query = "") => loader(routeArgs(await signed(RequestType.Admin, new Request(`${PAGE}${query}`)))),
    csv: async (query = "") => exportLoader(routeArgs(await signed(RequestType.Bearer, new Request(`${PAGE}/export.csv${query}`)))),
    post: async (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, value);
      return action(routeArgs(await signed(RequestType.Bearer, new Request(PAGE, { method: "POST", body }))));
    },
  };
}

function refusedWith(result: unknown, error: string, status = 400) {
  const { data, init } = result as { data: SurveysActionResult; init: ResponseInit };
  expect(init.status).toBe(status);
  expect(data).toMatchObject({ ok: false, error });
  expect(messages.en[data.error as keyof typeof messages.en]).toBeTruthy();
  expect(messages.id[data.error as keyof typeof messages.id]).toBeTruthy();
  return data;
}

const settingsForm = (more: Record<string, string> = {}) => ({
  intent: "settings",
  enabled: "true",
  kind: "csat",
  questionEn: "How was your coffee?",
  questionId: "",
  pointsForAnswer: "50",
  delayDays: "3",
  throttleDays: "60",
  ...more,
});

describe("admin surveys page", () => {
  test("shows the default settings, the responses with links to the orders, and the open alert", async () => {
    const { shop, load, alert } = await adminShop();
    const page = await load();
    expect(page.settings).toMatchObject({ enabled: false, kind: "nps", pointsForAnswer: 0 });
    expect(page.responses.rows.map((r) => [r.shopifyOrderId, r.group, r.comment])).toEqual([
      ["5502", "promoter", null],
      ["5501", "detractor", "<b>late</b>"],
    ]);
    const store = shop.replace(".myshopify.com", "");
    expect(page.responses.rows[1].orderUrl).toBe(`https://admin.shopify.com/store/${store}/orders/5501`);
    expect(page.alerts.list.map((a) => a.id)).toEqual([alert.id]);
    expect(page.rewards.map((r) => r.name)).toEqual(["Free shipping"]);
    expect((await load("?group=promoter")).responses.rows.map((r) => r.shopifyOrderId)).toEqual(["5502"]);
  });

  test("unreadable filters answer 400", async () => {
    const { load } = await adminShop();
    const thrown = await load("?from=someday").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
  });

  test("saves the settings; refuses bad ones with the fields marked and writes nothing", async () => {
    const { shopId, post, load } = await adminShop();
    expect(await post(settingsForm())).toMatchObject({ ok: true, error: null });
    expect((await load()).settings).toEqual({
      enabled: true,
      kind: "csat",
      question: { en: "How was your coffee?", id: null },
      pointsForAnswer: 50,
      delayDays: 3,
      throttleDays: 60,
    });
    const before = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const refused = refusedWith(
      await post(settingsForm({ pointsForAnswer: "-5", delayDays: "1.5", kind: "stars", questionId: "x".repeat(201) })),
      "surveys.error.settings",
    );
    expect(refused.fields).toEqual({
      pointsForAnswer: "surveys.error.points",
      delayDays: "surveys.error.delay",
      kind: "surveys.error.kind",
      questionId: "surveys.error.question",
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).survey).toEqual(before.survey);
  });

  test("sends an apology reward once, without spending points; a second click says already handled", async () => {
    const { shop, post, alert, rewardId, member, load } = await adminShop();
    const sent = (await post({ intent: "apology", alertId: alert.id, rewardId })) as SurveysActionResult;
    expect(sent).toMatchObject({ ok: true, error: null, alertId: alert.id });
    expect(sent.code).toMatch(/^KMB-[A-Z2-9]{10}$/);
    expect(await post({ intent: "apology", alertId: alert.id, rewardId })).toMatchObject({ ok: true, error: "surveys.alerts.already" });
    expect(await prisma.redemption.count({ where: { customerId: member.id } })).toBe(1);
    expect(localShopify(shop).state.discounts.map((d) => d.code)).toEqual([sent.code]);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(40);
    expect((await load()).alerts.list).toEqual([]);
    expect((await prisma.detractorAlert.findUniqueOrThrow({ where: { id: alert.id } })).apologyRedemptionId).toBeTruthy();
  });

  test("marks an alert handled; a guest's alert gets no reward; another shop's alert is not found", async () => {
    const mine = await adminShop();
    const theirs = await adminShop();
    const guestAlert = await prisma.detractorAlert.create({ data: { shopId: mine.shopId, responseId: mine.guestAnswer.id } });
    refusedWith(await mine.post({ intent: "apology", alertId: guestAlert.id, rewardId: mine.rewardId }), "surveys.error.guest");
    expect(await mine.post({ intent: "resolve", alertId: guestAlert.id })).toMatchObject({ ok: true, error: null });
    const notFound = await mine.post({ intent: "resolve", alertId: theirs.alert.id }).catch((e: unknown) => e);
    expect((notFound as Response).status).toBe(404);
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: theirs.alert.id } })).toMatchObject({ status: "open" });
    const unknown = await mine.post({ intent: "explode" }).catch((e: unknown) => e);
    expect((unknown as Response).status).toBe(400);
  });

  test("exports the filtered responses as a CSV download, comments as text", async () => {
    const { shop, csv } = await adminShop();
    const res = await csv("?group=detractor");
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(
      new RegExp(`^attachment; filename="kembali-survey-${shop.replace(".myshopify.com", "")}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const lines = (await res.text()).split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(",5501,NPS,1,detractor,<b>late</b>,checkout,0,8801,Ayu,");
  });

  test("a comment or name a spreadsheet would run as a formula is exported as text (issue 16)", async () => {
    const { shopId, member, csv } = await adminShop();
    await prisma.customer.update({ where: { id: member.id }, data: { firstName: "@SUM(A1)" } });
    const formulas = ['=HYPERLINK("https://evil.example","x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1"];
    for (const [i, comment] of formulas.entries())
      await prisma.surveyResponse.create({
        data: {
          shopId,
          shopifyOrderId: `66${i}`,
          customerId: member.id,
          kind: "nps",
          score: 3,
          comment,
          channel: "storefront",
          answeredAt: new Date("2026-12-03T08:00:00Z"),
        },
      });
    const body = await (await csv()).text();
    const cells = body.split("\r\n").flatMap((line) => line.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g) ?? []);
    for (const comment of formulas) expect(body).toContain(`'${comment}`.replace(/"/g, '""'));
    // No cell starts with a character a spreadsheet reads as a formula.
    for (const cell of cells) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+@\t]|^-[^0-9]/);
  });
});
