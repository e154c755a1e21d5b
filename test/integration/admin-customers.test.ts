import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { searchMembers } from "~/admin/members";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { loader as customersLoader } from "~/routes/app.customers._index/route";
import { action as memberAction, loader as memberLoader } from "~/routes/app.customers.$id/route";
import { loader as rewardsLoader } from "~/routes/app.rewards/route";
import { loader as settingsLoader } from "~/routes/app.settings/route";
import { newShopDomain, paidOrder, points, releasePending, routeArgs, webhookRequest } from "../helpers";

const BASE = "http://127.0.0.1:3000";

/** An installed shop with a stored offline session, and embedded-admin requests signed for it. */
async function adminShop() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const get = (path: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(BASE + path));
  const post = (path: string, fields: Record<string, string>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(BASE + path, { method: "POST", body }));
  };
  const paid = (orderId: string, customerId: string, quantity = 2) =>
    orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(orderId, customerId, quantity))));
  const search = async (q = "") => customersLoader(routeArgs(await get(`/app/customers?q=${encodeURIComponent(q)}`)));
  const member = async (id: string) => memberLoader({ ...routeArgs(await get(`/app/customers/${id}`)), params: { id } });
  const adjust = async (id: string, fields: Record<string, string>) =>
    memberAction({ ...routeArgs(await post(`/app/customers/${id}`, fields)), params: { id } });
  return { shop, paid, search, member, adjust };
}

const thrown = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected the loader to refuse");
    },
    (e: unknown) => e as Response,
  );

