// The storefront state call's stored answers (decision 040). The one property that matters:
// whatever happened since, a stored answer that is served is exactly what the route would build
// now; every write to what it shows makes it unserved until the route builds it again.
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import prisma, { stateReads, transaction } from "~/db.server";
import { appDeps } from "~/deps.server";
import { storedState } from "~/state-fast-path.server";
import { shopperState, storefrontState } from "~/domain/storefront";
import { snapshotAt, storeSnapshot, STATE_MAX_AGE_MS } from "~/domain/state-snapshot";
import { updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { createReward, setRewardActive } from "~/domain/rewards/rewards";
import { saveTierProgram } from "~/domain/tiers";
import { loader as state } from "~/routes/proxy.state";
import { action as redeem } from "~/routes/proxy.redeem";
import { action as birthday } from "~/routes/proxy.birthday";
import { action as claimAction } from "~/routes/proxy.action";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import { paidOrder, proxyRequest, releasePending, routeArgs, webhookRequest } from "../helpers";
import { MEMBER, VICTIM, proxyShop, type ProxyShop } from "./proxy-fixture";

const LANGS = [{ lang: "en" }, { lang: "id" }, {}] as const;
const search = (shop: string, customerId: string | null, extra: Record<string, string> = {}) =>
  new URL(proxyRequest("state", { shop, customerId, extra }).url).search;

/**
 * The fixture's shop, with MEMBER's first state call made: that call makes their referral code
 * (a write after the answer's versions were read), so it is the second call that stores.
 */
async function shop(): Promise<ProxyShop> {
  const f = await proxyShop();
  await callState(f.shop, MEMBER);
  return f;
}

async function callState(shop: string, customerId: string | null, extra: Record<string, string> = {}) {
  return state(routeArgs(proxyRequest("state", { shop, customerId, extra })));
}

/** What the route would answer now, built without storing anything. */
const fresh = async (shop: string, customerId: string | null) => JSON.stringify(await shopperState(appDeps, shop, customerId));

async function heldOut(shop: string, customerId: string) {
  return (await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: customerId } })).holdout;
}

/** Every stored answer that would be served now for the member (each language) and for guests is what the route builds now. */
async function expectServedIsCurrent(shop: string) {
  for (const extra of LANGS) {
    const stored = await storedState(search(shop, MEMBER, extra));
    if (stored === null) continue;
    expect(await heldOut(shop, MEMBER)).toBe(false);
    expect(stored).toBe(await fresh(shop, MEMBER));
  }
  const guest = await storedState(search(shop, null));
  if (guest !== null) expect(guest).toBe(await fresh(shop, null));
}

