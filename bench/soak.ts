// Soak (issue 16): sustained mixed load against one production app server and against two on
// one PostgreSQL database, BENCH_SOAK_SECONDS each (default 60). IN_FLIGHT loops, each request
// to the next server in turn:
//   70%  storefront state reads (members and guests, GET /proxy/state)
//   15%  signed orders/paid webhooks, one in ten sent again with the same event id, one in ten
//        followed by a refund of one unit
//   15%  redemptions (POST /proxy/redeem), one in ten sent again with the same request id;
//        members (each from their own address) take turns, under the per-customer limit
// Shopify's Admin API is the test stand-in (test/multiserver/cluster.ts). Afterwards, the ledger
// is checked against every answer: each order answered 200 has exactly one earn entry, each
// issued (or pending: its code still being made) request id exactly one spend entry, every
// balance is >= 0 and equals its entries' sum.
// Goal lines (bench/goals.ts), database postgresql, details.servers = 1 or 2:
//   soak_errors            5xx, network failures and unexpected 4xx (max 0; 429 counted apart)
//   soak_lost_or_doubled   answered but not in the ledger, or in it twice, or a ledger mismatch (max 0)
//   soak_heap_growth_pct   each server's JS heap in use right after a full garbage collection,
//                          from after warm-up (10 s) to the end, the largest growth (max 20).
//                          Read over each server's inspector (--inspect on 127.0.0.1, port + 10;
//                          test/multiserver/inspector.ts): live objects only, so a leak shows and
//                          V8 growing its heap lazily does not. Start, middle and end per server in
//                          details, with the heap V8 reserved, external memory (Buffers) and the
//                          resident memory (RSS, read from /proc before the collection).
// Run: npx tsx bench/soak.ts (needs node scripts/build-app.js; BENCH_POSTGRES_URL's database is RESET).
// BENCH_SOAK_PORT (default 3731): the servers listen on it and the next two ports, their
// inspectors on the same ports + 10. BENCH_SOAK_HEAP_SNAPSHOTS=<folder>: each server's heap
// snapshot at the start and the end is written there too (to compare in Chrome DevTools); it
// stops each server for seconds, so open transactions can expire: for diagnosis only.
import { randomUUID } from "node:crypto";
import { mulberry32, orderPaidPayload, DEMO_PRODUCTS } from "../app/demo/catalog";
import { exitOnMissedGoals, freshBenchDatabase, goalLine } from "./goals";
import { heapAfterGc, writeHeapSnapshot, type MemoryAfterGc } from "../test/multiserver/inspector";
import {
  installSession,
  proxyCall,
  rssMiB,
  sendWebhook,
  startCluster,
  startShopifyStandIn,
  stopServers,
  type AppServer,
} from "../test/multiserver/cluster";

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS || 60);
const WARM_UP_MS = Math.min(10_000, (SECONDS * 1000) / 4);
const IN_FLIGHT = 8;
const MEMBERS = 100;
const COST = 100;
const SHOP = "bench-soak.myshopify.com";
const FIRST_PORT = Number(process.env.BENCH_SOAK_PORT || 3731);
const INSPECT_OFFSET = 10;
const SNAPSHOTS = process.env.BENCH_SOAK_HEAP_SNAPSHOTS;

type Kind = "state" | "webhook" | "redeem";

