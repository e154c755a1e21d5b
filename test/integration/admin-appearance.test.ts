// Settings → Widget appearance, end to end on the database: saving (valid → stored and written
// to the shop's kembali.appearance metafield; invalid → field errors and nothing changes), the
// write retried until Shopify takes it, one shop never touching another, the preview page and
// the demo storefront following the saved look.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { config, TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { sessionStorage } from "~/shopify.server";
import { ensureShop, saveEarningRate } from "~/domain/shop/shops";
import { defaultSettings } from "~/domain/earning/program";
import { createReward } from "~/domain/rewards/rewards";
import {
  appearanceMetafield,
  DEFAULT_APPEARANCE,
  liquidEarning,
  loadAppearance,
  parseAppearance,
  refreshAppearanceDigests,
  saveAppearance,
  syncAppearance,
  WIDGET_STRINGS,
} from "~/domain/shop/appearance";
import type { ShopifyAdmin } from "~/shopify/admin/port";
import { localShopify, shopifyFor } from "~/shopify/shopify-for.server";
import { action as save } from "~/routes/app.appearance";
import { loader as settings } from "~/routes/app.settings/route";
import { loader as preview } from "~/routes/app.appearance-preview";
import { loader as asset } from "~/routes/widget-assets.$file";
import { storefrontPage } from "~/demo/storefront.server";
import { newShopDomain, routeArgs } from "../helpers";

const ORIGIN = "http://127.0.0.1:3000";
const clock = () => new Date();

async function adminShop() {
  const shop = newShopDomain();
  await ensureShop(prisma, shop, "IDR");
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const post = async (fields: Record<string, string | string[]>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    const request = await setUpValidRequest(
      { type: RequestType.Bearer, ...creds },
      new Request(`${ORIGIN}/app/appearance`, { method: "POST", body }),
    );
    return save(routeArgs(request));
  };
  const page = async (path: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`${ORIGIN}${path}`));
  return {
    shop,
    post,
    settings: async () => settings(routeArgs(await page("/app/settings"))),
    preview: async () => (await preview(routeArgs(await page("/app/appearance-preview?locale=id")))) as Response,
    metafield: () => {
      const json = localShopify(shop).state.shopMetafields["kembali.appearance"];
      return json === undefined ? undefined : JSON.parse(json);
    },
    row: () => prisma.shop.findUniqueOrThrow({ where: { domain: shop } }),
  };
}

const VALID = {
  position: "left",
  accent: "#AA3300",
  titleEn: "  Kopi points ",
  titleId: "Poin Kopi",
  languages: ["en", "id"],
  defaultLanguage: "id",
};

