// Settings → Customer data requests: the list of what customers/data_request asked for, each
// customer's data as a download, and marking a request answered; all scoped to the admin's shop.
import { afterEach, describe, expect, test, vi } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customerRedact } from "~/routes/webhooks.customers.redact";
import { action, loader } from "~/routes/app.settings_.data-requests";
import { loader as download } from "~/routes/app.settings_.data-requests.$id.download";
import { loader as settings } from "~/routes/app.settings/route";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const BASE = "http://127.0.0.1:3000/app/settings/data-requests";

afterEach(() => vi.restoreAllMocks());

const privacyBody = (shop: string, customerId: string) => ({
  shop_id: 1,
  shop_domain: shop,
  customer: { id: Number(customerId), email: `customer-${customerId}@example.com`, phone: null },
  orders_to_redact: [],
});

/** A shop with a signed-in admin, members who ordered, and the webhooks Shopify sends it. */
async function adminShop(members: string[]) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  for (const id of members) await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`9${id}`, id))));
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const get = (url: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(url));
  return {
    shop,
    asked: async (customerId: string) => {
      const res = await dataRequest(routeArgs(webhookRequest("customers/data_request", shop, privacyBody(shop, customerId))));
      expect(res.status).toBe(200);
    },
    redacted: async (customerId: string) => {
      const res = await customerRedact(routeArgs(webhookRequest("customers/redact", shop, privacyBody(shop, customerId))));
      expect(res.status).toBe(200);
    },
    list: async () => loader(routeArgs(await get(BASE))),
    pendingOnSettings: async () => (await settings(routeArgs(await get("http://127.0.0.1:3000/app/settings")))).pendingDataRequests,
    download: async (id: string): Promise<Response> =>
      download({ request: await get(`${BASE}/${encodeURIComponent(id)}/download`), params: { id }, context: {} }).catch(
        (r: unknown) => r as Response,
      ),
    fulfil: async (fields: Record<string, string>): Promise<unknown> => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      const request = await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(BASE, { method: "POST", body }));
      return action(routeArgs(request)).catch((r: unknown) => r);
    },
  };
}

