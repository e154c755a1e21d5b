// The first-run onboarding through its real loader and action (embedded-admin requests signed
// for the shop): each step saves through the program and rewards domains, bad input changes
// nothing, and only an unfinished shop is sent here from the home page.
import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop, installShop } from "~/domain/shop/shops";
import { localShopify } from "~/shopify/shopify-for.server";
import { action, loader } from "~/routes/app.onboarding/route";
import { loader as home } from "~/routes/app._index/route";
import { newShopDomain, routeArgs } from "../helpers";

const embed = (on: boolean) =>
  JSON.stringify({ current: { blocks: { "1": { type: "shopify://apps/kembali/blocks/app_embed/abc", disabled: !on } } } });

/** A shop installed as afterAuth installs it; `{ installed: false }`: only a webhook's row. */
async function newShop(currency = "IDR", { installed = true } = {}) {
  const shop = newShopDomain();
  if (installed) await installShop(prisma, shop, { name: "Toko Baru", currencyCode: currency }, new Date());
  else await ensureShop(prisma, shop, currency);
  await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
  const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
  const get = async (path: string) => setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request(`http://127.0.0.1:3000${path}`));
  return {
    shop,
    load: async (query = "") => loader(routeArgs(await get(`/app/onboarding${query}`))),
    home: async () => home(routeArgs(await get("/app"))).catch((r: Response) => r),
    post: async (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      const request = await setUpValidRequest(
        { type: RequestType.Bearer, ...creds },
        new Request("http://127.0.0.1:3000/app/onboarding", { method: "POST", body }),
      );
      return action(routeArgs(request)).catch((r: Response) => r);
    },
    row: () => prisma.shop.findUniqueOrThrow({ where: { domain: shop } }),
    rewards: () => prisma.reward.findMany({ where: { shop: { domain: shop } }, orderBy: { pointsCost: "asc" } }),
  };
}

/** "302 /app/onboarding?step=2": where a redirect goes (the embedded admin's own parameters left out). */
function location(result: unknown): string {
  if (!(result instanceof Response)) throw new Error(`Expected a redirect, got ${JSON.stringify(result)}`);
  const to = new URL(result.headers.get("Location")!);
  return `${result.status} ${to.pathname}${to.searchParams.has("step") ? `?step=${to.searchParams.get("step")}` : ""}`;
}

/** The default rows of step 2, as the browser submits them. */
const rows = (overrides: Record<string, string> = {}) => ({
  intent: "rewards",
  "rewards.0.include": "true",
  "rewards.0.type": "fixed_amount",
  "rewards.0.name": "Rp5.000 off",
  "rewards.0.pointsCost": "100",
  "rewards.0.value": "5000",
  "rewards.1.include": "true",
  "rewards.1.type": "free_shipping",
  "rewards.1.name": "Free shipping",
  "rewards.1.pointsCost": "200",
  "rewards.1.value": "",
  "rewards.2.type": "percentage",
  "rewards.2.name": "10% off",
  "rewards.2.pointsCost": "200",
  "rewards.2.value": "10",
  ...overrides,
});

