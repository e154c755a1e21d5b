// The order-history import on a shop that has not granted read_all_orders: Shopify then answers
// as if the shop had only the last 60 days of orders, so the import must say what it read
// instead of passing for the whole history. Run against the in-memory store and against the
// GraphQL implementation talking to a fake Shopify over msw.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { backfillJob } from "~/domain/earning/history";
import { enqueueJob, runJob } from "~/domain/jobs";
import { backfillStatus } from "~/domain/members/changes";
import { ensureShop } from "~/domain/shop/shops";
import { graphqlAdmin } from "~/shopify/admin/graphql.server";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import { ALL_ORDERS_SCOPE, type AdminOrder, type ShopifyAdmin } from "~/shopify/admin/port";
import { fakeShopifyAdmin } from "../mocks/admin-graphql";
import { newShopDomain } from "../helpers";

const DAY = 86_400_000;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function adminOrder(id: number, daysAgo: number): AdminOrder {
  const at = new Date(Date.now() - daysAgo * DAY);
  return {
    id: String(id),
    currency: "IDR",
    customer: { id: "7801", email: "c7801@example.com", firstName: "Old", lastName: "Customer" },
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
  };
}

interface Store {
  admin: ShopifyAdmin;
  addOrder(order: AdminOrder): void;
  setAccessScopes(handles: string[]): void;
}

const stores: Array<[string, () => Store]> = [
  [
    "local store",
    () => {
      const admin = localStoreAdmin(createLocalStoreState());
      return { admin, addOrder: admin.addOrder, setAccessScopes: (h) => void (admin.state.accessScopes = h) };
    },
  ],
  [
    "GraphQL over msw",
    () => {
      const fake = fakeShopifyAdmin();
      server.use(fake.handler);
      return {
        admin: graphqlAdmin(fake.graphql, { sleep: async () => {} }),
        addOrder: fake.addOrder,
        setAccessScopes: fake.setAccessScopes,
      };
    },
  ],
];

describe.each(stores)("order-history import and access to all orders (%s)", (_, makeStore) => {
  async function setup() {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    const store = makeStore();
    // 400, 90 and 61 days old: beyond Shopify's default window; 59 and 2 days: inside it.
    for (const [id, days] of [
      [75001, 400],
      [75002, 90],
      [75003, 61],
      [75004, 59],
      [75005, 2],
    ])
      store.addOrder(adminOrder(id, days));
    const handlers = { backfill: backfillJob(async () => store.admin, transaction(prisma)) };
    const deps = { db: prisma, clock: () => new Date() };
    const backfill = async () => {
      // Never due for the workers of other test files (which claim any due backfill): run by id.
      const job = await enqueueJob(deps, {
        shopDomain: shop,
        type: "backfill",
        input: { earnPoints: false },
        runAfter: new Date(Date.now() + 3650 * DAY),
      });
      expect(await runJob(deps, handlers, job.id)).toBe("done");
      return backfillStatus(deps, shop);
    };
    const imported = async () =>
      (await prisma.order.findMany({ where: { shop: { domain: shop } }, orderBy: { shopifyOrderId: "asc" } })).map((o) => o.shopifyOrderId);
    return { shop, store, backfill, imported };
  }

  test("GIVEN read_all_orders not granted WHEN the history is imported THEN the last 60 days come and the import records that it read from 60 days ago only", async () => {
    const { store, backfill, imported } = await setup();
    store.setAccessScopes(["read_orders", "read_customers"]);
    const before = Date.now();
    const status = await backfill();
    expect(await imported()).toEqual(["75004", "75005"]);
    expect(status).toMatchObject({ status: "done", progress: 2, range: { allOrders: false, since: expect.any(String) } });
    const since = new Date(status!.range!.since!).getTime();
    expect(since).toBeGreaterThanOrEqual(before - 60 * DAY);
    expect(since).toBeLessThanOrEqual(Date.now() - 60 * DAY);
  });

  test("GIVEN read_all_orders granted later WHEN the history is imported again THEN the older orders are added, once, and the import says it read everything", async () => {
    const { store, backfill, imported } = await setup();
    store.setAccessScopes(["read_orders"]);
    await backfill();
    store.setAccessScopes(["read_orders", ALL_ORDERS_SCOPE]);
    const status = await backfill();
    expect(status).toMatchObject({ status: "done", progress: 5, range: { allOrders: true, since: null } });
    expect(await imported()).toEqual(["75001", "75002", "75003", "75004", "75005"]);
  });
});
