// The merchant's recommendation choices on both databases: settings, picks, pins, exclusions
// and product search. A refused change writes nothing and bumps nothing.
import { describe, expect, test } from "vitest";
import prisma, { transaction } from "~/db.server";
import { KembaliError } from "~/domain/errors";
import {
  findProducts,
  likePattern,
  recsSettings,
  saveRecsSettings,
  setExcluded,
  setPicks,
  setPins,
} from "~/domain/recommendations/choices";
import { newShopDomain } from "../../helpers";

const deps = { db: prisma, clock: () => new Date(), transaction: transaction(prisma) };

/** A shop with products 101-110 titled "Product 101"…, plus the titles given (ids from 201). */
async function shopWithProducts(titles: string[] = []) {
  const shop = await prisma.shop.create({ data: { domain: newShopDomain(), settings: {} } });
  const rows = [
    ...Array.from({ length: 10 }, (_, i) => ({ shopId: shop.id, productId: String(101 + i), title: `Product ${101 + i}` })),
    ...titles.map((title, i) => ({ shopId: shop.id, productId: String(201 + i), title })),
  ];
  await prisma.product.createMany({ data: rows });
  return shop.id;
}

/** Everything a refused change must leave as it was. */
async function snapshot(shopId: string) {
  const state = await prisma.recsState.findUnique({ where: { shopId } });
  const products = await prisma.product.findMany({
    where: { shopId },
    orderBy: { productId: "asc" },
    select: { productId: true, excluded: true, pinned: true },
  });
  return { state: state && { ...state, updatedAt: null }, products };
}

async function refused(promise: Promise<unknown>, reason: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KembaliError);
  expect((error as KembaliError).code).toBe("BAD_INPUT");
  expect((error as KembaliError).status).toBe(400);
  expect((error as KembaliError).details?.reason).toBe(reason);
}

describe("recommendation settings", () => {
  test("the first read creates the defaults; a save validates, bumps choicesVersion once, and an unchanged save bumps nothing", async () => {
    const shopId = await shopWithProducts();
    expect(await recsSettings(deps, shopId)).toEqual({ listLength: 8, minOrders: 3, picks: [], choicesVersion: 0 });
    expect(await saveRecsSettings(deps, shopId, { listLength: "10", minOrders: 5 })).toMatchObject({
      listLength: 10,
      minOrders: 5,
      choicesVersion: 1,
    });
    expect(await saveRecsSettings(deps, shopId, { listLength: 10, minOrders: "5" })).toMatchObject({ choicesVersion: 1 });
  });

  test.each([
    [{ listLength: 3, minOrders: 3 }, "list_length"],
    [{ listLength: 13, minOrders: 3 }, "list_length"],
    [{ listLength: "8.5", minOrders: 3 }, "list_length"],
    [{ listLength: 8, minOrders: 0 }, "min_orders"],
    [{ listLength: 8, minOrders: 51 }, "min_orders"],
    [{ listLength: 8, minOrders: "" }, "min_orders"],
    [{ listLength: 8 }, "min_orders"],
  ])("settings %j are refused (%s) and change nothing", async (input, reason) => {
    const shopId = await shopWithProducts();
    await saveRecsSettings(deps, shopId, { listLength: 6, minOrders: 2 });
    const before = await snapshot(shopId);
    await refused(saveRecsSettings(deps, shopId, input), reason);
    expect(await snapshot(shopId)).toEqual(before);
  });
});

