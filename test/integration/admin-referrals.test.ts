// The admin referrals page: the funnel, the review queue with each case's reasons, and the
// merchant's approve / reject / reverse, through the real loader and action with signed
// embedded-admin requests. Referrals come from the app's own flow: a member's code, and the
// friend's order through the orders/paid webhook route (which attributes it).
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma, { transaction } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { contactHasher, recordVisit, referralFor, releaseReferralRewards } from "~/domain/referrals";
import { messages } from "~/i18n";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { action, loader } from "~/routes/app.referrals/route";
import { memberReferrals } from "~/admin/referrals";
import { newShopDomain, paidOrder, points, routeArgs, webhookRequest } from "../helpers";

const BASE = "http://127.0.0.1:3000";
const DAY = 86_400_000;
const fingerprint = contactHasher(TEST_API_SECRET);
const deps = (at = new Date()) => ({ db: prisma, clock: () => at, transaction: transaction(prisma), fingerprint });

const thrown = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e as Response,
  );

/** An orders/paid payload with a referral cart attribute and a shipping address. */
function order(orderId: string, customerId: string | null, c: { ref?: string; address?: string } = {}) {
  const base = paidOrder(orderId, customerId);
  return {
    ...base,
    email: base.customer?.email ?? null,
    phone: null,
    note_attributes: c.ref ? [{ name: "kembali_ref", value: c.ref }] : [],
    discount_codes: [],
    shipping_address: {
      address1: c.address ?? `Jalan Melati ${orderId}`,
      address2: null,
      city: "Jakarta",
      zip: "10110",
      country_code: "ID",
      phone: null,
    },
    client_details: { browser_ip: `198.51.100.${Number(orderId) % 250}` },
  };
}

/** An installed shop with referrals on (30-day hold), a stored offline session, and signed admin requests. */
async function adminShop() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({ earning: { points: 1, perAmount: 100_000, pendingDays: 0 }, referral: { holdDays: 30 } }),
  );
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  return {
    shop,
    load: async (query = "") =>
      loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`${BASE}/app/referrals${query}`)))),
    post: async (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      return action(
        routeArgs(
          await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(`${BASE}/app/referrals`, { method: "POST", body })),
        ),
      );
    },
    /** The friend's order through the webhook route; returns the referral it recorded. */
    deliver: async (body: ReturnType<typeof order>) => {
      const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, body)));
      expect(res.status).toBe(200);
      return prisma.referral.findFirst({ where: { shop: { domain: shop }, shopifyOrderId: String(body.id) } });
    },
    release: async (at: Date) => {
      const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
      return releaseReferralRewards(deps(at), { shopId: id });
    },
  };
}

/** Three referrals of one referrer: a normal one (pending), one to the referrer's address (held), and a self-referral (rejected). */
async function seeded() {
  const a = await adminShop();
  await a.deliver(order("50001", "8101", { address: "Jl. Kenanga No. 12" })); // the referrer's own earlier order
  const { code } = await referralFor(deps(), a.shop, "8101");
  const normal = await a.deliver(order("50002", "8102", { ref: code }));
  const held = await a.deliver(order("50003", "8103", { ref: code, address: "Jalan Kenanga Nomor 12" }));
  const self = await a.deliver(order("50004", "8101", { ref: code }));
  expect([normal?.status, held?.status, self?.status]).toEqual(["pending", "held_for_review", "rejected"]);
  return { ...a, code, normal: normal!, held: held!, self: self! };
}

