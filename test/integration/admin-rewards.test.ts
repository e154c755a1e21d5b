import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { messages } from "~/i18n";
import { action, loader } from "~/routes/app.rewards/route";
import { newShopDomain, routeArgs } from "../helpers";

/** An installed shop with a stored offline session, and embedded-admin requests signed for it. */
async function adminShop(currency = "IDR") {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, currency);
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const url = "http://127.0.0.1:3000/app/rewards";
  return {
    shop,
    load: async () => loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(url)))),
    post: async (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      return action(routeArgs(await setUpValidRequest({ type: RequestType.Bearer, ...creds }, new Request(url, { method: "POST", body }))));
    },
  };
}

const rewardsOf = (shop: string) => prisma.reward.findMany({ where: { shop: { domain: shop } } });

describe("admin rewards page", () => {
  test("GIVEN a valid amount-off reward in IDR WHEN created THEN whole rupiah become exact minor units and it is listed", async () => {
    const { shop, load, post } = await adminShop("IDR");
    const result = await post({
      intent: "create",
      name: "Rp50.000 off",
      type: "fixed_amount",
      pointsCost: "500",
      amount: "50000",
      minimumSubtotal: "250000",
      validityDays: "30",
      combinesWithProduct: "true",
      combinesWithShipping: "true",
    });
    expect(result).toMatchObject({ ok: true, created: "Rp50.000 off" });
    const [row] = await rewardsOf(shop);
    expect(row).toMatchObject({
      type: "fixed_amount",
      pointsCost: 500,
      value: 5_000_000,
      minimumSubtotal: 25_000_000n,
      validityDays: 30,
      combinesWithOrder: false,
      combinesWithProduct: true,
      combinesWithShipping: true,
      active: true,
    });
    expect(await load()).toEqual({
      currency: "IDR",
      rewards: [expect.objectContaining({ name: "Rp50.000 off", value: 5_000_000, active: true, redemptions: 0 })],
    });
  });

  test("GIVEN a cents amount in USD THEN it is converted exactly, never through floating point", async () => {
    const { shop, post } = await adminShop("USD");
    await post({ intent: "create", name: "Store credit", type: "store_credit", pointsCost: "1000", amount: "19.99" });
    await post({ intent: "create", name: "10% off", type: "percentage", pointsCost: "800", percent: "10" });
    await post({ intent: "create", name: "Free mug", type: "free_product", pointsCost: "900", variantId: "9010", amount: "7.50" });
    const rows = await rewardsOf(shop);
    expect(rows.map((r) => [r.name, r.value, r.variantId])).toEqual(
      expect.arrayContaining([
        ["Store credit", 1999, null],
        ["10% off", 10, null],
        ["Free mug", 750, "9010"],
      ]),
    );
  });

  test("GIVEN invalid input THEN each field gets a translated message and nothing is written", async () => {
    const { shop, post } = await adminShop();
    const result = await post({ intent: "create", name: " ", type: "percentage", pointsCost: "abc", percent: "150", validityDays: "0" });
    expect(result).toEqual({
      ok: false,
      created: null,
      fields: {
        name: "reward.error.name",
        pointsCost: "reward.error.pointsCost",
        validityDays: "reward.error.validityDays",
      },
    });
    // The schema checks the value against the type once the fields themselves are valid.
    const percent = await post({ intent: "create", name: "Half off", type: "percentage", pointsCost: "10", percent: "150" });
    expect(percent).toMatchObject({ ok: false, fields: { value: "reward.error.percent" } });
    const missing = await post({
      intent: "create",
      name: "Free thing",
      type: "free_product",
      pointsCost: "10",
      variantId: "",
      amount: "5",
    });
    expect(missing).toMatchObject({ ok: false, fields: { variantId: "reward.error.variantId" } });
    const money = await post({ intent: "create", name: "Bad", type: "fixed_amount", pointsCost: "10", amount: "12.345" });
    expect(money).toMatchObject({ ok: false, fields: { value: "reward.error.amount" } });
    for (const r of [result, percent, missing, money]) {
      for (const key of Object.values(r.fields)) expect(messages.id[key]).toBeTruthy();
    }
    expect(await rewardsOf(shop)).toEqual([]);
  });

  test("GIVEN an active reward WHEN turned off and on THEN the catalogue shows it; another shop's reward is not found", async () => {
    const { shop, load, post } = await adminShop();
    await post({ intent: "create", name: "Free shipping", type: "free_shipping", pointsCost: "300" });
    const [reward] = await rewardsOf(shop);
    await post({ intent: "toggle", rewardId: reward.id, active: "false" });
    expect((await load()).rewards).toEqual([expect.objectContaining({ id: reward.id, active: false })]);
    await post({ intent: "toggle", rewardId: reward.id, active: "true" });
    expect((await load()).rewards).toEqual([expect.objectContaining({ id: reward.id, active: true })]);

    const other = await adminShop();
    const refused = await other.post({ intent: "toggle", rewardId: reward.id, active: "false" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(404);
    expect((await rewardsOf(shop))[0].active).toBe(true);
  });
});