describe("saving the appearance", () => {
  test("GIVEN valid values THEN they are stored and written to the shop's metafield at once", async () => {
    const s = await adminShop();
    expect((await s.settings()).appearance).toMatchObject({
      form: { position: "right", accent: "#0f766e", languages: ["en", "id"] },
      syncPending: false,
    });
    expect(s.metafield()).toBeUndefined();

    expect(await s.post(VALID)).toEqual({ ok: true, fields: {}, syncPending: false });
    const stored = (await loadAppearance({ db: prisma }, s.shop)).appearance;
    expect(stored).toEqual({
      position: "left",
      accent: "#aa3300",
      titles: { en: "Kopi points", id: "Poin Kopi" },
      languages: ["en", "id"],
      defaultLanguage: "id",
    });
    const program = { settings: defaultSettings("IDR"), currency: "IDR" };
    expect(s.metafield()).toEqual({ ...appearanceMetafield(stored, program), strings: WIDGET_STRINGS.id });
    // The recommendation blocks' points: the default 1 point per Rp1 is 1 point per 100 of Liquid's hundredths.
    expect(s.metafield().earn).toEqual({ points: 1, per: 100, skipTags: [], skipCollections: [] });
    expect((await s.settings()).appearance.form).toMatchObject({ position: "left", accent: "#aa3300", titleEn: "Kopi points" });
  });

  test.each([
    ["a colour that is not #rrggbb", { accent: "red" }, ["accent"]],
    ["a short colour", { accent: "#abc" }, ["accent"]],
    ["a title over 40 characters", { titleId: "x".repeat(41) }, ["titleId"]],
    ["no language", { languages: [] }, ["languages"]],
    ["a default language not offered", { languages: ["en"], defaultLanguage: "id" }, ["defaultLanguage"]],
    ["an unknown position and language", { position: "top", languages: ["en", "fr"] }, ["position", "languages"]],
  ])("GIVEN %s THEN the field is marked and nothing changes", async (_, change, fields) => {
    const s = await adminShop();
    await s.post(VALID);
    const before = await s.row();
    const written = s.metafield();

    const result = await s.post({ ...VALID, accent: "#123456", ...change });
    expect(result.ok).toBe(false);
    expect(Object.keys(result.fields).sort()).toEqual([...fields].sort());
    for (const key of Object.values(result.fields)) expect(key).toMatch(/^appearance\.error\./);
    expect(await s.row()).toEqual(before);
    expect(s.metafield()).toEqual(written);
  });

  test("GIVEN blank titles THEN they are stored as 'use the translated default'", async () => {
    const s = await adminShop();
    await s.post({ ...VALID, titleEn: "   ", titleId: "" });
    expect((await loadAppearance({ db: prisma }, s.shop)).appearance.titles).toEqual({ en: null, id: null });
    expect(s.metafield().titles).toEqual({});
  });

  test("GIVEN two shops WHEN one saves THEN the other's appearance and metafield stay as they were", async () => {
    const a = await adminShop();
    const b = await adminShop();
    await a.post(VALID);
    expect((await loadAppearance({ db: prisma }, b.shop)).appearance).toEqual(DEFAULT_APPEARANCE);
    expect(b.metafield()).toBeUndefined();
    expect((await b.row()).appearanceDigest).toBeNull();
  });

  test("GIVEN stored data from before a field existed, or unreadable THEN it reads as the defaults for what is missing", async () => {
    const s = await adminShop();
    await prisma.shop.update({ where: { domain: s.shop }, data: { appearance: { accent: "#112233" } } });
    expect((await loadAppearance({ db: prisma }, s.shop)).appearance).toEqual({ ...DEFAULT_APPEARANCE, accent: "#112233" });
    await prisma.shop.update({ where: { domain: s.shop }, data: { appearance: { accent: 42 } } });
    expect((await loadAppearance({ db: prisma }, s.shop)).appearance).toEqual(DEFAULT_APPEARANCE);
  });
});

describe("writing the metafield: retried, never lost", () => {
  test("GIVEN Shopify refuses the write WHEN saving THEN it is saved, shown as pending, and the background work writes it later", async () => {
    const s = await adminShop();
    localShopify(s.shop).rejectNext("Internal error");
    expect(await s.post(VALID)).toEqual({ ok: true, fields: {}, syncPending: true });
    expect(s.metafield()).toBeUndefined();
    expect((await s.settings()).appearance.syncPending).toBe(true);

    expect(await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop })).toEqual({ written: 1, failed: [] });
    expect(s.metafield()).toMatchObject({ position: "left", accent: "#aa3300" });
    expect((await s.settings()).appearance.syncPending).toBe(false);
    // Nothing left to write: a second run does nothing.
    expect(await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop })).toEqual({ written: 0, failed: [] });
  });

  test("GIVEN another server holds the write lease THEN this one skips the shop until the lease ends", async () => {
    const s = await adminShop();
    await saveAppearance({ db: prisma }, s.shop, parseAppearance({ accent: "#010203" }));
    await prisma.shop.update({ where: { domain: s.shop }, data: { appearanceLockedUntil: new Date(Date.now() + 60_000) } });
    expect(await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop })).toEqual({ written: 0, failed: [] });
    expect(s.metafield()).toBeUndefined();
    const later = () => new Date(Date.now() + 10 * 60_000);
    expect((await syncAppearance({ db: prisma, clock: later, shopifyFor }, { shopDomain: s.shop })).written).toBe(1);
    expect(s.metafield().accent).toBe("#010203");
  });

  test("GIVEN the merchant saves again while a write is on its way THEN the newer appearance ends up in Shopify", async () => {
    const s = await adminShop();
    await saveAppearance({ db: prisma }, s.shop, { accent: "#111111" });
    let saved = false;
    const slowShopify = async (shop: string): Promise<ShopifyAdmin> => {
      const real = localShopify(shop);
      return {
        ...real,
        async setAppearanceMetafield(value) {
          if (!saved) {
            saved = true;
            await saveAppearance({ db: prisma }, s.shop, { accent: "#222222" });
          }
          await real.setAppearanceMetafield(value);
        },
      };
    };
    await syncAppearance({ db: prisma, clock, shopifyFor: slowShopify }, { shopDomain: s.shop });
    expect(s.metafield().accent).toBe("#111111");
    expect((await loadAppearance({ db: prisma }, s.shop)).syncPending).toBe(true);
    await syncAppearance({ db: prisma, clock, shopifyFor: slowShopify }, { shopDomain: s.shop });
    expect(s.metafield().accent).toBe("#222222");
    expect((await loadAppearance({ db: prisma }, s.shop)).syncPending).toBe(false);
  });

  test("GIVEN a deploy changed the widget's strings THEN the hourly check marks the shop and the metafield is written again", async () => {
    const s = await adminShop();
    await s.post(VALID);
    // As if the last write carried older strings.
    await prisma.shop.update({ where: { domain: s.shop }, data: { appearanceDigest: "old", appearanceSyncedDigest: "old" } });
    localShopify(s.shop).state.shopMetafields["kembali.appearance"] = JSON.stringify({ strings: { title: "Old" } });
    expect(await refreshAppearanceDigests({ db: prisma })).toBeGreaterThanOrEqual(1);
    await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop });
    expect(s.metafield().strings).toEqual(WIDGET_STRINGS.id);
    expect((await loadAppearance({ db: prisma }, s.shop)).syncPending).toBe(false);
  });
});

