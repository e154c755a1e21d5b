// A member's referral code is also a Shopify discount code (decision 020): the background sync
// makes it (once, whatever fails or races), keeps it in line with the friend reward, leaves
// another discount's code alone; an order that types it is attributed like a link visit, with
// every fraud rule, and link and code together make one referral.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import {
  RESYNC_CODE_DISCOUNT,
  codeDiscountTitle,
  contactHasher,
  recordVisit,
  referralFor,
  releaseReferralRewards,
  storefrontReferral,
  syncCodeDiscounts,
} from "~/domain/referrals";
import { memberReferrals } from "~/admin/referrals";
import { programPage } from "~/admin/program";
import { ensureShop, findShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { holdoutBucket } from "~/domain/shop/holdout";
import { localShopify } from "~/shopify/shopify-for.server";
import { ShopifyAdminError } from "~/shopify/admin/errors";
import type { ShopifyAdmin } from "~/shopify/admin/port";
import { TEST_API_SECRET } from "~/config.server";
import { newShopDomain, paidOrder, routeArgs, webhookRequest } from "../helpers";

const DAY = 86_400_000;
const fingerprint = contactHasher(TEST_API_SECRET);
const deps = (at = new Date()) => ({ db: prisma, clock: () => at, transaction: transaction(prisma), fingerprint });
const later = (ms: number) => new Date(Date.now() + ms);

async function setup(settings: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, referral: { holdDays: 30 }, ...settings }),
  );
  return shop;
}

const shopIdOf = async (shop: string) => (await findShop(prisma, shop))!.id;

/** The background sync for one shop (other tests' codes share the database), at `at`, against `admin`. */
async function sync(shop: string, at = new Date(), admin: (shop: string) => Promise<ShopifyAdmin> = async (s) => localShopify(s)) {
  return syncCodeDiscounts({ db: prisma, clock: () => at, shopifyFor: admin }, { shopId: await shopIdOf(shop) });
}

const codeRow = (shop: string, code: string) => prisma.referralCode.findFirstOrThrow({ where: { shop: { domain: shop }, code } });

/** The member's code, made a Shopify discount code by the sync. */
async function memberCode(shop: string, shopifyCustomerId: string) {
  const { code } = await referralFor(deps(), shop, shopifyCustomerId);
  await sync(shop);
  expect((await codeRow(shop, code)).discountStatus).toBe("active");
  return code;
}

interface Contact {
  email?: string;
  phone?: string;
  address?: string;
  ip?: string;
  ref?: string;
  codes?: string[];
  paidAt?: string;
}

/** An orders/paid payload with contact, shipping address, cart attributes, discount codes and IP. */
function order(orderId: string, customerId: string | null, c: Contact = {}) {
  const base = paidOrder(orderId, customerId);
  return {
    ...base,
    ...(c.paidAt ? { created_at: c.paidAt, processed_at: c.paidAt } : {}),
    email: c.email ?? base.customer?.email ?? null,
    phone: c.phone ?? null,
    note_attributes: c.ref ? [{ name: "kembali_ref", value: c.ref }] : [],
    discount_codes: (c.codes ?? []).map((code) => ({ code, amount: "25000.00", type: "percentage" })),
    shipping_address: {
      address1: c.address ?? `Jalan Melati ${orderId}`,
      address2: null,
      city: "Jakarta",
      zip: "10110",
      country_code: "ID",
      phone: null,
    },
    client_details: { browser_ip: c.ip ?? `198.51.100.${Number(orderId) % 250}` },
  };
}

/** The order through the orders/paid route (which attributes it); the shop's referral for it, or null. */
async function deliver(shop: string, body: ReturnType<typeof order>) {
  const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body)));
  expect(res.status).toBe(200);
  return prisma.referral.findFirst({ where: { shop: { domain: shop }, shopifyOrderId: String(body.id) } });
}

const referralsOf = async (shop: string) => prisma.referral.findMany({ where: { shop: { domain: shop } } });

