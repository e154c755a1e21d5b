// Demo mode (DEMO_MODE=1 on loopback): the demo shop follows the install rule for onboarding
// (a --fresh install is sent there; seeded or made by a first webhook it is not) and can open
// it; a plan change is only recorded: no request ever leaves for Shopify.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { setupServer } from "msw/node";
import { http } from "msw";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

// Read by config.server.ts when first imported, so every app module (and ../helpers, which
// imports it) is imported after this.
vi.stubEnv("DEMO_MODE", "1");
vi.stubEnv("HOST", "127.0.0.1");

const outgoing: string[] = [];
const server = setupServer(http.all("*", ({ request }) => void outgoing.push(`${request.method} ${request.url}`)));

beforeAll(async () => {
  setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => {
  server.close();
  vi.unstubAllEnvs();
});

async function demo() {
  const { default: prisma } = await import("~/db.server");
  const { config, DEMO_SHOP } = await import("~/config.server");
  const { ensureShop } = await import("~/domain/shop/shops");
  expect(config.mode).toBe("demo");
  // As scripts/seed.ts leaves it: set up and onboarded.
  await ensureShop(prisma, DEMO_SHOP, "IDR");
  await prisma.shop.update({ where: { domain: DEMO_SHOP }, data: { onboardingStep: 3, onboardedAt: new Date(), plan: "free" } });
  return { prisma, shop: DEMO_SHOP };
}

// As server.js calls them: from this computer, POSTs from the app's own pages.
const routeArgs = (request: Request) => ({ request, params: {}, context: { remoteAddress: "127.0.0.1" } });
const get = (path: string) => routeArgs(new Request(`http://127.0.0.1:3000${path}`));
const post = (path: string, fields: Record<string, string>) => {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return routeArgs(new Request(`http://127.0.0.1:3000${path}`, { method: "POST", body, headers: { Origin: "http://127.0.0.1:3000" } }));
};

describe("demo mode", () => {
  test("GIVEN the demo shop WHEN it changes plans THEN the change is recorded and nothing is sent to Shopify", async () => {
    const { prisma, shop } = await demo();
    const plans = await import("~/routes/app.plans");
    const page = await plans.loader(get("/app/plans"));
    expect(page).toMatchObject({ billing: "local", testCharges: false, state: { plan: "free" } });

    expect(await plans.action(post("/app/plans", { plan: "growth" }))).toMatchObject({ ok: true, plan: "growth" });
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ plan: "growth", planSubscriptionId: null });
    expect(await plans.action(post("/app/plans", { plan: "free" }))).toMatchObject({ ok: true, plan: "free" });
    expect(outgoing).toEqual([]);

    // Off loopback the demo answers nothing.
    const away = await plans.loader(routeArgs(new Request("http://evil.example/app/plans"))).catch((r: Response) => r);
    expect((away as Response).status).toBe(403);
  });

  test("GIVEN the demo shop THEN home sends it to onboarding only when installed and not onboarded; the page opens and saves", async () => {
    const { prisma, shop } = await demo();
    const home = await import("~/routes/app._index/route");
    expect(await home.loader(get("/app"))).toMatchObject({ currency: "IDR" });
    // Unseeded: the row made by a first webhook (as the storefront browser test does) is no install.
    await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: null } });
    expect(await home.loader(get("/app"))).toMatchObject({ currency: "IDR" });
    // Installed as new (npm run demo -- --fresh): onboarding first, as for any new install.
    await prisma.shop.update({ where: { domain: shop }, data: { name: "Kopi Kembali" } });
    const sent = (await home.loader(get("/app")).catch((r: Response) => r)) as Response;
    expect(sent.status).toBe(302);
    expect(new URL(sent.headers.get("Location")!, "http://127.0.0.1:3000").pathname).toBe("/app/onboarding");
    await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: new Date() } });

    const onboarding = await import("~/routes/app.onboarding/route");
    const page = await onboarding.loader(get("/app/onboarding"));
    expect(page).toMatchObject({ onboarded: true, step: 3, currency: "IDR" });
    expect(page.setup).toMatchObject({ embedEnabled: true });
    // Step 1 shows what the shop saved, and saving it works.
    const saved = await onboarding.loader(get("/app/onboarding?step=1"));
    const res = await onboarding.action(
      post("/app/onboarding", {
        intent: "earning",
        "earning.points": saved.form.earning.points,
        "earning.perAmount": "1000",
        "earning.pendingDays": saved.form.earning.pendingDays,
        "redemption.pointValue": saved.form.redemption.pointValue,
      }),
    );
    expect((res as Response).status).toBe(302);
    const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(row.settings).toMatchObject({ earning: { perAmount: 100_000 } });
    expect(outgoing).toEqual([]);
  });
});
