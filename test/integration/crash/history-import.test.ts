// Issue 16, the history import: a real worker process running the backfill job against a
// Shopify stand-in on a local port is killed (SIGKILL) in the middle of page 3 of 6, inside an
// order's transaction. Restarted before the job's lease ends it leaves the job alone; after, it
// takes the job over, asks Shopify for page 3 again (never page 1) and every order earns once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import prisma from "~/db.server";
import { enqueueJob } from "~/domain/jobs";
import { parseSettings } from "~/domain/earning/program";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import type { AdminOrder } from "~/shopify/admin/port";
import { newShopDomain, points } from "../../helpers";
import { linesOf, runChild, startStandIn, type StandIn } from "./harness";

const DAY = 86_400_000;
const ORDERS = 60; // six pages of ten (the backfill's page size)

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

function adminOrder(id: string, customerId: string, at: Date): AdminOrder {
  return {
    id,
    currency: "IDR",
    customer: { id: customerId, email: `c${customerId}@example.com`, firstName: "Old", lastName: "Customer" },
    subtotal: 25_000_000,
    total: 29_750_000,
    shipping: 2_000_000,
    tax: 2_750_000,
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

/** The order id a page request continues after (null: the first page), from the stand-in's cursor. */
const pagesAsked = (from = 0) =>
  standIn.seen
    .slice(from)
    .filter((r) => r.operationName === "KembaliPaidOrders")
    .map((r) => (r.variables.after === null ? null : Buffer.from(String(r.variables.after), "base64").toString().split(":")[1]));

test("killed mid-page 3 of 6: taken over after the lease, resumed at page 3, each order's points exactly once", async () => {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 } }));
  // Unique order ids per run (the stand-in's Shopify is shared by this file's tests), oldest first.
  const base = 900_000 + Math.floor(Math.random() * 90_000) * 100;
  const ids = Array.from({ length: ORDERS }, (_, k) => String(base + k));
  const customers = ["99101", "99102", "99103"];
  const first = Date.now() - 300 * DAY;
  standIn.fake.state.orders = ids.map((id, k) => adminOrder(id, customers[k % 3], new Date(first + k * DAY)));

  const start = new Date();
  const type = `backfill-crash-${randomUUID()}`;
  const job = await enqueueJob({ db: prisma, clock: () => start }, { shopDomain: shop, type, input: { earnPoints: true } });
  const env = {
    ...standIn.env,
    KEMBALI_TEST_MODE: "job",
    KEMBALI_TEST_HANDLER: "backfill",
    KEMBALI_TEST_JOB_TYPE: type,
    KEMBALI_TEST_SHOP: shop,
  };

  // One transaction per order: the 25th is the fifth order of page 3, killed before its commit.
  const crashed = await runChild({ ...env, KEMBALI_TEST_NOW: start.toISOString(), KEMBALI_TEST_CRASH_IN_TX: "25" });
  expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
  expect(pagesAsked()).toEqual([null, ids[9], ids[19]]);
  const left = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(left).toMatchObject({ status: "running", progress: 20 });
  const earned = () => prisma.pointsEntry.findMany({ where: { shop: { domain: shop }, idempotencyKey: { startsWith: "earn:order:" } } });
  expect(await earned()).toHaveLength(24);

  // Restarted while the lease still runs: the job is not taken.
  const early = await runChild({ ...env, KEMBALI_TEST_NOW: new Date(start.getTime() + 30_000).toISOString() });
  expect(early.code, early.stderr).toBe(0);
  expect(linesOf(early)).toEqual([{ claimed: null, outcome: null }]);

  // Restarted after the lease: taken over, continues from the saved cursor (page 3), finishes.
  const seenBefore = standIn.seen.length;
  const later = await runChild({ ...env, KEMBALI_TEST_NOW: new Date(start.getTime() + 120_000).toISOString() });
  expect(later.code, later.stderr).toBe(0);
  const lines = linesOf(later);
  expect(lines[0]).toEqual({ step: left.cursor });
  expect(lines.at(-1)).toEqual({ claimed: job.id, outcome: "done" });
  // Page 3 first, never page 1 (a page is asked again only if a step failed and was retried).
  const asked = pagesAsked(seenBefore);
  expect(asked[0]).toBe(ids[19]);
  expect(new Set(asked)).toEqual(new Set([ids[19], ids[29], ids[39], ids[49]]));
  const finished = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  expect(finished).toMatchObject({ status: "done", progress: ORDERS });
  expect(finished.attempts).toBeGreaterThanOrEqual(2);

  const entries = await earned();
  expect(entries.map((e) => e.idempotencyKey).sort()).toEqual(ids.map((id) => `earn:order:${id}`).sort());
  expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(ORDERS);
  for (const c of customers) expect(await points(shop, c)).toEqual({ balance: 250 * 20, pending: 0 });
}, 90_000);
