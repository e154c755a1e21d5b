// The referral App Proxy routes: signature first, the shopper only from the signed id, rate
// limits per customer and hashed IP, JSON errors with stable codes.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { action as visit } from "~/routes/proxy.referral.visit";
import { action as claim } from "~/routes/proxy.referral.claim";
import { action as invite } from "~/routes/proxy.referral.invite";
import { contactHasher, referralFor } from "~/domain/referrals";
import { ensureShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings } from "~/domain/earning/program";
import { holdoutBucket } from "~/domain/shop/holdout";
import { localShopify } from "~/shopify/shopify-for.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";
import { newShopDomain, routeArgs } from "../helpers";

function post(
  path: string,
  {
    shop,
    customerId,
    body,
    secret = TEST_API_SECRET,
    ip,
  }: { shop: string; customerId: string | null; body: unknown; secret?: string; ip?: string },
) {
  const query = signProxyQuery(new URLSearchParams(), { shop, customerId, secret });
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (ip) headers["X-Forwarded-For"] = `${ip}, 10.0.0.1`;
  return routeArgs(
    new Request(`http://127.0.0.1:3000/proxy/referral/${path}?${query}`, { method: "POST", headers, body: JSON.stringify(body) }),
  );
}

/** Limits count in fixed one-minute windows: start a burst well inside one, so it is not split in two. */
async function freshWindow() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

async function shopWithReferrer(referrer: string) {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  const { code } = await referralFor({ db: prisma, clock: () => new Date() }, shop, referrer);
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  return { shop, code, shopId };
}

