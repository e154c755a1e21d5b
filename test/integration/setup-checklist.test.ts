import { describe, expect, test } from "vitest";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import prisma from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { TEST_API_KEY, TEST_API_SECRET } from "~/config.server";
import { ensureShop } from "~/domain/shop/shops";
import { createReward } from "~/domain/rewards/rewards";
import { localShopify } from "~/shopify/shopify-for.server";
import { loader } from "~/routes/app._index/route";
import { newShopDomain, routeArgs } from "../helpers";

/** The live theme's settings_data.json with Kembali's embed on or off (Shopify starts it with a comment). */
const embed = (on: boolean) =>
  `/* auto-generated */ ${JSON.stringify({ current: { blocks: { "1": { type: "shopify://apps/kembali/blocks/app_embed/abc", disabled: !on } } } })}`;

describe("home: the setup checklist", () => {
  test("GIVEN a new shop THEN it asks for rewards and the app embed, with the theme editor's deep link", async () => {
    const shop = newShopDomain();
    await ensureShop(prisma, shop, "IDR");
    await prisma.shop.update({ where: { domain: shop }, data: { onboardedAt: new Date() } });
    await sessionStorage.storeSession(setUpValidSession({ shop, expires: undefined }));
    const creds = { store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET };
    const load = async () =>
      loader(routeArgs(await setUpValidRequest({ type: RequestType.Admin, ...creds }, new Request("http://127.0.0.1:3000/app"))));

    const store = localShopify(shop);
    store.state.themeSettings = embed(true);
    let data = await load();
    expect(data.setup).toMatchObject({ rewards: 0, embedEnabled: true, done: 2, total: 3 });
    expect(data.editorUrl).toBe(`https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${TEST_API_KEY}/app_embed`);

    store.state.themeSettings = embed(false);
    await createReward({ db: prisma }, shop, { name: "Free shipping", type: "free_shipping", pointsCost: 100 });
    data = await load();
    expect(data.setup).toMatchObject({ rewards: 1, embedEnabled: false, done: 2 });

    store.state.themeSettings = null;
    data = await load();
    expect(data.setup.embedEnabled).toBeNull();

    store.state.themeSettings = embed(true);
    data = await load();
    expect(data.setup).toMatchObject({ embedEnabled: true, done: 3 });
  });
});
