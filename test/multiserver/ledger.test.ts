// Two production app servers on one PostgreSQL database (issue 16): signed webhooks spread
// over both (shuffled, duplicates sent to both at the same instant, refunds, cancellations)
// end with the ledger one server gives the same events in order; concurrent redemptions of one
// member from both servers spend the balance exactly once. PostgreSQL only (TEST_DB=postgresql).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mulberry32, orderPaidPayload, DEMO_PRODUCTS } from "~/demo/catalog";
import type { Db } from "~/db.server";
import {
  freshPostgres,
  installSession,
  proxyCall,
  sendWebhook,
  startCluster,
  startShopifyStandIn,
  stopServers,
  type AppServer,
} from "./cluster";
import pg from "pg";

const onPostgres = process.env.TEST_DB === "postgresql" && !!process.env.TEST_DATABASE_URL;
if (!onPostgres) {
  console.warn("test/multiserver: skipped, it needs PostgreSQL (TEST_DB=postgresql TEST_DATABASE_URL=postgresql://...)");
}

const SPREAD = "multi-spread.myshopify.com";
const REFERENCE = "multi-reference.myshopify.com";
const ORDERS = 200;
const CUSTOMERS = 40;

type Event = {
  topic: "orders/paid" | "refunds/create" | "orders/cancelled";
  body: unknown;
  eventId: string;
  twice: boolean;
  customer: number;
};

/** 200 paid orders of 40 customers; a refund of one unit on every 5th, a cancellation of every 7th. */
function events(): Event[] {
  const out: Event[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const orderId = String(70_000 + i);
    const c = i % CUSTOMERS;
    const customer = { id: String(9_100 + c), firstName: "Multi", lastName: `Server ${c}`, email: `multi-${c}@example.com` };
    const product = DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]!;
    const order = orderPaidPayload({
      orderId,
      customer,
      lines: [{ product, quantity: 1 + (i % 4) }],
      createdAt: new Date(Date.now() - (ORDERS - i) * 60_000),
    });
    out.push({ topic: "orders/paid", body: order, eventId: `paid-${orderId}`, twice: i % 4 === 0, customer: c });
    if (i % 5 === 0) {
      out.push({
        topic: "refunds/create",
        eventId: `refund-${orderId}`,
        twice: i % 3 === 0,
        customer: c,
        body: {
          id: 600_000 + i,
          order_id: Number(orderId),
          created_at: new Date().toISOString(),
          refund_line_items: [
            { subtotal: `${product.price}.00`, subtotal_set: { shop_money: { amount: `${product.price}.00`, currency_code: "IDR" } } },
          ],
          transactions: [],
        },
      });
    }
    if (i % 7 === 0) {
      const body = { ...order, cancelled_at: new Date().toISOString() };
      out.push({ topic: "orders/cancelled", eventId: `cancel-${orderId}`, twice: i % 2 === 0, customer: c, body });
    }
  }
  return out;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `work` over `items`, `inFlight` at a time. */