describe("the earning rate in the metafield", () => {
  test("GIVEN the merchant changes the earning rate THEN the metafield is marked stale and written again with the new rate", async () => {
    const s = await adminShop();
    await s.post(VALID);
    expect(s.metafield().earn).toMatchObject({ points: 1, per: 100 });
    await saveEarningRate(prisma, s.shop, { points: "5", perAmount: "10000" });
    expect((await loadAppearance({ db: prisma }, s.shop)).syncPending).toBe(true);
    await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop });
    // 5 points per Rp10.000 (1,000,000 minor units): Liquid price × 5 / 1,000,000, reduced.
    expect(s.metafield().earn).toEqual({ points: 1, per: 200_000, skipTags: [], skipCollections: [] });
    expect((await loadAppearance({ db: prisma }, s.shop)).syncPending).toBe(false);
  });

  test("GIVEN a shop that never saved an appearance WHEN its program changes THEN the defaults are written, with the rate", async () => {
    const s = await adminShop();
    expect(s.metafield()).toBeUndefined();
    await saveEarningRate(prisma, s.shop, { points: "2", perAmount: "1000" });
    await syncAppearance({ db: prisma, clock, shopifyFor }, { shopDomain: s.shop });
    expect(s.metafield()).toMatchObject({
      position: "right",
      earn: liquidEarning(
        { ...defaultSettings("IDR"), earning: { ...defaultSettings("IDR").earning, points: 2, perAmount: 100_000 } },
        "IDR",
      ),
    });
  });
});

