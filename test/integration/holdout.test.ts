// The holdout group end to end: assignment at first sight, no points or storefront for
// held-out customers (their orders still recorded), the share moving only the boundary,
// and the kembali.holdout metafield the app embed reads.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { action as customerCreate } from "~/routes/webhooks.customers.create";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { loader as state } from "~/routes/proxy.state";
import { action as claim } from "~/routes/proxy.action";
import { action as redeem } from "~/routes/proxy.redeem";
import { ensureShop, findShop, updateProgramSettings } from "~/domain/shop/shops";
import { parseSettings, readSettings } from "~/domain/earning/program";
import { holdoutBucket } from "~/domain/shop/holdout";
import { programForm, saveProgramForm } from "~/admin/program";
import { adjustPoints } from "~/domain/members/changes";
import { appendEntry } from "~/domain/ledger/ledger";
import { syncBalanceMetafields } from "~/domain/members/metafields";
import { localShopify } from "~/shopify/shopify-for.server";
import { signProxyQuery } from "~/shopify/proxy-signature";
import { TEST_API_SECRET } from "~/config.server";
import { KembaliError } from "~/domain/errors";
import { newShopDomain, paidOrder, proxyRequest, routeArgs, webhookRequest } from "../helpers";

const SALT = "holdout-test-salt-0001";
const clock = () => new Date("2026-11-20T12:00:00Z");
const deps = { db: prisma, clock, transaction: transaction(prisma) };

async function shopWithHoldout(share: number) {
  const shop = newShopDomain();
  const { id } = await ensureShop(prisma, shop, "IDR");
  await updateProgramSettings(
    prisma,
    shop,
    parseSettings({
      earning: { points: 1, perAmount: 100_000, pendingDays: 0 },
      bonuses: { signup: 50, actions: [{ key: "newsletter", label: "Newsletter", points: 20 }] },
      holdout: { share, salt: share > 0 ? SALT : null },
    }),
  );
  return { shop, shopId: id };
}

/** The first Shopify customer ids from `start` whose bucket is below / at or above `boundary`. */
function idsFor(shop: string, boundary: number, start = 8000) {
  let heldOut: string | null = null;
  let member: string | null = null;
  for (let n = start; !heldOut || !member; n++) {
    const bucket = holdoutBucket(SALT, shop, String(n));
    if (bucket < boundary) heldOut ??= String(n);
    else member ??= String(n);
  }
  return { heldOut: heldOut!, member: member! };
}

const entriesOf = (shopifyCustomerId: string, shopId: string) =>
  prisma.pointsEntry.count({ where: { shopId, customer: { shopifyCustomerId } } });

const post = (shop: string, customerId: string, path: string, body: unknown) =>
  new Request(
    `http://127.0.0.1:3000/proxy/${path}?${signProxyQuery(new URLSearchParams(), { shop, customerId, secret: TEST_API_SECRET })}`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    },
  );

