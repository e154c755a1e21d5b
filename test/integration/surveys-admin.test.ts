// The Surveys page's domain on the test database (both, with TEST_DB): the responses' filters
// and pages, the CSV (quotes, newlines, formula injection), and the detractor queue — an apology
// reward issued once whatever the clicks, without spending points, never across shops.
import { describe, expect, test } from "vitest";
import { parse } from "csv-parse/sync";
import prisma, { transaction } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { createReward } from "~/domain/rewards/rewards";
import { settleExpiredRewards } from "~/domain/rewards/redemption";
import { localShopify } from "~/shopify/shopify-for.server";
import { KembaliError } from "~/domain/errors";
import {
  CSV_HEADER,
  listResponses,
  openAlerts,
  parseResponseFilters,
  resolveAlert,
  responsesCsv,
  sendApology,
  type ResponseFilters,
} from "~/domain/surveys/admin";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { answerSurvey } from "~/domain/surveys/responses";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const NOW = new Date("2026-12-07T09:00:00Z");
const clock = () => NOW;
const deps = (shop: string) => ({ db: prisma, clock, transaction: transaction(prisma), shopify: localShopify(shop) });
const filters = (query = "") => parseResponseFilters(new URLSearchParams(query));

type Row = {
  order: string;
  kind?: string;
  score: number;
  comment?: string | null;
  channel?: string;
  tier?: string | null;
  segment?: string | null;
  at: string;
  customer?: string | null;
};

/** A shop with two members and the given responses (inserted directly, as answering would). */
async function shopWith(rows: Row[]) {
  const shop = newShopDomain();
  const { id: shopId } = await ensureShop(prisma, shop, "IDR");
  const members = new Map<string, string>();
  for (const [sid, firstName] of [
    ["9001", "=Siti"],
    ["9002", "Budi"],
  ]) {
    const c = await prisma.customer.create({
      data: { shopId, shopifyCustomerId: sid, firstName, email: `${sid}@example.com`, balance: 500 },
    });
    members.set(sid, c.id);
  }
  const ids: Record<string, string> = {};
  for (const r of rows) {
    const created = await prisma.surveyResponse.create({
      data: {
        shopId,
        shopifyOrderId: r.order,
        customerId: r.customer === null ? null : members.get(r.customer ?? "9001"),
        kind: r.kind ?? "nps",
        score: r.score,
        comment: r.comment ?? null,
        channel: r.channel ?? "checkout",
        tierKey: r.tier ?? null,
        segment: r.segment ?? null,
        answeredAt: new Date(r.at),
      },
    });
    ids[r.order] = created.id;
  }
  return { shop, shopId, ids, members };
}

const orders = async (shop: string, f: ResponseFilters) => (await listResponses({ db: prisma }, shop, f)).rows.map((r) => r.shopifyOrderId);

