// The seeded demo shop's story: the IDR coffee roaster from ./catalog with 18 months of orders
// (so the 12-month figures have a year before them to compare with), points spent on rewards,
// codes used or expired, points expired after 12 months, and referrals in every state, each
// written through the same domain functions the webhooks, the App Proxy, the background work
// and the admin use, at the moment it happened (a clock per event), so balances are real ledger
// sums and every rule applies. Deterministic apart from referral codes (seeded PRNG).
// scripts/seed.ts runs it for the demo shop; the seed's integration test for a test shop.
import type { PrismaClient } from "@prisma/client";
import { config } from "../config.server";
import { transaction } from "../db.server";
import { releasePendingPoints } from "../domain/ledger/ledger";
import { createReward, type RewardInput } from "../domain/rewards/rewards";
import { saveTierProgram, tierRecalculation, TIER_RECALCULATION_JOB } from "../domain/tiers";
import { enqueueJob, runJob } from "../domain/jobs";
import { ANALYTICS_JOB, analyticsSnapshotJob } from "../domain/analytics/dashboard";
import { sweepExpiry } from "../domain/ledger/expiry";
import { redeemReward, settleExpiredRewards } from "../domain/rewards/redemption";
import { contactHasher, decideReferral, recordVisit, referralFor, releaseReferralRewards } from "../domain/referrals";
import { onCancellation, onOrderPaid, onRefund } from "../domain/earning/events";
import { installShop, updateProgramSettings } from "../domain/shop/shops";
import { saveAppearance } from "../domain/shop/appearance";
import { recordFulfilment } from "../domain/surveys/fulfilment";
import { saveSurveySettings } from "../domain/surveys/settings";
import { refitShop } from "../domain/recommendations/refit";
import { parseSettings } from "../domain/earning/program";
import { createLocalStoreState, localStoreAdmin } from "../shopify/admin/local-store.server";
import { orderPayload, refundPayload, toPaidOrder, toRefund } from "../shopify/webhook-payloads";
import {
  DEMO_CURRENCY,
  DEMO_CUSTOMERS,
  DEMO_PRODUCTS,
  DEMO_REFERRED_FRIENDS,
  DEMO_SHOP_NAME,
  demoBasket,
  demoOrderCount,
  mulberry32,
  orderPaidPayload,
  type DemoCustomer,
  type OrderLineSpec,
} from "./catalog";

// At 1 point per Rp1.000, 250 points is about ten coffees' worth of orders.
export const DEMO_REWARDS: RewardInput[] = [
  { name: "Free shipping", type: "free_shipping", pointsCost: 150, validityDays: 30 },
  {
    name: "Rp25.000 off your order",
    type: "fixed_amount",
    pointsCost: 250,
    value: 2_500_000,
    minimumSubtotal: 10_000_000,
    validityDays: 30,
  },
  { name: "Free V60 paper filters", type: "free_product", pointsCost: 300, variantId: "9006", value: 4_500_000, validityDays: 30 },
  { name: "10% off your order", type: "percentage", pointsCost: 400, value: 10, validityDays: 30 },
  { name: "Rp50.000 store credit", type: "store_credit", pointsCost: 500, value: 5_000_000 },
];

const DAY = 86_400_000;
/** The seeded orders span the last 18 months; the demo's Shopify holds older ones for the import (./history). */
export const DEMO_SEED_DAYS = 548;
/** The merchant's name on the seeded referral decisions. */
export const DEMO_STAFF = "Dewi (owner)";

/** How each scripted referral goes: who brings which friend when, and what happens next. */
interface ReferralScene {
  friend: DemoCustomer;
  /** Index into the referrers (the shop's most loyal customers). */
  referrer: number;
  daysAgo: number;
  /** The friend's order ships to the referrer's address: the checks hold it for review. */
  sameAddress?: boolean;
  refundedInFull?: boolean;
  merchant?: { decision: "approve" | "reject"; note: string };
}

const [ratna, bayu, dian, arif, melati, yoga, lia, tono] = DEMO_REFERRED_FRIENDS;
const SCENES: ReferralScene[] = [
  // Past the 30-day hold window: the referrer is rewarded.
  { friend: ratna, referrer: 0, daysAgo: 200 },
  { friend: bayu, referrer: 1, daysAgo: 150 },
  { friend: dian, referrer: 0, daysAgo: 90 },
  // Refunded inside the hold window: cancelled, no reward.
  { friend: arif, referrer: 2, daysAgo: 60, refundedInFull: true },
  // Passed the checks, still in the hold window.
  { friend: melati, referrer: 1, daysAgo: 12 },
  // Ships to the referrer's address: held for the merchant, who approves one and rejects one.
  { friend: yoga, referrer: 2, daysAgo: 9, sameAddress: true },
  {
    friend: lia,
    referrer: 0,
    daysAgo: 20,
    sameAddress: true,
    merchant: { decision: "approve", note: "Lia is a neighbour, not family: a real new customer." },
  },
  {
    friend: tono,
    referrer: 1,
    daysAgo: 25,
    sameAddress: true,
    merchant: { decision: "reject", note: "Same household: the referrer's husband ordering for the shop's own kitchen." },
  },
];