async function pool<T>(items: T[], inFlight: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Per member: balance, pending points, the ledger's sum, and each order's earn entry. */
async function ledgerOf(db: Db, shop: string) {
  const customers = await db.customer.findMany({
    where: { shop: { domain: shop } },
    select: { id: true, shopifyCustomerId: true, balance: true, pendingPoints: true },
  });
  const sums = await db.pointsEntry.groupBy({ by: ["customerId"], where: { shop: { domain: shop } }, _sum: { points: true } });
  const sumOf = new Map(sums.map((s) => [s.customerId, s._sum.points ?? 0]));
  const earn = await db.pointsEntry.findMany({
    where: { shop: { domain: shop }, kind: "earn", sourceType: { not: "seed" } },
    select: { idempotencyKey: true, points: true },
  });
  return {
    members: Object.fromEntries(
      customers
        .sort((a, b) => a.shopifyCustomerId.localeCompare(b.shopifyCustomerId))
        .map((c) => [c.shopifyCustomerId, { balance: c.balance, pending: c.pendingPoints, sum: sumOf.get(c.id) ?? 0 }]),
    ),
    earn: Object.fromEntries(earn.map((e) => [e.idempotencyKey, e.points]).sort()),
  };
}

describe.skipIf(!onPostgres)("two app servers on one PostgreSQL database", () => {
  let servers: AppServer[] = [];
  let shopify: Awaited<ReturnType<typeof startShopifyStandIn>>;
  let db: Db;
  let raw: pg.Client;

  beforeAll(async () => {
    const url = await freshPostgres(process.env.TEST_DATABASE_URL!, "kembali_multiserver_ledger");
    process.env.DATABASE_URL = url;
    db = (await import("~/db.server")).default;
    raw = new pg.Client({ connectionString: url });
    await raw.connect();
    shopify = await startShopifyStandIn();
    // Installed, as the OAuth install leaves a shop: its row and its offline session.
    const { ensureShop } = await import("~/domain/shop/shops");
    for (const shop of [SPREAD, REFERENCE]) {
      await ensureShop(db, shop, "IDR");
      await installSession(raw, shop);
    }
    servers = await startCluster({ count: 2, firstPort: 3701, databaseUrl: url, shopifyUrl: shopify.url });
  });
  afterAll(async () => {
    await stopServers(servers);
    await shopify?.close();
    await raw?.end();
    await db?.$disconnect();
  });

  test("webhooks spread over both servers, shuffled and duplicated, end with the ledger of one server in order", async () => {
    const all = events();
    // The reference: one server, each event once, each member's in the order Shopify sends them.
    const byCustomer = Array.from({ length: CUSTOMERS }, (_, c) => all.filter((e) => e.customer === c));
    const referenceStatuses: number[] = [];
    await pool(byCustomer, 4, async (list) => {
      for (const e of list) referenceStatuses.push((await sendWebhook(servers[0]!, e.topic, REFERENCE, e.body, e.eventId)).status);
    });
    expect(referenceStatuses.filter((s) => s !== 200)).toEqual([]);
    // Spread: shuffled, 8 in flight, alternating servers; a duplicate goes to both at once.
    const statuses: number[] = [];
    await pool(shuffled(all, 16), 8, async (e, i) => {
      const targets = e.twice ? servers : [servers[i % servers.length]!];
      const answers = await Promise.all(targets.map((s) => sendWebhook(s, e.topic, SPREAD, e.body, e.eventId)));
      statuses.push(...answers.map((r) => r.status));
    });
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(all.length);

    const spread = await ledgerOf(db, SPREAD);
    const reference = await ledgerOf(db, REFERENCE);
    expect(Object.keys(spread.members)).toHaveLength(CUSTOMERS);
    expect(Object.keys(spread.earn)).toHaveLength(ORDERS);
    expect(spread).toEqual(reference);
    for (const m of Object.values(spread.members)) {
      expect(m.balance).toBeGreaterThanOrEqual(0);
      expect(m.pending).toBeGreaterThanOrEqual(0);
      expect(m.balance + m.pending).toBe(m.sum);
    }
    // Every webhook recorded once, whichever server took it (the duplicates were answered, not applied).
    expect(await db.webhookEvent.count({ where: { shopDomain: SPREAD } })).toBe(all.length);
  });

  test("a shop's first webhooks, on both servers at the same instant, all apply and make the shop once", async () => {
    const shop = "multi-first.myshopify.com";
    const firsts = events()
      .slice(0, 12)
      .filter((e) => e.topic === "orders/paid");
    const answers = await Promise.all(firsts.map((e, i) => sendWebhook(servers[i % 2]!, e.topic, shop, e.body, e.eventId)));
    expect(answers.map((r) => r.status)).toEqual(firsts.map(() => 200));
    expect(await db.shop.count({ where: { domain: shop } })).toBe(1);
    expect(await db.pointsEntry.count({ where: { shop: { domain: shop }, kind: "earn" } })).toBe(firsts.length);
  });

  test("concurrent redemptions of one member from both servers: exactly one when the balance covers one", async () => {
    const { ensureShop } = await import("~/domain/shop/shops");
    const { createReward } = await import("~/domain/rewards/rewards");
    const shop = await ensureShop(db, SPREAD, "IDR");
    const reward = await createReward({ db }, SPREAD, {
      name: "Rp25.000 off",
      type: "fixed_amount",
      pointsCost: 500,
      value: 2_500_000,
      validityDays: 30,
    });
    // Balances of exactly one reward, and of exactly three, earned a day ago.
    const at = new Date(Date.now() - 86_400_000);
    const members = [
      { shopifyCustomerId: "9201", points: 500, covered: 1 },
      { shopifyCustomerId: "9202", points: 1_500, covered: 3 },
    ];
    for (const m of members) {
      const c = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: m.shopifyCustomerId, balance: m.points } });
      await db.pointsEntry.create({
        data: {
          shopId: shop.id,
          customerId: c.id,
          kind: "earn",
          points: m.points,
          balanceAfter: m.points,
          idempotencyKey: `seed:${c.id}`,
          sourceType: "seed",
          sourceId: c.id,
          availableAt: at,
          remainingPoints: m.points,
          createdAt: at,
        },
      });
    }
    for (const m of members) {
      // 12 different requests at once, alternating servers, each request id also sent to both servers at once.
      const requests = Array.from({ length: 12 }, (_, i) => `multi-${m.shopifyCustomerId}-${i}`);
      const answers = await Promise.all(
        requests.flatMap((requestId) =>
          servers.map(async (s) => {
            const res = await proxyCall(s, "redeem", SPREAD, m.shopifyCustomerId, { rewardId: reward.id, requestId });
            return { requestId, status: res.status, body: (await res.json()) as { redemption?: { id: string; status: string } } };
          }),
        ),
      );
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const issued = answers.filter((a) => a.status === 200 && a.body.redemption?.status === "issued");
      // A request id sent to both servers names one redemption.
      const byRequest = new Map<string, Set<string>>();
      for (const a of issued) byRequest.set(a.requestId, (byRequest.get(a.requestId) ?? new Set()).add(a.body.redemption!.id));
      expect([...byRequest.values()].every((ids) => ids.size === 1)).toBe(true);
      expect(byRequest.size).toBe(m.covered);
      const customer = await db.customer.findFirstOrThrow({ where: { shopId: shop.id, shopifyCustomerId: m.shopifyCustomerId } });
      const sum = await db.pointsEntry.aggregate({ where: { customerId: customer.id }, _sum: { points: true } });
      expect(customer.balance).toBe(0);
      expect(sum._sum.points).toBe(0);
      expect(await db.redemption.count({ where: { customerId: customer.id } })).toBe(m.covered);
    }
    // Every code was created in Shopify once.
    const created = shopify
      .fakeFor(SPREAD)
      .operations()
      .filter((o) => o === "KembaliDiscountCodeBasicCreate");
    expect(created).toHaveLength(members.reduce((n, m) => n + m.covered, 0));
  });
});