describe("survey responses in the admin", () => {
  const rows: Row[] = [
    { order: "1001", score: 3, comment: "Late", channel: "checkout", tier: "gold", segment: "loyal", at: "2026-12-01T10:00:00Z" },
    { order: "1002", score: 7, channel: "account", tier: "silver", segment: "new", at: "2026-12-02T23:59:00Z", customer: "9002" },
    { order: "1003", score: 10, channel: "storefront", tier: "gold", segment: "loyal", at: "2026-12-03T00:00:00Z" },
    { order: "1004", kind: "csat", score: 2, channel: "storefront", at: "2026-12-04T12:00:00Z", customer: null },
    { order: "1005", kind: "ces", score: 6, channel: "checkout", at: "2026-12-05T12:00:00Z" },
  ];

  test("filters by group (per question type), score, tier, segment, channel and inclusive dates, newest first", async () => {
    const { shop } = await shopWith(rows);
    expect(await orders(shop, filters())).toEqual(["1005", "1004", "1003", "1002", "1001"]);
    expect(await orders(shop, filters("group=detractor"))).toEqual(["1004", "1001"]);
    expect(await orders(shop, filters("group=promoter"))).toEqual(["1005", "1003"]);
    expect(await orders(shop, filters("group=passive"))).toEqual(["1002"]);
    expect(await orders(shop, filters("score=10"))).toEqual(["1003"]);
    expect(await orders(shop, filters("tier=gold"))).toEqual(["1003", "1001"]);
    expect(await orders(shop, filters("segment=new"))).toEqual(["1002"]);
    expect(await orders(shop, filters("channel=storefront"))).toEqual(["1004", "1003"]);
    expect(await orders(shop, filters("from=2026-12-02&to=2026-12-02"))).toEqual(["1002"]);
    expect(await orders(shop, filters("from=2026-12-03&group=detractor"))).toEqual(["1004"]);
    expect(await orders(shop, filters("to=2026-12-01"))).toEqual(["1001"]);
  });

  test("pages, the customer (null for a guest), the filter options; another shop's answers never", async () => {
    const { shop } = await shopWith(rows);
    await shopWith([{ order: "1001", score: 0, comment: "other shop", tier: "platinum", at: "2026-12-06T00:00:00Z" }]);
    const first = await listResponses({ db: prisma }, shop, filters(), 2);
    expect(first).toMatchObject({ total: 5, page: 1, pages: 3 });
    const third = await listResponses({ db: prisma }, shop, filters("page=3"), 2);
    expect(third.rows.map((r) => r.shopifyOrderId)).toEqual(["1001"]);
    expect(third.rows[0]).toMatchObject({
      group: "detractor",
      comment: "Late",
      tierName: "gold",
      customer: { shopifyCustomerId: "9001", name: "=Siti" },
    });
    const all = await listResponses({ db: prisma }, shop, filters());
    expect(all.rows.find((r) => r.shopifyOrderId === "1004")!.customer).toBeNull();
    expect(all.options).toEqual({
      tiers: [
        { key: "gold", name: "gold" },
        { key: "silver", name: "silver" },
      ],
      segments: ["loyal", "new"],
    });
    expect(all.rows.some((r) => r.comment === "other shop")).toBe(false);
  });

  test("unreadable filters are refused", () => {
    for (const q of [
      "group=angry",
      "score=11",
      "score=x",
      "channel=email",
      "from=2026-13-45",
      "from=yesterday",
      "from=2026-12-05&to=2026-12-01",
      "page=0",
    ]) {
      expect(() => filters(q), q).toThrow(KembaliError);
    }
  });

  test("the CSV quotes commas, quotes and newlines, and defuses formulas; it follows the filters", async () => {
    const nasty = [
      '=HYPERLINK("http://evil.example","click")',
      "+1 great",
      "-2",
      "@SUM(A1)",
      "\tTabbed",
      "\rReturn",
      'She said "no", twice\nthen left',
    ];
    const { shop } = await shopWith(
      nasty.map((comment, i) => ({ order: String(2001 + i), score: i, comment, at: `2026-12-0${i + 1}T08:00:00Z` })),
    );
    const csv = await responsesCsv({ db: prisma }, shop, filters());
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain('"She said ""no"", twice\nthen left"');
    const records = parse(csv.slice(1), { relax_column_count: false }) as string[][];
    expect(records[0]).toEqual([...CSV_HEADER]);
    const byOrder = new Map(records.slice(1).map((r) => [r[1], r]));
    expect(byOrder.get("2001")![5]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(byOrder.get("2002")![5]).toBe("'+1 great");
    expect(byOrder.get("2003")![5]).toBe("'-2");
    expect(byOrder.get("2004")![5]).toBe("'@SUM(A1)");
    expect(byOrder.get("2005")![5]).toBe("'\tTabbed");
    expect(byOrder.get("2006")![5]).toBe("'\rReturn");
    expect(byOrder.get("2007")![5]).toBe('She said "no", twice\nthen left');
    // The customer's name is the shopper's text too.
    expect(byOrder.get("2001")![9]).toBe("'=Siti");
    expect(byOrder.get("2001")!.slice(2, 5)).toEqual(["NPS", "0", "detractor"]);
    const detractorsOnly = parse((await responsesCsv({ db: prisma }, shop, filters("score=6"))).slice(1)) as string[][];
    expect(detractorsOnly.map((r) => r[1])).toEqual(["Order ID", "2007"]);
  });
});

describe("the detractor queue", () => {
  async function queue() {
    const s = await shopWith([
      { order: "3001", score: 2, comment: "Broken on arrival", at: "2026-12-01T10:00:00Z" },
      { order: "3002", score: 4, at: "2026-12-02T10:00:00Z", customer: null },
      { order: "3003", score: 9, at: "2026-12-03T10:00:00Z" },
    ]);
    const alert = await prisma.detractorAlert.create({
      data: { shopId: s.shopId, responseId: s.ids["3001"], createdAt: new Date("2026-12-01T10:00:01Z") },
    });
    const guest = await prisma.detractorAlert.create({
      data: { shopId: s.shopId, responseId: s.ids["3002"], createdAt: new Date("2026-12-02T10:00:01Z") },
    });
    const reward = await createReward({ db: prisma }, s.shop, {
      name: "Rp25.000 off",
      type: "fixed_amount",
      pointsCost: 300,
      value: 2_500_000,
      validityDays: 30,
    });
    return { ...s, alert, guest, rewardId: reward.id };
  }
  const member = (id: string) => prisma.customer.findUniqueOrThrow({ where: { id } });

  test("open alerts, oldest first, with the order, score, comment and customer", async () => {
    const { shop } = await queue();
    const { alerts, total } = await openAlerts({ db: prisma }, shop);
    expect(total).toBe(2);
    expect(
      alerts.map((a) => [a.response.shopifyOrderId, a.response.score, a.response.comment, a.response.customer?.shopifyCustomerId ?? null]),
    ).toEqual([
      ["3001", 2, "Broken on arrival", "9001"],
      ["3002", 4, null, null],
    ]);
  });

  test("an apology reward: a code for the member in Shopify, no points spent, the alert resolved with it — once, however many clicks", async () => {
    const { shop, shopId, alert, rewardId, members } = await queue();
    // Two clicks a millisecond apart (different attempt ids: the guarded update decides), then a third.
    const at = (ms: number) => ({ ...deps(shop), clock: () => new Date(NOW.getTime() + ms) });
    const results = await Promise.all([
      sendApology(at(0), shop, { alertId: alert.id, rewardId }),
      sendApology(at(1), shop, { alertId: alert.id, rewardId }),
    ]);
    const again = await sendApology(at(2), shop, { alertId: alert.id, rewardId });
    expect(results.filter((r) => r.sent)).toHaveLength(1);
    expect([...results, again].filter((r) => !r.sent)).toEqual([
      { sent: false, reason: "already_handled" },
      { sent: false, reason: "already_handled" },
    ]);
    const sent = results.find((r) => r.sent)!;
    const redemptions = await prisma.redemption.findMany({ where: { shopId } });
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]).toMatchObject({ status: "issued", pointsSpent: 0, customerId: members.get("9001"), rewardId });
    expect(sent).toMatchObject({ sent: true, status: "issued", code: redemptions[0].code });
    expect(localShopify(shop).state.discounts).toHaveLength(1);
    expect(localShopify(shop).state.discounts[0]).toMatchObject({ code: redemptions[0].code, customerId: "9001" });
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      status: "resolved",
      apologyRedemptionId: redemptions[0].id,
    });
    expect((await member(members.get("9001")!)).balance).toBe(500);
    expect(await prisma.pointsEntry.count({ where: { shopId } })).toBe(0);
    expect((await openAlerts({ db: prisma }, shop)).alerts.map((a) => a.response.shopifyOrderId)).toEqual(["3002"]);
  });

  test("an unused apology code that expires is switched off with no points to return (the shop refunds expired codes)", async () => {
    const { shop, shopId, alert, rewardId } = await queue();
    expect(await sendApology(deps(shop), shop, { alertId: alert.id, rewardId })).toMatchObject({ sent: true });
    const later = { ...deps(shop), clock: () => new Date(NOW.getTime() + 31 * 86_400_000), shopifyFor: async () => localShopify(shop) };
    expect(await settleExpiredRewards(later, { shopId })).toEqual({ used: 0, refunded: 0, expired: 1 });
    expect(await prisma.redemption.findFirstOrThrow({ where: { shopId } })).toMatchObject({ status: "expired", pointsSpent: 0 });
    expect(await prisma.pointsEntry.count({ where: { shopId } })).toBe(0);
  });

  test("Shopify refuses the reward: nothing sent, no points touched, the alert open again for another try", async () => {
    const { shop, shopId, alert, rewardId } = await queue();
    localShopify(shop).rejectNext("Code must be unique");
    expect(await sendApology(deps(shop), shop, { alertId: alert.id, rewardId })).toMatchObject({ sent: false, reason: "failed" });
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      status: "open",
      apologyRedemptionId: null,
    });
    expect(await prisma.pointsEntry.count({ where: { shopId } })).toBe(0);
    const retry = await sendApology({ ...deps(shop), clock: () => new Date(NOW.getTime() + 1000) }, shop, { alertId: alert.id, rewardId });
    expect(retry).toMatchObject({ sent: true, status: "issued" });
  });

  test("a guest cannot get a reward, only be marked handled; handled is final", async () => {
    const { shop, guest, alert, rewardId } = await queue();
    await expect(sendApology(deps(shop), shop, { alertId: guest.id, rewardId })).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(await resolveAlert(deps(shop), shop, guest.id)).toEqual({ resolved: true });
    expect(await resolveAlert(deps(shop), shop, guest.id)).toEqual({ resolved: false });
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: guest.id } })).toMatchObject({
      status: "resolved",
      resolvedAt: NOW,
      apologyRedemptionId: null,
    });
    // Marked handled first: no reward afterwards.
    await resolveAlert(deps(shop), shop, alert.id);
    expect(await sendApology(deps(shop), shop, { alertId: alert.id, rewardId })).toEqual({ sent: false, reason: "already_handled" });
    expect(await prisma.redemption.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("another shop's alert or reward is never touched, and an unknown reward is refused", async () => {
    const mine = await queue();
    const theirs = await queue();
    await expect(sendApology(deps(mine.shop), mine.shop, { alertId: theirs.alert.id, rewardId: mine.rewardId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(resolveAlert(deps(mine.shop), mine.shop, theirs.alert.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(sendApology(deps(mine.shop), mine.shop, { alertId: mine.alert.id, rewardId: theirs.rewardId })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(sendApology(deps(mine.shop), mine.shop, { alertId: mine.alert.id, rewardId: "" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: theirs.alert.id } })).toMatchObject({ status: "open" });
    expect(await prisma.detractorAlert.findUniqueOrThrow({ where: { id: mine.alert.id } })).toMatchObject({ status: "open" });
    expect(await prisma.redemption.count({ where: { shopId: { in: [mine.shopId, theirs.shopId] } } })).toBe(0);
  });
});

describe("the closed loop", () => {
  test("a member's low score answered through the survey rules reaches the queue and the responses, and the apology closes it", async () => {
    const shop = newShopDomain();
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("520001", "7601"))))).status).toBe(200);
    await saveSurveySettings({ db: prisma }, shop, { enabled: true });
    await answerSurvey(deps(shop), shop, {
      channel: "checkout",
      order: "520001",
      shopifyCustomerId: "7601",
      score: 3,
      comment: "=cmd|' /C calc'!A0",
    });
    const { alerts } = await openAlerts({ db: prisma }, shop);
    expect(
      alerts.map((a) => [a.response.shopifyOrderId, a.response.score, a.response.channel, a.response.customer?.shopifyCustomerId]),
    ).toEqual([["520001", 3, "checkout", "7601"]]);
    expect(await orders(shop, filters("group=detractor&channel=checkout"))).toEqual(["520001"]);
    expect(await responsesCsv({ db: prisma }, shop, filters())).toContain(`,'=cmd|' /C calc'!A0,`);
    const reward = await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 100 });
    expect(await sendApology(deps(shop), shop, { alertId: alerts[0].id, rewardId: reward.id })).toMatchObject({
      sent: true,
      status: "issued",
    });
    expect((await openAlerts({ db: prisma }, shop)).total).toBe(0);
  });
});