describe("onboarding", () => {
  test("GIVEN a new IDR shop THEN home sends it to onboarding, prefilled with 1 point per Rp20.000 (near a US dollar) and rewards worth 5 % back", async () => {
    const s = await newShop("IDR");
    expect(location(await s.home())).toBe("302 /app/onboarding");
    const page = await s.load();
    expect(page).toMatchObject({ step: 1, onboarded: false, currency: "IDR" });
    expect(page.form.earning).toMatchObject({ points: "1", perAmount: "20000" });
    expect(page.form.redemption.pointValue).toBe("1000");
    expect(page.suggestion).toEqual({ perAmount: 2_000_000, nearDollar: true });
    expect(page.rewards.map((r) => [r.type, r.pointsCost, r.value])).toEqual([
      ["fixed_amount", "100", "100000"],
      ["free_shipping", "200", ""],
      ["percentage", "200", "10"],
    ]);
    expect(page.rewards[0].name).toMatch(/^IDR\s?100,000 off$/);
    // Nothing is written by looking: the saved program is still the install default.
    expect((await s.row()).settings).toMatchObject({ earning: { points: 1, perAmount: 100 } });
  });

  test("GIVEN step 1 with bad values THEN field errors and nothing saved; with good values THEN saved and on to step 2", async () => {
    const s = await newShop("USD");
    const before = await s.row();
    const bad = await s.post({
      intent: "earning",
      "earning.points": "abc",
      "earning.perAmount": "0",
      "earning.pendingDays": "30",
      "redemption.pointValue": "0.05",
    });
    expect(bad).toEqual({
      ok: false,
      intent: "earning",
      fields: { "earning.points": "program.error.points", "earning.perAmount": "program.error.perAmount" },
    });
    const unchanged = await s.row();
    expect([unchanged.settings, unchanged.onboardingStep]).toEqual([before.settings, 1]);

    const good = await s.post({
      intent: "earning",
      "earning.points": "2",
      "earning.perAmount": "1.50",
      "earning.pendingDays": "14",
      "redemption.pointValue": "0.05",
    });
    expect(location(good)).toBe("302 /app/onboarding?step=2");
    const saved = await s.row();
    expect(saved.settings).toMatchObject({ earning: { points: 2, perAmount: 150, pendingDays: 14 }, redemption: { pointValue: 5 } });
    expect(saved.onboardingStep).toBe(2);
    // Back on step 1 the merchant sees what they saved, not the defaults again.
    expect((await s.load("?step=1")).form.earning).toMatchObject({ points: "2", perAmount: "1.5" });
  });

  test("GIVEN step 2 with one bad row THEN no reward at all is created; fixed THEN the ticked ones are, once", async () => {
    const s = await newShop("IDR");
    const bad = await s.post(rows({ "rewards.0.pointsCost": "0", "rewards.2.include": "true", "rewards.2.value": "150" }));
    expect(bad).toEqual({
      ok: false,
      intent: "rewards",
      fields: { "rewards.0.pointsCost": "reward.error.pointsCost", "rewards.2.value": "reward.error.percent" },
    });
    expect(await s.rewards()).toEqual([]);
    expect((await s.row()).onboardingStep).toBe(1);

    expect(location(await s.post(rows()))).toBe("302 /app/onboarding?step=3");
    const created = await s.rewards();
    expect(created.map((r) => [r.name, r.type, r.pointsCost, r.value, r.active])).toEqual([
      ["Rp5.000 off", "fixed_amount", 100, 500_000, true],
      ["Free shipping", "free_shipping", 200, 0, true],
    ]);
    // A second submission (double click, back button) creates nothing more.
    expect(location(await s.post(rows()))).toBe("302 /app/onboarding?step=3");
    expect(await s.rewards()).toHaveLength(2);
    expect((await s.load("?step=2")).rewards).toEqual([]);
  });

  test("GIVEN step 3 THEN it reads the live theme's app embed; finish THEN the home page no longer redirects", async () => {
    const s = await newShop("USD");
    const store = localShopify(s.shop);
    store.state.themeSettings = embed(false);
    let page = await s.load("?step=3");
    expect(page.setup).toMatchObject({ embedEnabled: false });
    expect(page.editorUrl).toBe(`https://${s.shop}/admin/themes/current/editor?context=apps&activateAppId=${TEST_API_KEY}/app_embed`);
    store.state.themeSettings = embed(true);
    page = await s.load("?step=3");
    expect(page.setup).toMatchObject({ embedEnabled: true });

    expect(location(await s.post({ intent: "finish" }))).toBe("302 /app");
    expect((await s.row()).onboardedAt).toBeInstanceOf(Date);
    expect(await s.home()).toMatchObject({ currency: "USD", setup: { embedEnabled: true } });
    // Still reachable afterwards, without the skip button's purpose.
    expect(await s.load()).toMatchObject({ onboarded: true });
  });

  test("GIVEN skip THEN onboarding is done and nothing else changes", async () => {
    const s = await newShop("JPY");
    const before = await s.row();
    expect(location(await s.post({ intent: "skip" }))).toBe("302 /app");
    const after = await s.row();
    expect(after.onboardedAt).toBeInstanceOf(Date);
    expect([after.settings, after.onboardingStep]).toEqual([before.settings, 1]);
    expect(await s.rewards()).toEqual([]);
    expect(await s.home()).toMatchObject({ currency: "JPY" });
  });

  test("GIVEN a shop a webhook created before any install THEN home does not send it to onboarding; once installed THEN it does", async () => {
    const s = await newShop("IDR", { installed: false });
    expect(await s.home()).toMatchObject({ currency: "IDR" });
    await installShop(prisma, s.shop, { name: "Toko Baru", currencyCode: "IDR" }, new Date());
    expect(location(await s.home())).toBe("302 /app/onboarding");
  });

  test("GIVEN an unknown step THEN a 400 with a stable code and nothing changes", async () => {
    const s = await newShop();
    const res = (await s.post({ intent: "launch" })) as Response;
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "BAD_INPUT" } });
    expect((await s.row()).onboardedAt).toBeNull();
  });
});