type Step = (f: ProxyShop, n: number) => Promise<unknown>;
const member = (f: ProxyShop) => ({ shop: f.shop, customerId: MEMBER });
const post = (path: string, body: unknown, f: ProxyShop) => {
  const url = proxyRequest(path, member(f)).url;
  return new Request(url, { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
};

const STEPS: Record<string, Step> = {
  stateEn: (f) => callState(f.shop, MEMBER, { lang: "en" }),
  stateId: (f) => callState(f.shop, MEMBER, { lang: "id" }),
  stateNoLang: (f) => callState(f.shop, MEMBER),
  stateGuest: (f) => callState(f.shop, null),
  redeem: (f, n) => redeem(routeArgs(post("redeem", { rewardId: f.rewardId, requestId: `snap-redeem-${n}-aaaa` }, f))),
  claim: (f, n) => claimAction(routeArgs(post("action", { key: "review", requestId: `snap-action-${n}-aaaa` }, f))),
  birthday: (f, n) => birthday(routeArgs(post("birthday", { month: 1 + (n % 12), day: 1 + (n % 28) }, f))),
  orderPaid: (f, n) => orderPaid(routeArgs(webhookRequest("orders/paid", f.shop, paidOrder(`77${n}`, MEMBER, 3)))),
  otherMemberOrder: (f, n) => orderPaid(routeArgs(webhookRequest("orders/paid", f.shop, paidOrder(`78${n}`, VICTIM, 3)))),
  refund: (f) =>
    refundCreate(
      routeArgs(
        webhookRequest("refunds/create", f.shop, {
          id: 9100,
          order_id: Number(`3${MEMBER}`),
          created_at: "2026-11-21T10:00:00Z",
          refund_line_items: [{ subtotal: "125000.00", subtotal_set: { shop_money: { amount: "125000.00", currency_code: "IDR" } } }],
        }),
      ),
    ),
  cancel: (f) =>
    orderCancelled(
      routeArgs(
        webhookRequest("orders/cancelled", f.shop, { ...paidOrder(`3${MEMBER}`, MEMBER, 8), cancelled_at: "2026-11-22T10:00:00Z" }),
      ),
    ),
  release: (f) => releasePending(f.shop),
  newReward: (f, n) =>
    createReward({ db: prisma }, f.shop, { name: `Reward ${n}`, type: "fixed_amount", pointsCost: 50 + n, value: 1_000_000 }),
  rewardOff: (f) => setRewardActive({ db: prisma }, f.shop, f.rewardId, false),
  rewardOn: (f) => setRewardActive({ db: prisma }, f.shop, f.rewardId, true),
  earningRate: (f, n) =>
    updateProgramSettings(prisma, f.shop, parseSettings({ earning: { points: 1 + (n % 3), perAmount: 100_000, pendingDays: 0 } })),
  tiers: (f, n) =>
    saveTierProgram({ db: prisma, clock: () => new Date(), transaction: transaction(prisma) }, f.shop, {
      basis: "points_earned",
      period: n % 2 ? "lifetime" : "calendar_year",
      tiers: [
        { key: "silver", name: "Silver", threshold: 0 },
        { key: "gold", name: `Gold ${n}`, threshold: 50 + n },
      ],
    }),
  holdout: (f) => prisma.customer.updateMany({ where: { shop: { domain: f.shop }, shopifyCustomerId: MEMBER }, data: { holdout: true } }),
  letIn: (f) => prisma.customer.updateMany({ where: { shop: { domain: f.shop }, shopifyCustomerId: MEMBER }, data: { holdout: false } }),
};

describe("the storefront state's stored answers", () => {
  test("GIVEN a state call THEN the next one is served from the stored answer, byte for byte what the route answered", async () => {
    const f = await shop();
    for (const extra of LANGS) {
      const res = await callState(f.shop, MEMBER, extra);
      expect(res.status).toBe(200);
      expect(await storedState(search(f.shop, MEMBER, extra))).toBe(await res.text());
    }
    const guest = await callState(f.shop, null);
    expect(await storedState(search(f.shop, null))).toBe(await guest.text());
  });

  test("GIVEN any sequence of shopper, webhook and admin writes THEN a served answer is always what the route builds now", async () => {
    const names = Object.keys(STEPS);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...names), { minLength: 8, maxLength: 24 }), async (steps) => {
        const f = await shop();
        let n = 0;
        for (const name of steps) {
          await STEPS[name]!(f, n++);
          await expectServedIsCurrent(f.shop);
        }
        // The property is not vacuous: a state call after the last step is served stored again.
        await prisma.customer.updateMany({ where: { shop: { domain: f.shop }, shopifyCustomerId: MEMBER }, data: { holdout: false } });
        await callState(f.shop, MEMBER, { lang: "en" });
        expect(await storedState(search(f.shop, MEMBER, { lang: "en" }))).toBe(await fresh(f.shop, MEMBER));
      }),
      { numRuns: 6 },
    );
  }, 240_000);

  test("each write kind makes the stored answer unserved (not just different later)", async () => {
    const f = await shop();
    for (const name of ["redeem", "orderPaid", "refund", "newReward", "earningRate", "tiers", "birthday", "holdout"]) {
      await STEPS.letIn!(f, 0);
      await callState(f.shop, MEMBER, { lang: "en" });
      expect(await storedState(search(f.shop, MEMBER, { lang: "en" })), name).not.toBeNull();
      await STEPS[name]!(f, 1);
      expect(await storedState(search(f.shop, MEMBER, { lang: "en" })), name).toBeNull();
    }
  }, 60_000);

  test("GIVEN a write that lands while the answer is being built THEN what is stored is never served", async () => {
    const f = await shop();
    const at = await snapshotAt(prisma, f.shop, MEMBER);
    const built = await fresh(f.shop, MEMBER);
    await STEPS.redeem!(f, 1);
    await storeSnapshot(prisma, at!, { body: built, lang: "en", build: "dev", validUntil: new Date(Date.now() + 60_000) });
    expect(await storedState(search(f.shop, MEMBER, { lang: "en" }))).toBeNull();
    // A shop-wide change too, for a guest's answer.
    const guestAt = await snapshotAt(prisma, f.shop, null);
    const guest = await fresh(f.shop, null);
    await STEPS.newReward!(f, 2);
    await storeSnapshot(prisma, guestAt!, { body: guest, lang: "", build: "dev", validUntil: new Date(Date.now() + 60_000) });
    expect(await storedState(search(f.shop, null))).toBeNull();
    // And a member's answer built before it.
    await storeSnapshot(prisma, (await snapshotAt(prisma, f.shop, MEMBER))!, {
      body: await fresh(f.shop, MEMBER),
      lang: "en",
      build: "dev",
      validUntil: new Date(Date.now() + 60_000),
    });
    expect(await storedState(search(f.shop, MEMBER, { lang: "en" }))).toBe(await fresh(f.shop, MEMBER));
    await STEPS.newReward!(f, 3);
    expect(await storedState(search(f.shop, MEMBER, { lang: "en" }))).toBeNull();
  });

  test("an answer is served only in its language, by its build, for its shop, and until it runs out", async () => {
    const f = await shop();
    await callState(f.shop, MEMBER, { lang: "id" });
    expect(await storedState(search(f.shop, MEMBER, { lang: "en" }))).toBeNull();
    const now = Date.now();
    expect(await stateReads.member(f.shop, MEMBER, "id", "dev", now)).not.toBeNull();
    expect(await stateReads.member(f.shop, MEMBER, "id", "another-build", now)).toBeNull();
    expect(await stateReads.member(f.shop, MEMBER, "id", "dev", now + STATE_MAX_AGE_MS + 1000)).toBeNull();
    // The same customer id in another shop is another member.
    const other = await shop();
    expect(await storedState(search(other.shop, MEMBER, { lang: "id" }))).toBeNull();
    // A bad signature is left to the route (which answers 401).
    const forged = new URL(proxyRequest("state", { shop: f.shop, customerId: MEMBER, extra: { lang: "id" }, secret: "forged" }).url);
    expect(await storedState(forged.search)).toBeNull();
  });

  test("GIVEN a welcome code that ends THEN the answer holds until then, no longer", async () => {
    const f = await shop();
    const customer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: f.shop }, shopifyCustomerId: MEMBER } });
    const ends = new Date(Date.now() + 10 * 60_000);
    await prisma.redemption.create({
      data: {
        shopId: customer.shopId,
        customerId: customer.id,
        rewardId: f.rewardId,
        requestId: `welcome:${customer.id}`,
        pointsSpent: 0,
        status: "issued",
        code: "WELCOME-TEST",
        expiresAt: ends,
      },
    });
    await storefrontState(appDeps, f.shop, MEMBER, "en");
    expect(await stateReads.member(f.shop, MEMBER, "en", "dev", ends.getTime() - 1)).not.toBeNull();
    expect(await stateReads.member(f.shop, MEMBER, "en", "dev", ends.getTime())).toBeNull();
  });
});
