// The recommendation blocks' real Liquid rendered with the demo's Liquid engine: the cart block
// (blocks/complete_your_order.liquid) merging the cart's lists, and the points each card shows,
// checked against the server's earning rule for a one-item order at that price.
import { describe, expect, test } from "vitest";
import { readBlock, renderBlock, type LiquidProduct } from "~/demo/theme-block.server";
import { liquidEarning, type LiquidEarning } from "~/domain/shop/appearance";
import { orderEarnings, productPoints } from "~/domain/earning/earning";
import { defaultSettings, parseSettings, type ProgramSettings } from "~/domain/earning/program";
import { currencyExponent } from "../../../common/money";

const IDR = "Rp{{amount_no_decimals_with_comma_separator}}";

function product(id: number, overrides: Partial<LiquidProduct> = {}): LiquidProduct {
  return {
    id,
    title: `Kopi ${id}`,
    url: `/products/kopi-${id}`,
    price: 12_500_000,
    available: true,
    tags: [],
    collections: [],
    featured_image: null,
    metafields: {},
    ...overrides,
  };
}

const withList = (id: number, list: Array<LiquidProduct | null>, overrides: Partial<LiquidProduct> = {}) =>
  product(id, { metafields: { kembali: { also_bought: { value: list } } }, ...overrides });

const titles = (html: string) => [...html.matchAll(/class="kembali-ab__title">([^<]*)</g)].map((m) => m[1]);
const points = (html: string) => [...html.matchAll(/class="kembali-ab__points">([^<]*)</g)].map((m) => m[1]);

async function cart(
  items: LiquidProduct[],
  opts: { bestSellers?: LiquidProduct[]; settings?: Record<string, unknown>; locale?: "en" | "id"; earn?: LiquidEarning | null } = {},
) {
  const kembali: Record<string, { value: unknown }> = { best_sellers: { value: opts.bestSellers ?? [] } };
  if (opts.earn !== undefined) kembali.appearance = { value: { earn: opts.earn } };
  const { html } = await renderBlock(
    "complete_your_order",
    {
      product: null,
      cart: { item_count: items.length, items: items.map((p) => ({ product_id: p.id, quantity: 1, product: p })) },
      shop: { metafields: { kembali } },
      block: { id: "cyo1", settings: opts.settings },
    },
    { locale: opts.locale ?? "en", moneyFormat: IDR },
  );
  return html;
}

describe("Complete your order (cart block)", () => {
  test("GIVEN two cart items with lists THEN picks alternate between the lists: first of each, then second of each", async () => {
    const a = withList(1, [product(11), product(12), product(13)]);
    const b = withList(2, [product(21), product(22)]);
    expect(titles(await cart([a, b]))).toEqual(["Kopi 11", "Kopi 21", "Kopi 12", "Kopi 22"]);
    expect(titles(await cart([a, b], { settings: { count: 6 } }))).toEqual(["Kopi 11", "Kopi 21", "Kopi 12", "Kopi 22", "Kopi 13"]);
  });

  test("GIVEN lists naming products in the cart, twice, sold out or deleted THEN each is skipped", async () => {
    const a = withList(1, [product(2), product(30), null, product(31, { available: false }), product(32)]);
    const b = withList(2, [product(30), product(1), product(33)]);
    // 2 and 1 are in the cart, 30 comes once, null and sold-out 31 are skipped.
    expect(titles(await cart([a, b], { settings: { count: 8 } }))).toEqual(["Kopi 30", "Kopi 33", "Kopi 32"]);
  });

  test("GIVEN cart products without lists THEN the shop's best sellers fill in, minus what is in the cart", async () => {
    const html = await cart([product(1), product(2)], {
      bestSellers: [product(2), product(5), product(6, { available: false }), product(7)],
    });
    expect(titles(html)).toEqual(["Kopi 5", "Kopi 7"]);
    expect(html).toContain(">Complete your order</h2>");
    expect(html).toContain('href="/products/kopi-5?kembali_rec=cart"');
  });

  test("GIVEN one cart product with a list THEN only the lists are used, not the best sellers", async () => {
    expect(titles(await cart([product(1), withList(2, [product(9)])], { bestSellers: [product(5)] }))).toEqual(["Kopi 9"]);
  });

  test("GIVEN an empty cart, or nothing left to show THEN nothing is rendered", async () => {
    expect(await cart([], { bestSellers: [product(5)] })).toBe("");
    expect(await cart([withList(1, [product(1)])], { bestSellers: [product(5)] })).toBe("");
  });

  test("GIVEN titles and a heading with markup THEN they are shown as text; Bahasa Indonesia heading", async () => {
    const html = await cart([withList(1, [product(2, { title: `<img src=x onerror="alert(1)">` })])], {
      settings: { heading: "<b>Hai</b>" },
    });
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>");
    expect(html).toContain('class="kembali-ab__title">&lt;img src=x');
    expect(html).toContain(">&lt;b&gt;Hai&lt;/b&gt;</h2>");
    expect(await cart([withList(1, [product(2)])], { locale: "id" })).toContain(">Lengkapi pesanan Anda</h2>");
  });

  test("the schema: a section block on the cart page, the product block's stylesheet and settings", async () => {
    const { schema } = await readBlock("complete_your_order");
    const product = await readBlock("also_bought");
    expect(schema).toMatchObject({ target: "section", stylesheet: "kembali-also-bought.css", enabled_on: { templates: ["cart"] } });
    expect(schema.settings?.map((s) => s.id)).toEqual(product.schema.settings?.map((s) => s.id));
  });
});

