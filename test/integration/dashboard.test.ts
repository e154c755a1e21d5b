// The dashboard's stored figures: the background job computes every part with the analytics
// functions, the page reads them back, refreshes are queued once, and a shop sees only its own.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { runJob } from "~/domain/jobs";
import { redactShop } from "~/domain/members/compliance";
import {
  ANALYTICS_JOB,
  analyticsSnapshotJob,
  readDashboard,
  scheduleAnalyticsSnapshot,
  snapshotKeys,
  type PeriodPart,
} from "~/domain/analytics/dashboard";
import { periodRetention, retentionReport } from "~/domain/analytics/retention";
import { segmentsReport } from "~/domain/analytics/segments";
import { cohortReport } from "~/domain/analytics/cohorts";
import { programReport } from "~/domain/analytics/program";
import { impactReport } from "~/domain/analytics/impact";
import { action, loader } from "~/routes/app._index/route";
import { recordPixelEvent } from "~/domain/recommendations/pixel";
import { newShopDomain, routeArgs } from "../helpers";
import { seedEntries, seedOrders, type OrderRow } from "./dashboard-fixture";

const DAY = 86_400_000;
const AS_OF = new Date("2026-04-15T00:00:00Z");
const handlers = { [ANALYTICS_JOB]: analyticsSnapshotJob() };
const depsAt = (at: Date) => ({ db: prisma, clock: () => at, transaction: transaction(prisma) });

/** A shop with three customers' orders, a guest order and a few ledger entries. */
async function fixture(currency = "USD") {
  const domain = newShopDomain();
  const shop = await ensureShop(prisma, domain, currency);
  const customer = async (key: string) => (await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: key } })).id;
  const [a, d, j] = [await customer("A"), await customer("D"), await customer("J")];
  const orders: OrderRow[] = [
    [a, "2025-06-01", 100],
    [a, "2026-01-10", 200],
    [a, "2026-02-10", 300],
    [a, "2026-04-01", 1000],
    [d, "2026-01-05", 100],
    [d, "2026-03-05", 100],
    [j, "2025-12-31T23:59:00Z", 100],
    [j, "2026-01-01T00:00:00Z", 100],
    [null, "2026-01-20", 600],
  ];
  await seedOrders(shop.id, currency, orders);
  // A earns 100 in January, spends 40 in February, 10 expire in March.
  await seedEntries(shop.id, a, [
    ["earn", 100, "2026-01-15"],
    ["spend", -40, "2026-02-20"],
    ["expire", -10, "2026-03-10"],
  ]);
  await prisma.customer.update({ where: { id: a }, data: { balance: 50 } });
  return { domain, shop };
}

async function computeAll(domain: string, at = AS_OF) {
  await scheduleAnalyticsSnapshot(depsAt(at), domain);
  const job = await prisma.job.findFirstOrThrow({ where: { shopDomain: domain, type: ANALYTICS_JOB, status: "queued" } });
  expect(await runJob(depsAt(at), handlers, job.id)).toBe("done");
  return job;
}

