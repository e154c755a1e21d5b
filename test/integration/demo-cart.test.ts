// The demo cart: lines kept in a cookie (added from product pages, removed, emptied), the cart
// page with the theme's "Complete your order" block over those lines, and /cart.js reporting
// them. Calls the page functions directly: the routes answer only in demo mode (demo-routes.test.ts).
import { describe, expect, test } from "vitest";
import { config } from "~/config.server";
import { cartItems, cartPage, demoCart, storefrontPage, updateDemoCart } from "~/demo/storefront.server";
import { localShopify } from "~/shopify/shopify-for.server";

const ORIGIN = "http://127.0.0.1:3000";
const withCookie = (path: string, cookie: string) => new Request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
/** The cookie a response set (name=value), to send with the next request. */
const cookieOf = (res: Response) => res.headers.get("Set-Cookie")!.split(";")[0];
const titles = (html: string) => [...html.matchAll(/class="kembali-ab__title">([^<]*)</g)].map((m) => m[1]);

describe("demo cart", () => {
  test("GIVEN products added from product pages THEN the cart lists them and the block shows others; removing and emptying work", async () => {
    await localShopify(config.demoShop).setBestSellers(["8001", "8006", "8009", "8003", "8004"]);

    let res = updateDemoCart(withCookie("/demo/cart", ""), { intent: "add", product: "8001", quantity: 1 });
    expect(res.status).toBe(303);
    // The cart page says which product was added (the demo pixel reports it as Shopify would).
    expect(res.headers.get("Location")).toBe("/demo/cart?added=8001");
    let cookie = cookieOf(res);
    res = updateDemoCart(withCookie("/demo/cart", cookie), { intent: "add", product: "8004", quantity: 2 });
    cookie = cookieOf(res);
    res = updateDemoCart(withCookie("/demo/cart", cookie), { intent: "add", product: "8001", quantity: 1 });
    cookie = cookieOf(res);
    expect(cartItems(withCookie("/", cookie)).map((i) => [i.product.productId, i.quantity])).toEqual([
      ["8001", 2],
      ["8004", 2],
    ]);

    const html = await (await cartPage(withCookie("/demo/cart", cookie))).text();
    expect(html.match(/data-testid="demo-cart-line"/g)).toHaveLength(2);
    expect(html).toContain("Rp440.000");
    // No lists yet in the demo: the best sellers, minus the cart's and the sold-out 8009.
    expect(titles(html)).toEqual(["V60 Paper Filters (100)", "Kopi Kintamani 250 g"]);
    expect(html).toContain('href="/demo/store?product=8006&kembali_rec=cart"');
    expect(html).toContain('<link rel="stylesheet" href="/demo/assets/kembali-also-bought.css">');
    const cartJs = await (await demoCart(withCookie("/cart.js", cookie))).json();
    expect(cartJs).toMatchObject({
      item_count: 4,
      items: [
        { product_id: 8001, quantity: 2 },
        { product_id: 8004, quantity: 2 },
      ],
    });

    cookie = cookieOf(updateDemoCart(withCookie("/demo/cart", cookie), { intent: "remove", product: "8001", quantity: 1 }));
    expect(cartItems(withCookie("/", cookie)).map((i) => i.product.productId)).toEqual(["8004"]);
    const id = await (await cartPage(withCookie("/demo/cart?locale=id", cookie))).text();
    expect(id).toContain(">Lengkapi pesanan Anda</h2>");

    cookie = cookieOf(updateDemoCart(withCookie("/demo/cart", cookie), { intent: "clear", product: "", quantity: 1 }));
    const empty = await (await cartPage(withCookie("/demo/cart", cookie))).text();
    expect(empty).toContain('data-testid="demo-cart-empty"');
    expect(empty).not.toContain("kembali-ab");
  });

  test("GIVEN the products' own lists in the demo's Shopify THEN the cart block merges them, and the product page shows its own", async () => {
    const state = localShopify(config.demoShop).state as unknown as { alsoBought?: Record<string, string[]> };
    state.alsoBought = { "8001": ["8006", "8004", "8008"], "8004": ["8001", "8009", "8010", "8005"] };
    try {
      const cookie = "kembali_demo_items=8001-1.8004-1";
      const html = await (await cartPage(withCookie("/demo/cart", cookie))).text();
      // Round 1: 8006, 8001 (in the cart); round 2: 8004 (in the cart), 8009 (sold out); round 3: 8008, 8010; round 4: 8005.
      expect(titles(html)).toEqual(["V60 Paper Filters (100)", "Gula Aren Syrup 500 ml", "Enamel Mug", "Cold Brew Concentrate 1 L"]);
      const page = await (await storefrontPage(new Request(`${ORIGIN}/demo/store?product=8004`))).text();
      expect(titles(page)).toEqual(["Kopi Gayo Arabica 250 g", "Enamel Mug", "Cold Brew Concentrate 1 L"]);
    } finally {
      delete state.alsoBought;
    }
  });

  test("GIVEN a sold-out or unknown product, a bad quantity or intent THEN 400 and the cart is unchanged", () => {
    for (const form of [
      { intent: "add", product: "8009", quantity: 1 },
      { intent: "add", product: "9999", quantity: 1 },
      { intent: "add", product: "8001", quantity: 0 },
      { intent: "add", product: "8001", quantity: 1.5 },
      { intent: "buy", product: "8001", quantity: 1 },
    ]) {
      const res = updateDemoCart(withCookie("/demo/cart", "kembali_demo_items=8002-1"), form);
      expect(res.status).toBe(400);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
  });

  test("GIVEN a tampered cookie THEN only known products with sane quantities are read, each once", () => {
    const read = (value: string) => cartItems(withCookie("/", `kembali_demo_items=${value}`)).map((i) => [i.product.productId, i.quantity]);
    expect(read("8001-2.9999-1.8002-0.8003-21.8001-5.8004-3")).toEqual([
      ["8001", 2],
      ["8004", 3],
    ]);
    expect(read("<script>")).toEqual([]);
    // Adding never goes over 20 of a product.
    const res = updateDemoCart(withCookie("/demo/cart", "kembali_demo_items=8001-19"), { intent: "add", product: "8001", quantity: 5 });
    expect(cartItems(withCookie("/", cookieOf(res)))).toMatchObject([{ quantity: 20 }]);
  });
});
