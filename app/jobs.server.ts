// Background work inside each app server process: every few seconds it releases points whose
// pending period ended, retries rewards whose creation had no clear answer, makes members'
// referral codes and VIP tiers' free shipping Shopify discounts (and keeps them in line) and
// runs queued durable jobs; hourly it sweeps points expiry, reward codes that expired and the
// events messages act on (rewards expiring, surveys due; replenishment daily). Safe
// with several servers (leases and guarded updates, see domain/jobs.ts and domain/ledger/ledger.ts).
// Not started in tests, which drive the same functions with a controlled clock.
import prisma from "./db.server";
import { appDeps, type AppDeps } from "./deps.server";
import { config } from "./config.server";
import { claimJob, dueKey, enqueueJobOnce, runJob, type JobHandler } from "./domain/jobs";
import { backfillJob, reconcileJob } from "./domain/earning/history";
import { releasePendingPoints } from "./domain/ledger/ledger";
import { log } from "./log.server";
import type { Deps } from "./domain/deps";
import { sweepExpiry } from "./domain/ledger/expiry";
import { sweepBirthdays } from "./domain/earning/bonuses";
import { sweepReplenishment, sweepRewardExpiring, sweepSurveysDue } from "./domain/messages/sweeps";
import {
  currentTierProgram,
  markTierShipping,
  scheduleTierRecalculation,
  syncTierShipping,
  tierRecalculation,
  TIER_RECALCULATION_JOB,
} from "./domain/tiers";
import { pruneRateLimits } from "./domain/rate-limit";
import { releaseReferralRewards, syncCodeDiscounts } from "./domain/referrals";
import { syncBalanceMetafields } from "./domain/members/metafields";
import { refreshBestSellers } from "./domain/recommendations/best-sellers";
import { publishLists, shopsWithListsDue } from "./domain/recommendations/publish";
import { connectWebPixels, prunePixelReports } from "./domain/recommendations/pixel";
import { retryPendingRedemptions, settleExpiredRewards } from "./domain/rewards/redemption";
import { refreshAppearanceDigests, syncAppearance } from "./domain/shop/appearance";
import { ANALYTICS_JOB, analyticsSnapshotJob, scheduleAnalyticsSnapshot, SNAPSHOT_MAX_AGE_MS } from "./domain/analytics/dashboard";
import { MEMBER_IMPORT_JOB, memberImportJob } from "./domain/members/member-import";
import { RECS_REBUILD_JOB, rebuildAfterImport, recsRebuildJob } from "./domain/recommendations/rebuild";
import { refitDueShops } from "./domain/recommendations/refit";
import { dispatchMessages, type SendingDeps } from "./domain/messages/dispatch";
import { channelSenders } from "./domain/messages/channels-for";
import { mailFrom, messageIdFor, sendMail } from "./mail.server";
import { sweepWelcomeRewards } from "./domain/messages/welcome";

const { shopifyFor, transaction } = appDeps;

export const JOB_HANDLERS: Record<string, JobHandler> = {
  backfill: backfillJob(shopifyFor, transaction),
  reconcile: reconcileJob(shopifyFor, transaction),
  [TIER_RECALCULATION_JOB]: tierRecalculation(shopifyFor, transaction),
  [ANALYTICS_JOB]: analyticsSnapshotJob(),
  [MEMBER_IMPORT_JOB]: memberImportJob(shopifyFor, transaction),
  [RECS_REBUILD_JOB]: recsRebuildJob(transaction),
};

/** Every 15 s; KEMBALI_WORKER_INTERVAL_MS (at least 200) shortens it for the multi-server test. */
const INTERVAL_MS = Math.max(200, Number(process.env.KEMBALI_WORKER_INTERVAL_MS) || 15_000);

const SWEEP_EVERY_MS = 60 * 60_000;
const DAILY_EVERY_MS = 24 * SWEEP_EVERY_MS;
let lastSweep = 0;
let lastDailySweep = 0;
let forced = false;

/** The next tick runs the hourly and daily sweeps too (the demo's time travel). */
export function forceSweeps(): void {
  lastSweep = 0;
  lastDailySweep = 0;
  forced = true;
}