describe("holdout assignment", () => {
  test("the bucket is stable and depends on the salt, the shop and the customer", () => {
    expect(holdoutBucket(SALT, "a.myshopify.com", "1")).toBe(holdoutBucket(SALT, "a.myshopify.com", "1"));
    const buckets = new Set(Array.from({ length: 50 }, (_, i) => holdoutBucket(SALT, "a.myshopify.com", String(i))));
    expect(buckets.size).toBeGreaterThan(45);
    // Roughly uniform: about a fifth of 2,000 customers below 2,000 of 10,000.
    const below = Array.from({ length: 2000 }, (_, i) => holdoutBucket(SALT, "a.myshopify.com", String(i))).filter((b) => b < 2000);
    expect(below.length).toBeGreaterThan(320);
    expect(below.length).toBeLessThan(480);
  });

  test("GIVEN a 50 % holdout THEN a held-out customer's order is recorded without points, a member's earns", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    const { heldOut, member } = idsFor(shop, 5000);
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71001", heldOut))));
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71002", member))));

    const rows = await prisma.customer.findMany({ where: { shopId }, orderBy: { shopifyCustomerId: "asc" } });
    const out = rows.find((c) => c.shopifyCustomerId === heldOut)!;
    const inside = rows.find((c) => c.shopifyCustomerId === member)!;
    expect(out).toMatchObject({ holdout: true, balance: 0, pendingPoints: 0, holdoutBucket: holdoutBucket(SALT, shop, heldOut) });
    expect(inside).toMatchObject({ holdout: false, balance: 250, holdoutBucket: holdoutBucket(SALT, shop, member) });
    expect(await prisma.order.count({ where: { shopId, customerId: out.id } })).toBe(1);
    expect(await entriesOf(heldOut, shopId)).toBe(0);
    expect(await entriesOf(member, shopId)).toBe(1);
  });

  test("GIVEN a held-out new account THEN no signup bonus from any signal; a member gets it", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    const { heldOut, member } = idsFor(shop, 5000, 8100);
    const account = (id: string, state: string) => ({
      id: Number(id),
      email: `c${id}@example.com`,
      first_name: "New",
      last_name: "Shopper",
      tags: "",
      state,
    });
    expect((await customerCreate(routeArgs(webhookRequest("customers/create", shop, account(heldOut, "enabled"))))).status).toBe(200);
    expect((await customerCreate(routeArgs(webhookRequest("customers/create", shop, account(member, "enabled"))))).status).toBe(200);
    // A guest record, then a signed-in visit: an account made now, still nothing for the held-out one.
    const { heldOut: heldOutGuest } = idsFor(shop, 5000, Number(heldOut) + 1);
    await customerCreate(routeArgs(webhookRequest("customers/create", shop, account(heldOutGuest, "disabled"))));
    expect((await state(routeArgs(proxyRequest("state", { shop, customerId: heldOutGuest })))).status).toBe(403);
    expect(await entriesOf(heldOut, shopId)).toBe(0);
    expect(await entriesOf(heldOutGuest, shopId)).toBe(0);
    expect(await entriesOf(member, shopId)).toBe(1);
  });

  test("GIVEN a held-out customer THEN the ledger refuses any entry and the merchant cannot adjust them", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    const { heldOut } = idsFor(shop, 5000, 8200);
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71201", heldOut))));
    const c = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: heldOut } });
    const error = await transaction(prisma)((tx) =>
      appendEntry(
        tx,
        { shopId, customerId: c.id, kind: "earn", points: 10, idempotencyKey: "x:1", sourceType: "test", sourceId: "1", at: clock() },
        { mayGoNegative: false },
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KembaliError);
    expect((error as KembaliError).code).toBe("NOT_IN_PROGRAM");
    const refused = await adjustPoints(deps, shop, heldOut, { points: 100, reason: "Goodwill", requestId: "req-holdout-1" }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "BAD_INPUT", details: { fields: { form: "member.error.holdout" } } });
    expect(await prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ balance: 0, pendingPoints: 0 });
    expect(await entriesOf(heldOut, shopId)).toBe(0);
  });
});

describe("the storefront for held-out customers", () => {
  test("GIVEN a held-out shopper THEN state, redeem and actions answer 403 NOT_IN_PROGRAM; members and guests are served", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    const { heldOut, member } = idsFor(shop, 5000, 8300);
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71301", heldOut))));

    const refused = await state(routeArgs(proxyRequest("state", { shop, customerId: heldOut })));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "NOT_IN_PROGRAM" } });
    const action = await claim(routeArgs(post(shop, heldOut, "action", { key: "newsletter", requestId: "req-71301-a" })));
    expect(action.status).toBe(403);
    expect(await action.json()).toMatchObject({ error: { code: "NOT_IN_PROGRAM" } });
    const spend = await redeem(routeArgs(post(shop, heldOut, "redeem", { rewardId: "none", requestId: "req-71301-r" })));
    expect(spend.status).toBe(403);
    expect(await entriesOf(heldOut, shopId)).toBe(0);

    // Not seen yet: first sight will hold them out, so the answer is already the same.
    const { heldOut: unseen } = idsFor(shop, 5000, 8400);
    expect((await state(routeArgs(proxyRequest("state", { shop, customerId: unseen })))).status).toBe(403);
    expect((await state(routeArgs(proxyRequest("state", { shop, customerId: member })))).status).toBe(200);
    expect((await state(routeArgs(proxyRequest("state", { shop, customerId: null })))).status).toBe(200);
  });

  test("GIVEN held-out and released customers THEN the metafield sync writes kembali.holdout, members carry no flag", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    const { heldOut, member } = idsFor(shop, 5000, 8500);
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71501", heldOut))));
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("71502", member))));
    const sync = () => syncBalanceMetafields({ db: prisma, shopifyFor: async (s) => localShopify(s) }, { shopId });
    const store = localShopify(shop);
    expect((await sync()).written).toBe(2);
    expect(store.customer(heldOut).metafields).toEqual({ balance: 0, holdout: true });
    expect(store.customer(member).metafields).toEqual({ balance: 250 });
    expect((await sync()).written).toBe(0);

    // The merchant turns the holdout off: the held-out customer is let in and the flag cleared.
    const saved = (await findShop(prisma, shop))!;
    await saveProgramForm(deps, shop, { ...programForm(saved.settings, "IDR"), holdout: { share: "0" } });
    expect((await sync()).written).toBe(1);
    expect(store.customer(heldOut).metafields).toEqual({ balance: 0, holdout: false });
    expect((await state(routeArgs(proxyRequest("state", { shop, customerId: heldOut })))).status).toBe(200);
  });
});

