// Seeds the demo shop: the IDR coffee roaster from app/demo/catalog.ts, 80 customers and a
// year of orders with realistic repeat behaviour (most buy once, a loyal few often), written
// through the same domain functions the webhooks use, so balances are real ledger sums.
// Deterministic (seeded PRNG). Run: DATABASE_URL=... npx tsx scripts/seed.ts [--reset | --fresh]
// --fresh starts over with the shop as a brand-new install leaves it (see installFresh).
import prisma, { transaction } from "../app/db.server";
import { releasePendingPoints } from "../app/domain/ledger/ledger";
import { createReward, type RewardInput } from "../app/domain/rewards/rewards";
import { saveTierProgram, tierRecalculation, TIER_RECALCULATION_JOB } from "../app/domain/tiers";
import { enqueueJob, runJob } from "../app/domain/jobs";
import { ANALYTICS_JOB, analyticsSnapshotJob } from "../app/domain/analytics/dashboard";
import { createLocalStoreState, localStoreAdmin } from "../app/shopify/admin/local-store.server";

// The seed runs in its own process: the tier tags it "writes to Shopify" go to a throwaway
// in-memory store (the demo server has its own).
const localShopifyStandIn = localStoreAdmin(createLocalStoreState());
import { DEMO_SHOP } from "../app/config.server";
import { DEMO_CURRENCY, DEMO_SHOP_NAME, DEMO_CUSTOMERS, DEMO_PRODUCTS, demoBasket, demoOrderCount, mulberry32, orderPaidPayload, type DemoCustomer } from "../app/demo/catalog";
import { orderPayload, toPaidOrder, toRefund, refundPayload } from "../app/shopify/webhook-payloads";
import { recordCancellation, recordPaidOrder, recordRefund } from "../app/domain/earning/orders";
import { installShop, updateProgramSettings } from "../app/domain/shop/shops";
import { saveAppearance } from "../app/domain/shop/appearance";
import { deleteShopData } from "../app/domain/members/compliance";
import { parseSettings } from "../app/domain/earning/program";

// At 1 point per Rp1.000, 250 points is about ten coffees' worth of orders.
const DEMO_REWARDS: RewardInput[] = [
  { name: "Free shipping", type: "free_shipping", pointsCost: 150, validityDays: 30 },
  { name: "Rp25.000 off your order", type: "fixed_amount", pointsCost: 250, value: 2_500_000, minimumSubtotal: 10_000_000, validityDays: 30 },
  { name: "Free V60 paper filters", type: "free_product", pointsCost: 300, variantId: "9006", value: 4_500_000, validityDays: 30 },
  { name: "10% off your order", type: "percentage", pointsCost: 400, value: 10, validityDays: 30 },
  { name: "Rp50.000 store credit", type: "store_credit", pointsCost: 500, value: 5_000_000 },
];

const random = mulberry32(20261123);
const DAY = 86_400_000;
const orderCount = () => demoOrderCount(random);
const basket = () => demoBasket(random);

/**
 * --fresh: the demo shop exactly as installing the app leaves a new shop (the install's own
 * function, with the name and currency Shopify would report): the default program for IDR,
 * no rewards, no customers or orders yet, not onboarded. The admin then opens on onboarding.
 */
async function installFresh() {
  await installShop(prisma, DEMO_SHOP, { name: DEMO_SHOP_NAME, currencyCode: DEMO_CURRENCY }, new Date());
  console.log(`Installed ${DEMO_SHOP} as a new shop (${DEMO_SHOP_NAME}, ${DEMO_CURRENCY}): onboarding comes first at /app.`);
}

