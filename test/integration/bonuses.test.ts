import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as customerUpdate } from "~/routes/webhooks.customers.update";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as claim } from "~/routes/proxy.action";
import { action as birthday } from "~/routes/proxy.birthday";
import { sweepBirthdays } from "~/domain/bonuses";
import { ensureShop, updateProgramSettings } from "~/domain/shops";
import { parseSettings } from "~/domain/program";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

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
const newCustomer = (id: string) => ({ id: Number(id), email: `c${id}@example.com`, first_name: "New", last_name: "Member", tags: "" });

describe("signup bonus", () => {
  test("GIVEN a signup bonus THEN a new account gets it once; a profile update does not", async () => {
    const { shop } = await shopWith({ bonuses: { signup: 200 } });
    await customerCreate(routeArgs(webhookRequest("customers/create", shop, newCustomer("7801"))));
    await customerCreate(routeArgs(webhookRequest("customers/create", shop, newCustomer("7801")))); // redelivered
    await customerUpdate(routeArgs(webhookRequest("customers/update", shop, newCustomer("7801"))));
    expect(await points(shop, "7801")).toEqual({ balance: 200, pending: 0 });
  });

  test("GIVEN no signup bonus THEN a new account starts at 0", async () => {
    const { shop } = await shopWith({});
    await customerCreate(routeArgs(webhookRequest("customers/create", shop, newCustomer("7802"))));
    expect(await points(shop, "7802")).toEqual({ balance: 0, pending: 0 });
  });
});

describe("custom actions", () => {
  const actions = [
    { key: "newsletter", label: "Join our newsletter", points: 50, limit: "once" },
    { key: "review", label: "Write a review", points: 30, limit: "unlimited" },
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

  test("GIVEN an unlimited action THEN each new request earns, a retried request does not", async () => {
    const { shop } = await shopWith({ bonuses: { actions } });
    await claim(routeArgs(post(shop, "7804", "action", { key: "review", requestId: "review-0001" })));
    await claim(routeArgs(post(shop, "7804", "action", { key: "review", requestId: "review-0001" })));
    await claim(routeArgs(post(shop, "7804", "action", { key: "review", requestId: "review-0002" })));
    expect(await points(shop, "7804")).toEqual({ balance: 60, pending: 0 });
  });

  test("GIVEN an unknown action, a guest or a forged signature THEN nothing is awarded", async () => {
    const { shop } = await shopWith({ bonuses: { actions } });
    expect((await claim(routeArgs(post(shop, "7805", "action", { key: "nope", requestId: "claim-0003" })))).status).toBe(404);
    expect((await claim(routeArgs(post(shop, null, "action", { key: "newsletter", requestId: "claim-0004" })))).status).toBe(403);
    expect((await claim(routeArgs(post(shop, "7805", "action", { key: "newsletter", requestId: "claim-0005" }, "forged")))).status).toBe(401);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
  });
});

describe("birthday bonus", () => {
  test("GIVEN a saved birthday THEN the bonus is paid on the day, once a year; the birthday cannot be moved to today", async () => {
    const { shop, shopId } = await shopWith({ bonuses: { birthday: 100 } });
    expect((await birthday(routeArgs(post(shop, "7806", "birthday", { month: 3, day: 14 })))).status).toBe(200);
    expect((await birthday(routeArgs(post(shop, "7806", "birthday", { month: 11, day: 23 })))).status).toBe(400);
    expect((await birthday(routeArgs(post(shop, "7807", "birthday", { month: 2, day: 30 })))).status).toBe(400);
    const sweep = (iso: string) => sweepBirthdays({ db: prisma, clock: () => new Date(iso), transaction: transaction(prisma) }, shopId);
    expect(await sweep("2027-03-13T12:00:00Z")).toBe(0);
    expect(await sweep("2027-03-14T00:10:00Z")).toBe(1);
    expect(await sweep("2027-03-15T00:10:00Z")).toBe(0);
    expect(await sweep("2027-12-31T00:10:00Z")).toBe(0);
    expect(await sweep("2028-03-14T09:00:00Z")).toBe(1);
    expect(await points(shop, "7806")).toEqual({ balance: 200, pending: 0 });
  });
});

describe("stamp card", () => {
  test("GIVEN buy 3, get a reward THEN the third order completes the card, and replays add no stamps", async () => {
    const { shop } = await shopWith({ earning: { points: 0, perAmount: 100_000, pendingDays: 0 }, stamps: { enabled: true, counts: "orders", target: 3, rewardPoints: 500 } });
    for (const id of ["91", "92", "92", "93"]) {
      await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(id, "7808", 1))));
    }
    const c = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(c.stamps).toBe(3);
    expect(await points(shop, "7808")).toEqual({ balance: 500, pending: 0 });
  });
});
