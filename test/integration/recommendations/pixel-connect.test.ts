// Connecting the web pixel once per install: the shop's key made once, given to Shopify as the
// pixel's settings, retried after a failure, again after a reinstall; and gone with shop/redact.
import { describe, expect, test } from "vitest";
import prisma from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { connectWebPixels, PIXEL_LEASE_MS, prunePixelReports, recordPixelEvent } from "~/domain/recommendations/pixel";
import { recordUninstall } from "~/domain/members/customers";
import { redactShop } from "~/domain/members/compliance";
import { installShop } from "~/domain/shop/shops";
import { createLocalStoreState, localStoreAdmin } from "~/shopify/admin/local-store.server";
import { newShopDomain } from "../../helpers";

const T0 = new Date("2026-12-01T00:00:00Z");

async function setup() {
  const domain = newShopDomain();
  await ensureShop(prisma, domain, "IDR");
  const store = localStoreAdmin(createLocalStoreState());
  let now = T0;
  const deps = { db: prisma, clock: () => now, shopifyFor: async () => store };
  const shop = () => prisma.shop.findUniqueOrThrow({ where: { domain } });
  return { domain, store, deps, shop, later: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe("connecting the web pixel", () => {
  test("GIVEN a new shop THEN its key is made and handed to Shopify once; the next run does nothing", async () => {
    const { domain, store, deps, shop } = await setup();
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 1, failed: [] });
    const row = await shop();
    expect(row.pixelKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.pixelConnectedAt).toEqual(T0);
    expect(JSON.parse(store.state.webPixel!.settings)).toEqual({ shopKey: row.pixelKey });
    store.state.webPixel = null;
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 0 });
    expect(store.state.webPixel).toBeNull();
  });

  test("GIVEN Shopify refuses THEN the shop stays unconnected, is left alone while the lease runs, and is tried again after it", async () => {
    const { domain, store, deps, shop, later } = await setup();
    store.rejectNext("Something went wrong");
    const first = await connectWebPixels(deps, { shopDomain: domain });
    expect(first.connected).toBe(0);
    expect(first.failed).toHaveLength(1);
    expect((await shop()).pixelConnectedAt).toBeNull();
    later(PIXEL_LEASE_MS - 1000);
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 0, failed: [] });
    later(2000);
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 1 });
    expect((await shop()).pixelConnectedAt).not.toBeNull();
  });

  test("GIVEN an uninstall and a reinstall THEN the pixel is connected again with the same key", async () => {
    const { domain, store, deps, shop, later } = await setup();
    await connectWebPixels(deps, { shopDomain: domain });
    const { pixelKey } = await shop();
    await recordUninstall({ db: prisma, clock: deps.clock }, domain);
    expect((await shop()).pixelConnectedAt).toBeNull();
    // While uninstalled nothing is connected.
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 0 });
    later(60_000);
    await installShop(prisma, domain, { name: "Toko", currencyCode: "IDR" }, deps.clock());
    expect(await connectWebPixels(deps, { shopDomain: domain })).toMatchObject({ connected: 1 });
    expect((await shop()).pixelKey).toBe(pixelKey);
    expect(JSON.parse(store.state.webPixel!.settings)).toEqual({ shopKey: pixelKey });
  });

  test("GIVEN pixel reports WHEN shop/redact arrives THEN they are deleted with the shop", async () => {
    const { domain, shop } = await setup();
    const { id } = await shop();
    const deps = { db: prisma, clock: () => T0 };
    await recordPixelEvent(deps, id, { shop: domain, key: "k", id: "e1", kind: "click", surface: "product", productId: "8001" });
    await recordPixelEvent(deps, id, { shop: domain, key: "k", id: "e2", kind: "checkout", orderId: "6001", productIds: ["8001"] });
    await redactShop({ db: prisma }, domain);
    expect(await prisma.recsEvent.count({ where: { shopId: id } })).toBe(0);
    expect(await prisma.recsCheckout.count({ where: { shopId: id } })).toBe(0);
  });

  test("GIVEN reports older than the dashboard reads THEN the sweep deletes them and keeps the rest", async () => {
    const { domain, shop } = await setup();
    const { id } = await shop();
    const at = (iso: string) => ({ db: prisma, clock: () => new Date(iso) });
    await recordPixelEvent(at("2025-10-01T00:00:00Z"), id, {
      shop: domain,
      key: "k",
      id: "old",
      kind: "click",
      surface: "cart",
      productId: "8001",
    });
    await recordPixelEvent(at("2025-10-01T00:00:00Z"), id, {
      shop: domain,
      key: "k",
      id: "c-old",
      kind: "checkout",
      orderId: "1",
      productIds: ["8001"],
    });
    await recordPixelEvent(at("2026-11-01T00:00:00Z"), id, {
      shop: domain,
      key: "k",
      id: "new",
      kind: "click",
      surface: "cart",
      productId: "8001",
    });
    await prunePixelReports({ db: prisma, clock: () => T0 }, id);
    expect((await prisma.recsEvent.findMany({ where: { shopId: id } })).map((e) => e.eventId)).toEqual(["new"]);
    expect(await prisma.recsCheckout.count({ where: { shopId: id } })).toBe(0);
  });
});
