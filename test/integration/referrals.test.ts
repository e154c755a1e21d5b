// Whole referral flows through the domain, with the friend's order created by the app's own
// orders/paid webhook route (attributeOrder is then called as the route will call it).
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action as refundCreate } from "~/routes/webhooks.refunds.create";
import { action as orderCancelled } from "~/routes/webhooks.orders.cancelled";
import {
  attributeOrder,
  cancelReferralForOrder,
  claimFriendReward,
  claimGuestFriendReward,
  contactHasher,
  decideReferral,
  forgetReferralContacts,
  inviteFriend,
  recordVisit,
  referralFor,
  releaseReferralRewards,
  storefrontReferral,
} from "~/domain/referrals";
import { ensureShop, findShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { localShopify } from "~/shopify/shopify-for.server";
import { TEST_API_SECRET } from "~/config.server";
import { holdoutBucket } from "~/domain/shop/holdout";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const DAY = 86_400_000;
const fingerprint = contactHasher(TEST_API_SECRET);
const deps = (at = new Date()) => ({ db: prisma, clock: () => at, transaction: transaction(prisma), fingerprint });
const later = (days: number) => new Date(Date.now() + days * DAY);

interface Contact {
  email?: string;
  phone?: string;
  address?: string;
  ip?: string;
  ref?: string;
  codes?: string[];
}

/** An orders/paid payload with what a real checkout adds: contact, shipping address, cart attributes, codes, IP. */
function order(orderId: string, customerId: string | null, c: Contact = {}) {
  const base = paidOrder(orderId, customerId);
  return {
    ...base,
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

/** The friend's order through the webhook route, then attributed as the route will do it (inside a transaction). */
/** The friend's order through the orders/paid route, which attributes it; returns the referral. */
async function deliver(shop: string, body: ReturnType<typeof order>) {
  const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body)));
  expect(res.status).toBe(200);
  const row = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: String(body.id) } });
  // Attributing again returns the referral the webhook recorded (a replay is harmless).
  const paid = toPaidOrder(orderPayload.parse(body), row.paidAt!);
  return transaction(prisma)((tx) => attributeOrder({ db: tx, clock: () => new Date(), fingerprint }, shop, paid));
}

async function setup(referral: Record<string, unknown> = {}) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  // Order points earn at once (pendingDays 0) so they do not blur the referrer's balance; the
  // referral hold is 30 days, the return window.
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, referral: { holdDays: 30, ...referral } }),
  );
  return shop;
}

async function referrerPoints(shop: string, shopifyCustomerId: string) {
  const entries = await prisma.pointsEntry.findMany({
    where: { shop: { domain: shop }, customer: { shopifyCustomerId }, sourceType: "referral" },
    orderBy: { createdAt: "asc" },
  });
  return { entries: entries.map((e) => [e.kind, e.points, e.idempotencyKey]), ...(await points(shop, shopifyCustomerId)) };
}

/** The sweep for one shop (other tests' referrals share the database). */
async function release(at: Date, shop: string) {
  const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  return releaseReferralRewards(deps(at), { shopId: id });
}