describe("the live preview page", () => {
  test("GIVEN a shop's rewards and saved look THEN the preview shows them, labelled, with merchant text escaped, and no other shop's", async () => {
    const a = await adminShop();
    const b = await adminShop();
    const reward = (name: string, pointsCost: number) => ({
      name,
      type: "fixed_amount",
      pointsCost,
      value: 2_500_000,
      variantId: null,
      minimumSubtotal: null,
      validityDays: 30,
      combinesWithOrder: false,
      combinesWithProduct: false,
      combinesWithShipping: true,
    });
    await createReward({ db: prisma }, a.shop, reward("Diskon </script><script>alert(1)</script>", 300));
    await createReward({ db: prisma }, a.shop, reward("Gratis kopi", 900));
    await createReward({ db: prisma }, b.shop, reward("Other shop's reward", 100));
    await a.post({ ...VALID, titleId: "Poin <b>Kopi</b>" });

    const res = await a.preview();
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toBe(`frame-ancestors 'self' https://${a.shop} https://admin.shopify.com`);
    const html = await res.text();
    expect(html).toContain('data-testid="preview-label"><strong>Pratinjau</strong>Contoh anggota dengan 300 poin');
    expect(html).toContain("<title>Pratinjau</title>");
    expect(html).not.toContain("</script><script>alert(1)");
    expect(html).not.toContain("<b>Kopi");
    expect(html).not.toContain("Other shop");
    expect(html).toContain('<script src="/widget-assets/kembali-widget.js" defer></script>');

    const data = JSON.parse(/<script type="application\/json" id="kembali-preview">([\s\S]*?)<\/script>/.exec(html)![1]);
    expect(data.state.rewards.map((r: { name: string; available: boolean }) => [r.name, r.available])).toEqual([
      ["Diskon </script><script>alert(1)</script>", true],
      ["Gratis kopi", false],
    ]);
    expect(data.state.customer).toMatchObject({ balance: 300, history: [], redemptions: [] });
    expect(data.appearance).toMatchObject({ position: "left", accent: "#aa3300", titles: { id: "Poin <b>Kopi</b>" } });
    expect(data.language).toBe("id");
    expect(data.strings).toEqual(WIDGET_STRINGS);
  });

  test("GIVEN no admin session token THEN the preview is not served", async () => {
    const res = await preview(routeArgs(new Request(`${ORIGIN}/app/appearance-preview`))).catch((r: Response) => r);
    expect(res.status).not.toBe(200);
    expect(res.status).toBeGreaterThanOrEqual(300);
  });

  test("GIVEN the settings page THEN the preview frame's address carries the shop and a valid host for the admin", async () => {
    const s = await adminShop();
    const { previewUrl, needsToken } = (await s.settings()).appearance;
    const url = new URL(previewUrl, ORIGIN);
    expect(needsToken).toBe(true);
    expect(url.pathname).toBe("/app/appearance-preview");
    expect(url.searchParams.get("shop")).toBe(s.shop);
    expect(url.searchParams.get("embedded")).toBe("1");
    expect(Buffer.from(url.searchParams.get("host")!, "base64").toString()).toBe(
      `admin.shopify.com/store/${s.shop.replace(".myshopify.com", "")}`,
    );
  });

  test("GIVEN the widget asset route THEN it serves the built script and stylesheet and nothing else", async () => {
    const js = await asset({
      ...routeArgs(new Request(`${ORIGIN}/widget-assets/kembali-widget.js`)),
      params: { file: "kembali-widget.js" },
    });
    expect(js.status).toBe(200);
    expect(js.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    for (const file of ["../../package.json", "..%2Fpackage.json", "kembali-widget.liquid", ".env"]) {
      const res = await asset({ ...routeArgs(new Request(`${ORIGIN}/widget-assets/x`)), params: { file } });
      expect(res.status).toBe(404);
    }
  });
});

describe("the demo storefront", () => {
  test("GIVEN the demo shop's saved appearance in the demo Shopify THEN the storefront's widget carries it, as the app embed would", async () => {
    await ensureShop(prisma, config.demoShop, "IDR");
    const store = localShopify(config.demoShop);
    const before = store.state.shopMetafields["kembali.appearance"];
    try {
      const metafield = appearanceMetafield(
        parseAppearance({ position: "left", accent: "#334455", titles: { en: "Kopi <club>" }, languages: ["id"], defaultLanguage: "id" }),
      );
      await store.setAppearanceMetafield(metafield);
      const html = await (await storefrontPage(new Request(`${ORIGIN}/demo/store?locale=en`))).text();
      expect(html).toContain('data-position="left"');
      expect(html).toContain('data-accent="#334455"');
      // English is not enabled: the default language, its strings and title.
      expect(html).toContain('data-locale="id"');
      expect(html).toContain(`data-title="${WIDGET_STRINGS.id.title}"`);
      expect(html).toContain(JSON.stringify(WIDGET_STRINGS.id).replace(/</g, "\\u003c"));

      await store.setAppearanceMetafield(appearanceMetafield(parseAppearance({ titles: { en: "Kopi <club>" } })));
      const english = await (await storefrontPage(new Request(`${ORIGIN}/demo/store?locale=en`))).text();
      expect(english).toContain('data-title="Kopi &lt;club&gt;"');
      expect(english).toContain('data-position="right"');
    } finally {
      if (before === undefined) delete store.state.shopMetafields["kembali.appearance"];
      else store.state.shopMetafields["kembali.appearance"] = before;
    }
  });
});
