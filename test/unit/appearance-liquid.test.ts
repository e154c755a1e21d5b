// The app embed's Liquid, rendered with liquidjs (Shopify-compatible), against widgetLook(),
// the same rules in TypeScript that the demo storefront uses: the theme editor's setting when
// the merchant made one, else the app's kembali.appearance metafield, else the defaults; a
// storefront language that is not enabled gets the default language and its strings.
import { readFileSync } from "node:fs";
import { Liquid } from "liquidjs";
import { describe, expect, test } from "vitest";
import {
  appearanceMetafield,
  contrastRatio,
  parseAppearance,
  widgetLook,
  WIDGET_STRINGS,
  type AppearanceMetafield,
  type ThemeEditorSettings,
} from "~/domain/shop/appearance";
import { launcherLoader } from "~/demo/launcher-loader";

const source = readFileSync("extensions/kembali-theme/blocks/app_embed.liquid", "utf8").replace(
  /{%\s*schema\s*%}[\s\S]*{%\s*endschema\s*%}/,
  "",
);
const themeStrings = (locale: string) => WIDGET_STRINGS[/^id/i.test(locale) ? "id" : "en"];

const engine = new Liquid({ strictFilters: true });
let currentLocale = "en";
// Shopify's t filter: the storefront language's locale file, English for any other language.
engine.registerFilter("t", (key: string) => {
  const [section, name] = key.split(".");
  if (section !== "widget") throw new Error(`unexpected key ${key}`);
  return themeStrings(currentLocale)[name];
});
// Shopify's color_contrast: the WCAG contrast ratio of two colours.
engine.registerFilter("color_contrast", (a: string, b: string) => contrastRatio(a, b));
engine.registerFilter("asset_url", (name: string) => `//cdn.shopify.test/extensions/kembali/assets/${name}`);