async function soak(servers: number, firstPort: number) {
  const url = await freshBenchDatabase("postgresql", "bench-soak");
  process.env.DATABASE_URL = url;
  const { createPrisma } = await import("../app/db.server");
  // A client per run: the database was reset under the previous one.
  const prisma = await createPrisma(url);
  const { ensureShop } = await import("../app/domain/shop/shops");
  const { createReward } = await import("../app/domain/rewards/rewards");
  const pg = (await import("pg")).default;
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const shopify = await startShopifyStandIn();
  let cluster: AppServer[] = [];
  try {
    const shop = await ensureShop(prisma, SHOP, "IDR");
    await installSession(raw, SHOP);
    const reward = await createReward({ db: prisma }, SHOP, {
      name: "Rp10.000 off",
      type: "fixed_amount",
      pointsCost: COST,
      value: 1_000_000,
      validityDays: 30,
    });
    // Members with balances that outlast the soak (earned a day ago, spendable).
    const initial = 1_000 * COST;
    const at = new Date(Date.now() - 86_400_000);
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      shopifyCustomerId: String(500_000 + i),
      ip: `10.0.${i >> 8}.${i & 255}`,
    }));
    for (const m of members) {
      const c = await prisma.customer.create({ data: { shopId: shop.id, shopifyCustomerId: m.shopifyCustomerId, balance: initial } });
      await prisma.pointsEntry.create({
        data: {
          shopId: shop.id,
          customerId: c.id,
          kind: "earn",
          points: initial,
          balanceAfter: initial,
          idempotencyKey: `seed:${c.id}`,
          sourceType: "seed",
          sourceId: c.id,
          availableAt: at,
          remainingPoints: initial,
          createdAt: at,
        },
      });
    }
    cluster = await startCluster({
      count: servers,
      firstPort,
      databaseUrl: url,
      shopifyUrl: shopify.url,
      inspectFirstPort: firstPort + INSPECT_OFFSET,
    });

    const random = mulberry32(servers);
    const counts: Record<Kind, number> = { state: 0, webhook: 0, redeem: 0 };
    const errors: string[] = [];
    let rateLimited = 0;
    const paidOrders = new Set<string>();
    const issued = new Map<string, Set<string>>();
    let nextServer = 0;
    let nextOrder = 0;
    let nextRedeemer = 0;
    type Sample = MemoryAfterGc & { rssBeforeGcMiB: number };
    const memory: Array<{ start?: Sample; middle?: Sample; end?: Sample }> = cluster.map(() => ({}));
    // RSS first (as the process has it under load), then the heap after a full collection.
    const sample = async (s: AppServer, i: number, when: string): Promise<Sample> => {
      const rssBeforeGcMiB = await rssMiB(s.pid!);
      const measured = { rssBeforeGcMiB, ...(await heapAfterGc(firstPort + INSPECT_OFFSET + i)) };
      if (SNAPSHOTS && when !== "middle") {
        const { mkdirSync } = await import("node:fs");
        mkdirSync(SNAPSHOTS, { recursive: true });
        await writeHeapSnapshot(firstPort + INSPECT_OFFSET + i, `${SNAPSHOTS}/soak-${servers}-server${i + 1}-${when}.heapsnapshot`);
      }
      return measured;
    };
    const started = Date.now();
    const ends = started + SECONDS * 1000;

    const check = async (kind: Kind, res: Response) => {
      counts[kind]++;
      if (res.status === 429) rateLimited++;
      else if (res.status !== 200) errors.push(`${kind} ${res.status}: ${(await res.text()).slice(0, 200)}`);
      else return res;
      return null;
    };

    const one = async () => {
      const server = cluster[nextServer++ % cluster.length]!;
      const draw = random();
      if (draw < 0.7) {
        const m = random() < 0.8 ? members[Math.floor(random() * MEMBERS)]! : null;
        const res = await check("state", await proxyCall(server, "state", SHOP, m?.shopifyCustomerId ?? null, undefined, m?.ip));
        await res?.arrayBuffer();
      } else if (draw < 0.85) {
        const n = nextOrder++;
        const orderId = String(3_000_000 + n);
        const c = n % 300;
        const body = orderPaidPayload({
          orderId,
          customer: { id: String(600_000 + c), firstName: "Soak", lastName: String(c), email: `soak-${c}@example.com` },
          lines: [{ product: DEMO_PRODUCTS[n % DEMO_PRODUCTS.length]!, quantity: 1 + (n % 3) }],
          createdAt: new Date(),
        });
        const eventId = `soak-paid-${orderId}`;
        const copies = n % 10 === 0 ? cluster.length : 1;
        const answers = await Promise.all(
          Array.from({ length: copies }, (_, i) =>
            sendWebhook(cluster[(nextServer + i) % cluster.length]!, "orders/paid", SHOP, body, eventId),
          ),
        );
        let ok = true;
        for (const res of answers) ok = (await check("webhook", res)) !== null && ok;
        if (ok) paidOrders.add(orderId);
        if (ok && n % 10 === 5) {
          const product = DEMO_PRODUCTS[n % DEMO_PRODUCTS.length]!;
          const refund = {
            id: 7_000_000 + n,
            order_id: Number(orderId),
            created_at: new Date().toISOString(),
            refund_line_items: [
              { subtotal: `${product.price}.00`, subtotal_set: { shop_money: { amount: `${product.price}.00`, currency_code: "IDR" } } },
            ],
            transactions: [],
          };
          await (await check("webhook", await sendWebhook(server, "refunds/create", SHOP, refund, `soak-refund-${orderId}`)))?.text();
        }
        for (const res of answers) await res.text().catch(() => "");
      } else {
        const m = members[nextRedeemer++ % MEMBERS]!;
        const requestId = `soak-${randomUUID()}`;
        const copies = random() < 0.1 ? 2 : 1;
        const answers = await Promise.all(
          Array.from({ length: copies }, (_, i) =>
            proxyCall(
              cluster[(nextServer + i) % cluster.length]!,
              "redeem",
              SHOP,
              m.shopifyCustomerId,
              { rewardId: reward.id, requestId },
              m.ip,
            ),
          ),
        );
        for (const answer of answers) {
          const res = await check("redeem", answer);
          if (!res) continue;
          const body = (await res.json()) as { redemption?: { id: string; status: string } };
          // "pending": spent, its code still being made in Shopify (a copy of the request that
          // arrived while the first was at Shopify is answered with it); the storefront polls.
          const status = body.redemption?.status;
          if (status !== "issued" && status !== "pending") errors.push(`redeem answered ${status}`);
          else issued.set(requestId, (issued.get(requestId) ?? new Set()).add(body.redemption!.id));
        }
      }
    };

    const sampler = (async () => {
      await new Promise((r) => setTimeout(r, WARM_UP_MS));
      for (const [i, s] of cluster.entries()) memory[i]!.start = await sample(s, i, "start");
      await new Promise((r) => setTimeout(r, Math.max(0, started + (SECONDS * 1000) / 2 + WARM_UP_MS / 2 - Date.now())));
      for (const [i, s] of cluster.entries()) memory[i]!.middle = await sample(s, i, "middle");
    })();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (Date.now() < ends) {
          try {
            await one();
          } catch (error) {
            errors.push(`network: ${String(error)}`);
          }
        }
      }),
    );
    await sampler;
    for (const [i, s] of cluster.entries()) memory[i]!.end = await sample(s, i, "end");
    const seconds = (Date.now() - started) / 1000;

    // The ledger against the answers.
    const earn = await prisma.pointsEntry.groupBy({
      by: ["sourceId"],
      where: { shopId: shop.id, kind: "earn", sourceType: "order" },
      _count: { _all: true },
    });
    const earnedPerOrder = new Map(earn.map((e) => [e.sourceId, e._count._all]));
    let lost = 0;
    let doubled = 0;
    for (const orderId of paidOrders) {
      const n = earnedPerOrder.get(orderId) ?? 0;
      if (n === 0) lost++;
      if (n > 1) doubled++;
    }
    const spends = await prisma.pointsEntry.groupBy({
      by: ["sourceId"],
      where: { shopId: shop.id, sourceType: "redemption", kind: "spend" },
      _count: { _all: true },
    });
    const spentPerRequest = new Map(spends.map((e) => [e.sourceId, e._count._all]));
    for (const [requestId, ids] of issued) {
      if (ids.size > 1) doubled++;
      const n = spentPerRequest.get(requestId) ?? 0;
      if (n === 0) lost++;
      if (n > 1) doubled++;
    }
    const customers = await prisma.customer.findMany({
      where: { shopId: shop.id },
      select: { id: true, balance: true, pendingPoints: true },
    });
    const sums = await prisma.pointsEntry.groupBy({ by: ["customerId"], where: { shopId: shop.id }, _sum: { points: true } });
    const sumOf = new Map(sums.map((s) => [s.customerId, s._sum.points ?? 0]));
    const mismatched = customers.filter(
      (c) => c.balance < 0 || c.pendingPoints < 0 || c.balance + c.pendingPoints !== (sumOf.get(c.id) ?? 0),
    ).length;

    const requests = counts.state + counts.webhook + counts.redeem;
    const growthPct = (pick: (m: Sample) => number) =>
      Number(Math.max(...memory.map((m) => ((pick(m.end!) - pick(m.start!)) / pick(m.start!)) * 100)).toFixed(1));
    const perServer = (pick: (m: Sample) => number) =>
      memory.map((m) => ({ start: pick(m.start!), middle: pick(m.middle!), end: pick(m.end!) }));
    const details = {
      servers,
      seconds: Math.round(seconds),
      requests,
      req_per_s: Math.round(requests / seconds),
      ...counts,
      rate_limited: rateLimited,
    };
    goalLine({ metric: "soak_errors", database: "postgresql", value: errors.length, unit: "responses", max: 0, details });
    if (errors.length) console.error(`soak (${servers} servers): ${errors.length} errors, e.g. ${errors.slice(0, 3).join(" | ")}`);
    goalLine({
      metric: "soak_lost_or_doubled",
      database: "postgresql",
      value: lost + doubled + mismatched,
      unit: "entries",
      max: 0,
      details: { servers, orders: paidOrders.size, redemptions: issued.size, lost, doubled, members_mismatched: mismatched },
    });
    goalLine({
      metric: "soak_heap_growth_pct",
      database: "postgresql",
      value: growthPct((m) => m.heapUsedMiB),
      unit: "%",
      max: 20,
      details: {
        servers,
        warm_up_s: WARM_UP_MS / 1000,
        measured: "JS heap in use after a full GC, warm-up to end, largest growth of any server",
        heap_used_after_gc_mib: perServer((m) => m.heapUsedMiB),
        heap_total_after_gc_mib: perServer((m) => m.heapTotalMiB),
        external_after_gc_mib: perServer((m) => m.externalMiB),
        rss_mib: perServer((m) => m.rssBeforeGcMiB),
        rss_growth_pct: growthPct((m) => m.rssBeforeGcMiB),
      },
    });
  } finally {
    await stopServers(cluster);
    await shopify.close();
    await raw.end();
    await prisma.$disconnect();
  }
}

await soak(1, FIRST_PORT);
await soak(2, FIRST_PORT + 1);
exitOnMissedGoals();
