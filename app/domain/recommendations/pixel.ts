// What the web pixel (extensions/kembali-pixel) reports, and connecting it to each shop
// (decision 031). The pixel runs in Shopify's sandbox with no session token: a shop is known by
// its domain plus the random key the app gave the pixel as its setting. That key keeps strangers'
// noise out of a shop's figures, not a determined forger (it is readable in the storefront), so
// nothing here is money: revenue comes only from signed orders (performance.ts).
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Deps, ShopifyFor } from "../deps";
import { isUniqueViolation } from "../db-errors";

/** Where a recommendation was shown; the storefront's links carry it as `?kembali_rec=<surface>`. */
export const REC_SURFACES = ["product", "cart", "picked"] as const;
export type RecSurface = (typeof REC_SURFACES)[number];

/** A checkout names at most this many recommended products (more is not a shopper's cart). */
export const MAX_CHECKOUT_PRODUCTS = 50;

/** A Shopify product or order id: numeric, or its gid (the number is kept). */
const shopifyId = (type: "Product" | "Order") =>
  z
    .string()
    .max(64)
    .transform((v) => v.replace(new RegExp(`^gid://shopify/${type}/`), ""))
    .pipe(z.string().regex(/^\d{1,20}$/));

const common = {
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  key: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  /** The pixel event's own id (Shopify's, e.g. "sh-…"): a retried send carries the same one. */
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
};

export const pixelEventSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.enum(["click", "add_to_cart"]), surface: z.enum(REC_SURFACES), productId: shopifyId("Product") }).strict(),
  z
    .object({
      ...common,
      kind: z.literal("checkout"),
      orderId: shopifyId("Order"),
      productIds: z.array(shopifyId("Product")).min(1).max(MAX_CHECKOUT_PRODUCTS),
    })
    .strict(),
]);
export type PixelEvent = z.output<typeof pixelEventSchema>;

/** A new pixel key: 32 random bytes, URL-safe. */
export function newPixelKey(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares keys in time that does not depend on where they differ (hashes first, so lengths match). */
export function sameKey(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The shop's id when `shopDomain` is an installed shop whose pixel key is `key`; null otherwise
 * (unknown shop, uninstalled, no key yet, wrong key: all alike to the caller).
 */
export async function pixelShop(deps: Pick<Deps, "db">, shopDomain: string, key: string): Promise<string | null> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, uninstalledAt: true, pixelKey: true } });
  // Compared even when there is no shop, so the answer takes the same time.
  const matches = sameKey(key, shop?.pixelKey ?? "");
  if (!shop || shop.uninstalledAt || !shop.pixelKey || !matches) return null;
  return shop.id;
}

/**
 * Stores one reported event for the shop. A click or add-to-cart counts once per event id; a
 * checkout stores one row per product and order, so a retry or a second send adds nothing twice.
 * Answers whether anything new was stored.
 */
export async function recordPixelEvent(deps: Pick<Deps, "db" | "clock">, shopId: string, event: PixelEvent): Promise<{ stored: boolean }> {
  const at = deps.clock();
  if (event.kind === "checkout") {
    let stored = false;
    for (const productId of new Set(event.productIds)) {
      stored =
        (await createOnce(() => deps.db.recsCheckout.create({ data: { shopId, shopifyOrderId: event.orderId, productId, at } }))) || stored;
    }
    return { stored };
  }
  const stored = await createOnce(() =>
    deps.db.recsEvent.create({
      data: { shopId, eventId: event.id, kind: event.kind, surface: event.surface, productId: event.productId, occurredAt: at },
    }),
  );
  return { stored };
}

async function createOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The dashboard looks back a year at most (and a week more for late checkout reports). */
export const PIXEL_REPORTS_KEPT_DAYS = 400;

/** A shop's reports older than the dashboard ever reads: deleted by the hourly sweep. */
export async function prunePixelReports(deps: Pick<Deps, "db" | "clock">, shopId: string): Promise<number> {
  const before = new Date(deps.clock().getTime() - PIXEL_REPORTS_KEPT_DAYS * 86_400_000);
  const events = await deps.db.recsEvent.deleteMany({ where: { shopId, occurredAt: { lt: before } } });
  const checkouts = await deps.db.recsCheckout.deleteMany({ where: { shopId, at: { lt: before } } });
  return events.count + checkouts.count;
}

/** How long one attempt to connect a shop's pixel holds it; a failed attempt is retried after it. */
export const PIXEL_LEASE_MS = 5 * 60_000;

/**
 * Connects the web pixel for every installed shop whose pixel is not connected (new installs,
 * reinstalls): makes the shop's key once, then gives it to Shopify as the pixel's settings
 * (create, or update when the shop already has it). A lease per shop keeps two servers apart; a
 * failure leaves the lease to run out, so the shop is tried again a few minutes later.
 */
export async function connectWebPixels(
  deps: Pick<Deps, "db" | "clock"> & { shopifyFor: ShopifyFor },
  { shopDomain, limit = 20 }: { shopDomain?: string; limit?: number } = {},
): Promise<{ connected: number; failed: Array<{ shop: string; error: unknown }> }> {
  const now = deps.clock();
  const due = await deps.db.shop.findMany({
    where: {
      ...(shopDomain ? { domain: shopDomain } : {}),
      uninstalledAt: null,
      pixelConnectedAt: null,
      OR: [{ pixelLockedUntil: null }, { pixelLockedUntil: { lt: now } }],
    },
    select: { id: true, domain: true },
    take: limit,
  });
  let connected = 0;
  const failed: Array<{ shop: string; error: unknown }> = [];
  for (const shop of due) {
    const { count } = await deps.db.shop.updateMany({
      where: { id: shop.id, pixelConnectedAt: null, OR: [{ pixelLockedUntil: null }, { pixelLockedUntil: { lt: now } }] },
      data: { pixelLockedUntil: new Date(now.getTime() + PIXEL_LEASE_MS) },
    });
    if (count !== 1) continue; // another server has it
    // The key is made once and kept: a pixel still running with it (a reinstall) stays accepted.
    await deps.db.shop.updateMany({ where: { id: shop.id, pixelKey: null }, data: { pixelKey: newPixelKey() } });
    const { pixelKey } = await deps.db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { pixelKey: true } });
    try {
      await (await deps.shopifyFor(shop.domain)).connectWebPixel({ shopKey: pixelKey! });
    } catch (error) {
      failed.push({ shop: shop.domain, error });
      continue;
    }
    await deps.db.shop.update({ where: { id: shop.id }, data: { pixelConnectedAt: deps.clock(), pixelLockedUntil: null } });
    connected += 1;
  }
  return { connected, failed };
}
