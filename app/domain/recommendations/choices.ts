// The merchant's choices for recommendations (the admin Recommendations page): the settings
// (products per list, orders a product needs for a list of its own), the shop-wide picks, each
// product's pinned products, and excluded products. Every accepted change bumps
// RecsState.choicesVersion in the same transaction, so the lists are written again; a refused
// change throws BAD_INPUT (details.reason, details.fields → message key) and writes nothing.
// Excluding a product also takes it out of every pick and pin list (decision 032).
import { z } from "zod";
import type { Deps, TxDeps, Tx } from "../deps";
import { KembaliError } from "../errors";

export const LIST_LENGTH = { min: 4, max: 12 } as const;
export const MIN_ORDERS = { min: 1, max: 50 } as const;
export const PICKS_MAX = 12;
export const SEARCH_LIMIT = 20;
const PRODUCT_ID = /^[1-9]\d{0,19}$/;

export interface RecsSettings {
  listLength: number;
  minOrders: number;
  picks: string[];
  choicesVersion: number;
}

export type ChoiceRefusal =
  | "list_length"
  | "min_orders"
  | "bad_product_id"
  | "unknown_product"
  | "excluded_product"
  | "pins_itself"
  | "duplicate"
  | "too_many"
  | "not_yes_or_no";

function refuse(reason: ChoiceRefusal, message: string, field: string): KembaliError {
  return new KembaliError("BAD_INPUT", message, { reason, fields: { [field]: `recs.error.${reason}` } });
}

/** A JSON column holding an ordered list of product ids; anything else reads as empty. */
export function idList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

const settingsRow = (row: { listLength: number; minOrders: number; picks: unknown; choicesVersion: number }): RecsSettings => ({
  listLength: row.listLength,
  minOrders: row.minOrders,
  picks: idList(row.picks),
  choicesVersion: row.choicesVersion,
});

/**
 * The shop's recommendation settings; the row (with the defaults) is created on first read.
 * A plain read otherwise (the admin page polls it while a rebuild runs). Every upsert of the row
 * here updates `shopId` to itself: a change of nothing that makes it the database's own upsert,
 * safe when two servers create the row at the same instant (an empty update is a read and an insert).
 */
export async function recsSettings(deps: Pick<Deps, "db">, shopId: string): Promise<RecsSettings> {
  const row =
    (await deps.db.recsState.findUnique({ where: { shopId } })) ??
    (await deps.db.recsState.upsert({ where: { shopId }, create: { shopId }, update: { shopId } }));
  return settingsRow(row);
}

const wholeIn = (range: { min: number; max: number }) =>
  z.preprocess((v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(range.min).max(range.max));

const settingsSchema = z.object({ listLength: wholeIn(LIST_LENGTH), minOrders: wholeIn(MIN_ORDERS) });

/** Saves products per list (4–12) and orders needed (1–50); numbers or digit strings. */
export async function saveRecsSettings(deps: TxDeps, shopId: string, input: unknown): Promise<RecsSettings> {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "listLength");
      fields[field] = field === "minOrders" ? "recs.error.min_orders" : "recs.error.list_length";
    }
    const reason: ChoiceRefusal = fields.listLength ? "list_length" : "min_orders";
    throw new KembaliError("BAD_INPUT", "The recommendation settings are invalid", { reason, fields });
  }
  const { listLength, minOrders } = parsed.data;
  return deps.transaction(async (tx) => {
    const current = await tx.recsState.upsert({ where: { shopId }, create: { shopId }, update: { shopId } });
    if (current.listLength === listLength && current.minOrders === minOrders) return settingsRow(current);
    return settingsRow(await tx.recsState.update({ where: { shopId }, data: { listLength, minOrders, choicesVersion: { increment: 1 } } }));
  });
}

/** Ordered, distinct, well-formed ids of this shop's products, none excluded, at most `max`. */
async function checkedIds(tx: Tx, shopId: string, ids: unknown, max: number, field: string): Promise<string[]> {
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === "string" && PRODUCT_ID.test(id))) {
    throw refuse("bad_product_id", "Product ids are digit strings", field);
  }
  if (new Set(ids).size !== ids.length) throw refuse("duplicate", "A product appears twice", field);
  if (ids.length > max) throw refuse("too_many", `At most ${max} products`, field);
  if (ids.length === 0) return [];
  const rows = await tx.product.findMany({ where: { shopId, productId: { in: ids } }, select: { productId: true, excluded: true } });
  if (rows.length !== ids.length) throw refuse("unknown_product", "A product is not in this shop", field);
  if (rows.some((r) => r.excluded)) throw refuse("excluded_product", "An excluded product cannot be shown", field);
  return ids;
}

async function bump(tx: Tx, shopId: string) {
  await tx.recsState.upsert({
    where: { shopId },
    create: { shopId, choicesVersion: 1 },
    update: { choicesVersion: { increment: 1 } },
  });
}

async function productOf(tx: Tx, shopId: string, productId: unknown, field = "productId") {
  if (typeof productId !== "string" || !PRODUCT_ID.test(productId)) throw refuse("bad_product_id", "Not a product id", field);
  const product = await tx.product.findUnique({ where: { shopId_productId: { shopId, productId } } });
  if (!product) throw refuse("unknown_product", "The product is not in this shop", field);
  return product;
}

/** The shop-wide picks, in order (at most 12). */
export async function setPicks(deps: TxDeps, shopId: string, ids: unknown): Promise<string[]> {
  return deps.transaction(async (tx) => {
    const picks = await checkedIds(tx, shopId, ids, PICKS_MAX, "picks");
    const current = await tx.recsState.upsert({ where: { shopId }, create: { shopId }, update: { shopId } });
    if (JSON.stringify(idList(current.picks)) === JSON.stringify(picks)) return picks;
    await tx.recsState.update({ where: { shopId }, data: { picks, choicesVersion: { increment: 1 } } });
    return picks;
  });
}

