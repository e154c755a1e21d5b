// The demo product page shows the theme block with the best sellers the app wrote to the demo
// shop's (in-memory) Shopify. Calls the page function directly: the route itself answers only
// in demo mode (demo-routes.test.ts).
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { config } from "~/config.server";
import { DEMO_PRODUCTS, orderPaidPayload } from "~/demo/catalog";
import { storefrontPage } from "~/demo/storefront.server";
import { recordPaidOrder } from "~/domain/earning/orders";
import { demoShopifyProduct } from "~/demo/shopify-stand-in";
import { refreshBestSellers } from "~/domain/recommendations/best-sellers";
import { publishLists } from "~/domain/recommendations/publish";
import { localShopify } from "~/shopify/shopify-for.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";

const page = async (query: string) => (await storefrontPage(new Request(`http://127.0.0.1:3000/demo/store${query}`))).text();
const cards = (html: string) => [...html.matchAll(/class="kembali-ab__title">([^<]*)</g)].map((m) => m[1]);
const product = (id: string) => DEMO_PRODUCTS.find((p) => p.productId === id)!;

describe("demo product page: Customers also bought", () => {
  test("GIVEN best sellers written by the app THEN each product page shows the others that are not sold out, with prices", async () => {
    const shop = config.demoShop;
    await prisma.shop.deleteMany({ where: { domain: shop } });
    expect(cards(await page(""))).toEqual([]);
    expect(await page("")).not.toContain("kembali-also-bought.css");

    // 8006 ×6, 8001 ×5, 8009 ×4 (sold out in the demo), 8003 ×3, 8005 ×2.
    const sold: Array<[string, number]> = [
      ["8006", 6],
      ["8001", 5],
      ["8009", 4],
      ["8003", 3],
      ["8005", 2],
    ];
    const at = new Date(Date.now() - 86_400_000);
    const payload = orderPaidPayload({
      orderId: "990001",
      customer: null,
      lines: sold.map(([id, quantity]) => ({ product: product(id), quantity })),
      createdAt: at,
    });
    await prisma.$transaction((tx) => recordPaidOrder({ db: tx, clock: () => at }, shop, toPaidOrder(orderPayload.parse(payload), at)));
    // The demo's Shopify: Flores Bajawa (8009) is sold out, so it is never written.
    for (const p of DEMO_PRODUCTS) localShopify(shop).setProduct(p.productId, demoShopifyProduct(p));
    await refreshBestSellers({ db: prisma, clock: () => new Date(), shopifyFor: async (s) => localShopify(s) }, shop);

    const first = await page("");
    // Kopi Flores Bajawa is sold out in the demo: never shown.
    expect(cards(first)).toEqual(["V60 Paper Filters (100)", "Kopi Kintamani 250 g", "Cold Brew Concentrate 1 L"]);
    expect(first).toContain('<link rel="stylesheet" href="/demo/assets/kembali-also-bought.css">');
    expect(first).toContain('<span class="kembali-ab__price">Rp45.000</span>');
    expect(first).not.toContain("Kopi Flores Bajawa 250 g</span>");
    expect(first).toContain('href="/demo/store?product=8006&kembali_rec=product"');

    const kintamani = await page("?product=8003&locale=id");
    expect(kintamani).toContain("<h1>Kopi Kintamani 250 g</h1>");
    expect(cards(kintamani)).toEqual(["V60 Paper Filters (100)", "Kopi Gayo Arabica 250 g", "Cold Brew Concentrate 1 L"]);
    expect(kintamani).toContain(">Pelanggan juga membeli</h2>");
    expect(kintamani).toContain('href="/demo/store?product=8001&locale=id&kembali_rec=product"');

    // An unknown product id falls back to the first product rather than failing.
    expect(await page("?product=<script>")).toContain("<h1>Kopi Gayo Arabica 250 g</h1>");
  });

  test("GIVEN lists learned from the demo's orders and published THEN two product pages show different lists of their own", async () => {
    const shop = config.demoShop;
    await prisma.shop.deleteMany({ where: { domain: shop } });
    const at = new Date(Date.now() - 86_400_000);
    const payload = orderPaidPayload({
      orderId: "990002",
      customer: null,
      lines: [
        ["8006", 3],
        ["8005", 2],
      ].map(([id, quantity]) => ({ product: product(id as string), quantity: quantity as number })),
      createdAt: at,
    });
    await prisma.$transaction((tx) => recordPaidOrder({ db: tx, clock: () => at }, shop, toPaidOrder(orderPayload.parse(payload), at)));
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    for (const p of DEMO_PRODUCTS) localShopify(shop).setProduct(p.productId, demoShopifyProduct(p));
    const deps = { db: prisma, clock: () => new Date(), shopifyFor: async (s: string) => localShopify(s) };
    await refreshBestSellers(deps, shop);
    // What a refit of the demo's orders leaves (test/integration/recommendations/stored.test.ts
    // builds such rows from a model): Gayo goes with filters and a grinder, Toraja with a mug.
    await prisma.recsState.update({ where: { shopId }, data: { fittedVersion: 1, listLength: 4 } });
    const learned: Record<string, string[]> = { "8001": ["8006", "8007", "8009"], "8002": ["8010", "8008"] };
    await prisma.recsNeighbour.createMany({
      data: Object.entries(learned).flatMap(([productId, ns]) =>
        ns.map((neighbourId, k) => ({ shopId, productId, neighbourId, score: 1 - k / 10 })),
      ),
    });
    expect((await publishLists(deps, shop)).outcome).toBe("written");

    // Learned first (the sold-out Flores Bajawa left out), then best sellers fill.
    expect(cards(await page("?product=8001"))).toEqual([
      "V60 Paper Filters (100)",
      "Hand Grinder Ceramic Burr",
      "Cold Brew Concentrate 1 L",
    ]);
    expect(cards(await page("?product=8002"))).toEqual([
      "Enamel Mug",
      "Gula Aren Syrup 500 ml",
      "V60 Paper Filters (100)",
      "Cold Brew Concentrate 1 L",
    ]);
    // A product without a list of its own shows the shop's best sellers.
    expect(cards(await page("?product=8004"))).toEqual(["V60 Paper Filters (100)", "Cold Brew Concentrate 1 L"]);
  });
});
