// Each product's list written to its kembali.also_bought metafield, on both databases: product
// facts read from Shopify, pins first, learned next, best sellers and picks filling, nothing
// that cannot be shown, only changed lists written, in batches of 25, failures retried.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { DEMO_PRODUCTS, orderPaidPayload, type OrderLineSpec } from "~/demo/catalog";
import { recordPaidOrder } from "~/domain/earning/orders";
import { redactShop } from "~/domain/members/compliance";
import { refreshBestSellers } from "~/domain/recommendations/best-sellers";
import { FACTS_MAX_AGE_MS, refreshProducts } from "~/domain/recommendations/products";
import { listsVersion, publishLists, shopsWithListsDue } from "~/domain/recommendations/publish";
import { BASELINE } from "~/domain/recommendations/stored";
import { localStoreAdmin, type LocalStoreAdmin } from "~/shopify/admin/local-store.server";
import type { AlsoBoughtList } from "~/shopify/admin/port";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { customer, newShopDomain } from "../../helpers";

const START = new Date("2026-11-20T10:00:00Z");
const HOUR = 3_600_000;
let nextOrder = 770_000;

/** A shop with its own in-memory Shopify that records what the app asked of it. */
async function setup(opts: { listLength?: number; picks?: string[] } = {}) {
  const domain = newShopDomain();
  const shop = await prisma.shop.create({ data: { domain, settings: {} } });
  await prisma.recsState.create({
    data: { shopId: shop.id, fittedVersion: 1, listLength: opts.listLength ?? 4, ...(opts.picks ? { picks: opts.picks } : {}) },
  });
  const store = localStoreAdmin();
  const calls = { cards: [] as string[][], lists: [] as AlsoBoughtList[][] };
  const recorded: LocalStoreAdmin = Object.assign(Object.create(store) as LocalStoreAdmin, {
    productCards: async (ids: string[]) => {
      calls.cards.push([...ids]);
      return store.productCards(ids);
    },
    setAlsoBought: async (items: AlsoBoughtList[]) => {
      calls.lists.push(structuredClone(items));
      return store.setAlsoBought(items);
    },
  });
  let now = START;
  const deps = {
    db: prisma,
    clock: () => now,
    shopifyFor: async (s: string) => {
      expect(s).toBe(domain);
      return recorded;
    },
  };
  return {
    domain,
    shopId: shop.id,
    store,
    calls,
    deps,
    later(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    /** Products in Shopify (price in minor units) and known to Kembali (as counted orders leave them). */
    async stock(ids: string[], facts: Partial<Parameters<LocalStoreAdmin["setProduct"]>[1]> = {}) {
      for (const id of ids) store.setProduct(id, { tags: [], collectionIds: [], title: `Product ${id}`, price: 10_000, ...facts });
      await prisma.product.createMany({ data: ids.map((productId) => ({ shopId: shop.id, productId })) });
    },
    /** A refit's rows: each product's neighbours, strongest first. */
    async learned(lists: Record<string, string[]>) {
      await prisma.recsNeighbour.deleteMany({ where: { shopId: shop.id, neighbourId: { not: BASELINE } } });
      const rows = Object.entries(lists).flatMap(([productId, neighbours]) =>
        neighbours.map((neighbourId, k) => ({ shopId: shop.id, productId, neighbourId, score: 1 - k / 100 })),
      );
      await prisma.recsNeighbour.createMany({ data: rows });
      await prisma.recsState.update({ where: { shopId: shop.id }, data: { fittedVersion: { increment: 1 } } });
    },
    alsoBought: (id: string) => store.state.alsoBought[id] ?? null,
    written: () => calls.lists.flat(),
  };
}

async function paid(shop: string, lines: Array<[string, number]>, at: Date) {
  const specs: OrderLineSpec[] = lines.map(([id, quantity]) => ({ product: DEMO_PRODUCTS.find((p) => p.productId === id)!, quantity }));
  const payload = orderPaidPayload({ orderId: String(nextOrder++), customer: customer("7802"), lines: specs, createdAt: at });
  await prisma.$transaction((tx) => recordPaidOrder({ db: tx, clock: () => at }, shop, toPaidOrder(orderPayload.parse(payload), at)));
}

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

describe("product facts", () => {
  test("GIVEN products never read THEN title, handle, image, price and availability are stored, 250 per call; deleted ones are marked", async () => {
    const s = await setup();
    const many = ids(40_000, 600);
    await s.stock(many, { handle: "kopi", imageUrl: "https://cdn.example/k.jpg", imageAlt: "Kopi", price: 12_500_000 });
    s.store.setProduct("40001", { tags: [], collectionIds: [], title: "Sold out", inStock: false, price: 100 });
    s.store.deleteProduct("40002");
    const outcome = await refreshProducts(s.deps, s.domain, { limit: 1000 });
    // "changed": products that may now be shown, or no longer (here: every one read for the first time that can be bought).
    expect(outcome).toEqual({ checked: 600, changed: 598, remaining: 0 });
    expect(s.calls.cards.map((c) => c.length)).toEqual([250, 250, 100]);
    const rows = await prisma.product.findMany({
      where: { shopId: s.shopId, productId: { in: ["40000", "40001", "40002"] } },
      orderBy: { productId: "asc" },
    });
    expect(rows.map((r) => [r.productId, r.title, r.handle, r.imageUrl, r.priceMinor, r.available, r.deletedAt !== null])).toEqual([
      ["40000", "Product 40000", "kopi", "https://cdn.example/k.jpg", 12_500_000n, true, false],
      ["40001", "Sold out", "product-40001", null, 100n, false, false],
      ["40002", null, null, null, null, false, true],
    ]);
    // Read less than a day ago: not read again; a day later, read again.
    expect(await refreshProducts(s.deps, s.domain)).toEqual({ checked: 0, changed: 0, remaining: 0 });
    s.later(FACTS_MAX_AGE_MS + HOUR);
    s.store.setProduct("40001", { tags: [], collectionIds: [], title: "Back in stock", price: 100 });
    expect(await refreshProducts(s.deps, s.domain, { limit: 500 })).toEqual({ checked: 500, changed: 1, remaining: 100 });
    expect(await refreshProducts(s.deps, s.domain, { limit: 500 })).toEqual({ checked: 100, changed: 0, remaining: 0 });
    expect((await prisma.product.findFirstOrThrow({ where: { shopId: s.shopId, productId: "40001" } })).title).toBe("Back in stock");
  });
});

describe("publishing each product's list", () => {
  test("GIVEN learned lists, pins and picks THEN pins come first, best sellers and picks fill, and a product with nothing gets no metafield", async () => {
    const s = await setup({ listLength: 4, picks: ["8010", "8007"] });
    await s.stock(DEMO_PRODUCTS.map((p) => p.productId));
    await paid(
      s.domain,
      [
        ["8006", 3],
        ["8005", 2],
      ],
      new Date(START.getTime() - 24 * HOUR),
    );
    await s.learned({ "8001": ["8002", "8003"], "8002": ["8001", "8003", "8004", "8005", "8008"] });
    await prisma.product.update({
      where: { shopId_productId: { shopId: s.shopId, productId: "8003" } },
      data: { pinned: ["8008", "8004"] },
    });

    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 3, removed: 0, failed: 0 });
    expect(s.alsoBought("8001")).toEqual(["8002", "8003", "8006", "8005"]);
    expect(s.alsoBought("8002")).toEqual(["8001", "8003", "8004", "8005"]);
    // Pins only (no learned list): pins, then best sellers, then picks.
    expect(s.alsoBought("8003")).toEqual(["8008", "8004", "8006", "8005"]);
    expect(s.alsoBought("8004")).toBeNull();
    const state = await prisma.recsState.findUniqueOrThrow({ where: { shopId: s.shopId } });
    expect(state.publishedVersion).toBe(listsVersion(state));
    expect(state.listsLockedUntil).toBeNull();

    // Nothing changed: nothing is read or written.
    const before = { cards: s.calls.cards.length, lists: s.calls.lists.length };
    expect((await publishLists(s.deps, s.domain)).outcome).toBe("unchanged");
    expect({ cards: s.calls.cards.length, lists: s.calls.lists.length }).toEqual(before);

    // A refit that changes one product's list: only that list is written.
    await s.learned({ "8001": ["8003", "8002"], "8002": ["8001", "8003", "8004", "8005", "8008"] });
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 1, removed: 0, failed: 0 });
    expect(s.calls.lists.at(-1)).toEqual([{ productId: "8001", productIds: ["8003", "8002", "8006", "8005"] }]);
  });

  test("GIVEN excluded, sold out, draft, hidden and deleted products THEN no list names them and a deleted product gets no list", async () => {
    const s = await setup({ listLength: 8, picks: ["50006", "50001"] });
    await s.stock(ids(50_000, 10));
    s.store.setProduct("50002", { tags: [], collectionIds: [], inStock: false });
    s.store.setProduct("50003", { tags: [], collectionIds: [], status: "DRAFT" });
    s.store.setProduct("50004", { tags: [], collectionIds: [], published: false });
    s.store.deleteProduct("50005");
    s.store.deleteProduct("50009");
    await prisma.product.update({ where: { shopId_productId: { shopId: s.shopId, productId: "50006" } }, data: { excluded: true } });
    await s.learned({
      "50000": ["50001", "50002", "50003", "50004", "50005", "50006", "50007", "50000"],
      "50009": ["50001", "50007"],
    });
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 1, removed: 0, failed: 0 });
    expect(s.alsoBought("50000")).toEqual(["50001", "50007"]);
    expect(s.written().map((l) => l.productId)).toEqual(["50000"]);
  });

  test("GIVEN 60 lists and a refused batch THEN the other batches are kept, and the next run writes only the refused 25", async () => {
    const s = await setup({ listLength: 2 });
    const products = ids(60_000, 61);
    await s.stock(products);
    await s.learned(Object.fromEntries(products.slice(0, 60).map((id, i) => [id, [products[i + 1]]])));
    s.store.rejectNext("Try again later");
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "partial", written: 35, removed: 0, failed: 25 });
    expect(s.calls.lists.at(-1)!.length).toBe(60);
    expect(s.alsoBought(products[0])).toBeNull();
    expect(s.alsoBought(products[30])).toEqual([products[31]]);
    const state = await prisma.recsState.findUniqueOrThrow({ where: { shopId: s.shopId } });
    expect(state.publishedVersion).toBeNull();

    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 25, removed: 0, failed: 0 });
    expect(s.calls.lists.at(-1)!.map((l) => l.productId)).toEqual(products.slice(0, 25));
    expect(s.alsoBought(products[0])).toEqual([products[1]]);
  });

  test("GIVEN a product deleted in Shopify after its facts were read THEN its batch is refused once, and the next run writes without it", async () => {
    const s = await setup({ listLength: 3 });
    await s.stock(ids(75_000, 4));
    await s.learned({ "75000": ["75001"], "75003": ["75001"] });
    await publishLists(s.deps, s.domain);
    s.store.deleteProduct("75001");
    await s.learned({ "75000": ["75001", "75002"], "75003": ["75001"] });
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "partial", written: 0, removed: 0, failed: 1 });
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 1, removed: 1, failed: 0 });
    expect(s.alsoBought("75000")).toEqual(["75002"]);
    expect(s.alsoBought("75003")).toBeNull();
  });

  test("GIVEN a product that loses its list THEN its metafield is removed; a product going out of stock leaves the lists a day later", async () => {
    const s = await setup({ listLength: 3 });
    await s.stock(ids(70_000, 5));
    await s.learned({ "70000": ["70001", "70002"], "70001": ["70000", "70002"] });
    await publishLists(s.deps, s.domain);
    expect(s.alsoBought("70001")).toEqual(["70000", "70002"]);

    await s.learned({ "70000": ["70001", "70002"] });
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 0, removed: 1, failed: 0 });
    expect(s.calls.lists.at(-1)).toEqual([{ productId: "70001", productIds: [] }]);
    expect(s.alsoBought("70001")).toBeNull();
    expect((await prisma.product.findFirstOrThrow({ where: { shopId: s.shopId, productId: "70001" } })).alsoBoughtWritten).toBeNull();

    // Sold out in Shopify: seen at the next daily read, and the lists are written again without it.
    s.store.setProduct("70002", { tags: [], collectionIds: [], inStock: false });
    expect((await publishLists(s.deps, s.domain)).outcome).toBe("unchanged");
    s.later(FACTS_MAX_AGE_MS + HOUR);
    expect(await publishLists(s.deps, s.domain)).toEqual({ outcome: "written", written: 1, removed: 0, failed: 0 });
    expect(s.alsoBought("70000")).toEqual(["70001"]);
  });

  test("GIVEN another server holds the lease THEN nothing is written; another shop is never touched", async () => {
    const a = await setup();
    const b = await setup();
    await a.stock(ids(80_000, 3));
    await b.stock(ids(80_000, 3));
    await a.learned({ "80000": ["80001"] });
    await b.learned({ "80000": ["80002"] });
    await prisma.recsState.update({ where: { shopId: a.shopId }, data: { listsLockedUntil: new Date(START.getTime() + HOUR) } });
    expect((await publishLists(a.deps, a.domain)).outcome).toBe("busy");
    expect(a.calls.lists).toEqual([]);
    a.later(2 * HOUR);
    expect((await publishLists(a.deps, a.domain)).outcome).toBe("written");
    expect(a.alsoBought("80000")).toEqual(["80001"]);
    const due = await shopsWithListsDue({ db: prisma });
    expect(due).toContain(b.domain);
    expect(due).not.toContain(a.domain);
    expect(b.calls).toEqual({ cards: [], lists: [] });
    expect(
      await prisma.product.count({ where: { shopId: b.shopId, OR: [{ checkedAt: { not: null } }, { alsoBoughtWritten: { not: null } }] } }),
    ).toBe(0);
    expect((await prisma.recsState.findUniqueOrThrow({ where: { shopId: b.shopId } })).publishedVersion).toBeNull();
  });

  test("GIVEN a shop without recommendation state or uninstalled THEN nothing happens", async () => {
    const s = await setup();
    await prisma.recsState.delete({ where: { shopId: s.shopId } });
    expect((await publishLists(s.deps, s.domain)).outcome).toBe("skipped");
    expect((await publishLists(s.deps, newShopDomain())).outcome).toBe("skipped");
  });
});

