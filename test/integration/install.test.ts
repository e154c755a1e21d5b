// Installing from the app store: the first embedded load exchanges the session token for an
// offline token (Shopify answers over msw here), and afterAuth creates the shop's row with its
// real name and currency from the Admin API.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { loader } from "~/routes/app._index/route";
import { newShopDomain, routeArgs } from "../helpers";

const server = setupServer();
beforeAll(() => {
  // shopify-api captured fetch at import; look it up per call so msw sees the requests.
  setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("install", () => {
  test("GIVEN a new shop's first admin load THEN its row is created in its own currency and onboarding comes first, then the home page", async () => {
    const shop = newShopDomain();
    const operations: string[] = [];
    server.use(
      http.post(`https://${shop}/admin/oauth/access_token`, () =>
        HttpResponse.json({ access_token: "shpat_new_install", scope: "read_orders,read_customers" }),
      ),
      http.post(`https://${shop}/admin/api/2025-10/graphql.json`, async ({ request }) => {
        const body = (await request.json()) as { query: string };
        operations.push(/(query|mutation)\s+(\w+)/.exec(body.query)?.[2] ?? "?");
        return HttpResponse.json({ data: { shop: { name: "Toko Baru", currencyCode: "IDR", ianaTimezone: "Asia/Jakarta" } } });
      }),
    );
    const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
    const request = await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request("http://127.0.0.1:3000/app"));
    // A new shop is sent to onboarding first, keeping the embedded admin's parameters.
    const redirect = (await loader(routeArgs(request)).catch((r: Response) => r)) as Response;
    expect(operations).toEqual(["KembaliShopInfo"]);
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({
      name: "Toko Baru",
      currency: "IDR",
      onboardedAt: null,
    });
    expect(redirect.status).toBe(302);
    const to = new URL(redirect.headers.get("Location")!);
    expect(to.pathname).toBe("/app/onboarding");
    expect(to.searchParams.get("shop")).toBe(shop);
    expect(await prisma.session.count({ where: { shop } })).toBe(1);

    await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: new Date() } });
    const again = await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request("http://127.0.0.1:3000/app"));
    expect(await loader(routeArgs(again))).toMatchObject({ currency: "IDR", members: null });
  });
});
