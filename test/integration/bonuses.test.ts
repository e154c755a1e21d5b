import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as customerEnable } from "~/routes/webhooks.customers.enable";
import { loader as state } from "~/routes/proxy.state";
import { action as redeem } from "~/routes/proxy.redeem";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as claim } from "~/routes/proxy.action";
import { action as birthday } from "~/routes/proxy.birthday";
import { claimAction, setBirthday, sweepBirthdays } from "~/domain/earning/bonuses";
import { createReward } from "~/domain/rewards/rewards";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";
import { newShopDomain, paidOrder, points, proxyRequest, releasePending, routeArgs, webhookRequest } from "../helpers";

async function shopWith(settings: Record<string, unknown>) {
  const shop = newShopDomain();
  const { id } = await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, ...settings }));
  return { shop, shopId: id };
}
const post = (shop: string, customerId: string | null, path: string, body: unknown, secret = TEST_API_SECRET) =>
  new Request(`http://127.0.0.1:3000/proxy/${path}?${signProxyQuery(new URLSearchParams(), { shop, customerId, secret })}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
const newCustomer = (id: string, state?: string) => ({
  id: Number(id),
  email: `c${id}@example.com`,
  first_name: "New",
  last_name: "Member",
  tags: "",
  ...(state ? { state } : {}),
});
const signupEntries = (shop: string, id: string) =>
  prisma.pointsEntry.count({ where: { shop: { domain: shop }, sourceType: "signup", customer: { shopifyCustomerId: id } } });

/** Every way Shopify or the storefront tells us about a customer's account, as a request. */
const signals = {
  guestRecord: (shop: string, id: string) =>
    customerCreate(routeArgs(webhookRequest("customers/create", shop, newCustomer(id, "disabled")))),
  accountCreated: (shop: string, id: string) =>
    customerCreate(routeArgs(webhookRequest("customers/create", shop, newCustomer(id, "enabled")))),
  updatedEnabled: (shop: string, id: string) =>
    customerUpdate(routeArgs(webhookRequest("customers/update", shop, newCustomer(id, "enabled")))),
  updatedDisabled: (shop: string, id: string) =>
    customerUpdate(routeArgs(webhookRequest("customers/update", shop, newCustomer(id, "disabled")))),
  enabled: (shop: string, id: string) => customerEnable(routeArgs(webhookRequest("customers/enable", shop, newCustomer(id, "enabled")))),
  signedIn: (shop: string, id: string) => state(routeArgs(proxyRequest("state", { shop, customerId: id }))),
};

describe("signup bonus", () => {
  test("GIVEN a signup bonus THEN an account made now gets it once; redeliveries and profile updates do not pay again", async () => {
    const { shop } = await shopWith({ bonuses: { signup: 200 } });
    expect((await signals.accountCreated(shop, "7801")).status).toBe(200);
    await signals.accountCreated(shop, "7801"); // redelivered
    await signals.updatedEnabled(shop, "7801");
    await signals.signedIn(shop, "7801");
    expect(await points(shop, "7801")).toEqual({ balance: 200, pending: 0 });
    expect(await signupEntries(shop, "7801")).toBe(1);
  });

  test("GIVEN no signup bonus THEN a new account starts at 0", async () => {
    const { shop } = await shopWith({});
    await signals.accountCreated(shop, "7802");
    expect(await points(shop, "7802")).toEqual({ balance: 0, pending: 0 });
  });

  test("GIVEN a guest checkout (a customer record without an account) THEN no bonus, however often Shopify updates it", async () => {
    const { shop } = await shopWith({ bonuses: { signup: 200 } });
    expect((await signals.guestRecord(shop, "7810")).status).toBe(200);
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("7810001", "7810", 1))))).status).toBe(200);
    await signals.updatedDisabled(shop, "7810");
    // A payload without a state says nothing about an account either.
    await customerUpdate(routeArgs(webhookRequest("customers/update", shop, newCustomer("7810"))));
    expect(await signupEntries(shop, "7810")).toBe(0);
    // A customer the merchant adds in the admin and invites has no account until they accept.
    await signals.guestRecord(shop, "7811");
    await customerUpdate(routeArgs(webhookRequest("customers/update", shop, newCustomer("7811", "invited"))));
    expect(await signupEntries(shop, "7811")).toBe(0);
    await signals.enabled(shop, "7811");
    expect(await signupEntries(shop, "7811")).toBe(1);
  });

  test("GIVEN every order of the signals for one new account, each sent twice THEN the bonus is paid exactly once", async () => {
    const { shop } = await shopWith({ bonuses: { signup: 200 } });
    type Kind = keyof typeof signals;
    const orders = (items: Kind[]): Kind[][] =>
      items.length <= 1 ? [items] : items.flatMap((k, i) => orders(items.filter((_, j) => j !== i)).map((rest) => [k, ...rest]));
    // The record, the account (an update saying enabled, or customers/enable) and a signed-in visit.
    const all = [...orders(["guestRecord", "updatedEnabled", "signedIn"]), ...orders(["guestRecord", "enabled", "signedIn"])];
    expect(all).toHaveLength(12);
    let n = 7900;
    for (const order of all) {
      const id = String(n++);
      for (const kind of [...order, ...order]) expect((await signals[kind](shop, id)).status).toBe(200);
      expect(await signupEntries(shop, id), `${order.join(", ")}`).toBe(1);
      expect(await points(shop, id)).toEqual({ balance: 200, pending: 0 });
    }
    // New customer accounts before Shopify set the state: the record, then a signed-in visit.
    for (const order of [
      ["guestRecord", "signedIn"],
      ["signedIn", "guestRecord"],
    ] as const) {
      const id = String(n++);
      for (const kind of order) await signals[kind](shop, id);
      expect(await signupEntries(shop, id)).toBe(1);
    }
  });

  test("GIVEN an account made before Kembali was installed THEN signing in or an update pays no signup bonus", async () => {
    const { shop } = await shopWith({ bonuses: { signup: 200 } });
    await signals.signedIn(shop, "7812");
    await signals.updatedEnabled(shop, "7812");
    await signals.updatedDisabled(shop, "7812"); // the merchant disables it...
    await signals.updatedEnabled(shop, "7812"); // ...and enables it again: still the old account
    expect(await signupEntries(shop, "7812")).toBe(0);
  });
});

describe("custom actions", () => {
  const actions = [
    { key: "newsletter", label: "Join our newsletter", points: 50, limit: "once" },
    { key: "review", label: "Write a review", points: 30, limit: "daily", dailyCap: 2 },
  ];

  test("GIVEN a once-only action THEN the second claim earns nothing", async () => {
    const { shop } = await shopWith({ bonuses: { actions } });
    const first = await (await claim(routeArgs(post(shop, "7803", "action", { key: "newsletter", requestId: "claim-0001" })))).json();
    const second = await (await claim(routeArgs(post(shop, "7803", "action", { key: "newsletter", requestId: "claim-0002" })))).json();
    expect([first.awarded, second.awarded]).toEqual([true, false]);
    expect(await points(shop, "7803")).toEqual({ balance: 50, pending: 0 });
    const entry = await prisma.pointsEntry.findFirstOrThrow({ where: { shop: { domain: shop }, sourceType: "action" } });
    expect(entry.reason).toBe("Join our newsletter");
  });

  test("GIVEN a shopper looping claims with new request ids THEN at most the daily cap is earned, pending and not spendable, then 429", async () => {
    const { shop } = await shopWith({ earning: { points: 1, perAmount: 100_000, pendingDays: 14 }, bonuses: { actions } });
    const { id: rewardId } = await createReward({ db: prisma }, shop, {
      name: "Rp5.000 off",
      type: "fixed_amount",
      pointsCost: 30,
      value: 500_000,
      validityDays: 30,
    });
    const answers: Array<{ status: number; body: { awarded?: boolean; availableAt?: string | null; limit?: string } }> = [];
    // 10 a minute per shopper; a run may straddle a minute boundary, so allow one reset.
    for (let i = 0; i < 25 && !answers.some((a) => a.status === 429); i++) {
      const res = await claim(routeArgs(post(shop, "7804", "action", { key: "review", requestId: `loop-${String(i).padStart(4, "0")}` })));
      answers.push({ status: res.status, body: await res.json() });
      if (res.status === 429) expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    }
    expect(answers.at(-1)).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(10);
    expect(ok.filter((a) => a.body.awarded)).toHaveLength(2);
    expect(ok.filter((a) => !a.body.awarded).every((a) => a.body.limit === "daily")).toBe(true);
    const availableAt = Date.parse(ok[0].body.availableAt!);
    expect(availableAt - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    // Pending like an order's points: nothing to spend until the pending days are over.
    expect(await points(shop, "7804")).toEqual({ balance: 0, pending: 60 });
    const refused = await redeem(routeArgs(post(shop, "7804", "redeem", { rewardId, requestId: "redeem-0001" })));
    expect(refused.status).toBe(409);
    await releasePending(shop, 15);
    expect(await points(shop, "7804")).toEqual({ balance: 60, pending: 0 });
  });

  test("GIVEN a fixed clock THEN claims stop at the cap for the day, start again the next day, and the rate limit applies to every caller", async () => {
    const { shop } = await shopWith({ earning: { points: 1, perAmount: 100_000, pendingDays: 14 }, bonuses: { actions } });
    let now = new Date("2027-05-04T10:00:10Z");
    const deps = { db: prisma, clock: () => now, transaction: transaction(prisma) };
    const input = (i: number) => ({
      shopDomain: shop,
      shopifyCustomerId: "7813",
      key: "review",
      requestId: `fixed-${i}-0000`,
      ipHash: null,
    });
    const awarded: boolean[] = [];
    for (let i = 0; i < 10; i++) awarded.push((await claimAction(deps, input(i))).awarded);
    expect(awarded.filter(Boolean)).toHaveLength(2);
    await expect(claimAction(deps, input(10))).rejects.toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 50 } });
    now = new Date("2027-05-05T00:00:05Z");
    const next = await claimAction(deps, input(11));
    expect(next).toMatchObject({ awarded: true, points: 30, balance: 0, availableAt: "2027-05-19T00:00:05.000Z", limit: "daily" });
    // A retried request (same id) pays nothing twice.
    expect(await claimAction(deps, input(11))).toMatchObject({ awarded: false });
    expect(await points(shop, "7813")).toEqual({ balance: 0, pending: 90 });
  });

  test("GIVEN claims sent at the same moment THEN together they stay within the cap", async () => {
    const { shop } = await shopWith({ earning: { points: 1, perAmount: 100_000, pendingDays: 14 }, bonuses: { actions } });
    const now = new Date("2027-05-04T10:00:10Z");
    const deps = { db: prisma, clock: () => now, transaction: transaction(prisma) };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        claimAction(deps, { shopDomain: shop, shopifyCustomerId: "7814", key: "review", requestId: `burst-${i}-0000`, ipHash: null }),
      ),
    );
    expect(results.filter((r) => r.awarded)).toHaveLength(2);
    expect(await points(shop, "7814")).toEqual({ balance: 0, pending: 60 });
  });

  test('GIVEN an "every time" action saved before this change THEN it still loads and pays at most once a day', async () => {
    const { shop } = await shopWith({ earning: { points: 1, perAmount: 100_000, pendingDays: 14 } });
    const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const stored = row.settings as Record<string, unknown>;
    await prisma.shop.update({
      where: { domain: shop },
      data: {
        settings: {
          ...stored,
          bonuses: { signup: 0, birthday: 0, actions: [{ key: "follow", label: "Follow us", points: 40, limit: "unlimited" }] },
        },
      },
    });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await (await claim(routeArgs(post(shop, "7815", "action", { key: "follow", requestId: `old-${i}-0000` })))).json());
    }
    expect(answers.map((a) => a.awarded)).toEqual([true, false, false, false]);
    expect(await points(shop, "7815")).toEqual({ balance: 0, pending: 40 });
  });

  test("GIVEN an unknown action, a guest or a forged signature THEN nothing is awarded", async () => {
    const { shop } = await shopWith({ bonuses: { actions } });
    expect((await claim(routeArgs(post(shop, "7805", "action", { key: "nope", requestId: "claim-0003" })))).status).toBe(404);
    expect((await claim(routeArgs(post(shop, null, "action", { key: "newsletter", requestId: "claim-0004" })))).status).toBe(403);
    expect((await claim(routeArgs(post(shop, "7805", "action", { key: "newsletter", requestId: "claim-0005" }, "forged")))).status).toBe(
      401,
    );
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
  });
});

describe("birthday bonus", () => {
  test("GIVEN a saved birthday THEN the bonus is paid on the day, once a year; the birthday cannot be moved to today", async () => {
    const { shop, shopId } = await shopWith({ bonuses: { birthday: 100 } });
    expect((await birthday(routeArgs(post(shop, "7806", "birthday", { month: 3, day: 14 })))).status).toBe(200);
    expect((await birthday(routeArgs(post(shop, "7806", "birthday", { month: 11, day: 23 })))).status).toBe(400);
    expect((await birthday(routeArgs(post(shop, "7807", "birthday", { month: 2, day: 30 })))).status).toBe(400);
    const saved = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "7806" } });
    expect(Math.abs(saved.birthdaySavedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    // Saved today: March 14 next year is at least 73 days away, past the 30-day lead time.
    const y = new Date().getUTCFullYear() + 1;
    const sweep = (iso: string) => sweepBirthdays({ db: prisma, clock: () => new Date(iso), transaction: transaction(prisma) }, shopId);
    expect(await sweep(`${y}-03-13T12:00:00Z`)).toBe(0);
    expect(await sweep(`${y}-03-14T00:10:00Z`)).toBe(1);
    expect(await sweep(`${y}-03-15T00:10:00Z`)).toBe(0);
    expect(await sweep(`${y}-12-31T00:10:00Z`)).toBe(0);
    expect(await sweep(`${y + 1}-03-14T09:00:00Z`)).toBe(1);
    expect(await points(shop, "7806")).toEqual({ balance: 200, pending: 0 });
  });

  test("GIVEN a birthday saved 10 days before THEN it pays from next year; saved 40 days before THEN this year", async () => {
    const { shop, shopId } = await shopWith({ bonuses: { birthday: 100 } });
    const save = (iso: string, shopifyCustomerId: string, month: number, day: number) =>
      setBirthday({ db: prisma, clock: () => new Date(iso) }, { shopDomain: shop, shopifyCustomerId, month, day, ipHash: null });
    await save("2027-06-05T18:00:00Z", "7820", 6, 15); // 10 days before
    await save("2027-05-06T09:00:00Z", "7821", 6, 15); // 40 days before
    await save("2027-06-15T08:00:00Z", "7822", 6, 15); // on the day
    await save("2027-07-01T08:00:00Z", "7823", 6, 15); // after this year's birthday
    const sweep = (iso: string) => sweepBirthdays({ db: prisma, clock: () => new Date(iso), transaction: transaction(prisma) }, shopId);
    const paid = async () =>
      Object.fromEntries(await Promise.all(["7820", "7821", "7822", "7823"].map(async (id) => [id, (await points(shop, id)).balance])));
    expect(await sweep("2027-06-15T00:30:00Z")).toBe(1);
    expect(await sweep("2027-06-15T12:00:00Z")).toBe(0);
    expect(await sweep("2027-12-31T12:00:00Z")).toBe(0);
    expect(await paid()).toEqual({ 7820: 0, 7821: 100, 7822: 0, 7823: 0 });
    expect(await sweep("2028-06-15T00:30:00Z")).toBe(4);
    expect(await paid()).toEqual({ 7820: 100, 7821: 200, 7822: 100, 7823: 100 });
  });

  test("GIVEN a shopper sending birthdays faster than a person can THEN the route answers 429 with Retry-After", async () => {
    const { shop, shopId } = await shopWith({ bonuses: { birthday: 100 } });
    const statuses: number[] = [];
    let limited: Response | null = null;
    // 10 a minute per shopper; a run may straddle a minute boundary, so allow one reset.
    for (let i = 0; i < 25 && !limited; i++) {
      const res = await birthday(routeArgs(post(shop, "7824", "birthday", { month: 1 + (i % 12), day: 1 })));
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses[0]).toBe(200);
    expect(statuses.slice(1, 10).every((s) => s === 400)).toBe(true); // already saved
    expect(limited).not.toBeNull();
    expect(limited!.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await limited!.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    const c = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "7824" } });
    expect([c.birthdayMonth, c.birthdayDay]).toEqual([1, 1]);
  });
});

describe("stamp card", () => {
  test("GIVEN buy 3, get a reward THEN the third order completes the card, and replays add no stamps", async () => {
    const { shop } = await shopWith({
      earning: { points: 0, perAmount: 100_000, pendingDays: 0 },
      stamps: { enabled: true, counts: "orders", target: 3, rewardPoints: 500 },
    });
    for (const id of ["91", "92", "92", "93"]) {
      await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(id, "7808", 1))));
    }
    const c = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(c.stamps).toBe(3);
    expect(await points(shop, "7808")).toEqual({ balance: 500, pending: 0 });
  });
});