/** What the server awards a one-item order at this Liquid price (hundredths of the currency). */
function serverPoints(
  settings: ProgramSettings,
  currency: string,
  liquidPrice: number,
  p: { tags?: string[]; collections?: string[] } = {},
) {
  const minor = (liquidPrice * 10 ** currencyExponent(currency)) / 100;
  const points = productPoints(minor, { productTags: p.tags ?? [], collectionIds: p.collections ?? [] }, settings);
  // Without tier, campaign, multipliers or cashback, that is exactly what such an order earns.
  const earned = orderEarnings(
    {
      subtotal: minor,
      shipping: 0,
      tax: 0,
      paidAt: new Date("2026-01-01T00:00:00Z"),
      customerTags: [],
      tierMultiplier: 1,
      lines: [{ productId: "1", quantity: 1, price: minor, productTags: p.tags ?? [], collectionIds: p.collections ?? [] }],
    },
    settings,
  ).points;
  expect(points).toBe(earned);
  return points;
}

const program = (currency: string, earning: { points: number; perAmount: number }, extra: object = {}) =>
  parseSettings({ ...defaultSettings(currency), earning: { ...defaultSettings(currency).earning, ...earning }, ...extra });

describe("points on a card", () => {
  const cases: Array<[string, { points: number; perAmount: number }, number[]]> = [
    // 1 point per Rp1 (IDR has two decimals in Shopify's amounts): Rp125.000 earns 125,000.
    ["IDR", { points: 1, perAmount: 100 }, [12_500_000, 4_599_900, 100, 0]],
    // 1 point per Rp1.000: Rp125.000 → 125; Rp45.999 → 45.
    ["IDR", { points: 1, perAmount: 100_000 }, [12_500_000, 4_599_900, 99_900]],
    // 3 points per $2: $19.99 → 29.
    ["USD", { points: 3, perAmount: 200 }, [1_999, 1, 199, 200, 123_456_789]],
    // 7 points per ¥1,000 (no minor unit).
    ["JPY", { points: 7, perAmount: 1_000 }, [150_000, 99_900, 100_000, 12_345_600]],
    // 2 points per 1.500 KWD (three decimals).
    ["KWD", { points: 2, perAmount: 1_500 }, [1_000, 150, 149, 987_654]],
  ];

  for (const [currency, earning, prices] of cases) {
    test(`GIVEN ${earning.points} per ${earning.perAmount} minor units of ${currency} THEN each card shows what a one-item order earns`, async () => {
      const settings = program(currency, earning);
      const earn = liquidEarning(settings, currency);
      const picks = prices.map((price, i) => product(100 + i, { price }));
      const html = await cart([withList(1, picks)], { earn, settings: { count: 8 } });
      const shown = picks.map((p) => {
        const card = html.split('<li class="kembali-ab__card">').find((c) => c.includes(`>${p.title}<`))!;
        const text = points(card)[0];
        return text === undefined ? 0 : Number(/(\d+)/.exec(text)![1]);
      });
      expect(shown).toEqual(prices.map((price) => serverPoints(settings, currency, price)));
      expect(shown.some((n) => n > 0)).toBe(true);
    });
  }

  test("GIVEN 125 points and 1 point THEN the text is plural and singular; Bahasa Indonesia", async () => {
    const earn = liquidEarning(program("IDR", { points: 1, perAmount: 100_000 }), "IDR");
    const list = [product(2, { price: 12_500_000 }), product(3, { price: 100_000 })];
    expect(points(await cart([withList(1, list)], { earn }))).toEqual(["Earn 125 points", "Earn 1 point"]);
    expect(points(await cart([withList(1, list)], { earn, locale: "id" }))).toEqual(["Dapatkan 125 poin", "Dapatkan 1 poin"]);
  });

  test("GIVEN products excluded from earning by tag or collection THEN their cards show no points, as the server awards none", async () => {
    const settings = program(
      "IDR",
      { points: 1, perAmount: 100_000 },
      { exclusions: { productTags: ["Gift Card"], collectionIds: ["77"] } },
    );
    const earn = liquidEarning(settings, "IDR");
    const tagged = product(2, { tags: ["gift card "] });
    const inCollection = product(3, { collections: [{ id: 77 }] });
    const plain = product(4, { tags: ["kopi"], collections: [{ id: 78 }] });
    const html = await cart([withList(1, [tagged, inCollection, plain])], { earn });
    expect(titles(html)).toEqual(["Kopi 2", "Kopi 3", "Kopi 4"]);
    expect(points(html)).toEqual(["Earn 125 points"]);
    expect(serverPoints(settings, "IDR", 12_500_000, { tags: ["gift card "] })).toBe(0);
    expect(serverPoints(settings, "IDR", 12_500_000, { collections: ["77"] })).toBe(0);
  });

  test("GIVEN a program that earns nothing, no appearance metafield, or the setting off THEN no points line", async () => {
    const list = [product(2)];
    expect(liquidEarning(program("IDR", { points: 0, perAmount: 100 }), "IDR")).toBeNull();
    expect(points(await cart([withList(1, list)], { earn: null }))).toEqual([]);
    expect(points(await cart([withList(1, list)]))).toEqual([]);
    const earn = liquidEarning(program("IDR", { points: 1, perAmount: 100 }), "IDR");
    expect(points(await cart([withList(1, list)], { earn, settings: { show_points: false } }))).toEqual([]);
  });

  test("GIVEN a campaign and a product multiplier THEN cards still show the base figure, what productPoints gives (the picked card's too)", async () => {
    const settings = program(
      "IDR",
      { points: 1, perAmount: 100_000 },
      {
        campaigns: [{ id: "c", name: "Double", multiplier: 2, startsAt: "2020-01-01T00:00:00Z", endsAt: "2099-01-01T00:00:00Z" }],
        multipliers: [{ id: "m", appliesTo: { type: "product", ids: ["2"] }, multiplier: 3 }],
      },
    );
    const html = await cart([withList(1, [product(2, { price: 12_500_000 })])], { earn: liquidEarning(settings, "IDR") });
    expect(points(html)).toEqual(["Earn 125 points"]);
    expect(productPoints(12_500_000, { productTags: [], collectionIds: [] }, settings)).toBe(125);
  });

  test("the product block shows the same points line", async () => {
    const earn = liquidEarning(program("USD", { points: 3, perAmount: 200 }), "USD");
    const { html } = await renderBlock(
      "also_bought",
      {
        product: product(1),
        shop: { metafields: { kembali: { best_sellers: { value: [product(2, { price: 1_999 })] }, appearance: { value: { earn } } } } },
        block: { id: "ab" },
      },
      { locale: "en", moneyFormat: "${{amount}}" },
    );
    expect(points(html)).toEqual(["Earn 29 points"]);
  });
});
