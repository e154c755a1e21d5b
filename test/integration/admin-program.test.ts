import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { orderEarnings } from "~/domain/earning/earning";
import { exampleSettings, formFields, type ProgramForm } from "~/admin/program";
import { messages } from "~/i18n";
import { action, loader } from "~/routes/app.program/route";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const HOUR = 3_600_000;

/** An installed shop with a stored offline session, and embedded-admin requests signed for it. */
async function adminShop(currency = "IDR") {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, currency);
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const url = "http://127.0.0.1:3000/app/program";
  const load = async () => loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(url))));
  return {
    shop,
    load,
    /** The page's form as loaded, changed by `edit`, submitted as the browser would. */
    save: async (edit: (form: ProgramForm) => void) => {
      const form = structuredClone((await load()).form);
      edit(form);
      const body = new FormData();
      for (const [name, value] of Object.entries(formFields(form))) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      }
      return action(routeArgs(await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(url, { method: "POST", body }))));
    },
  };
}

const storedSettings = async (shop: string) => (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).settings;
const earned = async (shop: string) =>
  prisma.pointsEntry.findMany({ where: { shop: { domain: shop }, kind: "earn" }, orderBy: { createdAt: "asc" } });

describe("admin program page", () => {
  test("GIVEN a new IDR shop WHEN the page loads THEN it shows the default program with amounts in whole rupiah", async () => {
    const { load } = await adminShop("IDR");
    const page = await load();
    expect(page.currency).toBe("IDR");
    expect(page.form.earning).toEqual({
      points: "1",
      perAmount: "1",
      base: { includeShipping: false, includeTax: false },
      pendingDays: "30",
    });
    expect(page.form.expiry).toEqual({ mode: "never", months: "12", warnDays: "30" });
    expect(page.form.bonuses.actions).toEqual([]);
  });

  test("GIVEN valid settings WHEN saved THEN the next paid order earns under them, as the live example said", async () => {
    const { shop, load, save } = await adminShop("IDR");
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("6101", "7601", 2))));
    expect((await earned(shop)).map((e) => e.points)).toEqual([250_000]); // default: 1 point per Rp1

    const now = Date.now();
    const result = await save((f) => {
      f.earning.points = "1";
      f.earning.perAmount = "1000";
      f.earning.pendingDays = "0";
      f.bonuses.signup = "100";
      f.bonuses.birthdayLeadDays = "45";
      // The browser sends no cap for a limit other than daily (the field is not shown).
      f.bonuses.actions.push({ key: "newsletter", label: "Join the newsletter", points: "50", limit: "once", dailyCap: "" });
      f.bonuses.actions.push({ key: "follow", label: "Follow us", points: "10", limit: "daily", dailyCap: "2" });
      f.campaigns.push({
        id: "harbolnas",
        name: "Harbolnas",
        multiplier: "2",
        startsAt: new Date(now - HOUR).toISOString(),
        endsAt: new Date(now + 24 * HOUR).toISOString(),
      });
      f.cashback = { enabled: true, percent: "2", minimumSubtotal: "100000" };
      f.redemption.pointValue = "10";
      f.expiry = { mode: "after_earning", months: "12", warnDays: "14" };
    });
    expect(result).toEqual({ ok: true, fields: {} });

    const page = await load();
    expect(page.settings).toMatchObject({
      earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
      bonuses: {
        signup: 100,
        birthdayLeadDays: 45,
        actions: [
          { key: "newsletter", label: "Join the newsletter", points: 50, limit: "once", dailyCap: 1 },
          { key: "follow", label: "Follow us", points: 10, limit: "daily", dailyCap: 2 },
        ],
      },
      campaigns: [{ id: "harbolnas", multiplier: 2 }],
      cashback: { enabled: true, percent: 2, minimumSubtotal: 10_000_000 },
      redemption: { pointValue: 1000 },
      expiry: { mode: "after_earning", months: 12, warnDays: 14 },
    });
    expect(page.form.earning.perAmount).toBe("1000");
    expect(page.form.cashback.minimumSubtotal).toBe("100000");

    // Rp250.000: 250 at the rate, +250 from the ×2 campaign, +500 cashback (2% = Rp5.000 at Rp10 a point).
    const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("6102", "7601", 2))));
    expect(res.status).toBe(200);
    const [, second] = await earned(shop);
    expect(second.points).toBe(1000);
    expect(second.pending).toBe(false);
    expect(await points(shop, "7601")).toEqual({ balance: 1000, pending: 250_000 });

    // The page's live example runs the same rules in the browser, on the form as typed.
    const example = exampleSettings(page.form, page.currency, page.settings);
    expect(example?.complete).toBe(true);
    const input = {
      subtotal: 25_000_000,
      shipping: 0,
      tax: 0,
      paidAt: second.createdAt,
      customerTags: [],
      tierMultiplier: 1,
      lines: [],
    };
    expect(orderEarnings(input, example!.settings)).toMatchObject({
      points: 1000,
      breakdown: [
        { rule: "base", points: 250 },
        { rule: "campaign", points: 250 },
        { rule: "cashback", points: 500 },
      ],
    });
  });

  test("GIVEN invalid input THEN each problem is on its field, translated, and nothing is saved", async () => {
    const { shop, save } = await adminShop("IDR");
    const before = await storedSettings(shop);
    const now = Date.now();
    const result = await save((f) => {
      f.earning.points = "2"; // valid, and still not saved
      f.earning.perAmount = "abc";
      f.earning.pendingDays = "400";
      f.bonuses.birthdayLeadDays = "400";
      f.bonuses.actions.push({ key: "review", label: " ", points: "0", limit: "once", dailyCap: "1" });
      // "Every time" is no longer offered: custom actions are honour-based.
      f.bonuses.actions.push({ key: "follow", label: "Follow us", points: "10", limit: "unlimited", dailyCap: "1" });
      f.bonuses.actions.push({ key: "share", label: "Share", points: "10", limit: "daily", dailyCap: "11" });
      f.multipliers.push({ id: "m1", appliesTo: { type: "collection", ids: "123, gid-456" }, multiplier: "1" });
      f.campaigns.push({
        id: "c1",
        name: "Weekend",
        multiplier: "2.5",
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now - HOUR).toISOString(),
      });
      f.exclusions.collectionIds = "12a";
      f.cashback.percent = "150";
      f.stamps.target = "1";
      f.redemption.pointValue = "0";
      f.expiry.months = "0";
    });
    expect(result).toEqual({
      ok: false,
      fields: {
        "earning.perAmount": "program.error.perAmount",
        "earning.pendingDays": "program.error.pendingDays",
        "bonuses.birthdayLeadDays": "program.error.birthdayLeadDays",
        "bonuses.actions.0.label": "program.error.name",
        "bonuses.actions.0.points": "program.error.positivePoints",
        "bonuses.actions.1.limit": "program.error.choice",
        "bonuses.actions.2.dailyCap": "program.error.dailyCap",
        "multipliers.0.appliesTo.ids": "program.error.ids",
        "multipliers.0.multiplier": "program.error.multiplier",
        "campaigns.0.endsAt": "program.error.endsAt",
        "exclusions.collectionIds": "program.error.ids",
        "cashback.percent": "program.error.percent",
        "stamps.target": "program.error.target",
        "redemption.pointValue": "program.error.pointValue",
        "expiry.months": "program.error.months",
      },
    });
    for (const key of Object.values(result.fields)) expect(messages.id[key]).toBeTruthy();
    expect(await storedSettings(shop)).toEqual(before);
  });

  test("GIVEN two actions with one key or an amount finer than the currency THEN the field says so and nothing is saved", async () => {
    const { shop, save } = await adminShop("USD");
    const before = await storedSettings(shop);
    const duplicate = await save((f) => {
      f.bonuses.actions.push(
        { key: "follow", label: "Follow us", points: "20", limit: "once", dailyCap: "1" },
        { key: "follow", label: "Follow us again", points: "20", limit: "yearly", dailyCap: "1" },
      );
    });
    expect(duplicate).toEqual({ ok: false, fields: { "bonuses.actions.1.key": "program.error.actionKey" } });
    const cents = await save((f) => void (f.cashback.minimumSubtotal = "19.999"));
    expect(cents).toEqual({ ok: false, fields: { "cashback.minimumSubtotal": "program.error.minimum" } });
    expect(await storedSettings(shop)).toEqual(before);
  });

  test('GIVEN an "every time" action saved by an older version THEN the page shows it as once a day and saving keeps that', async () => {
    const { shop, load, save } = await adminShop("IDR");
    const stored = (await storedSettings(shop)) as Record<string, unknown>;
    const review = { key: "review", label: "Write a review", points: 30, limit: "unlimited" };
    await prisma.shop.update({
      where: { domain: shop },
      data: { settings: { ...stored, bonuses: { signup: 0, birthday: 0, actions: [review] } } },
    });
    const page = await load();
    expect(page.settings.bonuses.actions).toEqual([{ ...review, limit: "daily", dailyCap: 1 }]);
    expect(page.form.bonuses.actions).toEqual([{ key: "review", label: "Write a review", points: "30", limit: "daily", dailyCap: "1" }]);
    expect(page.form.bonuses.birthdayLeadDays).toBe("30");
    expect(await save(() => {})).toEqual({ ok: true, fields: {} });
    await expect(storedSettings(shop)).resolves.toMatchObject({ bonuses: { actions: [{ ...review, limit: "daily", dailyCap: 1 }] } });
  });

  test("GIVEN a USD shop THEN cents typed in whole dollars are stored exactly", async () => {
    const { load, save } = await adminShop("USD");
    expect(
      await save((f) => {
        f.earning.perAmount = "0.10";
        f.stamps = { enabled: true, counts: "products", target: "5", minimumSubtotal: "19.99", rewardPoints: "100" };
      }),
    ).toEqual({ ok: true, fields: {} });
    const page = await load();
    expect(page.settings.earning.perAmount).toBe(10);
    expect(page.settings.stamps).toEqual({
      enabled: true,
      counts: "products",
      target: 5,
      minimumSubtotal: 1999,
      rewardPoints: 100,
    });
    expect(page.form.earning.perAmount).toBe("0.1");
    expect(page.form.stamps.minimumSubtotal).toBe("19.99");
  });

  test("GIVEN referral settings THEN the friend's amount is stored in minor units, an empty hold follows the pending days, and scores are checked", async () => {
    const { shop, load, save } = await adminShop("IDR");
    const saved = await save((f) => {
      f.referral.referrerPoints = "300";
      f.referral.friendReward = { type: "fixed_amount", value: "25000" };
      f.referral.holdDays = "";
      f.referral.minimumOrderSubtotal = "100000";
      f.referral.fraud.reviewScore = "30";
    });
    expect(saved).toEqual({ ok: true, fields: {} });
    const page = await load();
    expect(page.settings.referral).toMatchObject({
      referrerPoints: 300,
      friendReward: { type: "fixed_amount", value: 2_500_000 },
      holdDays: null,
      minimumOrderSubtotal: 10_000_000,
      fraud: { reviewScore: 30 },
    });
    expect(page.form.referral.friendReward).toEqual({ type: "fixed_amount", value: "25000" });
    expect(page.form.referral.holdDays).toBe("");

    const before = await storedSettings(shop);
    const percent = await save((f) => void (f.referral.friendReward = { type: "percentage", value: "150" }));
    expect(percent).toEqual({ ok: false, fields: { "referral.friendReward.value": "program.error.friendReward" } });
    const scores = await save((f) => {
      f.referral.holdDays = "7";
      f.referral.fraud.reviewScore = "90";
      f.referral.fraud.rejectScore = "80";
    });
    expect(scores).toEqual({ ok: false, fields: { "referral.fraud.rejectScore": "program.error.rejectScore" } });
    expect(await storedSettings(shop)).toEqual(before);
  });

  test("GIVEN two shops WHEN one saves THEN the other's page and earning are untouched", async () => {
    const a = await adminShop("IDR");
    const b = await adminShop("IDR");
    await a.save((f) => {
      f.earning.perAmount = "1000";
      f.exclusions.customerTags = "wholesale, staff";
    });
    const page = await b.load();
    expect(page.form.earning.perAmount).toBe("1");
    expect(page.form.exclusions.customerTags).toBe("");
    expect((await a.load()).form.exclusions.customerTags).toBe("wholesale, staff");
    await orderPaid(routeArgs(webhookRequest("orders/paid", b.shop, paidOrder("6201", "7701", 2))));
    expect((await earned(b.shop)).map((e) => e.points)).toEqual([250_000]);
  });
});