/** A street address per customer (Jakarta postcodes): orders carry one, as Shopify's do. */
function addressOf(customer: DemoCustomer) {
  const n = Number(customer.id);
  return { address1: `Jl. Kenanga No. ${n % 97}`, city: "Jakarta", zip: String(10110 + (n % 40) * 10), country_code: "ID" };
}

interface PlannedOrder {
  at: Date;
  customer: DemoCustomer | null;
  lines: OrderLineSpec[];
  /** Set for a referred order: the referrer whose code is in the cart. */
  referredBy?: DemoCustomer;
  shipTo?: DemoCustomer;
  scene?: ReferralScene;
}

export interface SeedSummary {
  products: number;
  customers: number;
  orders: number;
  refunds: number;
  cancellations: number;
  rewards: number;
  redemptions: number;
  referrals: Record<string, number>;
}

/**
 * Seeds `shopDomain` (installed as a new shop would be, then set up as a merchant would have by
 * now) with `now` as today. Expects the shop not to exist yet.
 */
export async function seedDemoShop(db: PrismaClient, shopDomain: string, now = new Date()): Promise<SeedSummary> {
  const random = mulberry32(20261123);
  // Its clock is the seed's: the moment of the event being replayed.
  let shopifyNow = now;
  const shopify = localStoreAdmin(createLocalStoreState(), { clock: () => shopifyNow });
  // The seed runs in its own process: what it "writes to Shopify" (reward codes, tier tags)
  // goes to a throwaway in-memory store (the demo server has its own).
  const shopifyFor = async () => shopify;
  const tx = transaction(db as PrismaClient);
  const at = (date: Date) => ({ db, clock: () => date, transaction: tx });
  const fingerprint = contactHasher(config.apiSecret);

  await installShop(
    db,
    shopDomain,
    { name: DEMO_SHOP_NAME, currencyCode: DEMO_CURRENCY, ianaTimezone: "Asia/Jakarta" },
    new Date(now.getTime() - (DEMO_SEED_DAYS + 1) * DAY),
  );
  await tx(async (t) => {
    // Currency-aware rate for IDR: 1 point per Rp1.000 (a Rp250.000 order earns 250).
    await updateProgramSettings(
      t,
      shopDomain,
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
  await db.shop.update({ where: { domain: shopDomain }, data: { onboardingStep: 3, onboardedAt: now } });
  // The coffee roaster's brown; the app writes it to the (demo) Shopify as the appearance metafield.
  await saveAppearance({ db }, shopDomain, { accent: "#6f4e37" });
  // The post-purchase survey on, with 25 points for answering: the widget's card asks members a
  // week after their order was delivered.
  await saveSurveySettings({ db }, shopDomain, { enabled: true, pointsForAnswer: 25 });
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const rewards: Array<Awaited<ReturnType<typeof createReward>>> = [];
  for (const reward of DEMO_REWARDS) rewards.push(await createReward({ db }, shopDomain, reward));

  // Each customer's orders: most buy once, a loyal few every few weeks; and guest checkouts.
  const start = now.getTime() - DEMO_SEED_DAYS * DAY;
  const plan: PlannedOrder[] = [];
  for (const customer of DEMO_CUSTOMERS) {
    let time = start + random() * DEMO_SEED_DAYS * DAY;
    const count = demoOrderCount(random);
    for (let i = 0; i < count && time < now.getTime(); i++) {
      plan.push({ at: new Date(time), customer, lines: demoBasket(random) });
      time += (10 + random() * 60) * DAY; // loyal buyers come back every few weeks
    }
  }
  for (let i = 0; i < 80; i++)
    plan.push({ at: new Date(start + random() * DEMO_SEED_DAYS * DAY), customer: null, lines: demoBasket(random) });

  // The referrers: the three customers with the most orders who were customers before any scene.
  const firstOrder = new Map<string, number>();
  const orderCount = new Map<string, number>();
  for (const o of plan) {
    if (!o.customer) continue;
    const id = o.customer.id;
    firstOrder.set(id, Math.min(firstOrder.get(id) ?? Infinity, o.at.getTime()));
    orderCount.set(id, (orderCount.get(id) ?? 0) + 1);
  }
  const oldest = now.getTime() - Math.max(...SCENES.map((s) => s.daysAgo)) * DAY;
  const referrers = DEMO_CUSTOMERS.filter((c) => (firstOrder.get(c.id) ?? Infinity) < oldest - 30 * DAY)
    .sort((a, b) => orderCount.get(b.id)! - orderCount.get(a.id)! || Number(a.id) - Number(b.id))
    .slice(0, 3);
  for (const scene of SCENES) {
    const referrer = referrers[scene.referrer];
    plan.push({
      at: new Date(now.getTime() - scene.daysAgo * DAY + 3_600_000),
      customer: scene.friend,
      lines: [
        { product: DEMO_PRODUCTS[0], quantity: 1 },
        { product: DEMO_PRODUCTS[5], quantity: 1 },
      ],
      referredBy: referrer,
      shipTo: scene.sameAddress ? referrer : scene.friend,
      scene,
    });
  }
  // Two that the checks reject: a loyal customer's own code, and a customer who had ordered before.
  const earlyBuyer = DEMO_CUSTOMERS.find((c) => !referrers.includes(c) && (firstOrder.get(c.id) ?? Infinity) < now.getTime() - 60 * DAY)!;
  plan.push({ at: new Date(now.getTime() - 40 * DAY), customer: referrers[2], lines: demoBasket(random), referredBy: referrers[2] });
  plan.push({ at: new Date(now.getTime() - 15 * DAY), customer: earlyBuyer, lines: demoBasket(random), referredBy: referrers[1] });
  plan.sort((a, b) => a.at.getTime() - b.at.getTime());

  let redemptions = 0;
  /** What the background work and the shoppers do in a week: as the server's sweeps would, at that time. */
  const week = async (date: Date) => {
    const deps = at(date);
    shopifyNow = date;
    while ((await releasePendingPoints(deps, { shopId: shop.id })) > 0);
    await releaseReferralRewards(deps, { shopId: shop.id });
    await sweepExpiry(deps, shop.id);
    await settleExpiredRewards({ ...deps, shopifyFor }, { shopId: shop.id });
    // Members with enough points now and then redeem one (a store credit in the last month: the
    // demo server's own Shopify stand-in never sees the seed's discount codes, so those are all
    // settled, used or expired, by today).
    const lastMonth = now.getTime() - date.getTime() < 31 * DAY;
    const members = await db.customer.findMany({
      where: { shopId: shop.id, balance: { gte: DEMO_REWARDS[0].pointsCost } },
      orderBy: { shopifyCustomerId: "asc" },
    });
    for (const member of members) {
      if (random() >= 0.1) continue;
      const affordable = rewards.filter((r) => r.pointsCost <= member.balance && (!lastMonth || r.type === "store_credit"));
      if (!affordable.length) continue;
      const reward = affordable[Math.floor(random() * affordable.length)];
      const requestId = `demo-seed-redemption-${++redemptions}`;
      const result = await redeemReward(
        { ...deps, shopify },
        { shopDomain, shopifyCustomerId: member.shopifyCustomerId, rewardId: reward.id, requestId },
      );
      await db.redemption.update({ where: { id: result.id }, data: { createdAt: date } });
      // Most codes are used at checkout; the rest expire unused and give their points back.
      const issued = await db.redemption.findUniqueOrThrow({ where: { id: result.id } });
      if (issued.discountId && random() < 0.7) shopify.markDiscountUsed(issued.discountId, member.shopifyCustomerId);
    }
  };

  let orderId = 1001;
  let refunds = 0;
  let cancellations = 0;
  let nextWeek = start + 7 * DAY;
  for (const planned of plan) {
    while (nextWeek <= planned.at.getTime()) {
      await week(new Date(nextWeek));
      nextWeek += 7 * DAY;
    }
    const { customer } = planned;
    const id = String(orderId++);
    const paidAt = planned.at;
    const attributes: Record<string, string> = {};
    if (planned.referredBy) {
      // The friend followed the member's link: the widget wrote the code to the cart.
      const link = await referralFor(at(new Date(paidAt.getTime() - 2 * DAY)), shopDomain, planned.referredBy.id);
      const visitor = fingerprint(`ip:198.51.100.${plan.indexOf(planned) % 250}`);
      await recordVisit(at(new Date(paidAt.getTime() - DAY)), shopDomain, link.code, visitor);
      attributes.kembali_ref = link.code;
    }
    const shipTo = planned.shipTo ?? customer;
    const payload = {
      ...orderPaidPayload({ orderId: id, customer, lines: planned.lines, createdAt: paidAt, attributes }),
      ...(shipTo ? { shipping_address: addressOf(shipTo) } : {}),
    };
    const order = toPaidOrder(orderPayload.parse(payload), paidAt);
    // What the orders/paid webhook does, in one transaction.
    await tx((t) => onOrderPaid({ db: t, clock: () => paidAt, fingerprint }, shopDomain, order));
    // Delivered two days after payment (what the orders/fulfilled webhook records): the survey
    // card asks about it once the shop's delay has passed.
    const fulfilled = new Date(paidAt.getTime() + 2 * DAY);
    if (fulfilled.getTime() < now.getTime()) await recordFulfilment({ db }, shopDomain, id, fulfilled);
    const fate = random();
    const later = new Date(paidAt.getTime() + (planned.scene?.refundedInFull ? 5 : 3) * DAY);
    if (later.getTime() >= now.getTime() || !customer) continue;
    if (planned.scene?.refundedInFull || (!planned.referredBy && fate < 0.04)) {
      // A partial refund of the first line a few days later (a referred friend's: everything).
      const refunded = planned.scene?.refundedInFull ? payload.line_items : payload.line_items.slice(0, 1);
      const refund = refundPayload.parse({
        id: Number(id) * 10,
        order_id: Number(id),
        created_at: later.toISOString(),
        refund_line_items: refunded.map((l) => ({ subtotal: (Number(l.price) * l.quantity).toFixed(2) })),
      });
      await tx((t) => onRefund({ db: t, clock: () => later }, shopDomain, DEMO_CURRENCY, (currency) => toRefund(refund, currency)));
      refunds++;
    } else if (!planned.referredBy && fate < 0.05) {
      await tx((t) => onCancellation({ db: t, clock: () => later }, shopDomain, order, later));
      cancellations++;
    }
  }
  while (nextWeek <= now.getTime()) {
    await week(new Date(nextWeek));
    nextWeek += 7 * DAY;
  }
  // Today's sweep, without new redemptions.
  const today = at(now);
  shopifyNow = now;
  while ((await releasePendingPoints(today, { shopId: shop.id })) > 0);
  await releaseReferralRewards(today, { shopId: shop.id });
  await sweepExpiry(today, shop.id);
  await settleExpiredRewards({ ...today, shopifyFor }, { shopId: shop.id });

  // The merchant's decisions on the referrals held for review (Referrals page).
  for (const scene of SCENES.filter((s) => s.merchant)) {
    const friend = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: scene.friend.id } },
    });
    const referral = await db.referral.findFirstOrThrow({ where: { shopId: shop.id, friendId: friend.id } });
    const decidedAt = new Date(now.getTime() - (scene.daysAgo - 2) * DAY);
    await decideReferral(at(decidedAt), shopDomain, referral.id, scene.merchant!.decision, DEMO_STAFF, scene.merchant!.note);
  }

  // A customer has been one since their first order (the rows were made by the replay).
  const firsts = await db.order.groupBy({
    by: ["customerId"],
    where: { shopId: shop.id, customerId: { not: null } },
    _min: { orderedAt: true },
  });
  for (const f of firsts) {
    if (f.customerId && f._min.orderedAt) await db.customer.update({ where: { id: f.customerId }, data: { createdAt: f._min.orderedAt } });
  }

  // VIP tiers on points earned in the last 12 months; the recalculation job places everyone.
  const { jobId } = await saveTierProgram(today, shopDomain, {
    basis: "points_earned",
    period: "rolling_12_months",
    tiers: [
      { key: "bronze", name: "Bronze", threshold: 0, earnMultiplier: 1 },
      { key: "silver", name: "Silver", threshold: 500, earnMultiplier: 1.25 },
      { key: "gold", name: "Gold", threshold: 1500, earnMultiplier: 1.5, freeShippingReward: true },
    ],
  });
  await runJob(today, { [TIER_RECALCULATION_JOB]: tierRecalculation(shopifyFor, tx) }, jobId);

  // The dashboard's figures, as the background job computes them for every shop.
  const snapshot = await enqueueJob(today, { shopDomain, type: ANALYTICS_JOB, input: { asOf: now.toISOString() } });
  await runJob(today, { [ANALYTICS_JOB]: analyticsSnapshotJob() }, snapshot.id);

  // "Customers also bought": the replayed orders were counted as they were paid; the lists are
  // derived from those counts now, so the demo storefront shows them from the first page.
  await refitShop(today, shop.id);

  const referrals = await db.referral.groupBy({ by: ["status"], where: { shopId: shop.id }, _count: true });
  return {
    products: DEMO_PRODUCTS.length,
    customers: await db.customer.count({ where: { shopId: shop.id } }),
    orders: plan.length,
    refunds,
    cancellations,
    rewards: rewards.length,
    redemptions,
    referrals: Object.fromEntries(referrals.map((r: { status: string; _count: number }) => [r.status, r._count])),
  };
}
