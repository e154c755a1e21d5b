// Customers' RFM segments recorded by the dashboard job, and the Customers page's segment and
// tier filters: the recorded segments add up to the dashboard's report, move when the job runs
// again, and the page filters only the signed-in shop's customers.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { runJob } from "~/domain/jobs";
import { ANALYTICS_JOB, analyticsSnapshotJob, readDashboard, scheduleAnalyticsSnapshot } from "~/domain/analytics/dashboard";
import { customerSegments, recordCustomerSegments, SEGMENTS, segmentsReport } from "~/domain/analytics/segments";
import { searchMembers } from "~/admin/members";
import { loader as customersLoader } from "~/routes/app.customers._index/route";
import { newShopDomain, routeArgs } from "../helpers";

const DAY = 86_400_000;
const AS_OF = new Date("2026-04-15T00:00:00Z");
const handlers = { [ANALYTICS_JOB]: analyticsSnapshotJob() };
const depsAt = (at: Date) => ({ db: prisma, clock: () => at, transaction: transaction(prisma) });

async function computeAll(domain: string, at: Date) {
  await scheduleAnalyticsSnapshot(depsAt(at), domain);
  const job = await prisma.job.findFirstOrThrow({ where: { shopDomain: domain, type: ANALYTICS_JOB, status: "queued" } });
  expect(await runJob(depsAt(at), handlers, job.id)).toBe("done");
}

/** Deterministic pseudo-random numbers, so the fixture is the same on every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/**
 * A shop whose customers bought 0–6 times over the 30 months before AS_OF (some only before
 * the 24-month window), one guest order, and a customer with a stale segment and no orders.
 */
async function shopWithHistory(customers: number, seed = 7) {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, "USD");
  await prisma.customer.createMany({
    data: Array.from({ length: customers }, (_, i) => ({ shopId: shop.id, shopifyCustomerId: String(1000 + i) })),
  });
  const ids = (
    await prisma.customer.findMany({ where: { shopId: shop.id }, orderBy: { shopifyCustomerId: "asc" }, select: { id: true } })
  ).map((c) => c.id);
  const rnd = random(seed);
  const orders: Array<{ customerId: string | null; at: Date; amount: number }> = [];
  ids.forEach((customerId, i) => {
    const count = i % 10 === 0 ? 0 : 1 + Math.floor(rnd() * 6);
    for (let k = 0; k < count; k++) {
      orders.push({
        customerId,
        at: new Date(AS_OF.getTime() - Math.floor(rnd() * 900) * DAY - DAY),
        amount: 100 + Math.floor(rnd() * 5000),
      });
    }
  });
  orders.push({ customerId: null, at: new Date(AS_OF.getTime() - 10 * DAY), amount: 999 });
  await prisma.order.createMany({
    data: orders.map((o, i) => ({
      shopId: shop.id,
      shopifyOrderId: String(i + 1),
      customerId: o.customerId,
      currency: "USD",
      subtotalMinor: BigInt(o.amount),
      totalMinor: BigInt(o.amount),
      orderedAt: o.at,
      paidAt: o.at,
    })),
  });
  // Recorded by an earlier run, but no orders at all: the next run clears it.
  const stale = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "stale", segment: "loyal" } });
  return { domain, shop, stale: stale.id };
}

async function recorded(shopId: string) {
  const rows = await prisma.customer.findMany({ where: { shopId }, select: { id: true, segment: true } });
  return new Map(rows.map((r) => [r.id, r.segment]));
}