describe("POST /proxy/referral/visit", () => {
  test("GIVEN a good signature THEN the click is counted (guests too) and the friend's offer comes back", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8101");
    const res = await visit(post("visit", { shop, customerId: null, body: { code }, ip: "203.0.113.1" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ visit: { counted: true, friendReward: { type: "percentage", value: 10 } } });
    const again = await (
      await visit(post("visit", { shop, customerId: "8102", body: { code: code.toLowerCase() }, ip: "203.0.113.1" }))
    ).json();
    expect(again.visit.counted).toBe(false);
    const rows = await prisma.referralVisit.findMany({ where: { shopId } });
    expect(rows).toHaveLength(1);
    // The same keyed hash an order's browser IP gets, so visits and orders compare.
    expect(rows[0].ipHash).toBe(contactHasher(TEST_API_SECRET)("ip:203.0.113.1"));
  });

  test("GIVEN a bad signature THEN 401 and nothing is written", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8111");
    const res = await visit(post("visit", { shop, customerId: null, body: { code }, secret: "forged", ip: "203.0.113.2" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(await prisma.referralVisit.count({ where: { shopId } })).toBe(0);
    expect(await prisma.rateLimitHit.count({ where: { key: { startsWith: `${shop}:` } } })).toBe(0);
  });

  test("GIVEN an unknown code or no code THEN 404 NOT_FOUND / 400 BAD_INPUT", async () => {
    const { shop } = await shopWithReferrer("8121");
    const unknown = await visit(post("visit", { shop, customerId: null, body: { code: "ZZZZ9999" } }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    const missing = await visit(post("visit", { shop, customerId: null, body: {} }));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
  });

  test("GIVEN a held-out shopper (decision 010) THEN 403 NOT_IN_PROGRAM and nothing is written; a guest from the same address is counted", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8141");
    const salt = "visit-holdout-salt-0001";
    await updateProgramSettings(prisma, shop, parseSettings({ earning: { points: 1, perAmount: 100_000 }, holdout: { share: 50, salt } }));
    const heldOut = Array.from({ length: 100 }, (_, i) => String(8150 + i)).find((id) => holdoutBucket(salt, shop, id) < 5000)!;
    const res = await visit(post("visit", { shop, customerId: heldOut, body: { code }, ip: "203.0.113.6" }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_IN_PROGRAM" } });
    expect(await prisma.referralVisit.count({ where: { shopId } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId, shopifyCustomerId: heldOut } })).toBe(0);
    expect((await visit(post("visit", { shop, customerId: null, body: { code }, ip: "203.0.113.6" }))).status).toBe(200);
  });

  test("GIVEN one address clicking faster than a person can THEN 429 with Retry-After", async () => {
    const { shop, code } = await shopWithReferrer("8131");
    await freshWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await visit(post("visit", { shop, customerId: null, body: { code }, ip: "203.0.113.3" }))).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
    const limited = await visit(post("visit", { shop, customerId: null, body: { code }, ip: "203.0.113.3" }));
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect((await visit(post("visit", { shop, customerId: null, body: { code }, ip: "203.0.113.4" }))).status).toBe(200);
  });
});

describe("POST /proxy/referral/claim", () => {
  test("GIVEN a logged-in friend THEN a welcome code for that friend only is created in Shopify", async () => {
    const { shop, code } = await shopWithReferrer("8201");
    const res = await claim(post("claim", { shop, customerId: "8202", body: { code, requestId: "claim-8202-aaaa" } }));
    expect(res.status).toBe(200);
    const { reward } = await res.json();
    expect(reward).toMatchObject({
      status: "issued",
      code: expect.stringMatching(/^REF-[A-Z2-9]{10}$/),
      reward: { type: "percentage", value: 10 },
    });
    expect(localShopify(shop).state.discounts).toEqual([
      expect.objectContaining({ code: reward.code, customerId: "8202", reward: { type: "percentage", percent: 10 }, currency: "IDR" }),
    ]);
  });

  test("GIVEN another customer's id in the body THEN it is ignored: the signed shopper is the friend", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8211");
    const res = await claim(
      post("claim", {
        shop,
        customerId: "8212",
        body: { code, requestId: "claim-8212-aaaa", customerId: "8299", logged_in_customer_id: "8299", shop: "other.myshopify.com" },
      }),
    );
    expect(res.status).toBe(200);
    const row = await prisma.friendReward.findFirstOrThrow({ where: { shopId } });
    const friend = await prisma.customer.findUniqueOrThrow({ where: { id: row.friendId! } });
    expect(friend.shopifyCustomerId).toBe("8212");
    expect(await prisma.customer.count({ where: { shopId, shopifyCustomerId: "8299" } })).toBe(0);
    expect(localShopify(shop).state.discounts.map((d) => d.customerId)).toEqual(["8212"]);
  });

  test("GIVEN a bad signature THEN 401 and nothing is written or created in Shopify", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8221");
    const res = await claim(post("claim", { shop, customerId: "8222", body: { code, requestId: "claim-8222-aaaa" }, secret: "forged" }));
    expect(res.status).toBe(401);
    expect(await prisma.friendReward.count({ where: { shopId } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId, shopifyCustomerId: "8222" } })).toBe(0);
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN a guest without an address THEN 403 NOT_A_MEMBER; the referrer's own code THEN 400 with the reason", async () => {
    const { shop, code } = await shopWithReferrer("8231");
    const guest = await claim(post("claim", { shop, customerId: null, body: { code, requestId: "claim-guest-aaaa" } }));
    expect(guest.status).toBe(403);
    expect(await guest.json()).toMatchObject({ error: { code: "NOT_A_MEMBER" } });
    const own = await claim(post("claim", { shop, customerId: "8231", body: { code, requestId: "claim-8231-aaaa" } }));
    expect(own.status).toBe(400);
    expect(await own.json()).toMatchObject({ error: { code: "BAD_INPUT", details: { reason: "self_referral" } } });
  });

  test("GIVEN a friend claiming faster than a person can THEN the 11th request in a minute gets 429", async () => {
    const { shop, code } = await shopWithReferrer("8241");
    await freshWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await claim(post("claim", { shop, customerId: "8242", body: { code, requestId: `claim-8242-${i}xxxx` } }))).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
    expect(localShopify(shop).state.discounts).toHaveLength(1);
  });

  test("GIVEN many friends claiming from one address THEN that address is limited too", async () => {
    const { shop, code } = await shopWithReferrer("8251");
    await freshWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push(
        (
          await claim(
            post("claim", { shop, customerId: String(8300 + i), body: { code, requestId: `claim-ip-${i}xxxx` }, ip: "203.0.113.9" }),
          )
        ).status,
      );
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const keys = await prisma.rateLimitHit.findMany({ where: { key: { startsWith: `${shop}:` } } });
    expect(keys.some((k) => k.key.includes("203.0.113.9"))).toBe(false);
  });
});

