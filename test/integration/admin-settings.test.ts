import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { backfillJob } from "~/domain/earning/history";
import { runJob } from "~/domain/jobs";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import { localShopify, shopifyFor } from "~/shopify/shopify-for.server";
import { ALL_ORDERS_SCOPE } from "~/shopify/admin/port";
import { action, loader } from "~/routes/app.settings/route";
import { newShopDomain, points, routeArgs } from "../helpers";

const URL_ = "http://127.0.0.1:3000/app/settings";

// Other test files run workers that claim any due backfill job. This file's clock runs a year
// ahead, so the jobs it queues are never due for them, and it runs its own jobs by id.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(Date.now() + 365 * 86_400_000);
});
afterAll(() => vi.useRealTimers());

async function adminShop() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  return {
    shop,
    load: async () => loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(URL_)))),
    start: async (earnPoints: boolean) => {
      const body = new FormData();
      if (earnPoints) body.append("earnPoints", "true");
      return action(
        routeArgs(await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(URL_, { method: "POST", body }))),
      );
    },
  };
}

/** Three past paid orders of one customer in the shop's order history (the Admin API port's local store). */
function history() {
  const store = localStoreAdmin(createLocalStoreState());
  for (let i = 0; i < 3; i++) {
    const at = new Date(Date.now() - (90 - i) * 86_400_000);
    store.addOrder({
      id: String(81000 + i),
      currency: "IDR",
      customer: { id: "8101", email: "old@example.com", firstName: "Old", lastName: "Customer" },
      subtotal: 25_000_000,
      total: 27_000_000,
      shipping: 2_000_000,
      tax: 0,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      financialStatus: "PAID",
      lineItems: [{ productId: "8001", variantId: "9001", title: "Kopi Gayo", quantity: 2, price: 12_500_000 }],
      refunds: [],
      truncated: false,
    });
  }
  return store;
}

const jobsOf = (shop: string) => prisma.job.findMany({ where: { shopDomain: shop, type: "backfill" } });

describe("admin settings: order history import", () => {
  test("GIVEN no import yet WHEN the merchant starts one THEN one job is queued, a second start is refused while it runs, and progress shows", async () => {
    const { shop, load, start } = await adminShop();
    expect(await load()).toMatchObject({ backfill: null, memberImport: null });

    const first = await start(true);
    expect(first).toMatchObject({ ok: true, backfill: { status: "queued", earnPoints: true, progress: 0, percent: null } });
    expect(await jobsOf(shop)).toEqual([expect.objectContaining({ status: "queued", input: { earnPoints: true } })]);
    expect(await start(false)).toEqual({ ok: false, intent: "backfill", backfill: null, error: "settings.backfill.error.running" });

    // A worker picks it up: still one job, now running.
    const deps = { db: prisma, clock: () => new Date() };
    const handlers = { backfill: backfillJob(async () => history(), transaction(prisma)) };
    const [job] = await jobsOf(shop);
    await prisma.job.update({ where: { id: job.id }, data: { status: "running", startedAt: new Date(), attempts: 1 } });
    expect((await load()).backfill).toMatchObject({ status: "running" });
    expect(await start(true)).toMatchObject({ ok: false, error: "settings.backfill.error.running" });
    expect(await jobsOf(shop)).toHaveLength(1);

    expect(await runJob(deps, handlers, job.id)).toBe("done");
    const done = (await load()).backfill;
    expect(done).toMatchObject({
      status: "done",
      progress: 3,
      percent: 100,
      error: null,
      earnPoints: true,
      range: { allOrders: true, since: null },
    });
    expect(done?.finishedAt).not.toBeNull();
    expect(await points(shop, "8101")).toEqual({ balance: 3 * 250, pending: 0 });

    // Once it is over, another import may start (and imports nothing twice).
    expect(await start(false)).toMatchObject({ ok: true, backfill: { status: "queued", earnPoints: false } });
    expect(await jobsOf(shop)).toHaveLength(2);
  });

  test("GIVEN an import that failed THEN the page shows the error and a new import may start", async () => {
    const { shop, load, start } = await adminShop();
    await start(false);
    const [job] = await jobsOf(shop);
    await prisma.job.update({ where: { id: job.id }, data: { status: "failed", error: "Shopify answered 503", finishedAt: new Date() } });
    expect((await load()).backfill).toMatchObject({ status: "failed", error: "Shopify answered 503", percent: null });
    expect(await start(true)).toMatchObject({ ok: true });
  });

  test("GIVEN a shop that granted access to all orders THEN the card says the whole history can be imported", async () => {
    const { shop, load } = await adminShop();
    expect(localShopify(shop).state.accessScopes).toContain(ALL_ORDERS_SCOPE);
    expect(await load()).toMatchObject({ historyAccess: "all", backfill: null });
  });

  test("GIVEN Shopify has not granted read_all_orders THEN the card says only the last 60 days can be imported, and the import reads those only and records it", async () => {
    const { shop, load, start } = await adminShop();
    const store = localShopify(shop);
    store.state.accessScopes = store.state.accessScopes.filter((s) => s !== ALL_ORDERS_SCOPE);
    for (const [id, days] of [
      [82001, 120],
      [82002, 61],
      [82003, 30],
      [82004, 1],
    ]) {
      const at = new Date(Date.now() - days * 86_400_000);
      store.addOrder({
        id: String(id),
        currency: "IDR",
        customer: { id: "8201", email: "recent@example.com", firstName: "Recent", lastName: "Customer" },
        subtotal: 25_000_000,
        total: 25_000_000,
        shipping: 0,
        tax: 0,
        createdAt: at,
        processedAt: at,
        updatedAt: at,
        cancelledAt: null,
        financialStatus: "PAID",
        lineItems: [{ productId: "8001", variantId: "9001", title: "Kopi Gayo", quantity: 2, price: 12_500_000 }],
        refunds: [],
        truncated: false,
      });
    }
    expect((await load()).historyAccess).toBe("recent");

    // The app's own worker setup: the job reads the shop's Shopify through shopifyFor.
    const handlers = { backfill: backfillJob(shopifyFor, transaction(prisma)) };
    const deps = { db: prisma, clock: () => new Date() };
    await start(false);
    const [job] = await jobsOf(shop);
    expect(await runJob(deps, handlers, job.id)).toBe("done");
    const { backfill } = await load();
    expect(backfill).toMatchObject({ status: "done", progress: 2, range: { allOrders: false } });
    expect(Math.round((Date.now() - new Date(backfill!.range!.since!).getTime()) / 86_400_000)).toBe(60);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(2);

    // Approved later: the card says so, and a new import adds the older orders.
    store.state.accessScopes.push(ALL_ORDERS_SCOPE);
    expect((await load()).historyAccess).toBe("all");
    await start(false);
    const second = (await jobsOf(shop)).find((j) => j.id !== job.id)!;
    expect(await runJob(deps, handlers, second.id)).toBe("done");
    expect((await load()).backfill).toMatchObject({ status: "done", progress: 4, range: { allOrders: true, since: null } });
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(4);
  });

  test("GIVEN Shopify does not answer THEN the card says it could not check, and the page still loads", async () => {
    const { shop, load } = await adminShop();
    const store = localShopify(shop);
    const accessScopes = store.accessScopes;
    store.accessScopes = async () => {
      throw new Error("Shopify answered 503");
    };
    try {
      expect((await load()).historyAccess).toBeNull();
    } finally {
      store.accessScopes = accessScopes;
    }
  });
});