describe("segments recorded on customers by the dashboard job", () => {
  test("each customer's segment is the one the report counts; customers outside the window have none", async () => {
    const { domain, shop, stale } = await shopWithHistory(80);
    await computeAll(domain, AS_OF);

    const report = await segmentsReport({ db: prisma }, { shopDomain: domain, now: AS_OF });
    const dashboard = await readDashboard(depsAt(AS_OF), domain, 30);
    const members = await prisma.customer.count({ where: { shopId: shop.id } });
    expect(dashboard.segments).toEqual({ ...JSON.parse(JSON.stringify(report)), members });

    const counts = await prisma.customer.groupBy({ by: ["segment"], where: { shopId: shop.id }, _count: { _all: true } });
    const bySegment = new Map(counts.map((c) => [c.segment, c._count._all]));
    for (const s of SEGMENTS) expect(bySegment.get(s) ?? 0, s).toBe(report.segments[s].customers);
    expect(SEGMENTS.filter((s) => report.segments[s].customers > 0).length).toBeGreaterThanOrEqual(3);
    // Everyone else (80 + the stale one − those in the window) has no segment.
    expect(bySegment.get(null)).toBe(81 - report.customers);
    expect(report.customers).toBeGreaterThan(40);

    const expected = new Map(
      (await customerSegments({ db: prisma }, { shopDomain: domain, now: AS_OF })).customers.map((c) => [c.customerId, c.segment]),
    );
    const now = await recorded(shop.id);
    for (const [id, segment] of now) expect(segment).toBe(expected.get(id) ?? null);
    expect(now.get(stale)).toBeNull();
  });

  test("running again later moves customers between segments and clears those who left the window; the same run twice writes nothing", async () => {
    const { domain, shop } = await shopWithHistory(80, 11);
    await computeAll(domain, AS_OF);
    const before = await recorded(shop.id);

    const later = new Date(AS_OF.getTime() + 200 * DAY);
    await computeAll(domain, later);
    const after = await recorded(shop.id);
    const expected = new Map(
      (await customerSegments({ db: prisma }, { shopDomain: domain, now: later })).customers.map((c) => [c.customerId, c.segment]),
    );
    for (const [id, segment] of after) expect(segment).toBe(expected.get(id) ?? null);

    const left = [...before].filter(([id, s]) => s !== null && after.get(id) === null);
    const moved = [...before].filter(([id, s]) => s !== null && after.get(id) !== null && after.get(id) !== s);
    expect(left.length).toBeGreaterThan(0);
    expect(moved.length).toBeGreaterThan(0);
    // Nobody is "new" 200 days on without a new order.
    expect([...after.values()].filter((s) => s === "new")).toEqual([]);

    const again = await customerSegments({ db: prisma }, { shopDomain: domain, now: later });
    expect(await recordCustomerSegments(prisma, shop.id, again.customers)).toEqual({ changed: 0 });
  });

  test("more customers than one write batch are all recorded, and another shop's customers are never touched", async () => {
    const domain = newShopDomain();
    const shop = await ensureShop(prisma, domain, "USD");
    const other = await ensureShop(prisma, newShopDomain(), "USD");
    const outsider = await prisma.customer.create({ data: { shopId: other.id, shopifyCustomerId: "1", segment: "lapsed" } });
    const n = 2_100;
    await prisma.customer.createMany({ data: Array.from({ length: n }, (_, i) => ({ shopId: shop.id, shopifyCustomerId: String(i) })) });
    const ids = (await prisma.customer.findMany({ where: { shopId: shop.id }, select: { id: true } })).map((c) => c.id);
    await prisma.order.createMany({
      data: ids.map((customerId, i) => {
        const at = new Date(AS_OF.getTime() - (1 + (i % 600)) * DAY);
        return {
          shopId: shop.id,
          shopifyOrderId: String(i),
          customerId,
          currency: "USD",
          subtotalMinor: 100n,
          totalMinor: 100n,
          orderedAt: at,
          paidAt: at,
        };
      }),
    });
    const segments = await customerSegments({ db: prisma }, { shopDomain: domain, now: AS_OF });
    expect(await recordCustomerSegments(prisma, shop.id, segments.customers)).toEqual({ changed: n });
    expect(await prisma.customer.count({ where: { shopId: shop.id, segment: null } })).toBe(0);
    const report = await segmentsReport({ db: prisma }, { shopDomain: domain, now: AS_OF });
    for (const s of SEGMENTS)
      expect(await prisma.customer.count({ where: { shopId: shop.id, segment: s } }), s).toBe(report.segments[s].customers);
    // Everyone out of the window (as if the shop had gone quiet for years): all cleared, in batches.
    expect(await recordCustomerSegments(prisma, shop.id, [])).toEqual({ changed: n });
    expect(await prisma.customer.count({ where: { shopId: shop.id, segment: { not: null } } })).toBe(0);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: outsider.id } })).segment).toBe("lapsed");
  });
});

