// Demo mode's guard in the app (app/demo.server.ts): admin pages and demo routes answer only
// a request whose socket peer (the load context's remoteAddress, set by server.js) is this
// computer, whatever its Host header says; and a POST only from the app's own pages. A refused
// request changes nothing. (server.js's own refusal before Remix: test/e2e/demo-guard.test.ts.)
import { afterAll, describe, expect, test, vi } from "vitest";

// Read by config.server.ts when first imported, so every app module is imported after this.
vi.stubEnv("DEMO_MODE", "1");
vi.stubEnv("HOST", "127.0.0.1");
afterAll(() => vi.unstubAllEnvs());

const ORIGIN = "http://127.0.0.1:3000";
const LOCAL = { remoteAddress: "127.0.0.1" };

async function demoShop() {
  const { default: prisma } = await import("~/db.server");
  const { config, DEMO_SHOP } = await import("~/config.server");
  const { ensureShop } = await import("~/domain/shop/shops");
  expect(config.mode).toBe("demo");
  await ensureShop(prisma, DEMO_SHOP, "IDR");
  await prisma.shop.update({ where: { domain: DEMO_SHOP }, data: { onboardingStep: 3, onboardedAt: new Date(), plan: "free" } });
  const plan = async () => (await prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP } })).plan;
  return { plan };
}

function planPost(headers: Record<string, string>, context: Record<string, unknown>) {
  const body = new FormData();
  body.append("plan", "growth");
  return { request: new Request(`${ORIGIN}/app/plans`, { method: "POST", body, headers }), params: {}, context };
}

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (r: Response) => r.status,
  );

describe("demo mode: the admin answers this computer only", () => {
  test("GIVEN Host: 127.0.0.1 from another computer (or no socket address) THEN 403; from this computer 200", async () => {
    await demoShop();
    const plans = await import("~/routes/app.plans");
    const page = (context: Record<string, unknown>, headers: Record<string, string> = {}) =>
      status(plans.loader({ request: new Request(`${ORIGIN}/app/plans`, { headers }), params: {}, context }));
    expect(await page({ remoteAddress: "192.0.2.10" })).toBe(403);
    expect(await page({ remoteAddress: "::ffff:10.0.0.7" })).toBe(403);
    expect(await page({})).toBe(403);
    // A proxy's headers on a loopback socket: the proxy is on this computer, the visitor is not.
    expect(await page(LOCAL, { "X-Forwarded-For": "203.0.113.9" })).toBe(403);
    expect(await page(LOCAL, { Forwarded: "for=203.0.113.9" })).toBe(403);
    expect(await page(LOCAL)).toBe(200);
    expect(await page({ remoteAddress: "::1" })).toBe(200);
    // Another site's name resolving to 127.0.0.1 (DNS rebinding).
    expect(await status(plans.loader({ request: new Request("http://evil.example:3000/app/plans"), params: {}, context: LOCAL }))).toBe(
      403,
    );
  });

  test("GIVEN a POST from another site (or with no Origin) THEN 403 and the plan is unchanged; from the app's page it changes", async () => {
    const { plan } = await demoShop();
    const plans = await import("~/routes/app.plans");
    for (const headers of [{}, { Origin: "https://evil.example" }, { Origin: "http://127.0.0.1:8080" }, { Origin: "null" }] as Record<
      string,
      string
    >[]) {
      expect(await status(plans.action(planPost(headers, LOCAL))), JSON.stringify(headers)).toBe(403);
    }
    // The right Origin from another computer is still another computer.
    expect(await status(plans.action(planPost({ Origin: ORIGIN }, { remoteAddress: "192.0.2.10" })))).toBe(403);
    expect(await plan()).toBe("free");

    expect(await plans.action(planPost({ Origin: ORIGIN }, LOCAL))).toMatchObject({ ok: true, plan: "growth" });
    expect(await plan()).toBe("growth");
  });
});

describe("demo mode: demo routes", () => {
  test("GIVEN the demo clock posted from another site or another computer THEN 403 and the clock has not moved", async () => {
    const clock = await import("~/routes/demo.clock");
    const { clock: systemClock } = await import("~/deps.server");
    const post = (headers: Record<string, string>, context: Record<string, unknown>) =>
      status(
        clock.action({
          request: new Request(`${ORIGIN}/demo/clock`, { method: "POST", body: new URLSearchParams({ days: "400" }), headers }),
          params: {},
          context,
        }),
      );
    const before = systemClock().getTime();
    expect(await post({ Origin: "https://evil.example" }, LOCAL)).toBe(403);
    expect(await post({}, LOCAL)).toBe(403);
    expect(await post({ Origin: ORIGIN }, { remoteAddress: "198.51.100.4" })).toBe(403);
    expect(Math.abs(systemClock().getTime() - before)).toBeLessThan(60_000);
  });

  test("GIVEN the demo storefront from another computer THEN 403", async () => {
    const store = await import("~/routes/demo.store");
    expect(
      await status(store.loader({ request: new Request(`${ORIGIN}/demo/store`), params: {}, context: { remoteAddress: "192.0.2.10" } })),
    ).toBe(403);
  });
});
