// The admin Recommendations page through its real loader and action, signed as the embedded
// admin signs them: what the page shows, each change it makes, refusals (400, nothing written)
// and the product search, always scoped to the signed-in shop.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { RECS_REBUILD_JOB } from "~/domain/recommendations/rebuild-control";
import { messages } from "~/i18n";
import { action, loader, type RecsActionResult } from "~/routes/app.recommendations/route";
import { loader as searchLoader } from "~/routes/app.recommendations_.products";
import { newShopDomain, routeArgs } from "../helpers";

const PAGE = "http://127.0.0.1:3000/app/recommendations";

/** A shop with products 501-506 (506 not available), and admin requests signed for it. */
async function adminShop() {
  const shop = newShopDomain();
  const { id: shopId } = await prisma.shop.create({ data: { domain: shop, settings: {} } });
  const titles = ["Kopi Gayo", "Kopi Toraja", "V60 Dripper", "Paper Filters 100%", "Gooseneck Kettle", "Cold Brew Bottle"];
  await prisma.product.createMany({
    data: titles.map((title, i) => ({
      shopId,
      productId: String(501 + i),
      title,
      imageUrl: i === 0 ? "https://cdn.example/kopi-gayo.jpg" : null,
      available: i !== 5,
    })),
  });
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const signed = (type: RequestType, request: Request) => setUpValidRequest({ type, ...creds }, request);
  return {
    shop,
    shopId,
    load: async () => loader(routeArgs(await signed(RequestType.Admin, new Request(PAGE)))),
    search: async (q: string) =>
      searchLoader(routeArgs(await signed(RequestType.Admin, new Request(`${PAGE}/products?q=${encodeURIComponent(q)}`)))),
    post: async (fields: Record<string, string | string[]>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
      return action(routeArgs(await signed(RequestType.Bearer, new Request(PAGE, { method: "POST", body }))));
    },
  };
}

/** An accepted change answers its result; a refused one 400 with the message to show. */
function accepted(result: unknown): RecsActionResult {
  expect(result).toMatchObject({ ok: true, error: null });
  return result as RecsActionResult;
}
function refusedWith(result: unknown, error: string) {
  const { data, init } = result as { data: RecsActionResult; init: ResponseInit };
  expect(init.status).toBe(400);
  expect(data).toMatchObject({ ok: false, error });
  expect(messages.en[data.error as keyof typeof messages.en]).toBeTruthy();
  return data;
}

const state = (shopId: string) => prisma.recsState.findUniqueOrThrow({ where: { shopId } });