describe("changing the share", () => {
  test("GIVEN customers seen while the holdout was off THEN turning it on never takes them out; the salt is made once", async () => {
    const shop = newShopDomain();
    const { id: shopId } = await ensureShop(prisma, shop, "IDR");
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("72001", "9001"))));
    const before = (await findShop(prisma, shop))!;
    expect(before.settings.holdout).toEqual({ share: 0, salt: null });

    await saveProgramForm(deps, shop, { ...programForm(before.settings, "IDR"), holdout: { share: "50" } });
    const on = (await findShop(prisma, shop))!.settings.holdout;
    expect(on.share).toBe(50);
    expect(on.salt).toMatch(/^[A-Za-z0-9-]{16,64}$/);
    // Seen at share 0: in the program, not part of the comparison, whatever their bucket.
    expect(await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: "9001" } })).toMatchObject({
      holdout: false,
      holdoutBucket: null,
    });
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("72002", "9001"))));
    expect(await entriesOf("9001", shopId)).toBe(2);

    await saveProgramForm(deps, shop, { ...programForm((await findShop(prisma, shop))!.settings, "IDR"), holdout: { share: "20" } });
    expect((await findShop(prisma, shop))!.settings.holdout).toEqual({ share: 20, salt: on.salt });
  });

  test("GIVEN a lower share THEN only held-out customers above the new boundary are let in, recorded as released", async () => {
    const { shop, shopId } = await shopWithHoldout(50);
    // One held out in a bucket under 2,000 (stays), one between 2,000 and 5,000 (let in at 20 %).
    let low: string | null = null;
    let mid: string | null = null;
    for (let n = 9100; !low || !mid; n++) {
      const b = holdoutBucket(SALT, shop, String(n));
      if (b < 2000) low ??= String(n);
      else if (b < 5000) mid ??= String(n);
    }
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("73001", low))));
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("73002", mid))));
    const saved = (await findShop(prisma, shop))!;
    await saveProgramForm(deps, shop, { ...programForm(saved.settings, "IDR"), holdout: { share: "20" } });

    const rows = await prisma.customer.findMany({ where: { shopId } });
    expect(rows.find((c) => c.shopifyCustomerId === low)).toMatchObject({ holdout: true, holdoutReleasedAt: null });
    expect(rows.find((c) => c.shopifyCustomerId === mid)).toMatchObject({ holdout: false, holdoutReleasedAt: clock() });
    // Let in, they earn from their next order on.
    await orderPaid(routeArgs(webhookRequest("orders/paid", shop, paidOrder("73003", mid))));
    expect(await entriesOf(mid, shopId)).toBe(1);
    expect(await entriesOf(low, shopId)).toBe(0);
  });

  test("GIVEN a share outside 0–50 THEN a field error and nothing changes", async () => {
    const { shop } = await shopWithHoldout(10);
    const saved = (await findShop(prisma, shop))!;
    for (const share of ["51", "-1", "12.5", "abc"]) {
      const error = await saveProgramForm(deps, shop, { ...programForm(saved.settings, "IDR"), holdout: { share } }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "BAD_INPUT", details: { fields: { "holdout.share": "program.error.holdoutShare" } } });
    }
    const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(readSettings(row.settings, "IDR").holdout).toEqual({ share: 10, salt: SALT });
  });
});