describe("dashboard figures", () => {
  test("before the first computation the page is preparing, and one refresh is queued however often it is read", async () => {
    const { domain } = await fixture();
    const first = await readDashboard(depsAt(AS_OF), domain, 30);
    expect(first).toMatchObject({ status: "preparing", refreshing: true, asOf: null, period: null, series: [] });
    await readDashboard(depsAt(AS_OF), domain, 90);
    await scheduleAnalyticsSnapshot(depsAt(AS_OF), domain);
    expect(await prisma.job.count({ where: { shopDomain: domain, type: ANALYTICS_JOB } })).toBe(1);
  });

  test("every part equals what the analytics functions compute, with twelve months for the charts", async () => {
    const { domain, shop } = await fixture();
    await computeAll(domain);
    const dash = await readDashboard(depsAt(AS_OF), domain, 90);
    expect(dash).toMatchObject({ status: "ready", refreshing: false, asOf: AS_OF.toISOString(), days: 90 });

    const from = new Date(AS_OF.getTime() - 90 * DAY);
    const expected: PeriodPart = {
      retention: await retentionReport({ db: prisma }, { shopDomain: domain, from, to: AS_OF }),
      program: {
        current: await programReport({ db: prisma }, { shopDomain: domain, from, to: AS_OF }),
        previous: await programReport({ db: prisma }, { shopDomain: domain, from: new Date(from.getTime() - 90 * DAY), to: from }),
      },
      impact: await impactReport({ db: prisma }, { shopDomain: domain, from, to: AS_OF }),
    };
    expect(dash.period).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(dash.segments).toEqual({
      ...JSON.parse(JSON.stringify(await segmentsReport({ db: prisma }, { shopDomain: domain, now: AS_OF }))),
      members: 3,
    });
    expect(dash.cohorts).toEqual(await cohortReport({ db: prisma }, { shopDomain: domain, now: AS_OF, months: 12 }));

    expect(dash.series.map((m) => m.month)).toEqual([
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
    ]);
    const jan = dash.series[8];
    // January: A (200), D (100), J (100) and the guest (600): 3 customers, 4 orders, 1000.
    expect(jan.retention).toMatchObject({ customers: 3, orders: 4, guestOrders: 1, revenueMinor: 1000 });
    expect(jan.retention).toEqual(
      JSON.parse(
        JSON.stringify(await periodRetention({ db: prisma }, shop.id, new Date("2026-01-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"))),
      ),
    );
    // The current month runs to the snapshot's instant: A's 1 April order.
    expect(dash.series[11].retention).toMatchObject({
      from: "2026-04-01T00:00:00.000Z",
      to: AS_OF.toISOString(),
      orders: 1,
      revenueMinor: 1000,
    });
    // Points held at each month's end: 100 after January, 60 after February, 50 since March.
    expect(dash.series.map((m) => m.outstandingPoints)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 100, 60, 50, 50]);
    expect(dash.series.slice(8, 11).map((m) => [m.pointsIssued, m.pointsRedeemed, m.pointsExpired])).toEqual([
      [100, 0, 0],
      [0, 40, 0],
      [0, 0, 10],
    ]);
  });

  test("a job stopped half-way resumes where it was, and parts no longer shown are dropped", async () => {
    const { domain, shop } = await fixture();
    await prisma.analyticsSnapshot.create({ data: { shopId: shop.id, key: "month:2024-01", data: "{}", asOf: new Date("2024-02-01") } });
    await scheduleAnalyticsSnapshot(depsAt(AS_OF), domain);
    const job = await prisma.job.findFirstOrThrow({ where: { shopDomain: domain, type: ANALYTICS_JOB } });
    expect(await runJob(depsAt(AS_OF), handlers, job.id, 4)).toBe("paused");
    expect(await prisma.analyticsSnapshot.count({ where: { shopId: shop.id, asOf: AS_OF } })).toBe(4);
    expect((await readDashboard(depsAt(AS_OF), domain, 30)).refreshing).toBe(true);
    expect(await runJob(depsAt(AS_OF), handlers, job.id)).toBe("done");
    const keys = (await prisma.analyticsSnapshot.findMany({ where: { shopId: shop.id }, select: { key: true } })).map((r) => r.key).sort();
    expect(keys).toEqual([...snapshotKeys(AS_OF)].sort());
    expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).progress).toBe(snapshotKeys(AS_OF).length);
  });

  test("figures older than a day are refreshed on the next read; fresh ones are not", async () => {
    const { domain } = await fixture();
    await computeAll(domain);
    expect(await scheduleAnalyticsSnapshot(depsAt(new Date(AS_OF.getTime() + 3_600_000)), domain, { maxAgeMs: DAY })).toBe(false);
    const later = new Date(AS_OF.getTime() + DAY + 60_000);
    const dash = await readDashboard(depsAt(later), domain, 30);
    // The old figures stay on the page, marked as being refreshed.
    expect(dash).toMatchObject({ status: "ready", refreshing: true, asOf: AS_OF.toISOString() });
    expect(await prisma.job.count({ where: { shopDomain: domain, type: ANALYTICS_JOB, status: "queued" } })).toBe(1);
  });

  test("shop/redact deletes the shop's figures", async () => {
    const { domain, shop } = await fixture();
    await computeAll(domain);
    await redactShop({ db: prisma }, domain);
    expect(await prisma.analyticsSnapshot.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("admin home (dashboard)", () => {
  async function adminShop() {
    const { domain } = await fixture("IDR");
    await prisma.shop.update({ where: { domain }, data: { onboardedAt: new Date() } });
    await sessionStorage.storeSession(setUpValidSession({ shop: domain, expires: undefined }));
    const creds = { store: domain.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
    const url = (query = "") => `http://127.0.0.1:3000/app${query}`;
    return {
      domain,
      load: async (query?: string) =>
        loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(url(query))))),
      refresh: async () =>
        action(
          routeArgs(
            await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(url(), { method: "POST", body: new FormData() })),
          ),
        ),
    };
  }

  test("reads the session's shop's figures for the chosen period; an unknown period falls back to 30 days", async () => {
    const a = await adminShop();
    const b = await adminShop();
    await computeAll(b.domain, new Date());
    const pageA = await a.load("?days=abc");
    expect(pageA.dashboard).toMatchObject({ status: "preparing", days: 30 });
    const pageB = await b.load("?days=365");
    expect(pageB.dashboard).toMatchObject({ status: "ready", days: 365 });
    expect(pageB.dashboard.period?.retention.current.orders).toBeGreaterThan(0);
    expect(pageB.currency).toBe("IDR");
    // Asking for a refresh queues work for the session's shop only, once.
    await a.refresh();
    await a.refresh();
    expect(await prisma.job.count({ where: { shopDomain: a.domain, type: ANALYTICS_JOB } })).toBe(1);
    expect(await prisma.job.count({ where: { shopDomain: b.domain, type: ANALYTICS_JOB, status: "queued" } })).toBe(0);
  });

  test("shows the member count stored with the figures (not counted per visit), counted once for figures stored without it", async () => {
    const a = await adminShop();
    expect((await a.load()).members).toBeNull();
    await computeAll(a.domain, new Date());
    expect((await a.load()).members).toBe(3);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: a.domain } });
    await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: "N" } });
    // The new member shows with the next figures, like every other figure on the page.
    expect((await a.load()).members).toBe(3);
    // Figures stored before the count was kept: counted now.
    const row = await prisma.analyticsSnapshot.findUniqueOrThrow({ where: { shopId_key: { shopId: shop.id, key: "segments" } } });
    const { members: _kept, ...without } = JSON.parse(row.data) as { members: number };
    await prisma.analyticsSnapshot.update({ where: { id: row.id }, data: { data: JSON.stringify(without) } });
    expect((await a.load()).members).toBe(4);
  });

  test("shows the session's shop's recommendation figures for the chosen period, and the empty state before any report", async () => {
    const a = await adminShop();
    const b = await adminShop();
    const shopB = await prisma.shop.findUniqueOrThrow({ where: { domain: b.domain } });
    const reported = (id: string, daysAgo: number) =>
      recordPixelEvent({ db: prisma, clock: () => new Date(Date.now() - daysAgo * DAY) }, shopB.id, {
        shop: b.domain,
        key: "k",
        id,
        kind: "click",
        surface: "product",
        productId: "8001",
      });
    await reported("recent", 2);
    await reported("older", 60);
    expect((await a.load()).recs).toMatchObject({ reported: false, clicks: 0 });
    expect((await b.load("?days=30")).recs).toMatchObject({ reported: true, clicks: 1, currency: "IDR" });
    expect((await b.load("?days=90")).recs).toMatchObject({ reported: true, clicks: 2 });
  });
});
