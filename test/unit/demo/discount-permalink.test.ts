// The demo's stand-in for Shopify's discount permalink (what "Apply to cart" links to): the
// code goes on the demo cart, the shopper goes on to a page of the same shop, never elsewhere.
import { describe, expect, test } from "vitest";
import { applyDemoDiscount, cartDiscountCode, demoCart } from "~/demo/storefront.server";

const get = (path: string, cookie = "") => new Request(`http://127.0.0.1:3000${path}`, { headers: cookie ? { Cookie: cookie } : {} });

describe("demo discount permalink", () => {
  test("puts the code on the cart and goes on to the redirect path", async () => {
    const res = applyDemoDiscount(get("/discount/KMB-ABC?redirect=%2Fdemo%2Fstore%3Flocale%3Did"), "KMB-ABC");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/demo/store?locale=id");
    const cookie = res.headers.get("Set-Cookie")!.split(";")[0];
    expect(cartDiscountCode(get("/", cookie))).toBe("KMB-ABC");
    const cart = await (await demoCart(get("/cart.js", cookie))).json();
    expect(cart.discount_codes).toEqual([{ code: "KMB-ABC", applicable: true }]);
  });

  test.each(["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"])(
    "never redirects off the shop: %s",
    (redirect) => {
      const res = applyDemoDiscount(get(`/discount/KMB-ABC?redirect=${encodeURIComponent(redirect)}`), "KMB-ABC");
      expect(res.headers.get("Location")).toBe("/demo/store");
    },
  );

  test("a code that is not one ignores the cart", () => {
    const res = applyDemoDiscount(get("/discount/x"), "<script>");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(cartDiscountCode(get("/", "kembali_demo_discount=<script>"))).toBeNull();
  });
});