describe("a referred friend's first order", () => {
  test("GIVEN an order from an IPv6 address THEN its address is kept by its /64, as the App Proxy keys the friend's claim", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7411");
    const referral = await deliver(shop, order("40011", "7412", { ref: code, ip: "2001:db8:bb:3:1234:5678:9abc:def0" }));
    const row = await prisma.referral.findUniqueOrThrow({ where: { id: referral!.id } });
    expect(row.ipHash).toBe(fingerprint("ip:2001:db8:bb:3::/64"));
  });

  test("GIVEN the link's cart attribute WHEN the friend pays THEN pending for the hold window, then the referrer is rewarded once", async () => {
    const shop = await setup();
    await deliver(shop, order("40001", "7401", { email: "ayu@example.com" })); // the referrer's own earlier order
    const { code, url } = await referralFor(deps(), shop, "7401");
    expect(url).toBe(`https://${shop}/?ref=${code}`);
    expect(await referralFor(deps(), shop, "7401")).toEqual({ code, url }); // one code per member
    const before = await points(shop, "7401");

    const referral = await deliver(shop, order("40002", "7402", { ref: code.toLowerCase() }));
    expect(referral).toMatchObject({ status: "pending", attributedBy: "cart_attribute", riskScore: 0, riskReasons: [], points: 500 });
    const paidAt = (await prisma.order.findFirstOrThrow({ where: { shopifyOrderId: "40002", shop: { domain: shop } } })).paidAt!;
    expect(new Date(referral!.rewardAvailableAt).getTime()).toBe(paidAt.getTime() + 30 * DAY);
    expect(referral!.decisions).toEqual([expect.objectContaining({ status: "pending", by: "system" })]);

    expect(await release(later(29), shop)).toBe(0);
    expect(await points(shop, "7401")).toEqual(before);
    expect(await release(later(31), shop)).toBe(1);
    expect(await release(later(31), shop)).toBe(0);
    expect(await referrerPoints(shop, "7401")).toMatchObject({
      entries: [["earn", 500, `referral:${referral!.id}`]],
      balance: before.balance + 500,
    });
    const row = await prisma.referral.findUniqueOrThrow({ where: { id: referral!.id } });
    expect(row).toMatchObject({ status: "rewarded", rewardRound: 1 });
  });

  test("GIVEN the same order delivered again THEN the same referral comes back and nothing is added", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7411");
    const body = order("40011", "7412", { ref: code });
    const first = await deliver(shop, body);
    const row = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: "40011" } });
    const again = await attributeOrder(deps(), shop, toPaidOrder(orderPayload.parse(body), row.paidAt!));
    expect(again!.id).toBe(first!.id);
    expect(await prisma.referral.count({ where: { shop: { domain: shop } } })).toBe(1);
    expect(await prisma.orderContact.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN the friend's second order THEN only the first counts", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7421");
    expect(await deliver(shop, order("40021", "7422", { ref: code }))).not.toBeNull();
    expect(await deliver(shop, order("40022", "7422", { ref: code }))).toBeNull();
    expect(await prisma.referral.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN an order without any referral signal THEN nothing is attributed", async () => {
    const shop = await setup();
    await referralFor(deps(), shop, "7431");
    expect(await deliver(shop, order("40031", "7432", { ref: "ZZZZ9999", codes: ["SUMMER10"] }))).toBeNull();
    expect(await prisma.referral.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN the program is switched off THEN orders are not attributed and nothing about them is kept", async () => {
    const shop = await setup({ enabled: false });
    const { id } = (await findShop(prisma, shop))!;
    await prisma.customer.create({ data: { shopId: id, shopifyCustomerId: "7441" } });
    await expect(referralFor(deps(), shop, "7441")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await deliver(shop, order("40041", "7442", { ref: "ABCD2345" }))).toBeNull();
    expect(await prisma.orderContact.count({ where: { shopId: id } })).toBe(0);
    expect(await storefrontReferral(deps(), shop, "7441")).toEqual({ referral: null, program: null });
  });
});

describe("the ways an order finds its referrer", () => {
  test("GIVEN the friend claimed the welcome code and used it at checkout THEN attributed by the code, even with another referrer's cart attribute", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7451");
    const other = await referralFor(deps(), shop, "7459");
    const reward = await claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, {
      shopifyCustomerId: "7452",
      requestId: "claim-7452",
      ipHash: null,
    });
    expect(reward).toMatchObject({
      status: "issued",
      code: expect.stringMatching(/^REF-[A-Z2-9]{10}$/),
      reward: { type: "percentage", value: 10 },
    });
    expect(localShopify(shop).state.discounts.find((d) => d.code === reward.code)).toMatchObject({
      customerId: "7452",
      reward: { type: "percentage", percent: 10 },
    });
    const referral = await deliver(shop, order("40051", "7452", { codes: [reward.code!.toLowerCase()], ref: other.code }));
    const referrer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7451" } });
    expect(referral).toMatchObject({ attributedBy: "code", referrerId: referrer.id, status: "pending" });
  });

  test("GIVEN the friend claimed from the link but orders in another browser without the code THEN the claim still attributes (link)", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7461");
    await claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, {
      shopifyCustomerId: "7462",
      requestId: "claim-7462",
      ipHash: null,
    });
    expect(await deliver(shop, order("40061", "7462"))).toMatchObject({ attributedBy: "link", status: "pending" });
  });

  test("GIVEN a member invited the friend's email THEN a guest order with that email (another alias) is attributed, and the invite is used up", async () => {
    const shop = await setup();
    await referralFor(deps(), shop, "7471");
    expect(await inviteFriend(deps(), shop, "7471", "Dewi.Lestari@Gmail.com")).toEqual({ email: "dewilestari@gmail.com" });
    await inviteFriend(deps(), shop, "7471", "dewi.lestari@gmail.com"); // the same invite again
    const referral = await deliver(shop, order("40071", null, { email: "dewi.lestari+shop@googlemail.com" }));
    expect(referral).toMatchObject({ attributedBy: "email", friendId: null, status: "pending" });
    const invite = await prisma.referralInvite.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(invite.acceptedAt).not.toBeNull();
    expect(await prisma.referralInvite.count({ where: { shop: { domain: shop } } })).toBe(1);
    await expect(inviteFriend(deps(), shop, "7471", "not an email")).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  test("visits are counted once a day per hashed IP, and an unknown code is NOT_FOUND", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7481");
    expect(await recordVisit(deps(), shop, code, "ip-a")).toEqual({ counted: true, friendReward: { type: "percentage", value: 10 } });
    expect((await recordVisit(deps(), shop, code, "ip-a")).counted).toBe(false);
    expect((await recordVisit(deps(later(2)), shop, code, "ip-a")).counted).toBe(true);
    expect((await recordVisit(deps(), shop, code, "ip-b")).counted).toBe(true);
    await expect(recordVisit(deps(), shop, "ABCD2345", "ip-a")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.referralVisit.count({ where: { shopId: (await findShop(prisma, shop))!.id } })).toBe(3);
  });

  test("the storefront gets the member's link and the offer; a guest only the offer", async () => {
    const shop = await setup({ friendReward: { type: "fixed_amount", value: 2_500_000 } });
    const member = await storefrontReferral(deps(), shop, "7491");
    expect(member).toEqual({
      // Typed at checkout only once the background sync made it a Shopify discount code (decision 020).
      referral: {
        code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{8}$/),
        url: expect.stringContaining(`https://${shop}/?ref=`),
        checkout: false,
      },
      program: { referrerPoints: 500, friendReward: { type: "fixed_amount", value: 2_500_000 } },
    });
    expect(await storefrontReferral(deps(), shop, null)).toEqual({ referral: null, program: member.program });
  });
});

