// "Picked for you" (GET /apps/kembali/picked): a logged-in shopper's recommendations from their
// own paid orders, answered from the stored neighbour rows, never naming what the merchant
// excluded, what is unavailable or what another shop holds. Runs on both databases.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/proxy.picked";
import { action as orderPaid } from "~/routes/webhooks.orders.paid";
import { DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { buildRecommender, DEFAULT_RECS_PARAMS, historyQuery, neighbourRows, recommend } from "~/domain/recommendations/model";
import { BASELINE } from "~/domain/recommendations/stored";
import { pickedForShopper } from "~/domain/recommendations/picked";
import { productPoints } from "~/domain/earning/earning";
import { defaultSettings, parseSettings } from "~/domain/earning/program";
import { updateProgramSettings } from "~/domain/shop/shops";
import { customer, newShopDomain, proxyRequest, routeArgs, webhookRequest } from "../../helpers";

const product = (id: string) => DEMO_PRODUCTS.find((p) => p.productId === id)!;
const IDS = DEMO_PRODUCTS.map((p) => p.productId);

/** Co-purchase baskets over the demo catalogue: each product with its two "next" products. */
function baskets(): string[][] {
  const out: string[][] = [];
  IDS.forEach((id, i) => {
    for (let k = 0; k < 6 + i; k++) out.push([id, IDS[(i + 1) % IDS.length], ...(k % 2 ? [IDS[(i + 2) % IDS.length]] : [])]);
  });
  return out;
}

async function paid(shop: string, orderId: string, customerId: string, ids: string[], daysAgo: number) {
  const payload = orderPaidPayload({
    orderId,
    customer: customer(customerId),
    lines: ids.map((id) => ({ product: product(id), quantity: 1 })),
    createdAt: new Date(Date.now() - daysAgo * 86_400_000),
  });
  const res = await orderPaid(routeArgs(webhookRequest("orders/paid", shop, payload)));
  expect(res.status).toBe(200);
}

/** A shop with stored neighbours learned from `baskets()` and a Product row for every demo product. */
async function storedShop() {
  const shop = newShopDomain();
  // The first order installs the shop (as the webhook does for the demo) and makes customer 7301.
  await paid(shop, "930001", "7301", ["8001"], 20);
  await paid(shop, "930002", "7301", ["8004", "8005"], 2);
  const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  const model = buildRecommender(baskets(), DEFAULT_RECS_PARAMS);
  // The rows a refit of this history would leave, in place of what counting the two orders made.
  await prisma.recsItem.deleteMany({ where: { shopId: row.id } });
  await prisma.recsNeighbour.createMany({
    data: neighbourRows(model).map((r) => ({ shopId: row.id, productId: r.item, neighbourId: r.neighbour ?? BASELINE, score: r.score })),
  });
  await prisma.recsItem.createMany({
    data: model.counts.ids.map((id, k) => ({ shopId: row.id, productId: id, baskets: model.counts.items[k] })).filter((r) => r.baskets > 0),
  });
  // Counting the orders above made Product rows with titles only; these are what a product sync reads.
  await prisma.product.deleteMany({ where: { shopId: row.id } });
  await prisma.product.createMany({
    data: DEMO_PRODUCTS.map((p) => ({
      shopId: row.id,
      productId: p.productId,
      title: p.title,
      handle: `kopi-${p.productId}`,
      imageUrl: `https://cdn.example/${p.productId}.jpg`,
      imageAlt: `${p.title} <photo>`,
      priceMinor: BigInt(p.price * 100),
      available: !p.soldOut,
    })),
  });
  return { shop, shopId: row.id, model };
}

const get = async (shop: string, customerId: string | null, secret?: string) => {
  const res = await loader(routeArgs(proxyRequest("picked", { shop, customerId, secret })));
  return { status: res.status, body: await res.json() };
};

const ids = (body: { products: Array<{ id: string }> }) => body.products.map((p) => p.id);

describe("GET /apps/kembali/picked", () => {
  test("GIVEN a member's paid orders THEN up to 4 products from their history, newest orders leading, with what the card shows", async () => {
    const { shop, model } = await storedShop();
    const { status, body } = await get(shop, "7301");
    expect(status).toBe(200);
    // What the model answers for the history (newest order first), minus the sold-out 8009.
    const expected = recommend(model, { items: historyQuery([["8004", "8005"], ["8001"]]), exclude: ["8009"], limit: 4 }).map(
      (r) => r.item,
    );
    expect(ids(body)).toEqual(expected);
    expect(ids(body)).toHaveLength(4);
    expect(ids(body)).not.toContain("8001");
    expect(ids(body)).not.toContain("8004");
    const first = product(expected[0]);
    expect(body.currency).toBe("IDR");
    expect(body.products[0]).toEqual({
      id: first.productId,
      title: first.title,
      url: `/products/kopi-${first.productId}?kembali_rec=picked`,
      imageUrl: `https://cdn.example/${first.productId}.jpg`,
      imageAlt: `${first.title} <photo>`,
      price: first.price * 100,
      // The default program: 1 point per Rp1.
      points: first.price,
    });
  });

  test("GIVEN products the merchant excluded, unavailable or not yet known by title THEN they are never returned", async () => {
    const { shop, shopId, model } = await storedShop();
    const before = ids((await get(shop, "7301")).body);
    const [excluded, unavailable, untitled] = before;
    await prisma.product.update({ where: { shopId_productId: { shopId, productId: excluded } }, data: { excluded: true } });
    await prisma.product.update({ where: { shopId_productId: { shopId, productId: unavailable } }, data: { available: false } });
    await prisma.product.update({ where: { shopId_productId: { shopId, productId: untitled } }, data: { handle: null } });
    const after = ids((await get(shop, "7301")).body);
    expect(after).not.toContain(excluded);
    expect(after).not.toContain(unavailable);
    expect(after).not.toContain(untitled);
    const blocked = ["8009", excluded, unavailable];
    const expected = recommend(model, { items: historyQuery([["8004", "8005"], ["8001"]]), exclude: blocked, limit: 12 })
      .map((r) => r.item)
      .filter((id) => id !== untitled)
      .slice(0, 4);
    expect(after).toEqual(expected);
  });

  test("GIVEN more unavailable products than one ranking holds THEN the card still fills from further down", async () => {
    const shop = newShopDomain();
    const catalogueIds = Array.from({ length: 40 }, (_, i) => String(5001 + i));
    const catalogue = catalogueIds.map((id) => ({ productId: id, variantId: `6${id}`, title: `Produk ${id}`, price: 10_000 }));
    const n = catalogueIds.length;
    const baskets = catalogueIds.flatMap((id, i) =>
      Array.from({ length: 4 }, (_, k) => [id, catalogueIds[(i + 1 + k) % n], catalogueIds[(i + 7) % n]]),
    );
    const payload = orderPaidPayload({
      orderId: "940001",
      customer: customer("7401"),
      lines: [{ product: catalogue[0], quantity: 1 }],
      createdAt: new Date(Date.now() - 86_400_000),
    });
    expect((await orderPaid(routeArgs(webhookRequest("orders/paid", shop, payload)))).status).toBe(200);
    const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const model = buildRecommender(baskets, DEFAULT_RECS_PARAMS);
    await prisma.recsItem.deleteMany({ where: { shopId: row.id } });
    await prisma.recsNeighbour.createMany({
      data: neighbourRows(model).map((r) => ({ shopId: row.id, productId: r.item, neighbourId: r.neighbour ?? BASELINE, score: r.score })),
    });
    await prisma.recsItem.createMany({
      data: model.counts.ids
        .map((id, k) => ({ shopId: row.id, productId: id, baskets: model.counts.items[k] }))
        .filter((r) => r.baskets > 0),
    });
    // The 15 best-ranked products are unavailable: more than the 12 one ranking asks for.
    const ranked = recommend(model, { items: historyQuery([["5001"]]), limit: 40 }).map((r) => r.item);
    const hidden = new Set(ranked.slice(0, 15));
    await prisma.product.deleteMany({ where: { shopId: row.id } });
    await prisma.product.createMany({
      data: catalogue.map((p) => ({
        shopId: row.id,
        productId: p.productId,
        title: p.title,
        handle: `produk-${p.productId}`,
        priceMinor: 1_000_000n,
        available: !hidden.has(p.productId),
      })),
    });
    const { body } = await get(shop, "7401");
    expect(ids(body)).toEqual(ranked.slice(15, 19));
  });

  test("GIVEN a member without paid orders, or whose only order was cancelled THEN nothing (not best sellers)", async () => {
    const { shop, shopId } = await storedShop();
    expect(await get(shop, "7399")).toEqual({ status: 200, body: { currency: "IDR", products: [] } });
    await paid(shop, "930003", "7302", ["8002"], 1);
    expect(ids((await get(shop, "7302")).body).length).toBeGreaterThan(0);
    await prisma.order.updateMany({ where: { shopId, shopifyOrderId: "930003" }, data: { cancelledAt: new Date() } });
    expect((await get(shop, "7302")).body.products).toEqual([]);
  });

  test("GIVEN two shops with the same customer and product ids THEN each answers from its own orders and rows only", async () => {
    const a = await storedShop();
    const b = newShopDomain();
    // Shop B knows customer 7301 too, with no neighbour rows or products: nothing to show.
    await paid(b, "930001", "7301", ["8001"], 1);
    expect((await get(b, "7301")).body.products).toEqual([]);
    // A customer who bought only in shop B gets nothing in shop A.
    await paid(b, "930010", "7310", ["8002"], 1);
    expect((await get(a.shop, "7310")).body.products).toEqual([]);
    expect(ids((await get(a.shop, "7301")).body)).toHaveLength(4);
  });

  test("GIVEN a guest THEN 403 NOT_A_MEMBER; a forged signature THEN 401; nothing is answered", async () => {
    const { shop } = await storedShop();
    expect(await get(shop, null)).toMatchObject({ status: 403, body: { error: { code: "NOT_A_MEMBER" } } });
    const forged = await get(shop, "7301", "forged");
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    expect(forged.body.products).toBeUndefined();
  });

  test("GIVEN a program excluding a product tag THEN that product's points are 0; Shopify not answering leaves the points unknown", async () => {
    const { shop, model } = await storedShop();
    const settings = parseSettings({ ...defaultSettings("IDR"), exclusions: { productTags: ["gift"] } });
    await updateProgramSettings(prisma, shop, settings);
    const top = recommend(model, { items: historyQuery([["8004", "8005"], ["8001"]]), exclude: ["8009"], limit: 4 }).map((r) => r.item);
    const facts = async (_: unknown, asked: string[]) => {
      expect(asked).toEqual(top);
      return new Map([[top[0], { tags: ["Gift"], collectionIds: [] }]]);
    };
    const answer = await pickedForShopper({ db: prisma, productFacts: facts }, shop, "7301");
    expect(answer.products.map((p) => p.points)).toEqual(
      top.map((id, i) => (i === 0 ? 0 : productPoints(product(id).price * 100, { productTags: [], collectionIds: [] }, settings))),
    );
    const down = await pickedForShopper({ db: prisma, productFacts: () => Promise.reject(new Error("Shopify down")) }, shop, "7301");
    expect(down.products.map((p) => p.points)).toEqual([null, null, null, null]);
    expect(down.products.map((p) => p.id)).toEqual(top);
  });
});