describe("shop/redact", () => {
  test("GIVEN a shop with products, lists and neighbour rows THEN redaction deletes them all (they cascade from the shop)", async () => {
    const s = await setup();
    await s.stock(ids(90_000, 3));
    await s.learned({ "90000": ["90001"] });
    await publishLists(s.deps, s.domain);
    await redactShop({ db: prisma }, s.domain);
    const where = { where: { shopId: s.shopId } };
    const counts = await Promise.all([prisma.product.count(where), prisma.recsNeighbour.count(where), prisma.recsState.count(where)]);
    expect(counts).toEqual([0, 0, 0]);
  });
});

describe("the shop's list", () => {
  test("GIVEN few best sellers THEN the merchant's picks fill it; excluded and unavailable products are never in it", async () => {
    const s = await setup({ picks: ["8010", "8009", "8007", "8005"] });
    await s.stock(DEMO_PRODUCTS.map((p) => p.productId));
    s.store.setProduct("8009", { tags: [], collectionIds: [], inStock: false });
    await prisma.product.update({ where: { shopId_productId: { shopId: s.shopId, productId: "8007" } }, data: { excluded: true } });
    await paid(
      s.domain,
      [
        ["8006", 3],
        ["8005", 2],
        ["8007", 1],
      ],
      new Date(START.getTime() - 24 * HOUR),
    );
    expect(await refreshBestSellers(s.deps, s.domain)).toEqual({ outcome: "written", productIds: ["8006", "8005", "8010"] });
    expect(s.store.state.bestSellers).toEqual(["8006", "8005", "8010"]);
  });
});
