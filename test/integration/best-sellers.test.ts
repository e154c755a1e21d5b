// Best sellers on both databases: which orders count (paid, not cancelled, last 90 days, this
// shop only), and the shop metafield written once per change.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { DEMO_PRODUCTS, orderPaidPayload, type OrderLineSpec } from "~/demo/catalog";
import { recordCancellation, recordPaidOrder } from "~/domain/earning/orders";
import { bestSellers, refreshBestSellers } from "~/domain/recommendations/best-sellers";
import { localShopify } from "~/shopify/shopify-for.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { customer, newShopDomain } from "../helpers";

const NOW = new Date("2026-11-20T10:00:00Z");
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const product = (id: string) => DEMO_PRODUCTS.find((p) => p.productId === id)!;
let nextOrder = 880_000;

function order(lines: Array<[productId: string, quantity: number]>, at: Date) {
  const specs: OrderLineSpec[] = lines.map(([id, quantity]) => ({ product: product(id), quantity }));
  const payload = orderPaidPayload({ orderId: String(nextOrder++), customer: customer("7801"), lines: specs, createdAt: at });
  return toPaidOrder(orderPayload.parse(payload), at);
}

async function paid(shop: string, lines: Array<[string, number]>, at = daysAgo(5)) {
  const o = order(lines, at);
  await prisma.$transaction((tx) => recordPaidOrder({ db: tx, clock: () => at }, shop, o));
  return o;
}