describe("a member's code becomes a Shopify discount code", () => {
  test("GIVEN a member's first state call THEN no Shopify call there; the sync makes one discount for any buyer once each, however often or at once it runs", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const state = await storefrontReferral(deps(), shop, "8001");
    expect(state.referral).toMatchObject({ checkout: false });
    const code = state.referral!.code;
    expect(store.state.discounts).toEqual([]);
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "pending", discountId: null });

    const runs = await Promise.all([sync(shop), sync(shop), sync(shop)]);
    expect(runs.reduce((n, r) => n + r.synced, 0)).toBe(1);
    expect(store.state.discounts).toHaveLength(1);
    const [discount] = store.state.discounts;
    expect(discount).toMatchObject({
      code,
      title: codeDiscountTitle(code),
      usage: "once_per_customer",
      reward: { type: "percentage", percent: 10 },
      endsAt: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    });
    expect(discount.customerId).toBeUndefined(); // any buyer
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "active", discountId: discount.id, discountError: null });
    expect(await sync(shop)).toEqual({ synced: 0, failed: [] });
    expect(store.state.discounts).toHaveLength(1);
    expect((await storefrontReferral(deps(), shop, "8001")).referral).toEqual({
      code,
      url: `https://${shop}/?ref=${code}`,
      checkout: true,
    });

    // Any friend may use it once; the same friend not twice.
    store.markDiscountUsed(discount.id, "8002");
    store.markDiscountUsed(discount.id, "8003");
    expect(() => store.markDiscountUsed(discount.id, "8002")).toThrow(/already used/);
  });

  test("GIVEN Shopify's answer to the create is lost THEN the code waits with the error, the state call still answers, and a later run adopts the discount instead of making a second", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const { code } = await referralFor(deps(), shop, "8011");
    const lostAnswer: ShopifyAdmin = {
      ...store,
      async createDiscountCode(input) {
        await store.createDiscountCode(input);
        throw new ShopifyAdminError("failed", "KembaliDiscountCodeBasicCreate", "HTTP 502; it may or may not have been applied", {
          outcomeUnknown: true,
        });
      },
    };
    const now = new Date();
    const failed = await sync(shop, now, async () => lostAnswer);
    expect(failed).toMatchObject({ synced: 0, failed: [{ shop, error: expect.any(ShopifyAdminError) }] });
    const row = await codeRow(shop, code);
    expect(row).toMatchObject({ discountStatus: "pending", discountId: null, discountAttempts: 1, discountLockedUntil: null });
    expect(row.discountError).toContain("HTTP 502");
    expect(row.discountRetryAt!.getTime()).toBe(now.getTime() + 60_000);
    expect((await storefrontReferral(deps(), shop, "8011")).referral).toMatchObject({ code, checkout: false });

    // Not due yet; then Shopify says the code is taken, by Kembali's own discount (its title).
    expect(await sync(shop, new Date(now.getTime() + 30_000))).toEqual({ synced: 0, failed: [] });
    expect(await sync(shop, new Date(now.getTime() + 61_000))).toEqual({ synced: 1, failed: [] });
    expect(store.state.discounts).toHaveLength(1);
    expect(await codeRow(shop, code)).toMatchObject({
      discountStatus: "active",
      discountId: store.state.discounts[0].id,
      discountAttempts: 0,
      discountError: null,
    });
  });

  test("GIVEN Shopify refuses the code again and again THEN each retry waits twice as long", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const { code } = await referralFor(deps(), shop, "8021");
    const now = Date.now();
    store.rejectNext("Something is wrong");
    await sync(shop, new Date(now));
    store.rejectNext("Something is still wrong");
    await sync(shop, new Date(now + 61_000));
    const row = await codeRow(shop, code);
    expect(row).toMatchObject({
      discountStatus: "pending",
      discountAttempts: 2,
      discountError: expect.stringContaining("Something is still wrong"),
    });
    expect(row.discountRetryAt!.getTime()).toBe(now + 61_000 + 120_000);
    expect(store.state.discounts).toEqual([]);
    expect(await memberReferrals({ db: prisma }, shop, "8021")).toMatchObject({
      code,
      codeDiscount: { status: "pending", error: expect.stringContaining("Something is still wrong") },
    });
  });

  test("GIVEN another discount of the shop already has the code THEN it is left alone and the code is taken: the link still works, typing it is not a referral; once that discount is gone the code becomes Kembali's", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const { code } = await referralFor(deps(), shop, "8031");
    const theirs = await store.createDiscountCode({
      code: code.toLowerCase(),
      title: "Merchant's summer sale",
      reward: { type: "percentage", percent: 30 },
      startsAt: new Date(),
      endsAt: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      currency: "IDR",
    });
    const now = Date.now();
    expect(await sync(shop, new Date(now))).toEqual({ synced: 1, failed: [] });
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "taken", discountId: null, discountError: null });
    expect(store.state.discounts).toHaveLength(1);
    expect(store.discount(theirs.discountId)).toMatchObject({
      title: "Merchant's summer sale",
      reward: { type: "percentage", percent: 30 },
    });
    expect((await storefrontReferral(deps(), shop, "8031")).referral).toMatchObject({ code, checkout: false });
    expect(await memberReferrals({ db: prisma }, shop, "8031")).toMatchObject({ codeDiscount: { status: "taken" } });

    expect((await recordVisit(deps(), shop, code, "ip-8031")).counted).toBe(true);
    expect(await deliver(shop, order("80311", "8032", { codes: [code] }))).toBeNull();
    expect(await deliver(shop, order("80312", "8033", { ref: code }))).toMatchObject({ attributedBy: "cart_attribute", status: "pending" });

    // Tried again a day later: still theirs; after the merchant removed it, Kembali's.
    expect(await sync(shop, new Date(now + DAY / 2))).toEqual({ synced: 0, failed: [] });
    await sync(shop, new Date(now + DAY + 1000));
    expect((await codeRow(shop, code)).discountStatus).toBe("taken");
    store.state.discounts.splice(0);
    await sync(shop, new Date(now + 2 * DAY + 2000));
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "active", discountId: store.state.discounts[0].id });
    expect(store.state.discounts[0].title).toBe(codeDiscountTitle(code));
  });

  test("GIVEN a member's code changes (an import) to one another discount has THEN their old discount stops working and the code is taken", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const code = await memberCode(shop, "8061");
    const { discountId } = await codeRow(shop, code);
    await store.createDiscountCode({
      code: "TAKEN234",
      title: "Merchant's own",
      reward: { type: "percentage", percent: 5 },
      startsAt: new Date(),
      endsAt: null,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      currency: "IDR",
    });
    await prisma.referralCode.updateMany({ where: { shop: { domain: shop }, code }, data: { code: "TAKEN234", ...RESYNC_CODE_DISCOUNT } });
    expect(await sync(shop)).toEqual({ synced: 1, failed: [] });
    expect(await codeRow(shop, "TAKEN234")).toMatchObject({ discountStatus: "taken", discountId: null });
    expect((await store.discountUsage(discountId!)).status).toBe("EXPIRED");
    expect(store.discount(discountId!)!.code).toBe(code);
  });

  test("GIVEN the merchant changes the friend reward THEN every member's discount gives the new one (the same discounts); referrals off THEN they stop working; on again THEN they work", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const codes = [await memberCode(shop, "8041"), await memberCode(shop, "8042")];
    const ids = store.state.discounts.map((d) => d.id);
    const settings = (await findShop(prisma, shop))!.settings;

    await updateProgramSettings(prisma, shop, {
      ...settings,
      referral: { ...settings.referral, friendReward: { type: "fixed_amount", value: 2_500_000 } },
    });
    expect((await codeRow(shop, codes[0])).discountStatus).toBe("pending");
    expect((await programPage({ db: prisma }, shop)).codesSyncing).toBe(2);
    // Until the sync has run, the code still works (with the reward it had).
    expect((await storefrontReferral(deps(), shop, "8041")).referral).toMatchObject({ checkout: true });
    expect(await sync(shop)).toEqual({ synced: 2, failed: [] });
    expect((await programPage({ db: prisma }, shop)).codesSyncing).toBe(0);
    expect(await memberReferrals({ db: prisma }, shop, "8041")).toMatchObject({ codeDiscount: { status: "active", error: null } });
    expect(store.state.discounts.map((d) => [d.id, d.code, d.reward])).toEqual([
      [ids[0], codes[0], { type: "fixed_amount", amount: 2_500_000 }],
      [ids[1], codes[1], { type: "fixed_amount", amount: 2_500_000 }],
    ]);
    // Saving other settings leaves the codes alone.
    await updateProgramSettings(prisma, shop, {
      ...settings,
      referral: { ...settings.referral, referrerPoints: 900, friendReward: { type: "fixed_amount", value: 2_500_000 } },
    });
    expect((await codeRow(shop, codes[0])).discountStatus).toBe("active");

    const current = (await findShop(prisma, shop))!.settings;
    await updateProgramSettings(prisma, shop, { ...current, referral: { ...current.referral, enabled: false } });
    await sync(shop);
    expect(await codeRow(shop, codes[0])).toMatchObject({ discountStatus: "off", discountId: ids[0] });
    for (const id of ids) expect((await store.discountUsage(id)).status).toBe("EXPIRED");
    expect(() => store.markDiscountUsed(ids[0], "8043")).toThrow(/EXPIRED/);

    await updateProgramSettings(prisma, shop, current);
    await sync(shop);
    for (const id of ids) expect((await store.discountUsage(id)).status).toBe("ACTIVE");
    expect(store.state.discounts).toHaveLength(2);
  });

  test("GIVEN referrals are off before a code was ever synced THEN no discount is made; turned on THEN it is", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const { code } = await referralFor(deps(), shop, "8071");
    const settings = (await findShop(prisma, shop))!.settings;
    await updateProgramSettings(prisma, shop, { ...settings, referral: { ...settings.referral, enabled: false } });
    await sync(shop);
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "off", discountId: null });
    // Saving again while off changes nothing.
    await updateProgramSettings(prisma, shop, { ...settings, referral: { ...settings.referral, enabled: false, referrerPoints: 10 } });
    expect((await codeRow(shop, code)).discountStatus).toBe("off");
    expect(store.state.discounts).toEqual([]);

    await updateProgramSettings(prisma, shop, settings);
    await sync(shop);
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "active", discountId: store.state.discounts[0].id });
  });

  test("GIVEN the friend reward changes while a sync is creating the discount THEN that code stays pending and the next run gives the new reward", async () => {
    const shop = await setup();
    const store = localShopify(shop);
    const { code } = await referralFor(deps(), shop, "8051");
    const settings = (await findShop(prisma, shop))!.settings;
    const slow: ShopifyAdmin = {
      ...store,
      async createDiscountCode(input) {
        const created = await store.createDiscountCode(input);
        await updateProgramSettings(prisma, shop, {
          ...settings,
          referral: { ...settings.referral, friendReward: { type: "percentage", value: 25 } },
        });
        return created;
      },
    };
    expect(await sync(shop, new Date(), async () => slow)).toEqual({ synced: 0, failed: [] });
    const [discount] = store.state.discounts;
    expect(await codeRow(shop, code)).toMatchObject({ discountStatus: "pending", discountId: discount.id, discountLockedUntil: null });
    expect(await sync(shop)).toEqual({ synced: 1, failed: [] });
    expect(store.state.discounts).toHaveLength(1);
    expect(store.discount(discount.id)!.reward).toEqual({ type: "percentage", percent: 25 });
    expect((await codeRow(shop, code)).discountStatus).toBe("active");
  });
});