describe("refunds and cancellations inside the hold window", () => {
  const refund = (id: number, orderId: string, rupiah: number, at = new Date()) => ({
    id,
    order_id: Number(orderId),
    created_at: at.toISOString(),
    refund_line_items: [{ subtotal: `${rupiah}.00`, subtotal_set: { shop_money: { amount: `${rupiah}.00`, currency_code: "IDR" } } }],
    transactions: [],
  });

  test("GIVEN the friend's order is refunded in full inside the window THEN the referral is cancelled and the referrer gets nothing", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7501");
    const referral = await deliver(shop, order("40101", "7502", { ref: code }));
    // The refunds/create route cancels it; a second attempt changes nothing.
    expect((await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(1, "40101", 250_000))))).status).toBe(200);
    expect(await cancelReferralForOrder(deps(), shop, "40101")).toBe(false);
    const row = await prisma.referral.findUniqueOrThrow({ where: { id: referral!.id } });
    expect(row.status).toBe("cancelled");
    expect((row.decisions as Array<{ note?: string }>).at(-1)?.note).toMatch(/refunded within the hold window/);
    expect(await release(later(31), shop)).toBe(0);
    expect((await referrerPoints(shop, "7501")).entries).toEqual([]);
  });

  test("GIVEN a partial refund that keeps part of the order THEN the referral stands", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7511");
    await deliver(shop, order("40111", "7512", { ref: code }));
    await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(2, "40111", 125_000))));
    expect(await cancelReferralForOrder(deps(), shop, "40111")).toBe(false);
    expect(await release(later(31), shop)).toBe(1);
  });

  test("GIVEN the order is cancelled THEN the referral is cancelled", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7521");
    const body = order("40121", "7522", { ref: code });
    await deliver(shop, body);
    await orderCancelled(routeArgs(webhookRequest("orders/cancelled", shop, { ...body, cancelled_at: new Date().toISOString() })));
    const row = await prisma.referral.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyOrderId: "40121" } });
    expect(row.status).toBe("cancelled");
    expect(await release(later(31), shop)).toBe(0);
  });

  test("GIVEN the refund arrived before the paid event THEN the sweep cancels instead of rewarding", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7531");
    await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(3, "40131", 250_000))));
    expect(await cancelReferralForOrder(deps(), shop, "40131")).toBe(false); // no referral yet
    const referral = await deliver(shop, order("40131", "7532", { ref: code }));
    expect(await release(later(31), shop)).toBe(0);
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: referral!.id } })).status).toBe("cancelled");
  });

  test("GIVEN a refund after the hold window THEN the rewarded referral stays rewarded", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7541");
    const referral = await deliver(shop, order("40141", "7542", { ref: code }));
    expect(await release(later(31), shop)).toBe(1);
    await refundCreate(routeArgs(webhookRequest("refunds/create", shop, refund(4, "40141", 250_000, later(40)))));
    expect(await cancelReferralForOrder(deps(later(40)), shop, "40141")).toBe(false);
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: referral!.id } })).status).toBe("rewarded");
  });
});