describe("Customers page filters", () => {
  /** Two shops with look-alike customers; shop A has a tier program and computed segments. */
  async function adminShops() {
    const makeShop = async () => {
      const domain = newShopDomain();
      const shop = await ensureShop(prisma, domain, "IDR");
      await sessionStorage.storeSession(setUpValidSession({ shop: domain, expires: undefined }));
      const creds = { store: domain.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
      const load = async (query = "") =>
        customersLoader(
          routeArgs(
            await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000/app/customers${query}`)),
          ),
        );
      const add = (shopifyCustomerId: string, firstName: string, segment: string | null, tier: string | null, lastActivityAt: string) =>
        prisma.customer.create({
          data: { shopId: shop.id, shopifyCustomerId, firstName, segment, tier, lastActivityAt: new Date(lastActivityAt) },
        });
      return { domain, shop, load, add };
    };
    const a = await makeShop();
    const b = await makeShop();
    const tier = (key: string, name: string, threshold: number) => ({
      key,
      name,
      threshold,
      earnMultiplier: 1,
      freeShippingReward: false,
      exclusiveRewardIds: [],
    });
    await prisma.tierProgram.create({
      data: {
        shopId: a.shop.id,
        version: 1,
        basis: "points_earned",
        period: "lifetime",
        tiers: [tier("silver", "Silver", 100), tier("gold", "Gold", 1000)],
      },
    });
    await prisma.analyticsSnapshot.create({ data: { shopId: a.shop.id, key: "segments", data: "{}", asOf: AS_OF } });
    await a.add("1", "Ayu", "loyal", "gold", "2026-04-10");
    await a.add("2", "Budi", "loyal", null, "2026-04-09");
    await a.add("3", "Citra", "lapsed", "silver", "2026-04-08");
    await a.add("4", "Ayu Dewi", null, null, "2026-04-07");
    await a.add("5", "Eko", "at_risk", "gold", "2026-04-06");
    await b.add("1", "Ayu", "loyal", "gold", "2026-04-10");
    await b.add("9", "Ayu", null, null, "2026-04-10");
    return { a, b };
  }
  const ids = (page: { members: Array<{ shopifyCustomerId: string }> }) => page.members.map((m) => m.shopifyCustomerId);

  test("filters by segment, by tier, by both and with the search, only among the signed-in shop's customers", async () => {
    const { a } = await adminShops();
    const all = await a.load();
    expect(ids(all)).toEqual(["1", "2", "3", "4", "5"]);
    expect(all).toMatchObject({ filters: { segment: null, tier: null }, ignored: [], segmentsAsOf: AS_OF.toISOString() });
    expect(all.tiers).toEqual([
      { key: "silver", name: "Silver" },
      { key: "gold", name: "Gold" },
    ]);
    expect(all.members[0]).toMatchObject({ shopifyCustomerId: "1", segment: "loyal", tier: "gold" });
    expect(all.members[3]).toMatchObject({ shopifyCustomerId: "4", segment: null, tier: null });

    expect(ids(await a.load("?segment=loyal"))).toEqual(["1", "2"]);
    expect(ids(await a.load("?segment=none"))).toEqual(["4"]);
    expect(ids(await a.load("?tier=gold"))).toEqual(["1", "5"]);
    expect(ids(await a.load("?tier=none"))).toEqual(["2", "4"]);
    expect(ids(await a.load("?segment=loyal&tier=gold"))).toEqual(["1"]);
    expect(ids(await a.load("?segment=loyal&tier=none"))).toEqual(["2"]);
    expect(ids(await a.load("?segment=at_risk&tier=silver"))).toEqual([]);
    expect(ids(await a.load("?q=ayu"))).toEqual(["1", "4"]);
    expect(ids(await a.load("?q=ayu&segment=none"))).toEqual(["4"]);
    expect(ids(await a.load("?q=ayu&tier=gold&segment=loyal"))).toEqual(["1"]);
    expect(await a.load("?segment=all&tier=all")).toMatchObject({ filters: { segment: null, tier: null }, ignored: [] });
  });

  test("pages through a filtered list with the filter kept", async () => {
    const { a } = await adminShops();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await searchMembers({ db: prisma }, a.domain, { cursor, take: 1, tier: "gold" });
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["1", "5"]);
    const first = await a.load("?tier=gold");
    expect(ids(first)).toEqual(["1", "5"]);
  });

  test("unknown filter values are left out and reported, never a crash; a shop without tiers knows only 'no tier'", async () => {
    const { a, b } = await adminShops();
    const bad = await a.load("?segment=vip&tier=platinum");
    expect(bad).toMatchObject({ filters: { segment: null, tier: null }, ignored: ["segment", "tier"] });
    expect(ids(bad)).toEqual(["1", "2", "3", "4", "5"]);
    const half = await a.load(`?segment=loyal&tier=${encodeURIComponent("gold' OR 1=1")}`);
    expect(half).toMatchObject({ filters: { segment: "loyal", tier: null }, ignored: ["tier"] });
    expect(ids(half)).toEqual(["1", "2"]);
    // Shop B has no tier program and no computed segments yet.
    const other = await b.load("?tier=gold&segment=loyal");
    expect(other).toMatchObject({ filters: { segment: "loyal", tier: null }, ignored: ["tier"], tiers: [], segmentsAsOf: null });
    expect(ids(other)).toEqual(["1"]);
    expect(ids(await b.load("?tier=none&segment=none"))).toEqual(["9"]);
  });

  test("segments recorded by the job are what the page filters by", async () => {
    const { domain } = await shopWithHistory(40, 3);
    await sessionStorage.storeSession(setUpValidSession({ shop: domain, expires: undefined }));
    const creds = { store: domain.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
    const load = async (query: string) =>
      customersLoader(
        routeArgs(
          await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000/app/customers${query}`)),
        ),
      );
    const now = AS_OF;
    await computeAll(domain, now);
    const report = await segmentsReport({ db: prisma }, { shopDomain: domain, now });
    for (const s of SEGMENTS) {
      const page = await load(`?segment=${s}`);
      expect(page.segmentsAsOf).toBe(now.toISOString());
      // One page holds up to 25: compare the count when it fits, and that every row is in the segment.
      expect(page.members.every((m) => m.segment === s)).toBe(true);
      if (report.segments[s].customers <= 25) expect(page.members.length, s).toBe(report.segments[s].customers);
    }
  });
});
