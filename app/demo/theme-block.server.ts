// Renders a theme app extension block's real Liquid file for the demo storefront, with
// liquidjs and the few Shopify filters our blocks use (t, money, image_url, image_tag), with the
// extension's snippets/ for the render tag.
// Unknown filters are an error, so a block that starts using another Shopify filter fails
// here (and in its test) instead of rendering something Shopify would not.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Liquid } from "liquidjs";
import { fillMoneyFormat } from "../../common/money";

const EXTENSION = path.resolve("extensions/kembali-theme");

/** A product as Liquid's product object shows it (the fields our blocks read). */
export interface LiquidProduct {
  id: number;
  title: string;
  url: string;
  /** Minor units of the shop currency, as Shopify's product.price. */
  price: number;
  available: boolean;
  tags: string[];
  collections: Array<{ id: number }>;
  featured_image: LiquidImage | null;
  metafields: Record<string, Record<string, { value: unknown }>>;
}

/** A cart line as Liquid's line_item shows it (the fields our blocks read). */
export interface LiquidCartItem {
  product_id: number;
  quantity: number;
  product: LiquidProduct;
}

/** Liquid's cart object (the fields our blocks read). */
export interface LiquidCart {
  item_count: number;
  items: LiquidCartItem[];
}

export interface LiquidImage {
  src: string;
  width: number;
  height: number;
  alt: string | null;
}

export interface BlockScope {
  product: LiquidProduct | null;
  cart?: LiquidCart;
  shop: { metafields: Record<string, Record<string, { value: unknown }>> };
  block: { id: string; settings?: Record<string, unknown> };
}

export interface RenderOptions {
  locale: "en" | "id";
  /** The shop's money format, e.g. "Rp{{amount_no_decimals_with_comma_separator}}". */
  moneyFormat: string;
}

interface BlockFile {
  template: string;
  schema: { settings?: Array<{ id: string; default?: unknown }>; stylesheet?: string };
}

/** A block file split into its Liquid and its {% schema %} JSON. */
export async function readBlock(name: string): Promise<BlockFile> {
  const source = await readFile(path.join(EXTENSION, "blocks", `${name}.liquid`), "utf8");
  const schema = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!schema) throw new Error(`blocks/${name}.liquid has no schema`);
  return { template: source.replace(schema[0], ""), schema: JSON.parse(schema[1]) };
}

async function localeFile(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(EXTENSION, "locales", file), "utf8"));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Liquid's money filter: Shopify's amounts in Liquid are hundredths of the currency for every
 * currency, filled into the shop's money format by the same code the widget uses.
 */
export function formatShopMoney(cents: number, moneyFormat: string): string {
  return fillMoneyFormat(moneyFormat, { amount: cents, currency: "XXX" });
}

/** What image_url hands to image_tag in Shopify: a URL that still knows its image. */
class ImageUrl {
  constructor(
    readonly image: LiquidImage,
    readonly width: number,
  ) {}
  toString() {
    return this.image.src;
  }
}

const kwargs = (args: unknown[]) => Object.fromEntries(args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2));

const lookup = (strings: Record<string, unknown>, key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], strings);

function engine(strings: Array<Record<string, unknown>>, options: RenderOptions): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    root: [path.join(EXTENSION, "snippets")],
    extname: ".liquid",
  });
  const plural = new Intl.PluralRules(options.locale);
  liquid.registerFilter("t", (key: string, ...args: unknown[]) => {
    const values = kwargs(args);
    const count = values.count;
    // The shopper's language, then the default locale, as Shopify falls back; with `count`, the
    // plural form the language uses for it (one/other), else `other`.
    const pick = (node: unknown) => {
      if (typeof node === "string" || count === undefined || typeof node !== "object" || node === null) return node;
      const forms = node as Record<string, unknown>;
      return forms[plural.select(Number(count))] ?? forms.other;
    };
    const text = strings.map((s) => pick(lookup(s, String(key)))).find((t) => typeof t === "string");
    // Shopify's t filter escapes the translation and fills {{ name }} from the arguments; a
    // missing key shows as Shopify shows it.
    if (typeof text !== "string") return `translation missing: ${options.locale}.${key}`;
    return escapeHtml(text).replace(/{{\s*(\w+)\s*}}/g, (whole, name: string) =>
      name in values ? escapeHtml(String(values[name])) : whole,
    );
  });
  liquid.registerFilter("money", (cents: unknown) => formatShopMoney(Number(cents), options.moneyFormat));
  liquid.registerFilter("image_url", (image: LiquidImage, ...args: unknown[]) => {
    const { width } = kwargs(args);
    return new ImageUrl(image, Math.min(Number(width ?? image.width), image.width));
  });
  liquid.registerFilter("image_tag", (url: ImageUrl, ...args: unknown[]) => {
    const { alt, class: className, loading, sizes } = kwargs(args) as Record<string, string | undefined>;
    const height = Math.round((url.width * url.image.height) / url.image.width);
    const attributes: Array<[string, string | number | undefined]> = [
      ["src", url.image.src],
      ["alt", alt ?? url.image.alt ?? ""],
      ["width", url.width],
      ["height", height],
      ["loading", loading],
      ["sizes", sizes],
      ["class", className],
    ];
    const rendered = attributes
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}="${escapeHtml(String(value))}"`)
      .join(" ");
    return `<img ${rendered}>`;
  });
  return liquid;
}

/** The block's HTML and the stylesheet its schema asks Shopify to load (null: none). */
export async function renderBlock(
  name: string,
  scope: BlockScope,
  options: RenderOptions,
): Promise<{ html: string; stylesheet: string | null }> {
  const { template, schema } = await readBlock(name);
  const defaults = Object.fromEntries((schema.settings ?? []).map((s) => [s.id, s.default]));
  const block = { id: scope.block.id, shopify_attributes: "", settings: { ...defaults, ...scope.block.settings } };
  const fallback = await localeFile("en.default.json");
  const strings = options.locale === "id" ? [await localeFile("id.json"), fallback] : [fallback];
  const html = await engine(strings, options).parseAndRender(template, { ...scope, block });
  return { html: html.trim(), stylesheet: schema.stylesheet ?? null };
}