describe("fraud checks and the merchant's decisions", () => {
  test("GIVEN the referrer orders with their own link THEN the referral is rejected as a self-referral", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7601");
    const referral = await deliver(shop, order("40201", "7601", { ref: code }));
    expect(referral).toMatchObject({ status: "rejected", riskScore: 100 });
    expect(referral!.riskReasons).toContainEqual({
      code: "self_referral",
      score: 100,
      text: expect.stringContaining("same customer account"),
    });
    expect(await release(later(31), shop)).toBe(0);
  });

  test("GIVEN a new account with the referrer's Gmail alias and phone THEN rejected, with both reasons", async () => {
    const shop = await setup();
    await deliver(shop, order("40211", "7611", { email: "ayu.santoso@gmail.com", phone: "+62 812 3456 7890" }));
    const { code } = await referralFor(deps(), shop, "7611");
    const referral = await deliver(
      shop,
      order("40212", "7612", { ref: code, email: "a.yu.santoso+2@googlemail.com", phone: "0812-3456-7890" }),
    );
    expect(referral!.status).toBe("rejected");
    // The same person's earlier order also makes them an existing customer.
    expect(referral!.riskReasons.map((r) => r.code)).toEqual(["same_email", "same_phone", "existing_customer"]);
  });

  test("GIVEN a friend who already bought here THEN rejected as an existing customer", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7621");
    await deliver(shop, order("40221", null, { email: "budi@example.com" })); // a guest order before the referral
    const referral = await deliver(shop, order("40222", "7622", { ref: code, email: "Budi+x@example.com" }));
    expect(referral).toMatchObject({ status: "rejected", riskReasons: [expect.objectContaining({ code: "existing_customer" })] });
  });

  test("GIVEN the friend ships to the referrer's address THEN held for review; approved by the merchant THEN rewarded after the window", async () => {
    const shop = await setup();
    await deliver(shop, order("40231", "7631", { address: "Jl. Kenanga No. 12" }));
    const { code } = await referralFor(deps(), shop, "7631");
    const referral = await deliver(shop, order("40232", "7632", { ref: code, address: "Jalan Kenanga Nomor 12" }));
    expect(referral).toMatchObject({
      status: "held_for_review",
      riskScore: 50,
      riskReasons: [expect.objectContaining({ code: "same_address" })],
    });
    expect(await release(later(31), shop)).toBe(0);

    const approved = await decideReferral(deps(), shop, referral!.id, "approve", "merchant@example.com", "Her sister, same house");
    expect(approved.status).toBe("approved");
    expect(approved.decisions.at(-1)).toMatchObject({
      status: "approved",
      by: "merchant",
      actor: "merchant@example.com",
      note: "Her sister, same house",
    });
    expect(await release(later(31), shop)).toBe(1);
    expect((await referrerPoints(shop, "7631")).entries).toEqual([["earn", 500, `referral:${referral!.id}`]]);
  });

  test("GIVEN a rewarded referral reversed by the merchant THEN the points are taken back; approved again THEN rewarded again, once", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7641");
    const referral = await deliver(shop, order("40241", "7642", { ref: code }));
    expect(await release(later(31), shop)).toBe(1);
    const rewarded = await points(shop, "7641");

    const rejected = await decideReferral(deps(later(31.2)), shop, referral!.id, "reject", "merchant@example.com");
    expect(rejected.status).toBe("rejected");
    expect(await points(shop, "7641")).toEqual({ balance: rewarded.balance - 500, pending: 0 });
    expect(await decideReferral(deps(later(31.3)), shop, referral!.id, "reject", "merchant@example.com")).toMatchObject({
      status: "rejected",
    });
    expect(await points(shop, "7641")).toEqual({ balance: rewarded.balance - 500, pending: 0 });

    await decideReferral(deps(later(31.4)), shop, referral!.id, "approve", "merchant@example.com");
    expect(await release(later(32), shop)).toBe(1);
    expect(await release(later(32), shop)).toBe(0);
    expect((await referrerPoints(shop, "7641")).entries).toEqual([
      ["earn", 500, `referral:${referral!.id}`],
      ["reverse", -500, `reverse:referral:${referral!.id}`],
      ["earn", 500, `referral:${referral!.id}:2`],
    ]);
    expect(await points(shop, "7641")).toEqual(rewarded);
  });

  test("GIVEN the referrer already spent the reward THEN reversing it may leave a negative balance (it is owed)", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7651");
    const referral = await deliver(shop, order("40251", "7652", { ref: code }));
    await release(later(31), shop);
    const customer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7651" } });
    await prisma.$transaction(async (tx) => {
      const { appendEntry } = await import("~/domain/ledger/ledger");
      await appendEntry(
        tx,
        {
          shopId: customer.shopId,
          customerId: customer.id,
          kind: "spend",
          points: -500,
          idempotencyKey: "spend-test-7651",
          sourceType: "redemption",
          sourceId: "t",
          at: later(31.5),
        },
        { mayGoNegative: false },
      );
    });
    await decideReferral(deps(later(32)), shop, referral!.id, "reject", "merchant@example.com");
    expect(await points(shop, "7651")).toEqual({ balance: -500, pending: 0 });
  });

  test("decisions are for this shop's referrals only", async () => {
    const shop = await setup();
    const otherShop = await setup();
    const { code } = await referralFor(deps(), shop, "7661");
    const referral = await deliver(shop, order("40261", "7662", { ref: code }));
    await expect(decideReferral(deps(), otherShop, referral!.id, "reject", "x")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("GIVEN many friends' orders from one IP address in a day THEN the ones over the limit are held", async () => {
    const shop = await setup({ fraud: { maxPerIpPerDay: 2 } });
    const { code } = await referralFor(deps(), shop, "7671");
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await deliver(shop, order(`4027${i}`, `767${i + 2}`, { ref: code, ip: "203.0.113.50" })))!.status);
    expect(statuses).toEqual(["pending", "pending", "held_for_review"]);
    const held = await prisma.referral.findFirstOrThrow({ where: { shop: { domain: shop }, status: "held_for_review" } });
    expect(held.riskReasons).toEqual([expect.objectContaining({ code: "ip_velocity" })]);
    expect(held.ipHash).toMatch(/^[0-9a-f]{32}$/); // only ever hashed
  });

  test("GIVEN a code posted on a coupon site (many unrelated friends in a week) THEN that one and the code's pending ones are held", async () => {
    const shop = await setup({ fraud: { couponLeakFriends: 3, maxPerReferrerPerDay: 100 } });
    const { code } = await referralFor(deps(), shop, "7681");
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await deliver(shop, order(`4028${i}`, `768${i + 2}`, { ref: code })))!);
    expect(results.map((r) => r.status)).toEqual(["pending", "pending", "held_for_review"]);
    const rows = await prisma.referral.findMany({ where: { shop: { domain: shop } }, orderBy: { shopifyOrderId: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["held_for_review", "held_for_review", "held_for_review"]);
    for (const r of rows) expect(r.riskReasons).toContainEqual(expect.objectContaining({ code: "coupon_leak" }));
    expect(await release(later(31), shop)).toBe(0);
  });

  test("GIVEN more referrals for one referrer in a day than allowed THEN the extra one is held", async () => {
    const shop = await setup({ fraud: { maxPerReferrerPerDay: 1 } });
    const { code } = await referralFor(deps(), shop, "7691");
    expect((await deliver(shop, order("40291", "7692", { ref: code })))!.status).toBe("pending");
    const second = await deliver(shop, order("40292", "7693", { ref: code }));
    expect(second).toMatchObject({ status: "held_for_review", riskReasons: [expect.objectContaining({ code: "referrer_velocity" })] });
  });

  test("GIVEN an order below the program's minimum THEN rejected with that reason", async () => {
    const shop = await setup({ minimumOrderSubtotal: 50_000_000 }); // Rp500.000; the order is Rp250.000
    const { code } = await referralFor(deps(), shop, "7701");
    expect(await deliver(shop, order("40301", "7702", { ref: code }))).toMatchObject({
      status: "rejected",
      riskReasons: [expect.objectContaining({ code: "below_minimum" })],
    });
  });
});