describe("an order that types a member's code", () => {
  test("GIVEN a friend types the code at checkout THEN attributed to the member, held for the window, then the member is rewarded once", async () => {
    const shop = await setup();
    const code = await memberCode(shop, "8101");
    const referrer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "8101" } });
    const referral = await deliver(shop, order("81011", "8102", { codes: [code.toLowerCase()] }));
    expect(referral).toMatchObject({ attributedBy: "typed_code", referrerId: referrer.id, status: "pending", riskScore: 0 });
    const paidAt = (await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: "81011" } })).paidAt!;
    expect(referral!.rewardAvailableAt.getTime()).toBe(paidAt.getTime() + 30 * DAY);
    const release = (at: Date) => releaseReferralRewards(deps(at), { shopId: referral!.shopId });
    expect(await release(later(29 * DAY))).toBe(0);
    expect(await release(later(31 * DAY))).toBe(1);
    expect(await release(later(31 * DAY))).toBe(0);
    expect(
      await prisma.pointsEntry.findMany({ where: { customerId: referrer.id, sourceType: "referral" }, select: { points: true } }),
    ).toEqual([{ points: 500 }]);
  });

  test("GIVEN a code Kembali has not made a discount of yet THEN typing it attributes nothing", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "8111");
    expect(await deliver(shop, order("81111", "8112", { codes: [code] }))).toBeNull();
  });

  // Each fraud case twice: the friend came by the link (cart attribute) or typed the code; same outcome.
  const by = { link: (code: string) => ({ ref: code }), typed: (code: string) => ({ codes: [code] }) } as const;
  const signals = Object.keys(by) as Array<keyof typeof by>;
  const outcome = (r: Awaited<ReturnType<typeof deliver>>) => ({
    status: r?.status,
    reasons: ((r?.riskReasons ?? []) as Array<{ code: string }>).map((x) => x.code),
  });

  test.each(signals)("GIVEN the referrer uses their own code (%s) THEN rejected as a self-referral", async (signal) => {
    const shop = await setup();
    const code = await memberCode(shop, "8201");
    expect(outcome(await deliver(shop, order("82011", "8201", by[signal](code))))).toEqual({
      status: "rejected",
      reasons: ["self_referral", "same_email"],
    });
  });

  test.each(signals)("GIVEN a new account with the referrer's email alias and phone (%s) THEN rejected", async (signal) => {
    const shop = await setup();
    await deliver(shop, order("82101", "8211", { email: "ayu.santoso@gmail.com", phone: "+62 812 3456 7890" }));
    const code = await memberCode(shop, "8211");
    const friend = order("82102", null, { ...by[signal](code), email: "a.yu.santoso+2@googlemail.com", phone: "0812-3456-7890" });
    expect(outcome(await deliver(shop, friend))).toEqual({
      status: "rejected",
      reasons: ["same_email", "same_phone", "existing_customer"],
    });
  });

  test.each(signals)("GIVEN the friend ships to the referrer's address (%s) THEN held for review", async (signal) => {
    const shop = await setup();
    await deliver(shop, order("82201", "8221", { address: "Jl. Kenanga No. 12" }));
    const code = await memberCode(shop, "8221");
    const friend = order("82202", "8222", { ...by[signal](code), address: "Jalan Kenanga Nomor 12" });
    expect(outcome(await deliver(shop, friend))).toEqual({ status: "held_for_review", reasons: ["same_address"] });
  });

  test.each(signals)("GIVEN a friend who already bought here (%s) THEN rejected as an existing customer", async (signal) => {
    const shop = await setup();
    const code = await memberCode(shop, "8231");
    await deliver(shop, order("82301", null, { email: "budi@example.com", paidAt: "2026-11-19T10:00:00Z" }));
    const friend = order("82302", "8232", { ...by[signal](code), email: "Budi+x@example.com" });
    expect(outcome(await deliver(shop, friend))).toEqual({ status: "rejected", reasons: ["existing_customer"] });
  });

  test.each(signals)("GIVEN many friends from one IP address in a day (%s) THEN the one over the limit is held", async (signal) => {
    const shop = await setup({ referral: { holdDays: 30, fraud: { maxPerIpPerDay: 1 } } });
    const code = await memberCode(shop, "8241");
    expect(outcome(await deliver(shop, order("82411", "8242", { ...by[signal](code), ip: "203.0.113.7" })))).toEqual({
      status: "pending",
      reasons: [],
    });
    expect(outcome(await deliver(shop, order("82412", "8243", { ...by[signal](code), ip: "203.0.113.7" })))).toEqual({
      status: "held_for_review",
      reasons: ["ip_velocity"],
    });
  });

  test.each(signals)("GIVEN a referrer in the holdout group (%s) THEN rejected, never rewarded", async (signal) => {
    const salt = "typed-code-holdout-salt1";
    const shop = await setup({ holdout: { share: 50, salt } });
    const ids = (out: boolean) =>
      Array.from({ length: 200 }, (_, i) => String(8300 + i)).filter((id) => holdoutBucket(salt, shop, id) < 5000 === out);
    const [heldOut] = ids(true);
    const [friend] = ids(false);
    // A code from before they were held out (or an import): its discount still works for friends.
    const code = await memberCode(shop, heldOut);
    const referral = await deliver(shop, order("83001", friend, by[signal](code)));
    expect(outcome(referral)).toEqual({ status: "rejected", reasons: ["referrer_held_out"] });
    expect(await releaseReferralRewards(deps(later(31 * DAY)), { shopId: referral!.shopId })).toBe(0);
  });

  test("GIVEN the link and the code for the same friend, in one order, in two orders, in either order, delivered twice THEN one referral", async () => {
    const shop = await setup();
    const code = await memberCode(shop, "8401");

    // Both signals in one order: one referral, by the typed code.
    const both = order("84011", "8402", { ref: code, codes: [code] });
    expect(await deliver(shop, both)).toMatchObject({ attributedBy: "typed_code" });
    expect(await deliver(shop, both)).toMatchObject({ attributedBy: "typed_code" });

    // The link first, the code on the next order.
    await deliver(shop, order("84021", "8403", { ref: code, paidAt: "2026-11-20T10:00:00Z" }));
    expect(await deliver(shop, order("84022", "8403", { codes: [code], paidAt: "2026-11-21T10:00:00Z" }))).toBeNull();

    // The later order (typed code) arrives before the earlier one (link).
    expect(await deliver(shop, order("84032", "8404", { codes: [code], paidAt: "2026-11-21T10:00:00Z" }))).toMatchObject({
      attributedBy: "typed_code",
    });
    expect(await deliver(shop, order("84031", "8404", { ref: code, paidAt: "2026-11-20T10:00:00Z" }))).toBeNull();

    // A guest friend known by email: link, then the code.
    await deliver(shop, order("84041", null, { ref: code, email: "sari@example.com", paidAt: "2026-11-20T10:00:00Z" }));
    expect(
      await deliver(shop, order("84042", null, { codes: [code], email: "Sari@Example.com", paidAt: "2026-11-21T10:00:00Z" })),
    ).toBeNull();

    const friends = (await referralsOf(shop)).map((r) => r.friendId ?? r.friendEmail);
    expect(friends).toHaveLength(4);
    expect(new Set(friends).size).toBe(4);
  });
});