describe("picks and pins", () => {
  test("picks keep their order, up to 12, and each accepted change bumps choicesVersion", async () => {
    const shopId = await shopWithProducts(["a", "b", "c"]);
    expect(await setPicks(deps, shopId, ["103", "101", "202"])).toEqual(["103", "101", "202"]);
    expect(await recsSettings(deps, shopId)).toMatchObject({ picks: ["103", "101", "202"], choicesVersion: 1 });
    await setPicks(deps, shopId, ["103", "101", "202"]);
    expect((await recsSettings(deps, shopId)).choicesVersion).toBe(1);
    await setPicks(deps, shopId, ["101", "103"]);
    expect(await recsSettings(deps, shopId)).toMatchObject({ picks: ["101", "103"], choicesVersion: 2 });
    const twelve = [...Array.from({ length: 10 }, (_, i) => String(101 + i)), "201", "202"];
    expect(await setPicks(deps, shopId, twelve)).toEqual(twelve);
  });

  test.each([
    [["101", "101"], "duplicate"],
    [["101", "abc"], "bad_product_id"],
    [["101", 102], "bad_product_id"],
    [["0101"], "bad_product_id"],
    ["101", "bad_product_id"],
    [["999"], "unknown_product"],
    [[...Array.from({ length: 10 }, (_, i) => String(101 + i)), "201", "202", "203"], "too_many"],
  ])("picks %j are refused (%s) and change nothing", async (ids, reason) => {
    const shopId = await shopWithProducts(["a", "b", "c"]);
    await setPicks(deps, shopId, ["102"]);
    const before = await snapshot(shopId);
    await refused(setPicks(deps, shopId, ids), reason);
    expect(await snapshot(shopId)).toEqual(before);
  });

  test("pins: ordered, distinct, at most the list length, never the product itself, never an excluded product", async () => {
    const shopId = await shopWithProducts();
    await saveRecsSettings(deps, shopId, { listLength: 4, minOrders: 3 });
    expect(await setPins(deps, shopId, "101", ["105", "102"])).toEqual(["105", "102"]);
    const row = await prisma.product.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId: "101" } } });
    expect(row.pinned).toEqual(["105", "102"]);
    expect((await recsSettings(deps, shopId)).choicesVersion).toBe(2);

    await setExcluded(deps, shopId, "110", true);
    const before = await snapshot(shopId);
    await refused(setPins(deps, shopId, "101", ["101", "102"]), "pins_itself");
    await refused(setPins(deps, shopId, "101", ["102", "102"]), "duplicate");
    await refused(setPins(deps, shopId, "101", ["102", "103", "104", "105", "106"]), "too_many");
    await refused(setPins(deps, shopId, "101", ["110"]), "excluded_product");
    await refused(setPins(deps, shopId, "101", ["998"]), "unknown_product");
    await refused(setPins(deps, shopId, "999", ["102"]), "unknown_product");
    await refused(setPins(deps, shopId, "1; drop", ["102"]), "bad_product_id");
    expect(await snapshot(shopId)).toEqual(before);

    expect(await setPins(deps, shopId, "101", [])).toEqual([]);
    expect((await prisma.product.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId: "101" } } })).pinned).toEqual([]);
  });

  test("excluding a product takes it out of the picks and every pin list, in one change; including it again restores nothing", async () => {
    const shopId = await shopWithProducts();
    await setPicks(deps, shopId, ["103", "104", "105"]);
    await setPins(deps, shopId, "101", ["104", "102"]);
    await setPins(deps, shopId, "102", ["103", "104"]);
    const version = (await recsSettings(deps, shopId)).choicesVersion;

    await setExcluded(deps, shopId, "104", true);
    const state = await recsSettings(deps, shopId);
    expect(state).toMatchObject({ picks: ["103", "105"], choicesVersion: version + 1 });
    const pins = await prisma.product.findMany({ where: { shopId, productId: { in: ["101", "102"] } }, orderBy: { productId: "asc" } });
    expect(pins.map((p) => p.pinned)).toEqual([["102"], ["103"]]);
    expect((await prisma.product.findUniqueOrThrow({ where: { shopId_productId: { shopId, productId: "104" } } })).excluded).toBe(true);
    await refused(setPicks(deps, shopId, ["104"]), "excluded_product");

    // Excluding twice changes nothing more; including it again is one more change.
    await setExcluded(deps, shopId, "104", true);
    expect((await recsSettings(deps, shopId)).choicesVersion).toBe(version + 1);
    await setExcluded(deps, shopId, "104", false);
    expect(await recsSettings(deps, shopId)).toMatchObject({ picks: ["103", "105"], choicesVersion: version + 2 });
    await refused(setExcluded(deps, shopId, "104", "yes"), "not_yes_or_no");
  });

  test("another shop's products are never pinned, picked or excluded", async () => {
    const mine = await shopWithProducts();
    const theirs = await prisma.shop.create({ data: { domain: newShopDomain(), settings: {} } });
    await prisma.product.create({ data: { shopId: theirs.id, productId: "777", title: "Product of another shop" } });
    const before = await snapshot(mine);
    await refused(setPicks(deps, mine, ["777"]), "unknown_product");
    await refused(setPins(deps, mine, "101", ["777"]), "unknown_product");
    await refused(setPins(deps, mine, "777", ["101"]), "unknown_product");
    await refused(setExcluded(deps, mine, "777", true), "unknown_product");
    expect(await snapshot(mine)).toEqual(before);
    expect(
      (await prisma.product.findUniqueOrThrow({ where: { shopId_productId: { shopId: theirs.id, productId: "777" } } })).excluded,
    ).toBe(false);
  });
});

describe("findProducts", () => {
  const titles = ["Kopi Gayo 100% Arabica", "Kopi_Toraja", "KOPI Luwak", "Teh Melati", "Gula aren 50%", "Back\\slash Mug"];

  test("matches the title ignoring case, sorted by title, with % and _ matching only themselves", async () => {
    const shopId = await shopWithProducts(titles);
    const found = async (q: string) => (await findProducts(deps, shopId, q)).map((p) => p.title);
    expect(await found("kopi")).toEqual(["Kopi Gayo 100% Arabica", "KOPI Luwak", "Kopi_Toraja"]);
    expect(await found("  LUWAK ")).toEqual(["KOPI Luwak"]);
    expect(await found("%")).toEqual(["Gula aren 50%", "Kopi Gayo 100% Arabica"]);
    expect(await found("0% a")).toEqual(["Kopi Gayo 100% Arabica"]);
    expect(await found("_")).toEqual(["Kopi_Toraja"]);
    expect(await found("i_t")).toEqual(["Kopi_Toraja"]);
    expect(await found("k%i")).toEqual([]);
    expect(await found("\\")).toEqual(["Back\\slash Mug"]);
    expect(await found("")).toEqual([]);
    expect(await findProducts(deps, shopId, 42)).toEqual([]);
  });

  test("answers at most 20, with what the page shows, and never another shop's products", async () => {
    const shopId = await shopWithProducts(Array.from({ length: 25 }, (_, i) => `Mug ${String(i).padStart(2, "0")}`));
    const other = await shopWithProducts(["Mug of another shop"]);
    await setExcluded(deps, shopId, "201", true);
    await setPins(deps, shopId, "202", ["101"]);
    const found = await findProducts(deps, shopId, "mug");
    expect(found).toHaveLength(20);
    expect(found[0]).toEqual({
      productId: "201",
      title: "Mug 00",
      imageUrl: null,
      imageAlt: null,
      available: true,
      excluded: true,
      pinned: [],
    });
    expect(found[1].pinned).toEqual(["101"]);
    expect(found.every((p) => p.title?.startsWith("Mug "))).toBe(true);
    expect((await findProducts(deps, other, "mug")).map((p) => p.title)).toEqual(["Mug of another shop"]);
  });

  test("likePattern escapes the escape character and both wildcards", () => {
    expect(likePattern("a%b_c\\d")).toBe("%a\\%b\\_c\\\\d%");
  });
});
