import { describe, expect, it } from "vitest";
import {
  DEFAULT_ACCENT,
  accentColour,
  assetUrl,
  chooseLang,
  linkUrl,
  localPath,
  readBalance,
  readConfig,
} from "../../../widget/src/config";

const attributes = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("accentColour", () => {
  it("accepts #rgb and #rrggbb", () => {
    expect(accentColour("#0F766E")).toBe("#0f766e");
    expect(accentColour("#fa0")).toBe("#fa0");
  });

  it.each(["", "red", "#abcd", "#12345g", "rgb(0,0,0)", "#fff;background:url(x)", "#ffffff}"])(
    "falls back to the default for %j",
    (value) => {
      expect(accentColour(value)).toBe(DEFAULT_ACCENT);
    },
  );
});

describe("the text colour on the accent (Liquid chooses it with color_contrast)", () => {
  it("takes a valid colour and falls back to white", () => {
    expect(readConfig(attributes({ "data-on-accent": "#1A1A1A" })).onAccent).toBe("#1a1a1a");
    expect(readConfig(attributes({ "data-on-accent": "#000;background:url(x)" })).onAccent).toBe("#fff");
  });
});

describe("chooseLang", () => {
  it.each(["id", "ID", "id-ID", "id_ID"])("reads %j as Indonesian", (locale) => {
    expect(chooseLang(locale)).toBe("id");
  });

  it.each(["", "en", "en-ID", "fr", "ind", "idx"])("reads %j as English", (locale) => {
    expect(chooseLang(locale)).toBe("en");
  });
});

describe("links", () => {
  it("keeps same-origin paths", () => {
    expect(localPath("/account/login", "/x")).toBe("/account/login");
    expect(linkUrl("/id/account/register", "/x")).toBe("/id/account/register");
  });

  it.each(["javascript:alert(1)", "//evil.example/login", "/\\evil.example", "data:text/html,hi", "account"])(
    "replaces %j with the fallback",
    (value) => {
      expect(localPath(value, "/account/login")).toBe("/account/login");
      expect(linkUrl(value, "/account/login")).toBe("/account/login");
    },
  );

  it("allows https links but keeps the proxy same-origin", () => {
    expect(linkUrl("https://shopify.com/1/account", "/x")).toBe("https://shopify.com/1/account");
    expect(localPath("https://shopify.com/1/account", "/x")).toBe("/x");
  });
});

describe("assetUrl", () => {
  it.each([
    "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-widget.css",
    "//cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-widget.css",
    "/demo/assets/kembali-widget.css",
  ])("links %j", (value) => {
    expect(assetUrl(value)).toBe(value);
  });

  it.each(["", "javascript:alert(1)", "http://cdn.example/x.css", "data:text/css,*{}", "///x.css", "kembali-widget.css"])(
    "links nothing for %j",
    (value) => {
      expect(assetUrl(value)).toBe("");
    },
  );
});

describe("readBalance", () => {
  it("reads a whole number of points", () => {
    expect(readBalance("1250")).toBe(1250);
    expect(readBalance("0")).toBe(0);
  });

  it.each(["", "-5", "12.5", "1,250", "abc"])("ignores %j", (value) => {
    expect(readBalance(value)).toBeNull();
  });
});

describe("readConfig", () => {
  it("reads every attribute", () => {
    const config = readConfig(
      attributes({
        "data-proxy": "/apps/kembali/",
        "data-locale": "id",
        "data-customer": "7",
        "data-balance": "1250",
        "data-currency": "idr",
        "data-accent": "#112233",
        "data-title": "<b>Poin</b>",
        "data-login-url": "/id/account/login",
        "data-register-url": "/id/account/register",
        "data-money-format": "Rp{{amount_no_decimals_with_comma_separator}}",
        "data-cart-url": "/id/cart",
        "data-css": "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-widget.css",
        "data-panel": "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-panel.js",
        "data-picked": "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-card-picked.js",
        "data-survey": "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-card-survey.js",
      }),
    );
    expect(config).toEqual({
      proxy: "/apps/kembali",
      lang: "id",
      customer: "7",
      balance: 1250,
      currency: "IDR",
      moneyFormat: "Rp{{amount_no_decimals_with_comma_separator}}",
      accent: "#112233",
      onAccent: "#fff",
      title: "<b>Poin</b>",
      loginUrl: "/id/account/login",
      registerUrl: "/id/account/register",
      cartUrl: "/id/cart",
      css: "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-widget.css",
      panel: "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-panel.js",
      picked: "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-card-picked.js",
      survey: "https://cdn.shopify.com/extensions/0a1b/1.0.0/assets/kembali-card-survey.js",
    });
  });

  it("uses safe defaults when the attributes are missing", () => {
    expect(readConfig(attributes({}))).toEqual({
      proxy: "/apps/kembali",
      lang: "en",
      customer: "",
      balance: null,
      currency: "",
      moneyFormat: "",
      accent: DEFAULT_ACCENT,
      onAccent: "#fff",
      title: "",
      loginUrl: "/account/login",
      registerUrl: "/account/register",
      cartUrl: "/cart",
      css: "",
      panel: "",
      picked: "",
      survey: "",
    });
  });

  it("never shows a balance to a guest", () => {
    expect(readConfig(attributes({ "data-balance": "900" })).balance).toBeNull();
  });

  it("loads the panel only from a path or an https asset URL, and leads to a same-origin cart", () => {
    expect(readConfig(attributes({ "data-panel": "javascript:alert(1)" })).panel).toBe("");
    expect(readConfig(attributes({ "data-picked": "javascript:alert(1)" })).picked).toBe("");
    expect(readConfig(attributes({ "data-survey": "javascript:alert(1)" })).survey).toBe("");
    expect(readConfig(attributes({ "data-panel": "http://cdn.example/kembali-panel.js" })).panel).toBe("");
    expect(readConfig(attributes({ "data-panel": "//cdn.shopify.com/x/kembali-panel.js" })).panel).toBe(
      "//cdn.shopify.com/x/kembali-panel.js",
    );
    expect(readConfig(attributes({ "data-cart-url": "https://evil.example/cart" })).cartUrl).toBe("/cart");
  });

  it("rejects a proxy on another origin", () => {
    expect(readConfig(attributes({ "data-proxy": "https://evil.example" })).proxy).toBe("/apps/kembali");
  });
});