describe("admin customers", () => {
  test("GIVEN two shops with look-alike customers WHEN searching THEN only the signed-in shop's members come back", async () => {
    const a = await adminShop();
    const b = await adminShop();
    await a.paid("7101", "71001");
    await a.paid("7102", "71002", 1);
    await b.paid("7103", "71003");

    const all = await a.search();
    expect(all.members.map((m) => m.shopifyCustomerId).sort()).toEqual(["71001", "71002"]);
    expect(all.members.find((m) => m.shopifyCustomerId === "71001")).toMatchObject({
      email: "customer-71001@example.com",
      balance: 0,
      pending: 250_000,
      orders: 1,
    });
    // Email, name (any case, several words) and Shopify id; never the other shop's customer.
    expect((await a.search("CUSTOMER-71002@")).members.map((m) => m.shopifyCustomerId)).toEqual(["71002"]);
    expect((await a.search("test customer 71001")).members.map((m) => m.shopifyCustomerId)).toEqual(["71001"]);
    expect((await a.search("7100")).members).toHaveLength(2);
    expect((await a.search("71003")).members).toEqual([]);
    expect((await a.search("customer-71003@example.com")).members).toEqual([]);
  });

  test("GIVEN more members than a page THEN the cursor walks them all once, most recently active first", async () => {
    const a = await adminShop();
    for (let i = 0; i < 5; i++) await a.paid(String(7200 + i), String(72000 + i), 1);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await searchMembers({ db: prisma }, a.shop, { cursor, take: 2 });
      seen.push(...page.members.map((m) => m.shopifyCustomerId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["72004", "72003", "72002", "72001", "72000"]);
  });

  test("GIVEN points earned through the orders/paid webhook THEN the audit explains the balance and the check passes", async () => {
    const a = await adminShop();
    await a.paid("7301", "73001");
    const pending = await a.member("73001");
    expect(pending).toMatchObject({ balance: 0, pending: 250_000, consistent: true, ledgerSum: 250_000 });
    expect(pending.profile).toMatchObject({ shopifyCustomerId: "73001", email: "customer-73001@example.com" });
    expect(pending.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(pending.entries).toEqual([
      expect.objectContaining({
        kind: "earn",
        points: 250_000,
        balanceAfter: 0,
        runningTotal: 250_000,
        source: "order:7301",
        reason: "Points for a paid order",
        lot: expect.objectContaining({ remaining: 250_000, pending: true, expiresAt: null }),
      }),
    ]);
    const availableIn = new Date(pending.entries[0].lot!.availableAt!).getTime() - Date.now();
    expect(Math.round(availableIn / 86_400_000)).toBe(30);

    await releasePending(a.shop);
    await a.paid("7302", "73001", 1);
    const later = await a.member("73001");
    expect(later).toMatchObject({ balance: 250_000, pending: 125_000, consistent: true, ledgerSum: 375_000 });
    expect(later.entries.map((e) => e.runningTotal)).toEqual([250_000, 375_000]);
    expect((await a.member("73001")).requestId).not.toBe(later.requestId);

    // A cached balance that drifted from the ledger shows up as a failed check.
    await prisma.customer.updateMany({
      where: { shop: { domain: a.shop }, shopifyCustomerId: "73001" },
      data: { balance: { increment: 1 } },
    });
    expect(await a.member("73001")).toMatchObject({ balance: 250_001, consistent: false, ledgerSum: 375_000 });
  });

  test("GIVEN another shop's customer id THEN the member page answers 404 and shows nothing of them", async () => {
    const a = await adminShop();
    const b = await adminShop();
    await b.paid("7401", "74001");
    for (const id of ["74001", "no-such-customer"]) {
      const res = await thrown(a.member(id));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain("customer-74001");
    }
    const refused = await thrown(a.adjust("74001", { points: "100", reason: "Sneaky", requestId: "req-00000001" }));
    expect(refused.status).toBe(404);
    expect(await points(b.shop, "74001")).toEqual({ balance: 0, pending: 250_000 });
  });

  test("GIVEN a manual adjustment submitted twice with one form THEN it applies once, with the merchant's reason", async () => {
    const a = await adminShop();
    await a.paid("7501", "75001", 1);
    await releasePending(a.shop);
    const { requestId } = await a.member("75001");
    const form = { points: "500", reason: "Sorry for the late parcel", requestId };
    expect(await a.adjust("75001", form)).toEqual({ ok: true, applied: true, points: 500, balance: 125_500 });
    expect(await a.adjust("75001", form)).toEqual({ ok: true, applied: false, points: 500, balance: 125_500 });
    // The same form sent back with other figures (browser back, edit, resend) is not a repeat.
    expect(await a.adjust("75001", { ...form, points: "900" })).toEqual({ ok: false, fields: { form: "member.error.form" } });
    // A double click: concurrent submits of one form still apply once.
    const again = await a.member("75001");
    const twice = await Promise.all(
      Array.from({ length: 5 }, () => a.adjust("75001", { points: "-500", reason: "Goodwill taken back", requestId: again.requestId })),
    );
    expect(twice.filter((r) => r.ok && r.applied)).toHaveLength(1);
    expect(await points(a.shop, "75001")).toEqual({ balance: 125_000, pending: 0 });
    const audit = await a.member("75001");
    expect(audit.entries.filter((e) => e.kind === "adjust")).toEqual([
      expect.objectContaining({ points: 500, reason: "Sorry for the late parcel", source: `admin:${requestId}` }),
      expect.objectContaining({ points: -500, reason: "Goodwill taken back", lot: null }),
    ]);
    expect(audit.consistent).toBe(true);
  });

  test("GIVEN a removal larger than the balance, or a bad form THEN it is refused and nothing is written", async () => {
    const a = await adminShop();
    await a.paid("7601", "76001", 1);
    const { requestId } = await a.member("76001");
    // The 125,000 pending points cannot be spent yet, so they cannot be removed either.
    expect(await a.adjust("76001", { points: "-1", reason: "Too many", requestId })).toEqual({
      ok: false,
      fields: { points: "member.error.insufficient" },
      available: 0,
    });
    expect(await a.adjust("76001", { points: "0", reason: "ok", requestId })).toEqual({
      ok: false,
      fields: { points: "member.error.points", reason: "member.error.reason" },
    });
    expect(await a.adjust("76001", { points: "1.5", reason: "Half a point", requestId })).toMatchObject({
      ok: false,
      fields: { points: "member.error.points" },
    });
    expect(await a.adjust("76001", { points: "1000001", reason: "A lot", requestId })).toMatchObject({
      ok: false,
      fields: { points: "member.error.points" },
    });
    expect(await a.adjust("76001", { points: "5", reason: "No id", requestId: "" })).toMatchObject({
      ok: false,
      fields: { requestId: "member.error.form" },
    });
    expect(await points(a.shop, "76001")).toEqual({ balance: 0, pending: 125_000 });
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: a.shop }, kind: "adjust" } })).toBe(0);
  });

  test("GIVEN no valid session token THEN no admin loader answers with data", async () => {
    const a = await adminShop();
    await a.paid("7701", "77001");
    const host = btoa(`admin.shopify.com/store/${a.shop.replace(".myshopify.com", "")}`);
    const routes = [
      [customersLoader, "/app/customers"],
      [memberLoader, "/app/customers/77001"],
      [rewardsLoader, "/app/rewards"],
      [settingsLoader, "/app/settings"],
    ] as const;
    for (const [loader, path] of routes) {
      const call = (request: Request) =>
        thrown((loader as (args: unknown) => Promise<unknown>)({ request, params: { id: "77001" }, context: {} }));
      // No token at all: to the login page.
      const bare = await call(new Request(BASE + path));
      expect([bare.status, bare.headers.get("location")]).toEqual([302, "/auth/login"]);
      // A forged token on a page load: back to Shopify's session-token bounce, no data.
      const forged = await call(new Request(`${BASE}${path}?shop=${a.shop}&host=${host}&embedded=1&id_token=forged`));
      expect(forged.status).toBe(302);
      expect(forged.headers.get("location")).toMatch(/^\/auth\/session-token\?/);
      // A forged bearer token on a fetch: 401.
      const bearer = await call(new Request(BASE + path, { headers: { Authorization: "Bearer forged" } }));
      expect(bearer.status).toBe(401);
      for (const res of [bare, forged, bearer]) expect(await res.text()).not.toContain("77001");
    }
  });
});