describe("POST /proxy/referral/claim as a guest (decision 006)", () => {
  const guestClaim = (shop: string, body: unknown, opts: { ip?: string; secret?: string } = { ip: "203.0.113.50" }) =>
    claim(post("claim", { shop, customerId: null, body, ...opts }));

  test("GIVEN a good signature THEN a code any buyer may use once; asking again (a reload) answers the same code", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8501");
    const res = await guestClaim(shop, { code, requestId: "guest-8501-aaaa" });
    expect(res.status).toBe(200);
    const { reward } = await res.json();
    expect(reward).toEqual({
      status: "issued",
      code: expect.stringMatching(/^REF-[A-Z2-9]{10}$/),
      reward: { type: "percentage", value: 10 },
      failureReason: null,
    });
    const again = await (await guestClaim(shop, { code, requestId: "guest-8501-bbbb" })).json();
    expect(again.reward).toEqual(reward);
    const discounts = localShopify(shop).state.discounts;
    expect(discounts).toHaveLength(1);
    expect(discounts[0]).toMatchObject({ code: reward.code, reward: { type: "percentage", percent: 10 } });
    expect(discounts[0].customerId).toBeUndefined();
    const rows = await prisma.friendReward.findMany({ where: { shopId } });
    expect(rows).toEqual([expect.objectContaining({ friendId: null, ipHash: contactHasher(TEST_API_SECRET)("ip:203.0.113.50") })]);
  });

  test("GIVEN addresses the shopper put in X-Forwarded-For themselves THEN they are ignored: one address, one code", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8505");
    const codes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      // The shopper's own header value comes first; Shopify appended the real address, the load balancer its peer.
      const res = await guestClaim(shop, { code, requestId: `guest-8505-${i}aaa` }, { ip: `198.51.100.${i}, 203.0.113.55` });
      codes.add((await res.json()).reward.code);
    }
    expect(codes.size).toBe(1);
    const rows = await prisma.friendReward.findMany({ where: { shopId } });
    expect(rows.map((r) => r.ipHash)).toEqual([contactHasher(TEST_API_SECRET)("ip:203.0.113.55")]);
  });

  test("GIVEN guests at addresses of one IPv6 /64 THEN one code for them all; another /64 gets its own (issue 10, item 9)", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8506");
    const codeFrom = async (ip: string, n: number) =>
      (await (await guestClaim(shop, { code, requestId: `guest-8506-${n}aaa` }, { ip })).json()).reward.code;
    const first = await codeFrom("2001:db8:aa:1::1", 0);
    expect(await codeFrom("2001:db8:aa:1:ffff:ffff:ffff:fffe", 1)).toBe(first);
    expect(await codeFrom("2001:0DB8:00AA:0001:0:0:0:77", 2)).toBe(first);
    expect(await codeFrom("2001:db8:aa:2::1", 3)).not.toBe(first);
    // An IPv4-mapped address is the IPv4 address.
    expect(await codeFrom("::ffff:203.0.113.56", 4)).toBe(await codeFrom("203.0.113.56", 5));
    const rows = await prisma.friendReward.findMany({ where: { shopId } });
    const hash = contactHasher(TEST_API_SECRET);
    expect(rows.map((r) => r.ipHash).sort()).toEqual(
      [hash("ip:2001:db8:aa:1::/64"), hash("ip:2001:db8:aa:2::/64"), hash("ip:203.0.113.56")].sort(),
    );
  });

  test("GIVEN a forged signature THEN 401 and nothing is written or created in Shopify", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8511");
    const res = await guestClaim(shop, { code, requestId: "guest-8511-aaaa" }, { ip: "203.0.113.51", secret: "forged" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    expect(await prisma.friendReward.count({ where: { shopId } })).toBe(0);
    expect(await prisma.rateLimitHit.count({ where: { key: { startsWith: `${shop}:` } } })).toBe(0);
    expect(localShopify(shop).state.discounts).toHaveLength(0);
  });

  test("GIVEN a customer id in the body THEN it is ignored: the request stays a guest's", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8521");
    const res = await guestClaim(shop, { code, requestId: "guest-8521-aaaa", customerId: "8599", logged_in_customer_id: "8599" });
    expect(res.status).toBe(200);
    expect(await prisma.customer.count({ where: { shopId, shopifyCustomerId: "8599" } })).toBe(0);
    expect((await prisma.friendReward.findFirstOrThrow({ where: { shopId } })).friendId).toBeNull();
    expect(localShopify(shop).state.discounts.map((d) => d.customerId)).toEqual([undefined]);
  });

  test("GIVEN one address asking faster than a person can THEN 429 with Retry-After, and still one code", async () => {
    const { shop, code } = await shopWithReferrer("8531");
    await freshWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await guestClaim(shop, { code, requestId: `guest-8531-${i}xxxx` }, { ip: "203.0.113.53" })).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
    const limited = await guestClaim(shop, { code, requestId: "guest-8531-last" }, { ip: "203.0.113.53" });
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect(localShopify(shop).state.discounts).toHaveLength(1);
  });

  test("GIVEN one address collecting codes from many referrers THEN the sixth new code today is 429", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { code } = await referralFor({ db: prisma, clock: () => new Date() }, shop, String(8540 + i));
      statuses.push((await guestClaim(shop, { code, requestId: `guest-854${i}-aaaa` }, { ip: "203.0.113.54" })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(localShopify(shop).state.discounts).toHaveLength(5);
  });

  test("GIVEN a bad body THEN 400 BAD_INPUT and nothing is created", async () => {
    const { shop, code, shopId } = await shopWithReferrer("8551");
    const res = await guestClaim(shop, { code });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
    expect(await prisma.friendReward.count({ where: { shopId } })).toBe(0);
  });
});