/** All shops' sweeps, not one shop's: the claim rows' shopDomain. */
const ALL_SHOPS = "*";
export const HOURLY_SWEEP = "sweep-hourly";
export const DAILY_SWEEP = "sweep-daily";

/**
 * The hourly and daily sweeps run once per due time across all app servers: the first server
 * to record the hour (the day) as done runs it, the others skip it (decision 044). A server
 * that dies mid-sweep leaves the rest to the next hour; every sweep catches up on what is due.
 */
async function claimSweep(deps: Pick<Deps, "db" | "clock">, type: string, every: "hour" | "day"): Promise<boolean> {
  const claimed = await enqueueJobOnce(deps, { shopDomain: ALL_SHOPS, type, dueKey: dueKey(deps.clock(), every), status: "done" });
  return claimed !== null;
}

/** One piece of background work; a failure is logged and does not stop the others. */
async function step(name: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    log("error", "background work failed", { step: name, error: error instanceof Error ? error.message : String(error) });
  }
}

export async function backgroundTick(clock = appDeps.clock): Promise<void> {
  const deps = { ...appDeps, clock };
  await step("release pending points", async () => {
    while ((await releasePendingPoints(deps, { limit: 500 })) > 0) {
      // keep going until nothing is due
    }
  });
  await step("referral rewards", () => releaseReferralRewards(deps, { limit: 500 }));
  await step("balance metafields", async () => {
    const { failed } = await syncBalanceMetafields({ db: prisma, shopifyFor });
    for (const { shop, error } of failed) {
      log("warn", "balance metafields not written; retried next time", {
        shop,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  await step("appearance metafields", async () => {
    const { failed } = await syncAppearance({ db: prisma, clock, shopifyFor });
    for (const { shop, error } of failed) {
      log("warn", "appearance metafield not written; retried next time", {
        shop,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  // A new or reinstalled shop's web pixel is switched on within a tick (retried after a failure).
  await step("web pixel", async () => {
    const { failed } = await connectWebPixels({ db: prisma, clock, shopifyFor });
    for (const { shop, error } of failed) {
      log("warn", "web pixel not connected; retried later", { shop, error: error instanceof Error ? error.message : String(error) });
    }
  });
  await step("pending redemptions", () =>
    retryPendingRedemptions({ ...deps, shopifyFor }, {}, ({ id, shopId }, error) =>
      log("warn", "pending redemption not settled; retried next tick", {
        shopId,
        redemptionId: id,
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
  );
  // New members' welcome reward codes, within a tick of joining (once each: the request id).
  await step("welcome rewards", () =>
    sweepWelcomeRewards({ ...deps, shopifyFor }, (shopId, error) =>
      log("warn", "welcome rewards not issued; retried next tick", {
        shopId,
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
  );
  // Members' new codes become Shopify discount codes within a tick, not in the shopper's request.
  await step("referral code discounts", async () => {
    const { failed } = await syncCodeDiscounts({ db: prisma, clock, shopifyFor });
    for (const { shop, error } of failed) {
      log("warn", "referral code discount not written; retried later", {
        shop,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  });
  // A tier's free shipping (a segment and an automatic discount) made or switched after a tier program save.
  await step("tier free shipping", async () => {
    const { failed } = await syncTierShipping({ db: prisma, clock, shopifyFor });
    for (const { shop, error } of failed) {
      log("warn", "tier free shipping not written; retried later", { shop, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // Expiry and expired reward codes change at most daily: once an hour is plenty.
  if (clock().getTime() - lastSweep >= SWEEP_EVERY_MS) {
    lastSweep = clock().getTime();
    let daily = clock().getTime() - lastDailySweep >= DAILY_EVERY_MS;
    if (daily) lastDailySweep = clock().getTime();
    const wasForced = forced;
    forced = false;
    const hourly = wasForced || (await claimSweep(deps, HOURLY_SWEEP, "hour"));
    daily = daily && (wasForced || (await claimSweep(deps, DAILY_SWEEP, "day")));
    if (hourly) await sweeps(deps, daily);
  }
  const types = Object.keys(JOB_HANDLERS);
  for (let job = await claimJob(deps, types); job; job = await claimJob(deps, types)) {
    const outcome = await runJob(deps, JOB_HANDLERS, job.id);
    log(outcome === "done" ? "info" : "warn", "job finished a run", { jobId: job.id, type: job.type, outcome });
    // Imported history changes what sells best: the block need not wait for the hourly sweep.
    if (outcome === "done" && job.type === "backfill") {
      await step("best sellers", () => refreshBestSellers({ ...deps, shopifyFor }, job.shopDomain));
      // Counts complete (orders recorded before recommendations existed too), lists and the quality figure.
      await step("recommendation rebuild", () => rebuildAfterImport(deps, job.shopDomain));
    }
  }
  // "Customers also bought" lists follow the counts: every 10 minutes when orders came in, at
  // once when the merchant changed the orders a product needs. Leases keep servers apart.
  await step("recommendation refit", () =>
    refitDueShops({ ...deps, transaction }, (shopId, error) =>
      log("warn", "recommendations not refitted; retried next tick", {
        shopId,
        error: error instanceof Error ? error.message : String(error),
      }),
    ),
  );
  // Each product's own "Customers also bought" list, soon after a refit or a merchant's change.
  await step("recommendation lists", async () => {
    for (const shop of await shopsWithListsDue(deps)) await step("recommendation lists", () => publishListsOf(deps, shop));
  });
  // Last, so that what this tick recorded goes out in it: recorded events become their emails
  // and channel deliveries, and what is due is sent (in demo mode to the in-process catcher,
  // whose inbox the admin shows).
  await step("messages", async () => {
    const r = await dispatchMessages(messageDeps(clock));
    if (r.routed + r.sent + r.failed + r.unconfirmed > 0) {
      log(r.unconfirmed > 0 ? "warn" : "info", "messages dispatched", {
        routed: r.routed,
        sent: r.sent,
        skipped: r.skipped,
        retried: r.retried,
        failed: r.failed,
        unconfirmed: r.unconfirmed,
      });
    }
  });
}

/** The hourly sweeps of every shop (and the daily ones when `daily`). */
async function sweeps(deps: AppDeps, daily: boolean): Promise<void> {
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { id: true, domain: true } });
  for (const shop of shops) {
    await step("expiry", () => sweepExpiry(deps, shop.id));
    // Events messages act on (each recorded once per key, whichever server sweeps).
    await step("reward expiring", () => sweepRewardExpiring(deps, shop.id));
    await step("surveys due", () => sweepSurveysDue(deps, shop.id));
    if (daily) await step("replenishment", () => sweepReplenishment(deps, shop.id));
    await step("birthdays", () => sweepBirthdays(deps, shop.id));
    // Rolling and calendar-year tiers move with time, not only with orders.
    await step("tier recalculation", () => scheduleTierRecalculation(deps, shop.domain));
    // Programs saved before tier free shipping was made real get their rows here (a no-op after).
    await step("tier free shipping rows", async () => markTierShipping(prisma, shop.id, await currentTierProgram(prisma, shop.id)));
    await step("reconciliation", () => scheduleReconciliation(deps, shop.domain));
    await step("dashboard figures", () => scheduleAnalyticsSnapshot(deps, shop.domain, { maxAgeMs: SNAPSHOT_MAX_AGE_MS }));
    await step("best sellers", () => refreshBestSellers({ ...deps, shopifyFor }, shop.domain));
    // Product facts a day old are read again; a product that sold out leaves the lists.
    await step("recommendation lists", () => publishListsOf(deps, shop.domain));
    await step("pixel reports", () => prunePixelReports(deps, shop.id));
  }
  await step("appearance after a deploy", () => refreshAppearanceDigests(deps));
  await step("expired rewards", () => settleExpiredRewards({ ...deps, shopifyFor }));
  await step("rate limits", () => pruneRateLimits(deps));
}

/** What the messages dispatcher needs: SMTP (in demo mode the in-process catcher), the app's URL and secret for links. */
export function messageDeps(clock = appDeps.clock): SendingDeps {
  const deps = { ...appDeps, clock };
  return {
    ...deps,
    sendMail,
    mailFrom,
    messageIdFor,
    appUrl: config.appUrl,
    secret: config.apiSecret,
    // Klaviyo, Flow and the merchant's webhooks.
    senders: channelSenders(deps),
  };
}

async function publishListsOf(deps: Deps, shopDomain: string) {
  const result = await publishLists({ ...deps, shopifyFor }, shopDomain);
  if (result.outcome === "partial") {
    log("warn", "recommendation lists partly written; the rest is retried next time", { shop: shopDomain, failed: result.failed });
  } else if (result.written + result.removed > 0) {
    log("info", "recommendation lists written", { shop: shopDomain, written: result.written, removed: result.removed });
  }
}

/** Once a day per shop: re-read the last two days of orders to catch missed webhooks. */
async function scheduleReconciliation(deps: Deps, shopDomain: string) {
  const now = deps.clock();
  const recent = await deps.db.job.findFirst({
    where: { shopDomain, type: "reconcile", createdAt: { gt: new Date(now.getTime() - 86_400_000) } },
  });
  if (recent) return;
  // The day is the due time: two servers sweeping at once enqueue it once.
  await enqueueJobOnce(deps, {
    shopDomain,
    type: "reconcile",
    dueKey: dueKey(now, "day"),
    input: { since: new Date(now.getTime() - 2 * 86_400_000).toISOString() },
  });
}

const started = globalThis as unknown as { kembaliBackground?: NodeJS.Timeout; kembaliDemoStandIn?: Promise<void> };

/**
 * Demo mode: the demo's Shopify stand-in lives in this process's memory and starts afresh
 * (the catalogue and the older order history only), so what the app wrote to the previous one
 * (members' balances, best sellers, each product's list, the widget's appearance) is written
 * again. The members' balance metafields, the best sellers and the lists are written before the
 * demo storefront's first page (it awaits this), so the launcher shows a seeded member's
 * balance and product pages their lists on first paint, after every restart too.
 * Outside demo mode: nothing to do.
 */
export function demoStandInReady(): Promise<void> {
  if (config.mode !== "demo") return Promise.resolve();
  started.kembaliDemoStandIn ??= refillDemoStandIn().catch((error: unknown) =>
    log("warn", "demo Shopify stand-in not refilled", { error: error instanceof Error ? error.message : String(error) }),
  );
  return started.kembaliDemoStandIn;
}

async function refillDemoStandIn(): Promise<void> {
  const shop = await prisma.shop.findUnique({ where: { domain: config.demoShop }, select: { id: true } });
  if (!shop) return;
  await prisma.shop.update({ where: { id: shop.id }, data: { bestSellersWritten: null, appearanceSyncedDigest: null } });
  await prisma.customer.updateMany({ where: { shopId: shop.id }, data: { metafieldBalance: null, metafieldHoldout: null } });
  // Each product's "Customers also bought" list is written to the stand-in again.
  await prisma.product.updateMany({ where: { shopId: shop.id }, data: { alsoBoughtWritten: null } });
  await prisma.recsState.updateMany({ where: { shopId: shop.id }, data: { publishedVersion: null } });
  const limit = 250;
  for (let round = 0; round < 1000; round++) {
    const { written } = await syncBalanceMetafields({ db: prisma, shopifyFor }, { shopId: shop.id, limit });
    if (written < limit) break;
  }
  // The shop's best sellers and each product's own list, before the first product page.
  await step("best sellers", () => refreshBestSellers({ ...appDeps, shopifyFor }, config.demoShop));
  await step("recommendation lists", () => publishListsOf(appDeps, config.demoShop));
}

export function startBackgroundWork(): void {
  if (config.mode === "test" || started.kembaliBackground) return;
  let running = false;
  const demoReset = demoStandInReady();
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await demoReset;
      await backgroundTick();
    } catch (error) {
      log("error", "background work failed", { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  };
  started.kembaliBackground = setInterval(tick, INTERVAL_MS);
  started.kembaliBackground.unref();
  void tick();
}