describe("admin referrals page", () => {
  test("GIVEN two shops' referrals THEN the queue lists only this shop's, newest first, with reasons, counts and the funnel", async () => {
    const a = await seeded();
    await recordVisit(deps(), a.shop, a.code, "ip-1");
    await recordVisit(deps(), a.shop, a.code, "ip-2");
    const other = await adminShop();
    const { code: otherCode } = await referralFor(deps(), other.shop, "8201");
    const foreign = await other.deliver(order("50101", "8202", { ref: otherCode }));
    expect(foreign).not.toBeNull();

    const all = await a.load("?status=all");
    expect(all.status).toBe("all");
    expect(all.enabled).toBe(true);
    expect(all.queue.rows.map((r) => r.id)).toEqual([a.self.id, a.held.id, a.normal.id]);
    expect(all.queue.rows.map((r) => r.id)).not.toContain(foreign!.id);
    expect(all.queue.counts).toEqual({ all: 3, held_for_review: 1, pending: 1, approved: 0, rewarded: 0, rejected: 1, cancelled: 0 });
    expect(all.funnel).toEqual({ visits: 2, claimed: 0, orders: 3, rewarded: 0, rejected: 1, cancelled: 0 });

    const self = all.queue.rows.find((r) => r.id === a.self.id)!;
    expect(self).toMatchObject({
      status: "rejected",
      riskScore: 100,
      attributedBy: "cart_attribute",
      shopifyOrderId: "50004",
      points: 500,
      referrer: { shopifyCustomerId: "8101", email: "customer-8101@example.com", firstName: "Test" },
      friend: { shopifyCustomerId: "8101" },
      decisions: [expect.objectContaining({ status: "rejected", by: "system" })],
    });
    expect(self.reasons).toContainEqual({ code: "self_referral", text: expect.stringContaining("same customer account") });
    // Every reason code the page shows has a label in both languages.
    for (const r of all.queue.rows.flatMap((row) => row.reasons)) {
      expect(messages.en[`referrals.reason.${r.code}` as keyof typeof messages.en]).toBeTruthy();
      expect(messages.id[`referrals.reason.${r.code}` as keyof typeof messages.id]).toBeTruthy();
    }

    // The default view is the review queue.
    const review = await a.load();
    expect(review.status).toBe("held_for_review");
    expect(review.queue.rows).toEqual([
      expect.objectContaining({
        id: a.held.id,
        riskScore: 50,
        reasons: [{ code: "same_address", text: expect.any(String) }],
        referrer: expect.objectContaining({ shopifyCustomerId: "8101" }),
        friend: expect.objectContaining({ shopifyCustomerId: "8103", email: "customer-8103@example.com" }),
      }),
    ]);

    // Pages of one: the cursor walks the same list; another shop's id as a cursor starts over.
    const page2 = await a.load(`?status=all&cursor=${a.held.id}`);
    expect(page2.queue.rows.map((r) => r.id)).toEqual([a.normal.id]);
    const foreignCursor = await a.load(`?status=all&cursor=${foreign!.id}`);
    expect(foreignCursor.queue.rows.map((r) => r.id)).toEqual([a.self.id, a.held.id, a.normal.id]);
  });

  test("GIVEN a held case WHEN the merchant approves it with a note THEN approved, recorded with the shop and note, rewarded after the hold", async () => {
    const a = await seeded();
    const result = await a.post({ referralId: a.held.id, decision: "approve", note: "  Her sister, same house " });
    expect(result).toEqual({ ok: true, referralId: a.held.id, status: "approved", reversed: false, points: 500 });
    const row = await prisma.referral.findUniqueOrThrow({ where: { id: a.held.id } });
    expect(row.status).toBe("approved");
    expect((row.decisions as Array<Record<string, unknown>>).at(-1)).toMatchObject({
      status: "approved",
      by: "merchant",
      actor: a.shop,
      note: "Her sister, same house",
    });
    const view = await a.load("?status=approved");
    expect(view.queue.rows.map((r) => r.id)).toEqual([a.held.id]);
    expect(view.queue.counts).toMatchObject({ held_for_review: 0, approved: 1 });

    expect(await a.release(new Date(Date.now() + 31 * DAY))).toBe(2); // the approved and the normal one
    expect((await a.load("?status=rewarded")).queue.rows).toHaveLength(2);
  });

  test("GIVEN a rewarded referral WHEN rejected (reverse reward) THEN a reversal entry takes the referrer's points back; approving again undoes the rejection", async () => {
    const a = await seeded();
    expect(await a.release(new Date(Date.now() + 31 * DAY))).toBe(1);
    const rewarded = await points(a.shop, "8101");
    expect((await a.load("?status=rewarded")).funnel.rewarded).toBe(1);

    const result = await a.post({ referralId: a.normal.id, decision: "reject", note: "Friend was a test account" });
    expect(result).toEqual({ ok: true, referralId: a.normal.id, status: "rejected", reversed: true, points: 500 });
    const entries = await prisma.pointsEntry.findMany({
      where: { shop: { domain: a.shop }, customer: { shopifyCustomerId: "8101" }, sourceType: "referral" },
      orderBy: { createdAt: "asc" },
    });
    // The earn is dated at the sweep's (later) clock, the reversal now: compare without order.
    expect(entries.map((e) => [e.kind, e.points, e.idempotencyKey]).sort()).toEqual([
      ["earn", 500, `referral:${a.normal.id}`],
      ["reverse", -500, `reverse:referral:${a.normal.id}`],
    ]);
    expect(await points(a.shop, "8101")).toEqual({ balance: rewarded.balance - 500, pending: 0 });
    // The same decision again changes nothing.
    await a.post({ referralId: a.normal.id, decision: "reject" });
    expect(await points(a.shop, "8101")).toEqual({ balance: rewarded.balance - 500, pending: 0 });

    // "Approve" on a rejected row reverses the rejection.
    const undo = await a.post({ referralId: a.normal.id, decision: "approve" });
    expect(undo).toMatchObject({ ok: true, status: "approved", reversed: false });
    const history = (await a.load("?status=approved")).queue.rows[0].decisions.map((d) => [d.status, d.by]);
    expect(history).toEqual([
      ["pending", "system"],
      ["rewarded", "system"],
      ["rejected", "merchant"],
      ["approved", "merchant"],
    ]);
  });

  test("GIVEN another shop's referral id THEN 404 and nothing changes; bad input is refused with a translated message", async () => {
    const a = await seeded();
    const other = await adminShop();
    for (const decision of ["approve", "reject"]) {
      const refused = await thrown(other.post({ referralId: a.held.id, decision }));
      expect(refused).toBeInstanceOf(Response);
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain("8101");
    }
    const row = await prisma.referral.findUniqueOrThrow({ where: { id: a.held.id } });
    expect(row.status).toBe("held_for_review");
    expect(row.decisions).toHaveLength(1);
    expect((await other.load("?status=all")).queue).toMatchObject({ rows: [], counts: { all: 0 } });

    const bad = await a.post({ referralId: a.held.id, decision: "delete" });
    expect(bad).toEqual({ ok: false, referralId: a.held.id, error: "referrals.error.decision" });
    const long = await a.post({ referralId: a.held.id, decision: "approve", note: "x".repeat(501) });
    expect(long).toEqual({ ok: false, referralId: a.held.id, error: "referrals.error.note" });
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: a.held.id } })).status).toBe("held_for_review");
  });

  test("GIVEN no valid session token THEN neither the loader nor the action answers with data or decides", async () => {
    const a = await seeded();
    const host = btoa(`admin.shopify.com/store/${a.shop.replace(".myshopify.com", "")}`);
    const bare = await thrown(loader(routeArgs(new Request(`${BASE}/app/referrals?status=all`))));
    expect([bare.status, bare.headers.get("location")]).toEqual([302, "/auth/login"]);
    const forged = await thrown(
      loader(routeArgs(new Request(`${BASE}/app/referrals?status=all&shop=${a.shop}&host=${host}&embedded=1&id_token=forged`))),
    );
    expect(forged.status).toBe(302);
    expect(forged.headers.get("location")).toMatch(/^\/auth\/session-token\?/);
    const body = new FormData();
    body.append("referralId", a.held.id);
    body.append("decision", "reject");
    const post = await thrown(
      action(routeArgs(new Request(`${BASE}/app/referrals`, { method: "POST", body, headers: { Authorization: "Bearer forged" } }))),
    );
    expect(post.status).toBe(401);
    for (const res of [bare, forged, post]) expect(await res.text()).not.toContain("8101");
    expect((await prisma.referral.findUniqueOrThrow({ where: { id: a.held.id } })).status).toBe("held_for_review");
  });

  test("GIVEN a referrer and their friends THEN each one's customer page lists their referrals, this shop's only", async () => {
    const a = await seeded();
    const other = await adminShop();
    const { code: otherCode } = await referralFor(deps(), other.shop, "8101");
    await other.deliver(order("50201", "8202", { ref: otherCode }));

    const referrer = await memberReferrals({ db: prisma }, a.shop, "8101");
    expect(referrer.code).toBe(a.code);
    // Newest first: the self-referral, the one held for review, the normal one.
    expect(referrer.made.map((r) => [r.shopifyOrderId, r.status])).toEqual([
      ["50004", "rejected"],
      ["50003", "held_for_review"],
      ["50002", "pending"],
    ]);
    // Their self-referral also makes them "referred by" themselves, rejected: the page shows it as it is.
    expect(referrer.referredBy).toMatchObject({ shopifyOrderId: "50004", status: "rejected" });
    const friend = await memberReferrals({ db: prisma }, a.shop, "8102");
    expect(friend).toMatchObject({
      code: null,
      made: [],
      referredBy: { shopifyOrderId: "50002", referrer: { shopifyCustomerId: "8101" } },
    });
    // The other shop's customer 8101 referred someone too; it never shows here, nor the reverse.
    expect((await memberReferrals({ db: prisma }, other.shop, "8101")).made.map((r) => r.shopifyOrderId)).toEqual(["50201"]);
    await expect(memberReferrals({ db: prisma }, a.shop, "9999")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