async function shopId(shop: string) {
  return (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
}

const deps = { db: prisma, clock: () => NOW, shopifyFor: async (shop: string) => localShopify(shop) };

/** The demo catalogue as the shop's products in its (in-memory) Shopify. */
function stockCatalogue(shop: string) {
  for (const p of DEMO_PRODUCTS) localShopify(shop).setProduct(p.productId, { tags: [], collectionIds: [] });
}

describe("best sellers", () => {
  test("GIVEN paid orders THEN products rank by units sold in the last 90 days", async () => {
    const shop = newShopDomain();
    await paid(shop, [
      ["8001", 1],
      ["8006", 2],
    ]);
    await paid(shop, [
      ["8006", 1],
      ["8005", 2],
    ]);
    await paid(shop, [["8005", 1]], daysAgo(89));
    await paid(shop, [["8002", 9]], daysAgo(91)); // before the window
    await paid(shop, [["8003", 9]], new Date(NOW.getTime() + DAY)); // after "now"
    expect(await bestSellers(deps, await shopId(shop))).toEqual(["8005", "8006", "8001"]);
  });

  test("GIVEN cancelled and unpaid orders THEN they do not count", async () => {
    const shop = newShopDomain();
    await paid(shop, [["8001", 2]]);
    const cancelled = await paid(shop, [["8002", 5]]);
    await prisma.$transaction((tx) => recordCancellation({ db: tx, clock: () => NOW }, shop, cancelled, daysAgo(4)));
    // Cancelled before it was ever paid: kept as an unpaid snapshot.
    await prisma.$transaction((tx) => recordCancellation({ db: tx, clock: () => NOW }, shop, order([["8003", 7]], daysAgo(3)), daysAgo(3)));
    // An order the app knows of that was never paid.
    await prisma.order.create({
      data: {
        shopId: await shopId(shop),
        shopifyOrderId: String(nextOrder++),
        currency: "IDR",
        totalMinor: 0n,
        subtotalMinor: 0n,
        orderedAt: daysAgo(2),
        lines: { create: [{ productId: "8004", quantity: 8, priceMinor: 9_500_000n }] },
      },
    });
    expect(await bestSellers(deps, await shopId(shop))).toEqual(["8001"]);
  });

  test("GIVEN another shop's orders THEN they never count", async () => {
    const [a, b] = [newShopDomain(), newShopDomain()];
    await paid(a, [["8001", 1]]);
    await paid(b, [["8002", 40]]);
    expect(await bestSellers(deps, await shopId(a))).toEqual(["8001"]);
    expect(await bestSellers(deps, await shopId(b))).toEqual(["8002"]);
  });

  test("GIVEN sales THEN the shop metafield is written once, not rewritten while the list stays, and rewritten when it changes", async () => {
    const shop = newShopDomain();
    const other = newShopDomain();
    stockCatalogue(shop);
    stockCatalogue(other);
    await paid(shop, [
      ["8006", 3],
      ["8001", 1],
    ]);
    await paid(other, [["8009", 2]]);
    const store = localShopify(shop);
    let writes = 0;
    const setBestSellers = store.setBestSellers;
    store.setBestSellers = async (ids) => {
      writes += 1;
      return setBestSellers(ids);
    };

    expect(await refreshBestSellers(deps, shop)).toEqual({ outcome: "written", productIds: ["8006", "8001"] });
    expect(store.state.bestSellers).toEqual(["8006", "8001"]);
    expect(await refreshBestSellers(deps, shop)).toEqual({ outcome: "unchanged", productIds: ["8006", "8001"] });
    expect(writes).toBe(1);

    await paid(shop, [["8001", 5]]);
    expect((await refreshBestSellers(deps, shop)).outcome).toBe("written");
    expect(store.state.bestSellers).toEqual(["8001", "8006"]);
    expect(writes).toBe(2);
    // The other shop's Shopify was never written to for this shop.
    expect(localShopify(other).state.bestSellers).toBeNull();
  });

  test("GIVEN Shopify refuses THEN nothing is remembered and the next run writes", async () => {
    const shop = newShopDomain();
    stockCatalogue(shop);
    await paid(shop, [["8002", 1]]);
    localShopify(shop).rejectNext("Internal error");
    await expect(refreshBestSellers(deps, shop)).rejects.toThrow(/Internal error/);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).bestSellersWritten).toBeNull();
    expect((await refreshBestSellers(deps, shop)).outcome).toBe("written");
    expect(localShopify(shop).state.bestSellers).toEqual(["8002"]);
  });

  test("GIVEN a best seller deleted from Shopify THEN the others are written without it", async () => {
    const shop = newShopDomain();
    localShopify(shop).setProduct("8005", { tags: [], collectionIds: [] });
    await paid(shop, [
      ["8001", 4],
      ["8005", 1],
    ]); // 8001 is no longer in the shop
    expect(await refreshBestSellers(deps, shop)).toEqual({ outcome: "written", productIds: ["8005"] });
    expect(localShopify(shop).state.bestSellers).toEqual(["8005"]);
    expect((await refreshBestSellers(deps, shop)).outcome).toBe("unchanged");
  });

  test("GIVEN no sales in the window THEN nothing is written; once sales age out THEN the metafield is removed", async () => {
    const shop = newShopDomain();
    stockCatalogue(shop);
    await paid(shop, [["8003", 1]], daysAgo(80));
    const later = { ...deps, clock: () => new Date(NOW.getTime() + 20 * DAY) };
    const fresh = newShopDomain();
    await paid(fresh, [["8003", 1]], daysAgo(200));
    expect((await refreshBestSellers(deps, fresh)).outcome).toBe("unchanged");
    expect(localShopify(fresh).state.bestSellers).toBeNull();

    expect((await refreshBestSellers(deps, shop)).outcome).toBe("written");
    expect(await refreshBestSellers(later, shop)).toEqual({ outcome: "written", productIds: [] });
    expect(localShopify(shop).state.bestSellers).toBeNull();
    expect((await refreshBestSellers(later, shop)).outcome).toBe("unchanged");
  });

  test("GIVEN an uninstalled shop THEN nothing is written", async () => {
    const shop = newShopDomain();
    await paid(shop, [["8001", 1]]);
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: NOW } });
    expect((await refreshBestSellers(deps, shop)).outcome).toBe("skipped");
    expect(localShopify(shop).state.bestSellers).toBeNull();
  });
});