describe("a held-out referrer (decision 010)", () => {
  const SALT = "referral-holdout-salt-01";

  /** A shop holding out half its customers; `heldOut(n)` / `member(n)`: the n-th Shopify id from 9000 in each group. */
  async function holdoutShop() {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    await updateProgramSettings(
      prisma,
      shop,
      parseSettings({
        earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
        referral: { holdDays: 30 },
        holdout: { share: 50, salt: SALT },
      }),
    );
    const ids = (out: boolean) =>
      Array.from({ length: 400 }, (_, i) => String(9000 + i)).filter((id) => holdoutBucket(SALT, shop, id) < 5000 === out);
    return { shop, heldOut: ids(true), member: ids(false) };
  }

  test("GIVEN a friend's order on a held-out referrer's code THEN the referral is rejected with a reason the merchant can read, and never rewarded", async () => {
    const { shop, heldOut, member } = await holdoutShop();
    const { code } = await referralFor(deps(), shop, heldOut[0]);
    const referral = await deliver(shop, order("40601", member[0], { ref: code }));
    expect(referral).toMatchObject({ status: "rejected", riskScore: 100 });
    expect(referral!.riskReasons).toContainEqual({ code: "referrer_held_out", score: 100, text: expect.stringContaining("holdout group") });
    expect(await release(later(31), shop)).toBe(0);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop }, customer: { shopifyCustomerId: heldOut[0] } } })).toBe(0);
  });

  test("GIVEN the merchant approves a held-out referrer's referral THEN the sweep cancels it with the reason, and the other referrals are still rewarded", async () => {
    const { shop, heldOut, member } = await holdoutShop();
    const out = await referralFor(deps(), shop, heldOut[0]);
    const rejected = await deliver(shop, order("40611", member[0], { ref: out.code }));
    await decideReferral(deps(), shop, rejected!.id, "approve", "merchant@example.com");
    const inProgram = await referralFor(deps(), shop, member[1]);
    const pending = await deliver(shop, order("40612", member[2], { ref: inProgram.code }));
    expect(pending).toMatchObject({ status: "pending" });

    expect(await release(later(31), shop)).toBe(1);
    const cancelled = await prisma.referral.findUniqueOrThrow({ where: { id: rejected!.id } });
    expect(cancelled.status).toBe("cancelled");
    expect((cancelled.decisions as Array<{ status: string; by: string; note?: string }>).at(-1)).toMatchObject({
      status: "cancelled",
      by: "system",
      note: "referrer_held_out",
    });
    expect(await prisma.referral.findUniqueOrThrow({ where: { id: pending!.id } })).toMatchObject({ status: "rewarded" });
    expect((await referrerPoints(shop, member[1])).entries).toEqual([["earn", 500, `referral:${pending!.id}`]]);
    expect(await prisma.pointsEntry.count({ where: { shop: { domain: shop }, customer: { shopifyCustomerId: heldOut[0] } } })).toBe(0);
  });

  test("GIVEN one referral's release fails for another reason THEN it waits for the next run and the others are rewarded", async () => {
    const shop = await setup();
    const a = await referralFor(deps(), shop, "7961");
    const first = await deliver(shop, order("40621", "7962", { ref: a.code }));
    const b = await referralFor(deps(), shop, "7963");
    const second = await deliver(shop, order("40622", "7964", { ref: b.code }));
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    let calls = 0;
    const run = transaction(prisma);
    const flaky = {
      ...deps(later(31)),
      transaction: <T>(fn: (tx: Parameters<Parameters<typeof run>[0]>[0]) => Promise<T>) =>
        ++calls === 1 ? Promise.reject(new Error("connection reset")) : run(fn),
    };
    expect(await releaseReferralRewards(flaky, { shopId })).toBe(1);
    const statuses = await prisma.referral.findMany({ where: { id: { in: [first!.id, second!.id] } }, orderBy: { createdAt: "asc" } });
    expect(statuses.map((r) => r.status).sort()).toEqual(["pending", "rewarded"]);
    expect(await release(later(31), shop)).toBe(1); // the skipped one, next time
  });
});