describe("admin: customer data requests", () => {
  test("GIVEN data requests to two shops THEN each shop lists only its own, oldest waiting first, with who asked", async () => {
    const a = await adminShop(["7501", "7502"]);
    const b = await adminShop(["7503"]);
    expect(await a.pendingOnSettings()).toBe(0);
    await a.asked("7502");
    await a.asked("7501");
    await a.asked("7599"); // never a member: Kembali holds nothing about them
    await b.asked("7503");

    const list = await a.list();
    expect(list.pendingCount).toBe(3);
    expect(list.pending.map((r) => r.shopifyCustomerId)).toEqual(["7502", "7501", "7599"]);
    expect(list.pending[0]).toMatchObject({
      customer: { firstName: "Test", lastName: "Customer 7502", email: "customer-7502@example.com", redacted: false },
      fulfilledAt: null,
    });
    expect(list.pending[2].customer).toBeNull();
    expect(list.fulfilled).toEqual([]);
    expect(await a.pendingOnSettings()).toBe(3);
    expect((await b.list()).pending.map((r) => r.shopifyCustomerId)).toEqual(["7503"]);
  });

  test("GIVEN a request THEN its download is the customer's data as a JSON attachment, never cached, and nothing of it is logged", async () => {
    const a = await adminShop(["7511"]);
    await a.asked("7511");
    const [request] = (await a.list()).pending;
    const logged: unknown[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(...args));
    }

    const res = await a.download(request.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="kembali-customer-7511-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const body = await res.json();
    expect(body).toMatchObject({
      dataRequest: { shopifyCustomerId: "7511", receivedAt: request.receivedAt },
      shop: a.shop,
      customer: {
        shopifyCustomerId: "7511",
        email: "customer-7511@example.com",
        firstName: "Test",
        lastName: "Customer 7511",
        pendingPoints: 250_000,
      },
      orders: [expect.objectContaining({ shopifyOrderId: "97511", totalMinor: expect.any(String) })],
      pointsEntries: [expect.objectContaining({ kind: "earn", points: 250_000, source: "order:97511" })],
      redemptions: [],
      referrals: { code: null, made: [], referredBy: [] },
    });
    expect(JSON.stringify(logged)).not.toContain("7511");
  });

  test("GIVEN another shop's request id THEN download and marking it answer 404 and change nothing; a malformed form is 400", async () => {
    const a = await adminShop(["7521"]);
    const b = await adminShop(["7522"]);
    await b.asked("7522");
    const [theirs] = (await b.list()).pending;

    const res = await a.download(theirs.id);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(text).not.toContain("7522");
    expect((await a.download("no-such-request")).status).toBe(404);

    const refused = (await a.fulfil({ intent: "fulfil", id: theirs.id })) as Response;
    expect(refused.status).toBe(404);
    expect(((await a.fulfil({ intent: "delete", id: theirs.id })) as Response).status).toBe(400);
    expect(((await a.fulfil({ intent: "fulfil" })) as Response).status).toBe(400);
    expect((await b.list()).pending.map((r) => r.id)).toEqual([theirs.id]);
  });

  test("GIVEN a request answered THEN it is marked fulfilled with when, moves to the answered list, and marking it again keeps the first time", async () => {
    const a = await adminShop(["7531", "7532"]);
    await a.asked("7531");
    await a.asked("7532");
    const [first] = (await a.list()).pending;
    const before = Date.now();

    const marked = (await a.fulfil({ intent: "fulfil", id: first.id })) as { fulfilledAt: string; changed: boolean };
    expect(marked).toMatchObject({ id: first.id, changed: true });
    expect(new Date(marked.fulfilledAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const list = await a.list();
    expect(list.pending.map((r) => r.shopifyCustomerId)).toEqual(["7532"]);
    expect(list.fulfilled).toEqual([expect.objectContaining({ id: first.id, fulfilledAt: marked.fulfilledAt })]);
    expect(await a.pendingOnSettings()).toBe(1);

    expect(await a.fulfil({ intent: "fulfil", id: first.id })).toMatchObject({ changed: false, fulfilledAt: marked.fulfilledAt });
    // An answered request can still be downloaded (the customer may ask for the file again).
    expect((await a.download(first.id)).status).toBe(200);
  });

  test("GIVEN customers/redact after the request THEN the download and the list no longer hold their email, name or birthday", async () => {
    const a = await adminShop(["7541"]);
    await prisma.customer.updateMany({
      where: { shop: { domain: a.shop }, shopifyCustomerId: "7541" },
      data: { birthdayMonth: 8, birthdayDay: 17 },
    });
    await a.asked("7541");
    const [request] = (await a.list()).pending;
    expect((await (await a.download(request.id)).json()).customer).toMatchObject({ birthday: { month: 8, day: 17 } });

    await a.redacted("7541");
    const text = await (await a.download(request.id)).text();
    const body = JSON.parse(text);
    expect(body.customer).toMatchObject({ email: null, firstName: null, lastName: null, birthday: null, redactedAt: expect.any(String) });
    expect(text).not.toContain("example.com");
    expect(text).not.toContain("Test");
    expect(text).not.toContain("Customer 7541");
    // The ledger and orders stay (totals, not personal data).
    expect(body.pointsEntries).toHaveLength(1);
    expect((await a.list()).pending[0].customer).toEqual({ firstName: null, lastName: null, email: null, redacted: true });
  });

  test("GIVEN the customer was never in Kembali THEN the download says Kembali holds nothing about them", async () => {
    const a = await adminShop([]);
    await a.asked("7551");
    const [request] = (await a.list()).pending;
    const res = await a.download(request.id);
    expect(await res.json()).toEqual({
      dataRequest: { receivedAt: request.receivedAt, shopifyCustomerId: "7551" },
      shop: a.shop,
      customer: null,
    });
  });
});
