// Ledger entries in the merchant's language: the admin home's latest activity, a customer's
// "why this balance" and the storefront state read one classification of each entry.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import { appendEntry } from "~/domain/ledger/ledger";
import { describeEntry } from "~/i18n/entry-label";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as redeem } from "~/routes/proxy.redeem";
import { loader as state } from "~/routes/proxy.state";
import { loader as homeLoader } from "~/routes/app._index/route";
import { action as memberAction, loader as memberLoader } from "~/routes/app.customers.$id/route";
import { newShopDomain, paidOrder, proxyRequest, routeArgs, webhookRequest } from "../helpers";
import { signProxyQuery } from "~/shopify/proxy-signature";

const BASE = "http://127.0.0.1:3000";
const REWARD = "Gratis ongkir {name} $&";

/**
 * A shop whose member 7801 has: an order earned with a double-points campaign, a refund of
 * half of it, a redemption of a reward whose name looks like a template, a manual adjustment,
 * and an entry of a source this code does not know (an older app's).
 */
async function shopWithHistory() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: new Date() } });
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({
      earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
      campaigns: [{ id: "double", name: "Double points", multiplier: 2, startsAt: "2000-01-01T00:00:00Z", endsAt: "2100-01-01T00:00:00Z" }],
    }),
  );
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const get = (path: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(BASE + path));

  expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("7801", "7801", 2))))).status).toBe(200);
  const refund = {
    id: 780_101,
    order_id: 7801,
    created_at: "2026-11-21T10:00:00Z",
    refund_line_items: [{ subtotal: "125000.00", subtotal_set: { shop_money: { amount: "125000.00", currency_code: "IDR" } } }],
  };
  expect((await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund)))).status).toBe(200);
  const reward = await createReward({ db: prisma }, shop, {
    name: REWARD,
    type: "fixed_amount",
    pointsCost: 100,
    value: 500_000,
    validityDays: 30,
  });
  const query = signProxyQuery(new URLSearchParams(), { shop, customerId: "7801", secret: TEST_API_SECRET });
  const redeemed = await redeem(
    routeArgs(
      new Request(`${BASE}/proxy/redeem?${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rewardId: reward.id, requestId: "req-7801-aaaa" }),
      }),
    ),
  );
  expect(redeemed.status).toBe(200);
  const form = new FormData();
  for (const [k, v] of Object.entries({ points: "7", reason: "Maaf, paket terlambat", requestId: "req-7801-adjust" })) form.append(k, v);
  const adjust = await setUpValidRequest(
    { type: RequestType.Bearer, ...creds },
    new Request(`${BASE}/app/customers/7801`, { method: "POST", body: form }),
  );
  expect(await memberAction({ ...routeArgs(adjust), params: { id: "7801" } })).toMatchObject({ ok: true, applied: true });
  const row = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7801" } });
  await transaction(prisma)((tx) =>
    appendEntry(
      tx,
      {
        shopId: row.shopId,
        customerId: row.id,
        kind: "earn",
        points: 3,
        idempotencyKey: "legacy:7801",
        sourceType: "legacy_app",
        sourceId: "x",
        reason: "Points from the 2019 program",
        at: new Date(),
      },
      { mayGoNegative: false },
    ),
  );
  return {
    shop,
    member: async () => memberLoader({ ...routeArgs(await get("/app/customers/7801?locale=id")), params: { id: "7801" } }),
    home: async () => homeLoader(routeArgs(await get("/app?locale=id"))),
  };
}

/** What the Indonesian admin shows for each entry, oldest first. */
const inIndonesian = (entries: Array<{ label: Parameters<typeof describeEntry>[1] }>) => entries.map((e) => describeEntry("id", e.label));

const EXPECTED_ID = [
  { text: "Poin untuk pesanan lunas 7801", breakdown: "dasar 250, kampanye +250" },
  { text: "Poin dibatalkan: pengembalian dana pesanan 7801", breakdown: null },
  { text: `Ditukar: ${REWARD}`, breakdown: null },
  { text: "Maaf, paket terlambat", breakdown: null },
  { text: "Points from the 2019 program", breakdown: null },
];

describe("ledger entries in the merchant's language", () => {
  test("a customer's audit labels the app's own entries, keeps merchant words and unknown entries as stored", async () => {
    const s = await shopWithHistory();
    const audit = await s.member();
    expect(audit.entries.map((e) => [e.kind, e.label.key])).toEqual([
      ["earn", "order"],
      ["reverse", "refund"],
      ["spend", "redemption_spend"],
      ["adjust", null],
      ["earn", null],
    ]);
    // The stored reasons stay English (the audit trail); what the page shows is the label.
    expect(audit.entries[0]!.reason).toBe("Points for a paid order (base 250, campaign 250)");
    expect(audit.entries[0]!.label.breakdown).toEqual([
      { rule: "base", points: 250 },
      { rule: "campaign", points: 250 },
    ]);
    expect(audit.entries[2]!.label.vars).toEqual({ name: REWARD });
    expect(inIndonesian(audit.entries)).toEqual(EXPECTED_ID);
    expect(audit.consistent).toBe(true);
  });

  test("the home page's latest activity carries the same labels", async () => {
    const s = await shopWithHistory();
    const other = await shopWithHistory();
    const home = await s.home();
    expect(home.recent).toHaveLength(5);
    // Entries written in the same millisecond have no order between them: compared as a set.
    const shown = inIndonesian(home.recent);
    expect(shown).toHaveLength(EXPECTED_ID.length);
    expect(shown).toEqual(expect.arrayContaining(EXPECTED_ID));
    const ids = new Set((await other.home()).recent.map((e) => e.id));
    expect(home.recent.some((e) => ids.has(e.id))).toBe(false);
  });

  test("the storefront state sends the same classification for the widget to word, without the merchant's notes", async () => {
    const s = await shopWithHistory();
    const res = await state(routeArgs(proxyRequest("state", { shop: s.shop, customerId: "7801" })));
    expect(res.status).toBe(200);
    const history: Array<Record<string, unknown>> = (await res.json()).customer.history;
    const byKind = (kind: string) => history.filter((e) => e.kind === kind);
    expect(byKind("earn").map((e) => [e.label, e.reason])).toEqual([
      [null, "Points from the 2019 program"],
      ["order", null],
    ]);
    expect(byKind("reverse")[0]).toMatchObject({ label: "refund", vars: { order: "7801" }, reason: null, source: "refund" });
    expect(byKind("spend")[0]).toMatchObject({ label: "redemption_spend", vars: { name: REWARD }, name: REWARD, reason: null });
    expect(byKind("adjust")[0]).toMatchObject({ label: null, reason: null });
  });
});