describe("the friend's welcome reward", () => {
  const claim = (shop: string, code: string, customerId: string, requestId = `claim-${customerId}`) =>
    claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, { shopifyCustomerId: customerId, requestId, ipHash: null });

  test("one per friend: a second claim, even with another code, answers with the first", async () => {
    const shop = await setup();
    const a = await referralFor(deps(), shop, "7801");
    const b = await referralFor(deps(), shop, "7809");
    const first = await claim(shop, a.code, "7802");
    expect(await claim(shop, b.code, "7802", "claim-7802-b")).toEqual(first);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
    const row = await prisma.friendReward.findFirstOrThrow({ where: { shop: { domain: shop } } });
    const referrer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7801" } });
    expect(row.referrerId).toBe(referrer.id);
  });

  test("refused for the referrer's own code and for existing customers", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7811");
    await expect(claim(shop, code, "7811")).rejects.toMatchObject({ code: "BAD_INPUT", details: { reason: "self_referral" } });
    await deliver(shop, order("40311", "7812"));
    await expect(claim(shop, code, "7812")).rejects.toMatchObject({ code: "BAD_INPUT", details: { reason: "existing_customer" } });
    await expect(claim(shop, "ZZZZ9999", "7813")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN Shopify refuses the code THEN the claim says so, and a retry issues the same code", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7821");
    localShopify(shop).rejectNext("Discount limit reached");
    const failed = await claim(shop, code, "7822");
    expect(failed).toMatchObject({ status: "failed", code: null, failureReason: expect.stringContaining("Discount limit reached") });
    const retried = await claim(shop, code, "7822", "claim-7822-retry");
    expect(retried).toMatchObject({ status: "issued", code: expect.stringMatching(/^REF-/), failureReason: null });
    expect(localShopify(shop).state.discounts).toHaveLength(1);
  });
});

