// The "Customers also bought" block's real Liquid (blocks/also_bought.liquid), rendered with
// the demo's Liquid engine: what a shopper sees for the metafields the app writes.
import { describe, expect, test } from "vitest";
import { formatShopMoney, readBlock, renderBlock, type LiquidProduct } from "~/demo/theme-block.server";

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
    featured_image: { src: `https://cdn.example/kopi-${id}.jpg`, width: 1200, height: 800, alt: null },
    metafields: {},
    ...overrides,
  };
}

async function render(
  opts: {
    current?: LiquidProduct;
    bestSellers?: Array<LiquidProduct | null>;
    settings?: Record<string, unknown>;
    locale?: "en" | "id";
  } = {},
) {
  const { html } = await renderBlock(
    "also_bought",
    {
      product: opts.current ?? product(1),
      shop: { metafields: { kembali: { best_sellers: { value: opts.bestSellers ?? [] } } } },
      block: { id: "AbC123", settings: opts.settings },
    },
    { locale: opts.locale ?? "en", moneyFormat: IDR },
  );
  return html;
}

const titles = (html: string) => [...html.matchAll(/class="kembali-ab__title">([^<]*)</g)].map((m) => m[1]);

describe("Customers also bought block", () => {
  test("GIVEN best sellers THEN cards show in their order, without the product on the page, as many as the setting says", async () => {
    const best = [2, 1, 3, 4, 5, 6].map((id) => product(id));
    const html = await render({ current: product(1), bestSellers: best });
    expect(titles(html)).toEqual(["Kopi 2", "Kopi 3", "Kopi 4", "Kopi 5"]);
    expect(html).toContain(">Customers also bought</h2>");
    expect(titles(await render({ current: product(1), bestSellers: best, settings: { count: 2 } }))).toEqual(["Kopi 2", "Kopi 3"]);
  });

  test("GIVEN a card THEN it links to the product, with a lazy image of known size and the price in the shop's money format", async () => {
    const html = await render({ bestSellers: [product(2, { price: 4_500_000 })] });
    expect(html).toContain('<a class="kembali-ab__link" href="/products/kopi-2?kembali_rec=product">');
    expect(html).toMatch(/<img src="https:\/\/cdn\.example\/kopi-2\.jpg" alt="Kopi 2" width="600" height="400" loading="lazy"/);
    expect(html).toContain('<span class="kembali-ab__price">Rp45.000</span>');
    expect(html).not.toContain("kembali-ab__sold-out");
  });

  test("GIVEN the product's own also_bought metafield THEN it is shown instead of the best sellers", async () => {
    const current = product(1, { metafields: { kembali: { also_bought: { value: [product(7), product(8)] } } } });
    expect(titles(await render({ current, bestSellers: [product(2), product(3)] }))).toEqual(["Kopi 7", "Kopi 8"]);
  });

  test("GIVEN nothing to show THEN nothing is rendered, not an empty box", async () => {
    expect(await render({ bestSellers: [] })).toBe("");
    expect(await render({ current: product(1), bestSellers: [product(1), null] })).toBe("");
    const { html } = await renderBlock(
      "also_bought",
      { product: product(1), shop: { metafields: {} }, block: { id: "x" } },
      { locale: "en", moneyFormat: IDR },
    );
    expect(html).toBe("");
  });

  test("GIVEN a deleted product in the list THEN it is skipped", async () => {
    expect(titles(await render({ bestSellers: [null, product(2), null, product(3)] }))).toEqual(["Kopi 2", "Kopi 3"]);
  });

  test("GIVEN a sold-out product among the best sellers THEN it is not shown and the next one takes its place", async () => {
    const best = [product(2, { available: false }), product(3), product(4)];
    expect(titles(await render({ bestSellers: best, settings: { count: 2 } }))).toEqual(["Kopi 3", "Kopi 4"]);
    expect(await render({ bestSellers: [product(2, { available: false })] })).toBe("");
    const id = await render({ bestSellers: best, locale: "id" });
    expect(id).toContain(">Pelanggan juga membeli</h2>");
    expect(titles(id)).toEqual(["Kopi 3", "Kopi 4"]);
  });

  test("GIVEN a product URL that already has a query THEN the click marker is added with &", async () => {
    const html = await render({ bestSellers: [product(2, { url: "/products/kopi-2?variant=5" })] });
    expect(html).toContain('href="/products/kopi-2?variant=5&kembali_rec=product"');
  });

  test("GIVEN the merchant's settings THEN heading, price, columns and colours follow them", async () => {
    const html = await render({
      bestSellers: [product(2)],
      settings: {
        heading: "  Teman kopi  ",
        show_price: false,
        columns: 3,
        text_color: "#111111",
        background: "#fefefe",
        alignment: "center",
      },
    });
    expect(html).toContain(">Teman kopi</h2>");
    expect(html).not.toContain("kembali-ab__price");
    expect(html).toContain('class="kembali-ab kembali-ab--center"');
    expect(html).toContain(
      'style="--kembali-ab-columns: 3; --kembali-ab-text: #111111; --kembali-ab-background: #fefefe; --kembali-ab-accent: #0f766e;"',
    );
    // Unset colours are left out, so the theme's show through.
    expect(await render({ bestSellers: [product(2)] })).toContain('style="--kembali-ab-columns: 4; --kembali-ab-accent: #0f766e;"');
  });

  test("GIVEN merchant text with markup THEN it is shown as text", async () => {
    const html = await render({
      bestSellers: [product(2, { title: `<img src=x onerror="alert(1)">` })],
      settings: { heading: `<script>alert("hi")</script>` },
    });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toMatch(/>&lt;script&gt;alert\((&quot;|&#34;)hi(&quot;|&#34;)\)&lt;\/script&gt;<\/h2>/);
    expect(html).toContain('class="kembali-ab__title">&lt;img src=x');
  });

  test("GIVEN a product without an image THEN the card keeps a square placeholder, not a broken image", async () => {
    const html = await render({ bestSellers: [product(2, { featured_image: null })] });
    expect(html).toContain("kembali-ab__image--none");
    expect(html).not.toContain("<img");
  });

  test("the schema: a section block on product pages, its stylesheet, the settings the theme editor shows", async () => {
    const { schema } = await readBlock("also_bought");
    expect(schema).toMatchObject({ target: "section", stylesheet: "kembali-also-bought.css", enabled_on: { templates: ["product"] } });
    expect((schema.settings ?? []).map((s) => s.id)).toEqual([
      "heading",
      "alignment",
      "count",
      "columns",
      "show_price",
      "show_points",
      "text_color",
      "background",
      "accent",
    ]);
  });
});

describe("Shopify money formats", () => {
  test("IDR without a minor unit, and the usual separators", () => {
    expect(formatShopMoney(12_500_000, IDR)).toBe("Rp125.000");
    expect(formatShopMoney(113_465, "${{amount}}")).toBe("$1,134.65");
    expect(formatShopMoney(113_465, "{{ amount_no_decimals }} kr")).toBe("1,135 kr");
    expect(formatShopMoney(113_465, "€{{amount_with_comma_separator}}")).toBe("€1.134,65");
    expect(formatShopMoney(0, IDR)).toBe("Rp0");
  });
});