/** The products pinned first in one product's list, in order (at most the list length, never itself). */
export async function setPins(deps: TxDeps, shopId: string, productId: unknown, pinnedIds: unknown): Promise<string[]> {
  return deps.transaction(async (tx) => {
    const product = await productOf(tx, shopId, productId);
    const { listLength } = await tx.recsState.upsert({ where: { shopId }, create: { shopId }, update: { shopId } });
    if (Array.isArray(pinnedIds) && pinnedIds.includes(product.productId)) {
      throw refuse("pins_itself", "A product cannot be pinned in its own list", "pinned");
    }
    const pins = await checkedIds(tx, shopId, pinnedIds, listLength, "pinned");
    if (JSON.stringify(idList(product.pinned)) === JSON.stringify(pins)) return pins;
    await tx.product.update({
      where: { shopId_productId: { shopId, productId: product.productId } },
      data: { pinned: pins.length ? pins : [] },
    });
    await bump(tx, shopId);
    return pins;
  });
}

/**
 * Excludes a product from every list (or includes it again). Excluding also removes it from
 * the picks and from every product's pins, in the same transaction.
 */
export async function setExcluded(deps: TxDeps, shopId: string, productId: unknown, excluded: unknown): Promise<void> {
  if (typeof excluded !== "boolean") throw refuse("not_yes_or_no", "excluded must be true or false", "excluded");
  await deps.transaction(async (tx) => {
    const product = await productOf(tx, shopId, productId);
    if (product.excluded === excluded) return;
    await tx.product.update({ where: { shopId_productId: { shopId, productId: product.productId } }, data: { excluded } });
    if (excluded) {
      const id = product.productId;
      const state = await tx.recsState.findUnique({ where: { shopId }, select: { picks: true } });
      const picks = idList(state?.picks);
      if (picks.includes(id)) await tx.recsState.update({ where: { shopId }, data: { picks: picks.filter((p) => p !== id) } });
      // Pins are short lists on few products: read them all and rewrite the ones that name it.
      const pinned = await tx.product.findMany({ where: { shopId }, select: { productId: true, pinned: true } });
      for (const row of pinned) {
        const pins = idList(row.pinned);
        if (!pins.includes(id)) continue;
        await tx.product.update({
          where: { shopId_productId: { shopId, productId: row.productId } },
          data: { pinned: pins.filter((p) => p !== id) },
        });
      }
    }
    await bump(tx, shopId);
  });
}

export interface ProductChoice {
  productId: string;
  title: string | null;
  imageUrl: string | null;
  imageAlt: string | null;
  available: boolean;
  excluded: boolean;
  pinned: string[];
}

const choiceSelect = {
  productId: true,
  title: true,
  imageUrl: true,
  imageAlt: true,
  available: true,
  excluded: true,
  pinned: true,
} as const;

/** Products by id, in the order asked, leaving out ids the shop does not have. */
export async function productChoices(deps: Pick<Deps, "db">, shopId: string, ids: string[]): Promise<ProductChoice[]> {
  if (ids.length === 0) return [];
  const rows = await deps.db.product.findMany({ where: { shopId, productId: { in: ids } }, select: choiceSelect });
  const byId = new Map(rows.map((r) => [r.productId, { ...r, pinned: idList(r.pinned) }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** `%`, `_` and the escape character itself match only themselves in a LIKE pattern. */
export function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Products whose title contains the query, ignoring case, on both databases (the same SQL:
 * LOWER on both sides, wildcards escaped), by title; at most 20. SQLite's LOWER folds only
 * ASCII letters; PostgreSQL's folds all. An empty query finds nothing.
 */
export async function findProducts(deps: Pick<Deps, "db">, shopId: string, query: unknown): Promise<ProductChoice[]> {
  const text = typeof query === "string" ? query.trim().slice(0, 100) : "";
  if (!text) return [];
  const pattern = likePattern(text.toLowerCase());
  const rows = await deps.db.$queryRaw<Array<{ productId: string }>>`
    SELECT "productId" FROM "Product"
    WHERE "shopId" = ${shopId} AND LOWER("title") LIKE ${pattern} ESCAPE '\\'
    ORDER BY LOWER("title"), "productId"
    LIMIT ${SEARCH_LIMIT}`;
  return productChoices(
    deps,
    shopId,
    rows.map((r) => r.productId),
  );
}

/** Excluded products, by title (the first `limit`). */
export async function excludedProducts(deps: Pick<Deps, "db">, shopId: string, limit = 100): Promise<ProductChoice[]> {
  const rows = await deps.db.product.findMany({
    where: { shopId, excluded: true },
    orderBy: [{ title: "asc" }, { productId: "asc" }],
    take: limit,
    select: choiceSelect,
  });
  return rows.map((r) => ({ ...r, pinned: idList(r.pinned) }));
}

/** Products with pinned products, by title (the first `limit`). */
export async function productsWithPins(deps: Pick<Deps, "db">, shopId: string, limit = 100): Promise<ProductChoice[]> {
  const rows = await deps.db.$queryRaw<Array<{ productId: string }>>`
    SELECT "productId" FROM "Product"
    WHERE "shopId" = ${shopId} AND "pinned" IS NOT NULL AND CAST("pinned" AS TEXT) <> '[]'
    ORDER BY LOWER("title"), "productId"
    LIMIT ${limit}`;
  return (
    await productChoices(
      deps,
      shopId,
      rows.map((r) => r.productId),
    )
  ).filter((p) => p.pinned.length > 0);
}