const unescape = (s: string) =>
  s.replace(/&(?:(amp|lt|gt|quot)|#(\d+));/g, (_, name: string | undefined, code: string | undefined) =>
    name ? { amp: "&", lt: "<", gt: ">", quot: '"' }[name]! : String.fromCharCode(Number(code)),
  );

/** The app embed's HTML; `customer`: Liquid's customer object (null: a guest). */
async function renderHtml(
  storefrontLocale: string,
  theme: ThemeEditorSettings,
  metafield: AppearanceMetafield | null,
  customer: object | null = null,
) {
  currentLocale = storefrontLocale;
  return engine.parseAndRender(source, {
    request: { locale: { iso_code: storefrontLocale } },
    shop: {
      currency: "IDR",
      money_format: '<span class="money">Rp{{amount_no_decimals_with_comma_separator}}</span>',
      metafields: { kembali: metafield ? { appearance: { value: metafield } } : {} },
    },
    customer,
    routes: { account_login_url: "/account/login", account_register_url: "/account/register", cart_url: "/cart" },
    block: { settings: { position: theme.position ?? "app", accent: theme.accent ?? "", title: theme.title ?? "" } },
  });
}

async function renderEmbed(storefrontLocale: string, theme: ThemeEditorSettings, metafield: AppearanceMetafield | null) {
  const html = await renderHtml(storefrontLocale, theme, metafield);
  const attr = (name: string) => unescape(new RegExp(`${name}="([^"]*)"`).exec(html)![1]);
  const json = /<script type="application\/json" data-kembali-i18n>([\s\S]*?)<\/script>/.exec(html)![1];
  return {
    html,
    look: {
      locale: attr("data-locale"),
      position: attr("data-position"),
      accent: attr("data-accent"),
      onAccent: attr("data-on-accent"),
      title: attr("data-title"),
      strings: JSON.parse(json) as Record<string, string>,
    },
  };
}

const saved = (input: object) => appearanceMetafield(parseAppearance(input));

const cases: Array<[string, string, ThemeEditorSettings, AppearanceMetafield | null]> = [
  ["nothing set anywhere: the built-in defaults", "en", {}, null],
  ["nothing set, Indonesian storefront", "id", {}, null],
  ["nothing set, a language Kembali has no strings for", "fr", {}, null],
  [
    "the app's look in an enabled language",
    "id",
    {},
    saved({ position: "left", accent: "#112233", titles: { id: 'Poin <Kami> & "Anda"' }, defaultLanguage: "id" }),
  ],
  [
    "a storefront language not enabled: the default language and its strings",
    "fr",
    {},
    saved({ position: "left", accent: "#112233", titles: { id: "Poin Kami" }, languages: ["en", "id"], defaultLanguage: "id" }),
  ],
  ["English storefront, only Indonesian enabled", "en", {}, saved({ languages: ["id"], defaultLanguage: "id" })],
  [
    "Indonesian storefront, only English enabled, no titles",
    "id-ID",
    {},
    saved({ languages: ["en"], defaultLanguage: "en", accent: "#ABCDEF" }),
  ],
  [
    "the theme editor's settings override the app's",
    "en",
    { position: "right", accent: "#ff0000", title: "Club points" },
    saved({ position: "left", accent: "#112233", titles: { en: "Our rewards" } }),
  ],
  [
    "theme editor 'as set in the app' and an empty colour: the app's",
    "en",
    { position: "app", accent: "  ", title: "" },
    saved({ position: "left", accent: "#112233", titles: { en: "Our rewards" } }),
  ],
];

describe("app embed Liquid: theme editor, then the app's appearance, then defaults", () => {
  test.each(cases)("%s", async (_, storefrontLocale, theme, metafield) => {
    const { look } = await renderEmbed(storefrontLocale, theme, metafield);
    expect(look).toEqual(widgetLook({ storefrontLocale, theme, metafield, themeStrings: themeStrings(storefrontLocale) }));
  });

  test("GIVEN a storefront language not enabled THEN the widget gets the default language's strings and locale", async () => {
    const metafield = saved({ languages: ["id"], defaultLanguage: "id", titles: { id: "Poin Kami" } });
    const { look } = await renderEmbed("en", {}, metafield);
    expect(look.locale).toBe("id");
    expect(look.strings).toEqual(WIDGET_STRINGS.id);
    expect(look.title).toBe("Poin Kami");
  });

  test("GIVEN nothing set THEN the widget looks as before this setting existed", async () => {
    const { look } = await renderEmbed("en", {}, null);
    expect(look).toEqual({
      locale: "en",
      position: "right",
      accent: "#0f766e",
      onAccent: "#fff",
      title: WIDGET_STRINGS.en.title,
      strings: WIDGET_STRINGS.en,
    });
  });

  test("GIVEN a merchant title with markup THEN it is escaped in the attribute", async () => {
    const { html } = await renderEmbed("id", {}, saved({ titles: { id: '<img src=x onerror="alert(1)">' } }));
    const attribute = /data-title="([^"]*)"/.exec(html)![1];
    expect(attribute).toMatch(/^&lt;img src=x onerror=&(quot|#34);alert\(1\)&(quot|#34);&gt;$/);
    expect(html).not.toContain("<img");
  });

  test("GIVEN the shop's money format THEN the widget gets it as an escaped attribute, with the panel's asset URL and the cart", async () => {
    const { html } = await renderEmbed("en", {}, null);
    const attr = (name: string) => unescape(new RegExp(`${name}="([^"]*)"`).exec(html)![1]);
    expect(/data-money-format="([^"]*)"/.exec(html)![1]).not.toContain("<");
    expect(attr("data-money-format")).toBe('<span class="money">Rp{{amount_no_decimals_with_comma_separator}}</span>');
    expect(attr("data-panel")).toBe("//cdn.shopify.test/extensions/kembali/assets/kembali-panel.js");
    expect(attr("data-cart-url")).toBe("/cart");
  });

  test("GIVEN the app embed THEN its inline loader is the demo storefront's, with the launcher's asset URL, and the schema loads no script", async () => {
    const { html } = await renderEmbed("en", {}, null);
    const scripts = [...html.matchAll(/<script>[\s\S]*?<\/script>/g)].map((m) => m[0]);
    expect(scripts).toEqual([launcherLoader("//cdn.shopify.test/extensions/kembali/assets/kembali-widget.js")]);
    // A deferred script named by the schema would be fetched, and run, before DOMContentLoaded.
    const schema = JSON.parse(
      /{%\s*schema\s*%}([\s\S]*){%\s*endschema\s*%}/.exec(readFileSync("extensions/kembali-theme/blocks/app_embed.liquid", "utf8"))![1],
    );
    expect(schema.javascript).toBeUndefined();
  });

  test("GIVEN a customer in the holdout group THEN neither the widget nor its loader is rendered", async () => {
    const member = (holdout: boolean) => ({ id: 7001, metafields: { kembali: { balance: { value: 40 }, holdout: { value: holdout } } } });
    expect(await renderHtml("en", {}, null, member(false))).toContain(
      launcherLoader("//cdn.shopify.test/extensions/kembali/assets/kembali-widget.js"),
    );
    expect((await renderHtml("en", {}, null, member(true))).trim()).toBe("");
  });
});