describe("a guest's welcome reward (decision 006)", () => {
  const guestClaim = (shop: string, code: string, ipHash: string | null, at = new Date(), requestId = "guest-claim-1") =>
    claimGuestFriendReward({ ...deps(at), shopify: localShopify(shop) }, shop, code, { requestId, ipHash });

  test("GIVEN a guest from the link THEN one code for any buyer, once; the same address asking again gets the same code", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7901");
    const first = await guestClaim(shop, code, "ip-guest-a");
    expect(first).toMatchObject({
      status: "issued",
      code: expect.stringMatching(/^REF-[A-Z2-9]{10}$/),
      reward: { type: "percentage", value: 10 },
    });
    const [discount] = localShopify(shop).state.discounts;
    expect(discount).toMatchObject({ code: first.code, reward: { type: "percentage", percent: 10 } });
    expect(discount.customerId).toBeUndefined();
    expect(await guestClaim(shop, code.toLowerCase(), "ip-guest-a", later(29), "guest-claim-2")).toEqual(first);
    // Another address is another visitor; the same address after 30 days may take a new one.
    const other = await guestClaim(shop, code, "ip-guest-b");
    expect(other.code).not.toBe(first.code);
    const month = await guestClaim(shop, code, "ip-guest-a", later(61));
    expect(month.code).not.toBe(first.code);
    expect(localShopify(shop).state.discounts).toHaveLength(3);
    const rows = await prisma.friendReward.findMany({ where: { shop: { domain: shop } } });
    expect(rows.every((r) => r.friendId === null && r.guestKey !== null)).toBe(true);
  });

  test("GIVEN the same address asking many times at once THEN one code is created", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7911");
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => guestClaim(shop, code, "ip-guest-race", new Date(), `guest-race-${i}`)),
    );
    expect(new Set(answers.map((a) => a.code)).size).toBe(1);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
    expect(await prisma.friendReward.count({ where: { shop: { domain: shop } } })).toBe(1);
  });

  test("GIVEN no address, an unknown code or a bad request id THEN refused and nothing is created", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7921");
    await expect(guestClaim(shop, code, null)).rejects.toMatchObject({ code: "NOT_A_MEMBER" });
    await expect(guestClaim(shop, "ZZZZ9999", "ip-guest-c")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(guestClaim(shop, code, "ip-guest-c", new Date(), "bad id!")).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect(localShopify(shop).state.discounts).toHaveLength(0);
    expect(await prisma.friendReward.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  test("GIVEN one address taking codes from many referrers THEN the sixth new code in a day is refused", async () => {
    const shop = await setup();
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { code } = await referralFor(deps(), shop, String(7930 + i));
      outcomes.push(
        await guestClaim(shop, code, "ip-guest-many").then(
          (r) => r.status,
          (e) => e.code,
        ),
      );
    }
    expect(outcomes).toEqual(["issued", "issued", "issued", "issued", "issued", "RATE_LIMITED"]);
    expect(localShopify(shop).state.discounts).toHaveLength(5);
  });

  test("GIVEN one address asking many referrers' links at once THEN still only five new codes that day", async () => {
    const shop = await setup();
    const codes = [];
    for (let i = 0; i < 12; i++) codes.push((await referralFor(deps(), shop, String(7990 + i))).code);
    const outcomes = await Promise.all(
      codes.map((code, i) =>
        guestClaim(shop, code, "ip-guest-burst", new Date(), `guest-burst-${i}`).then(
          (r) => r.status,
          (e) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "issued")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "RATE_LIMITED")).toHaveLength(7);
    expect(await prisma.friendReward.count({ where: { shop: { domain: shop } } })).toBe(5);
    expect(localShopify(shop).state.discounts).toHaveLength(5);
    // Asking again for a code it already has is a reload, not a new code: still answered.
    const taken = await prisma.friendReward.findFirstOrThrow({ where: { shop: { domain: shop } } });
    const { code: takenCode } = await prisma.referralCode.findUniqueOrThrow({ where: { customerId: taken.referrerId } });
    expect(await guestClaim(shop, takenCode, "ip-guest-burst", new Date(), "guest-burst-again")).toMatchObject({ status: "issued" });
  });

  test("GIVEN the same address asking one link many times at once THEN one code, and the address's allowance counts it once", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7999");
    await Promise.all(Array.from({ length: 5 }, (_, i) => guestClaim(shop, code, "ip-guest-once", new Date(), `guest-once-${i}`)));
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      const other = await referralFor(deps(), shop, String(7800 + i));
      outcomes.push(
        await guestClaim(shop, other.code, "ip-guest-once").then(
          (r) => r.status,
          (e) => e.code,
        ),
      );
    }
    expect(outcomes).toEqual(["issued", "issued", "issued", "issued", "RATE_LIMITED"]);
  });

  test("GIVEN the guest logs in and claims from the same address THEN the guest code becomes theirs, not a second one", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7941");
    const asGuest = await guestClaim(shop, code, "ip-guest-d");
    const asMember = await claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, {
      shopifyCustomerId: "7942",
      requestId: "claim-7942",
      ipHash: "ip-guest-d",
    });
    expect(asMember.code).toBe(asGuest.code);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
    const friend = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7942" } });
    expect((await prisma.friendReward.findFirstOrThrow({ where: { shop: { domain: shop } } })).friendId).toBe(friend.id);
    // Logged out again, the same address still gets that code.
    expect((await guestClaim(shop, code, "ip-guest-d", new Date(), "guest-claim-3")).code).toBe(asGuest.code);
  });

  test("GIVEN the address's guest code was already used THEN a friend logging in there gets a code of their own", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7971");
    const asGuest = await guestClaim(shop, code, "ip-guest-g");
    const guestRow = await prisma.friendReward.findFirstOrThrow({ where: { shop: { domain: shop } } });
    localShopify(shop).markDiscountUsed(guestRow.discountId!); // someone else at this address spent it
    const asMember = await claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, {
      shopifyCustomerId: "7972",
      requestId: "claim-7972",
      ipHash: "ip-guest-g",
    });
    expect(asMember).toMatchObject({ status: "issued" });
    expect(asMember.code).not.toBe(asGuest.code);
    expect(localShopify(shop).state.discounts.map((d) => d.customerId)).toEqual([undefined, "7972"]);
    expect((await prisma.friendReward.findUniqueOrThrow({ where: { id: guestRow.id } })).friendId).toBeNull();
  });

  test("GIVEN the same friend claiming twice at once, from the guest code's address and from another THEN both get the same reward", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7981");
    for (let i = 0; i < 4; i++) {
      const friend = String(7982 + i);
      await guestClaim(shop, code, `ip-guest-race-${i}`);
      const claim = (ipHash: string | null, requestId: string) =>
        claimFriendReward({ ...deps(), shopify: localShopify(shop) }, shop, code, { shopifyCustomerId: friend, requestId, ipHash });
      const [a, b] = await Promise.all([claim(`ip-guest-race-${i}`, `claim-${friend}-a`), claim(null, `claim-${friend}-b`)]);
      expect(a.code).toBe(b.code);
      const row = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: friend } });
      expect(await prisma.friendReward.count({ where: { shop: { domain: shop }, friendId: row.id } })).toBe(1);
    }
  });

  test("GIVEN a guest code used at checkout THEN the order is attributed by the code, with the fraud checks", async () => {
    const shop = await setup();
    const { code } = await referralFor(deps(), shop, "7951");
    const referrer = await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, shopifyCustomerId: "7951" } });
    const welcome = await guestClaim(shop, code, "ip-guest-e");
    expect(await deliver(shop, order("40951", "7952", { codes: [welcome.code!] }))).toMatchObject({
      attributedBy: "code",
      referrerId: referrer.id,
      status: "pending",
    });
    // The referrer taking their own link's guest code is still a self-referral.
    const own = await guestClaim(shop, code, "ip-guest-f");
    const self = await deliver(shop, order("40952", "7951", { codes: [own.code!] }));
    expect(self).toMatchObject({ attributedBy: "code", status: "rejected" });
    expect(self!.riskReasons.map((r) => r.code)).toContain("self_referral");
  });
});

describe("privacy", () => {
  test("customers/redact: the friend's email, their invites and their orders' contact hashes are forgotten", async () => {
    const shop = await setup();
    await referralFor(deps(), shop, "7901");
    await inviteFriend(deps(), shop, "7901", "sari@example.com");
    await deliver(shop, order("40401", "7902", { email: "sari@example.com" }));
    await prisma.customer.updateMany({ where: { shop: { domain: shop }, shopifyCustomerId: "7902" }, data: { email: "sari@example.com" } });
    const { id: shopId } = (await findShop(prisma, shop))!;
    expect(await prisma.referral.findFirst({ where: { shopId } })).toMatchObject({ friendEmail: "sari@example.com" });

    await forgetReferralContacts(deps(), shop, "7902");
    expect(await prisma.referral.findFirst({ where: { shopId } })).toMatchObject({ friendEmail: null, status: "pending" });
    expect(await prisma.referralInvite.count({ where: { shopId } })).toBe(0);
    expect(await prisma.orderContact.count({ where: { shopId } })).toBe(0);
  });
});