async function main() {
  const fresh = process.argv.includes("--fresh");
  const reset = fresh || process.argv.includes("--reset");
  const existing = await prisma.shop.findUnique({ where: { domain: DEMO_SHOP } });
  if (existing && !reset) {
    console.log(`Demo shop ${DEMO_SHOP} already seeded (use --reset to start over, --fresh for a new install).`);
    return;
  }
  // With the rows keyed by the shop without a relation (tiers, dashboard snapshots, jobs).
  if (existing) await deleteShopData(prisma, DEMO_SHOP);
  await prisma.webhookEvent.deleteMany({ where: { shopDomain: DEMO_SHOP } });
  if (fresh) return installFresh();

  // Installed as a new shop would be, then set up as a merchant would have by now.
  await installShop(prisma, DEMO_SHOP, { name: DEMO_SHOP_NAME, currencyCode: DEMO_CURRENCY }, new Date());
  await prisma.$transaction(async (tx) => {
    // Currency-aware rate for IDR: 1 point per Rp1.000 (a Rp250.000 order earns 250).
    await updateProgramSettings(
      tx,
      DEMO_SHOP,
      parseSettings({
        earning: { points: 1, perAmount: 100_000 },
        bonuses: {
          signup: 100,
          birthday: 200,
          actions: [
            { key: "newsletter", label: "Join the Kopi Kembali newsletter", points: 50, limit: "once" },
            { key: "instagram", label: "Follow us on Instagram", points: 30, limit: "once" },
          ],
        },
        expiry: { mode: "after_earning", months: 12, warnDays: 30 },
        // A point is worth Rp100, as the rewards below price it (250 points for Rp25.000 off).
        redemption: { pointValue: 10_000 },
      }),
    );
  });
  // Seeded as a shop that finished onboarding (it stays reachable from the home page).
  await prisma.shop.update({ where: { domain: DEMO_SHOP }, data: { onboardingStep: 3, onboardedAt: new Date() } });
  // The coffee roaster's brown; the app writes it to the (demo) Shopify as the appearance metafield.
  await saveAppearance({ db: prisma }, DEMO_SHOP, { accent: "#6f4e37" });

  const now = Date.now();
  const plan: Array<{ at: Date; customer: DemoCustomer | null }> = [];
  for (const customer of DEMO_CUSTOMERS) {
    let at = now - random() * 365 * DAY;
    const count = orderCount();
    for (let i = 0; i < count && at < now; i++) {
      plan.push({ at: new Date(at), customer });
      at += (10 + random() * 60) * DAY; // loyal buyers come back every few weeks
    }
  }
  for (let i = 0; i < 60; i++) plan.push({ at: new Date(now - random() * 365 * DAY), customer: null });
  plan.sort((a, b) => a.at.getTime() - b.at.getTime());

  let orderId = 1001;
  let refunds = 0;
  let cancellations = 0;
  for (const { at, customer } of plan) {
    const id = String(orderId++);
    const payload = orderPaidPayload({ orderId: id, customer, lines: basket(), createdAt: at });
    const order = toPaidOrder(orderPayload.parse(payload), at);
    await prisma.$transaction((tx) => recordPaidOrder({ db: tx, clock: () => at }, DEMO_SHOP, order));
    const fate = random();
    const later = new Date(at.getTime() + 3 * DAY);
    if (customer && fate < 0.04 && later.getTime() < now) {
      // A partial refund of the first line, a few days later.
      const line = payload.line_items[0];
      const refund = refundPayload.parse({
        id: Number(id) * 10,
        order_id: Number(id),
        created_at: later.toISOString(),
        refund_line_items: [{ subtotal: line.price }],
      });
      await prisma.$transaction((tx) => recordRefund({ db: tx, clock: () => later }, DEMO_SHOP, toRefund(refund, DEMO_CURRENCY)));
      refunds++;
    } else if (customer && fate < 0.05 && later.getTime() < now) {
      await prisma.$transaction((tx) => recordCancellation({ db: tx, clock: () => later }, DEMO_SHOP, order, later));
      cancellations++;
    }
  }
  // Points whose pending period is over are spendable now, as the server's sweep would make them.
  const sweep = { db: prisma, clock: () => new Date(), transaction: transaction(prisma) };
  while ((await releasePendingPoints(sweep)) > 0);
  // The orders were replayed today: a customer has been one since their first order.
  const firsts = await prisma.order.groupBy({
    by: ["customerId"],
    where: { shop: { domain: DEMO_SHOP }, customerId: { not: null } },
    _min: { orderedAt: true },
  });
  for (const f of firsts) {
    if (f.customerId && f._min.orderedAt) await prisma.customer.update({ where: { id: f.customerId }, data: { createdAt: f._min.orderedAt } });
  }

  for (const reward of DEMO_REWARDS) await createReward({ db: prisma }, DEMO_SHOP, reward);

  // VIP tiers on points earned in the last 12 months; the recalculation job places everyone.
  const tiers = { db: prisma, clock: () => new Date(), transaction: transaction(prisma) };
  const { jobId } = await saveTierProgram(tiers, DEMO_SHOP, {
    basis: "points_earned",
    period: "rolling_12_months",
    tiers: [
      { key: "bronze", name: "Bronze", threshold: 0, earnMultiplier: 1 },
      { key: "silver", name: "Silver", threshold: 500, earnMultiplier: 1.25 },
      { key: "gold", name: "Gold", threshold: 1500, earnMultiplier: 1.5, freeShippingReward: true },
    ],
  });
  await runJob(tiers, { [TIER_RECALCULATION_JOB]: tierRecalculation(async () => localShopifyStandIn, tiers.transaction) }, jobId);

  // The dashboard's figures, as the background job computes them for every shop.
  const snapshot = await enqueueJob(tiers, { shopDomain: DEMO_SHOP, type: ANALYTICS_JOB, input: { asOf: new Date().toISOString() } });
  await runJob(tiers, { [ANALYTICS_JOB]: analyticsSnapshotJob() }, snapshot.id);

  const members = await prisma.customer.count({ where: { shop: { domain: DEMO_SHOP } } });
  console.log(
    `Seeded ${DEMO_SHOP}: ${DEMO_PRODUCTS.length} products, ${members} customers, ${plan.length} paid orders ` +
      `(${refunds} partly refunded, ${cancellations} cancelled), ${DEMO_REWARDS.length} rewards.`,
  );
}

await main();
await prisma.$disconnect();
