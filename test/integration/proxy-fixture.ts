// What the App Proxy boundary tests share: a shop where every proxy route has something to
// do for a signed shopper (points to spend, a reward, an action, a referrer's code), the eight
// routes as Remix calls them, and a snapshot of everything a shop owns, to prove a refused
// request wrote nothing.
import prisma from "~/db.server";
import { loader as state } from "~/routes/proxy.state";
import { loader as picked } from "~/routes/proxy.picked";
import { action as redeem } from "~/routes/proxy.redeem";
import { action as claimAction } from "~/routes/proxy.action";
import { action as birthday } from "~/routes/proxy.birthday";
import { action as visit } from "~/routes/proxy.referral.visit";
import { action as claim } from "~/routes/proxy.referral.claim";
import { action as invite } from "~/routes/proxy.referral.invite";
import { loader as surveyDue, action as surveyAnswer } from "~/routes/proxy.survey";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { recordFulfilment } from "~/domain/surveys/fulfilment";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import { referralFor } from "~/domain/referrals";
import { localShopify } from "~/shopify/shopify-for.server";
import { newShopDomain, paidOrder, releasePending, routeArgs, webhookRequest } from "../helpers";

export interface ProxyShop {
  shop: string;
  rewardId: string;
  /** A referrer's code (a customer who is neither member below). */
  code: string;
}

/** A shop with two members holding spendable points (MEMBER and VICTIM), a reward, an action and a referrer. */
export const MEMBER = "7601";
export const VICTIM = "7602";
const REFERRER = "7603";
/** A logged-in shopper with no orders yet: the one a referral welcome reward is for. */
export const FRIEND = "7604";

export async function proxyShop(): Promise<ProxyShop> {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({
      earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
      bonuses: { birthday: 100, actions: [{ key: "review", label: "Write a review", points: 30, limit: "daily", dailyCap: 5 }] },
    }),
  );
  for (const customerId of [MEMBER, VICTIM]) {
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder(`3${customerId}`, customerId, 8))));
  }
  await releasePending(shop);
  // The survey on, and the members' orders fulfilled long enough ago for the storefront to ask.
  await saveSurveySettings({ db: prisma }, shop, { enabled: true, pointsForAnswer: 10 });
  for (const customerId of [MEMBER, VICTIM])
    await recordFulfilment({ db: prisma }, shop, `3${customerId}`, new Date(Date.now() - 10 * 86_400_000));
  const reward = await createReward({ db: prisma }, shop, {
    name: "Rp25.000 off",
    type: "fixed_amount",
    pointsCost: 100,
    value: 2_500_000,
    validityDays: 30,
  });
  const { code } = await referralFor({ db: prisma, clock: () => new Date() }, shop, REFERRER);
  return { shop, rewardId: reward.id, code };
}

type Handler = (args: ReturnType<typeof routeArgs>) => Promise<Response>;

export interface ProxyRoute {
  path: string;
  method: "GET" | "POST";
  handler: Handler;
  /** A body the route accepts and acts on (a new request id each call). */
  body?: (fixture: ProxyShop, n: number) => unknown;
  /** The shopper the route serves in this shop (MEMBER unless said). */
  customer?: string;
}

export const PROXY_ROUTES: ProxyRoute[] = [
  { path: "state", method: "GET", handler: state as Handler },
  { path: "picked", method: "GET", handler: picked as Handler },
  { path: "redeem", method: "POST", handler: redeem as Handler, body: (f, n) => ({ rewardId: f.rewardId, requestId: `redeem-${n}-aaaa` }) },
  { path: "action", method: "POST", handler: claimAction as Handler, body: (_f, n) => ({ key: "review", requestId: `action-${n}-aaaa` }) },
  { path: "birthday", method: "POST", handler: birthday as Handler, body: (_f, n) => ({ month: 1 + (n % 12), day: 1 + (n % 28) }) },
  { path: "referral/visit", method: "POST", handler: visit as Handler, body: (f) => ({ code: f.code }) },
  {
    path: "referral/claim",
    method: "POST",
    handler: claim as Handler,
    body: (f, n) => ({ code: f.code, requestId: `claim-${n}-aaaa` }),
    customer: FRIEND,
  },
  { path: "referral/invite", method: "POST", handler: invite as Handler, body: (_f, n) => ({ email: `friend-${n}@example.com` }) },
  { path: "survey", method: "GET", handler: surveyDue as Handler },
  // The first answer is recorded; later ones are refused (409, one answer per order). The
  // optional comment is left out: a body without it, or with null, is valid.
  {
    path: "survey",
    method: "POST",
    handler: surveyAnswer as Handler,
    body: (_f, n) => ({ order: `3${MEMBER}`, score: n % 11 }),
  },
];

/**
 * Remix calls a route's loader for GET and HEAD and its action for any other method; a route
 * without the export answers 405 itself, before our code runs (null here).
 */
export function routeFor(route: ProxyRoute, method: string): Handler | null {
  const read = method === "GET" || method === "HEAD";
  return read === (route.method === "GET") ? route.handler : null;
}

/** Every row the shops own (and the Shopify stand-in's state for them), table by table, comparable with toEqual. */
export async function shopSnapshot(domains: string[]): Promise<Record<string, string[]>> {
  const shops = await prisma.shop.findMany({ where: { domain: { in: domains } } });
  const ids = shops.map((s) => s.id);
  const own = { where: { shopId: { in: ids } } };
  const tables: Record<string, Promise<unknown[]>> = {
    shop: Promise.resolve(shops),
    customer: prisma.customer.findMany(own),
    pointsEntry: prisma.pointsEntry.findMany(own),
    order: prisma.order.findMany(own),
    refund: prisma.refund.findMany(own),
    dataRequest: prisma.dataRequest.findMany(own),
    reward: prisma.reward.findMany(own),
    redemption: prisma.redemption.findMany(own),
    customerEvent: prisma.customerEvent.findMany(own),
    tierProgram: prisma.tierProgram.findMany(own),
    tierChange: prisma.tierChange.findMany(own),
    referralCode: prisma.referralCode.findMany(own),
    referralVisit: prisma.referralVisit.findMany(own),
    referralInvite: prisma.referralInvite.findMany(own),
    friendReward: prisma.friendReward.findMany(own),
    referral: prisma.referral.findMany(own),
    orderContact: prisma.orderContact.findMany(own),
    analyticsSnapshot: prisma.analyticsSnapshot.findMany(own),
    surveyResponse: prisma.surveyResponse.findMany(own),
    detractorAlert: prisma.detractorAlert.findMany(own),
    memberImport: prisma.memberImport.findMany(own),
    webhookEvent: prisma.webhookEvent.findMany({ where: { shopDomain: { in: domains } } }),
    job: prisma.job.findMany({ where: { shopDomain: { in: domains } } }),
    rateLimitHit: prisma.rateLimitHit.findMany({ where: { OR: domains.map((d) => ({ key: { startsWith: `${d}:` } })) } }),
    shopifyStandIn: Promise.resolve(domains.map((d) => localShopify(d).state)),
  };
  const text = (value: unknown) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `${v}n` : v));
  const snapshot: Record<string, string[]> = {};
  for (const [name, rows] of Object.entries(tables)) snapshot[name] = (await rows).map(text).sort();
  return snapshot;
}