describe("POST /proxy/referral/invite", () => {
  test("GIVEN a logged-in member THEN the normalised email is kept as their invite; a forged request writes nothing", async () => {
    const { shop, shopId } = await shopWithReferrer("8401");
    const forged = await invite(post("invite", { shop, customerId: "8401", body: { email: "friend@example.com" }, secret: "forged" }));
    expect(forged.status).toBe(401);
    expect(await prisma.referralInvite.count({ where: { shopId } })).toBe(0);

    const res = await invite(post("invite", { shop, customerId: "8401", body: { email: "Wulan.Halim+promo@Gmail.com", referrerId: "x" } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ invite: { email: "wulanhalim@gmail.com" } });
    const row = await prisma.referralInvite.findFirstOrThrow({ where: { shopId } });
    const referrer = await prisma.customer.findUniqueOrThrow({ where: { id: row.referrerId } });
    expect(referrer.shopifyCustomerId).toBe("8401");

    const guest = await invite(post("invite", { shop, customerId: null, body: { email: "friend@example.com" } }));
    expect(guest.status).toBe(403);
  });

  test("GIVEN more than 20 invites in a day THEN 429", async () => {
    const { shop } = await shopWithReferrer("8411");
    const statuses: number[] = [];
    // Spread over minutes so that only the daily cap applies.
    for (let i = 0; i < 21; i++) {
      statuses.push((await invite(post("invite", { shop, customerId: "8411", body: { email: `friend${i}@example.com` } }))).status);
      if (i % 9 === 8) await prisma.rateLimitHit.deleteMany({ where: { key: { startsWith: `${shop}:referral-invite:` } } });
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
  });
});