describe("admin recommendations page", () => {
  test("a new shop: the defaults, nothing learned, no rebuild, lists never written", async () => {
    const { load } = await adminShop();
    const page = await load();
    expect(page.settings).toEqual({ listLength: 8, minOrders: 3 });
    expect(page.limits).toEqual({ listLength: { min: 4, max: 12 }, minOrders: { min: 1, max: 50 }, picks: 12 });
    expect(page.overview).toEqual({ baskets: 0, productsWithLists: 0, fittedAt: null, lists: "never" });
    expect(page).toMatchObject({ rebuild: null, measured: null, picks: [], excluded: [], pinned: [] });
  });

  test("how it's doing and the quality figure come from the stored state, the neighbour rows and the rebuild jobs", async () => {
    const { shop, shopId, load } = await adminShop();
    const fittedAt = new Date("2026-12-06T08:00:00Z");
    await prisma.recsState.create({
      data: { shopId, baskets: 420, countsVersion: 9, fittedVersion: 9, fittedAt, choicesVersion: 2, publishedVersion: "9:2" },
    });
    await prisma.recsNeighbour.createMany({
      data: [
        { shopId, productId: "501", neighbourId: "", score: 0.5 },
        { shopId, productId: "501", neighbourId: "502", score: 0.3 },
        { shopId, productId: "501", neighbourId: "503", score: 0.2 },
        { shopId, productId: "502", neighbourId: "501", score: 0.3 },
        { shopId, productId: "503", neighbourId: "", score: 0.1 },
      ],
    });
    const quality = { baskets: 84, items: 6, hr5: 0.4, hr10: 0.52, hr10_sd: 0.02, popularity_hr10: 0.41, ms: 120 };
    await prisma.job.create({
      data: { shopDomain: shop, type: RECS_REBUILD_JOB, status: "done", outcome: { quality }, finishedAt: fittedAt, createdAt: fittedAt },
    });
    let page = await load();
    expect(page.overview).toEqual({ baskets: 420, productsWithLists: 2, fittedAt: fittedAt.toISOString(), lists: "current" });
    expect(page.measured).toMatchObject({ status: "done", quality });

    // A newer rebuild running: its progress shows, the last figure stays; the lists wait for a write.
    await prisma.job.create({
      data: { shopDomain: shop, type: RECS_REBUILD_JOB, status: "running", progress: 100, total: 400, startedAt: new Date() },
    });
    await prisma.recsState.update({ where: { shopId }, data: { choicesVersion: 3 } });
    page = await load();
    expect(page.rebuild).toMatchObject({ status: "running", progress: 100, total: 400, percent: 25 });
    expect(page.measured).toMatchObject({ quality });
    expect(page.overview.lists).toBe("pending");
  });

  test("settings save through the action, bumping choicesVersion; bad ones answer 400 and change nothing", async () => {
    const { shopId, post, load } = await adminShop();
    accepted(await post({ intent: "settings", listLength: "6", minOrders: "10" }));
    expect(await state(shopId)).toMatchObject({ listLength: 6, minOrders: 10, choicesVersion: 1 });
    expect((await load()).settings).toEqual({ listLength: 6, minOrders: 10 });

    for (const [listLength, minOrders, field] of [
      ["13", "10", "listLength"],
      ["6", "0", "minOrders"],
      ["six", "10", "listLength"],
      ["6", "", "minOrders"],
    ]) {
      const data = refusedWith(
        await post({ intent: "settings", listLength, minOrders }),
        `recs.error.${field === "listLength" ? "list_length" : "min_orders"}`,
      );
      expect(Object.keys(data.fields)).toEqual([field]);
    }
    expect(await state(shopId)).toMatchObject({ listLength: 6, minOrders: 10, choicesVersion: 1 });
  });

  test("picks, pins and exclusions through the action, shown back by the loader in order", async () => {
    const { shopId, post, load } = await adminShop();
    accepted(await post({ intent: "picks", picks: ["503", "501", "506"] }));
    accepted(await post({ intent: "pins", productId: "501", pinned: ["504", "502"] }));
    accepted(await post({ intent: "exclude", productId: "505", excluded: "true" }));
    let page = await load();
    expect(page.picks.map((p) => [p.productId, p.title, p.available])).toEqual([
      ["503", "V60 Dripper", true],
      ["501", "Kopi Gayo", true],
      ["506", "Cold Brew Bottle", false],
    ]);
    expect(page.picks[1].imageUrl).toBe("https://cdn.example/kopi-gayo.jpg");
    expect(page.pinned.map((p) => [p.productId, p.pins.map((q) => q.title)])).toEqual([["501", ["Paper Filters 100%", "Kopi Toraja"]]]);
    expect(page.excluded.map((p) => p.productId)).toEqual(["505"]);

    // Excluding a pick and a pin takes it out of both.
    accepted(await post({ intent: "exclude", productId: "503", excluded: "true" }));
    accepted(await post({ intent: "exclude", productId: "504", excluded: "true" }));
    page = await load();
    expect(page.picks.map((p) => p.productId)).toEqual(["501", "506"]);
    expect(page.pinned.map((p) => p.pins.map((q) => q.productId))).toEqual([["502"]]);
    accepted(await post({ intent: "exclude", productId: "503", excluded: "false" }));
    accepted(await post({ intent: "pins", productId: "501", pinned: [] }));
    page = await load();
    expect(page.excluded.map((p) => p.title)).toEqual(["Gooseneck Kettle", "Paper Filters 100%"]);
    expect(page.pinned).toEqual([]);
    expect((await state(shopId)).choicesVersion).toBe(7);
  });

  test("refused changes answer 400 with the merchant's message and write nothing", async () => {
    const { shopId, post } = await adminShop();
    accepted(await post({ intent: "pins", productId: "501", pinned: ["502"] }));
    const before = await state(shopId);
    refusedWith(await post({ intent: "pins", productId: "501", pinned: ["501"] }), "recs.error.pins_itself");
    refusedWith(await post({ intent: "pins", productId: "501", pinned: ["502", "502"] }), "recs.error.duplicate");
    refusedWith(await post({ intent: "picks", picks: ["999"] }), "recs.error.unknown_product");
    refusedWith(await post({ intent: "picks", picks: ["x"] }), "recs.error.bad_product_id");
    refusedWith(await post({ intent: "exclude", productId: "501", excluded: "maybe" }), "recs.error.not_yes_or_no");
    refusedWith(await post({ intent: "exclude", productId: "", excluded: "true" }), "recs.error.bad_product_id");
    expect({ ...(await state(shopId)), updatedAt: null }).toEqual({ ...before, updatedAt: null });
    expect(await prisma.product.count({ where: { shopId, excluded: true } })).toBe(0);

    const thrown = await post({ intent: "delete-everything" }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(400);
  });

  test("another shop's products are never found, pinned, picked or excluded", async () => {
    const a = await adminShop();
    const b = await adminShop();
    await prisma.product.create({ data: { shopId: b.shopId, productId: "777", title: "Kopi of shop B" } });
    expect((await a.search("kopi")).products.map((p) => p.title)).toEqual(["Kopi Gayo", "Kopi Toraja"]);
    refusedWith(await a.post({ intent: "exclude", productId: "777", excluded: "true" }), "recs.error.unknown_product");
    refusedWith(await a.post({ intent: "picks", picks: ["777"] }), "recs.error.unknown_product");
    refusedWith(await a.post({ intent: "pins", productId: "501", pinned: ["777"] }), "recs.error.unknown_product");
    expect(await prisma.product.findUniqueOrThrow({ where: { shopId_productId: { shopId: b.shopId, productId: "777" } } })).toMatchObject({
      excluded: false,
      pinned: null,
    });
  });

  test("the search ignores case and treats % as text", async () => {
    const { search } = await adminShop();
    expect((await search("KOPI")).products.map((p) => p.productId)).toEqual(["501", "502"]);
    expect((await search("100%")).products.map((p) => p.title)).toEqual(["Paper Filters 100%"]);
    expect((await search("%")).products.map((p) => p.title)).toEqual(["Paper Filters 100%"]);
    expect(await search("")).toEqual({ query: "", products: [] });
  });

  test("a rebuild starts once: a second click while it waits returns the same job", async () => {
    const { shop, post, load } = await adminShop();
    expect(accepted(await post({ intent: "rebuild" })).started).toBe(true);
    expect(accepted(await post({ intent: "rebuild" })).started).toBe(false);
    expect(await prisma.job.count({ where: { shopDomain: shop, type: RECS_REBUILD_JOB } })).toBe(1);
    expect((await load()).rebuild).toMatchObject({ status: "queued", progress: 0 });
  });
});
