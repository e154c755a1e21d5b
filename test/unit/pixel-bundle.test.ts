// The web pixel's own code, bundled as the Shopify CLI bundles it (esbuild, APP_URL inlined) and
// run in a vm with a stand-in for Shopify's sandbox: what it sends, for which events.
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, test } from "vitest";
import { REC_SURFACES } from "~/domain/recommendations/pixel";

const APP_URL = "https://kembali.example.com";
let bundle = "";

beforeAll(async () => {
  const out = await build({
    entryPoints: ["extensions/kembali-pixel/src/index.ts"],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    define: { "process.env.APP_URL": JSON.stringify(APP_URL) },
  });
  // One statement list for the vm: the pixel exports nothing.
  bundle = out.outputFiles[0].text.replace(/^export\s*\{\s*\};?\s*$/m, "");
});

type Handler = (event: unknown) => Promise<void> | void;

/** Loads the pixel into a fresh sandbox; returns what it subscribed to and what it sent. */
function loadPixel() {
  const handlers = new Map<string, Handler>();
  const sent: Array<{ url: string; init: { method: string; keepalive: boolean; headers: Record<string, string>; body: string } }> = [];
  const storage = new Map<string, string>();
  let extension: ((api: unknown) => void) | null = null;
  let point = "";
  runInNewContext(bundle, {
    shopify: {
      extend(name: string, fn: (api: unknown) => void) {
        point = name;
        extension = fn;
      },
    },
    fetch: async (url: string, init: (typeof sent)[number]["init"]) => {
      sent.push({ url, init });
      return { ok: true };
    },
    URL,
  });
  expect(point).toBe("WebPixel::Render");
  extension!({
    analytics: { subscribe: (name: string, handler: Handler) => handlers.set(name, handler) },
    browser: {
      sessionStorage: {
        getItem: async (key: string) => storage.get(key) ?? null,
        setItem: async (key: string, value: string) => void storage.set(key, value),
      },
    },
    init: { data: { shop: { myshopifyDomain: "toko.myshopify.com" } } },
    settings: { shopKey: "the-key" },
  });
  const fire = (name: string, event: unknown) => handlers.get(name)!(event);
  const bodies = () => sent.map((s) => JSON.parse(s.init.body));
  return { handlers, sent, bodies, fire };
}

const viewed = (id: string, href: string, productId = "gid://shopify/Product/8001") => ({
  id,
  context: { document: { location: { href } } },
  data: { productVariant: { product: { id: productId } } },
});
const added = (id: string, productId: string) => ({ id, data: { cartLine: { merchandise: { product: { id: productId } } } } });
const completed = (id: string, orderId: string, productIds: string[]) => ({
  id,
  data: { checkout: { order: { id: orderId }, lineItems: productIds.map((p) => ({ variant: { product: { id: p } } })) } },
});

describe("web pixel bundle", () => {
  test("subscribes to product views, add-to-carts and completed checkouts", () => {
    const { handlers } = loadPixel();
    expect([...handlers.keys()].sort()).toEqual(["checkout_completed", "product_added_to_cart", "product_viewed"]);
  });

  test("GIVEN a product page opened from a recommendation THEN a click is posted to the app with keepalive, the shop and its key", async () => {
    const { sent, bodies, fire } = loadPixel();
    await fire("product_viewed", viewed("sh-1", "https://toko.example/products/kopi?kembali_rec=cart"));
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(`${APP_URL}/pixel/events`);
    expect(sent[0].init).toMatchObject({ method: "POST", keepalive: true });
    expect(bodies()[0]).toEqual({
      kind: "click",
      id: "sh-1",
      surface: "cart",
      productId: "8001",
      shop: "toko.myshopify.com",
      key: "the-key",
    });
  });

  test("knows every surface the app counts (the pixel keeps its own list)", async () => {
    const { bodies, fire } = loadPixel();
    for (const surface of REC_SURFACES)
      await fire("product_viewed", viewed(`sh-${surface}`, `https://toko.example/products/kopi?kembali_rec=${surface}`));
    expect(bodies().map((b) => b.surface)).toEqual([...REC_SURFACES]);
  });

  test("GIVEN a product page without the marker, or with an unknown surface THEN nothing is sent", async () => {
    const { sent, fire } = loadPixel();
    await fire("product_viewed", viewed("sh-1", "https://toko.example/products/kopi"));
    await fire("product_viewed", viewed("sh-2", "https://toko.example/products/kopi?kembali_rec=banner"));
    expect(sent).toHaveLength(0);
  });

  test("GIVEN a recommended product THEN its add-to-cart is sent; another product's is not", async () => {
    const { bodies, fire } = loadPixel();
    await fire("product_viewed", viewed("sh-1", "https://toko.example/products/kopi?kembali_rec=picked", "8002"));
    await fire("product_added_to_cart", added("sh-2", "gid://shopify/Product/8002"));
    await fire("product_added_to_cart", added("sh-3", "gid://shopify/Product/8009"));
    expect(bodies().map((b) => [b.kind, b.id, b.productId, b.surface])).toEqual([
      ["click", "sh-1", "8002", "picked"],
      ["add_to_cart", "sh-2", "8002", "picked"],
    ]);
  });

  test("GIVEN a completed checkout THEN the order and only its recommended products are sent; none recommended, nothing is sent", async () => {
    const { bodies, fire } = loadPixel();
    await fire("checkout_completed", completed("sh-0", "gid://shopify/Order/6000", ["gid://shopify/Product/8001"]));
    expect(bodies()).toHaveLength(0);
    await fire("product_viewed", viewed("sh-1", "https://toko.example/products/a?kembali_rec=product", "8001"));
    await fire(
      "checkout_completed",
      completed("sh-2", "6001", ["gid://shopify/Product/8001", "gid://shopify/Product/8005", "gid://shopify/Product/8001"]),
    );
    expect(bodies()[1]).toEqual({
      kind: "checkout",
      id: "sh-2",
      orderId: "6001",
      productIds: ["8001"],
      shop: "toko.myshopify.com",
      key: "the-key",
    });
  });

  test("is well under Shopify's 128 KB limit for a web pixel", () => {
    expect(Buffer.byteLength(bundle)).toBeLessThan(8_000);
  });
});
