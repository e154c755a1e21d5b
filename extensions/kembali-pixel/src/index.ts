// Kembali's web pixel (decision 031). Shopify runs it in a sandbox on every storefront and checkout
// page where the shopper allowed analytics; it adds no script to the theme. It reports:
// - a click: a product page opened from a recommendation (the link carries ?kembali_rec=<surface>);
//   the product is remembered in the tab's session storage;
// - an add-to-cart of a remembered product;
// - a completed checkout holding remembered products: the order id and those products.
// The app trusts none of it for money: an order counts only once Shopify's signed webhook for it
// has arrived and its lines hold the product.
import { register } from "@shopify/web-pixels-extension";

const SURFACES = ["product", "cart", "picked"];
const REMEMBERED = "kembali_rec";
const MAX_PRODUCTS = 50;

/** Shopify's numeric id, from a gid or a plain id; null for anything else. */
function numericId(id: string | null | undefined): string | null {
  const match = /(\d{1,20})$/.exec(id ?? "");
  return match ? match[1] : null;
}

register(({ analytics, browser, init, settings }) => {
  const endpoint = `${process.env.APP_URL}/pixel/events`;
  const shop = init.data.shop.myshopifyDomain;
  const key = String(settings.shopKey ?? "");

  // text/plain keeps the send a simple request (no preflight) that survives the page unloading.
  const send = (event: Record<string, unknown>) =>
    fetch(endpoint, {
      method: "POST",
      keepalive: true,
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ ...event, shop, key }),
    }).catch(() => undefined);

  /** Products opened from a recommendation in this tab, with the surface they were shown on. */
  async function remembered(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse((await browser.sessionStorage.getItem(REMEMBERED)) ?? "{}");
      return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  analytics.subscribe("product_viewed", async (event) => {
    let surface: string | null = null;
    try {
      surface = new URL(event.context.document.location.href).searchParams.get("kembali_rec");
    } catch {
      return;
    }
    const productId = numericId(event.data.productVariant?.product?.id);
    if (!surface || !SURFACES.includes(surface) || !productId) return;
    const products = await remembered();
    products[productId] = surface;
    await browser.sessionStorage.setItem(REMEMBERED, JSON.stringify(products));
    await send({ kind: "click", id: event.id, surface, productId });
  });

  analytics.subscribe("product_added_to_cart", async (event) => {
    const productId = numericId(event.data.cartLine?.merchandise?.product?.id);
    const surface = productId ? (await remembered())[productId] : undefined;
    if (!productId || !surface) return;
    await send({ kind: "add_to_cart", id: event.id, surface, productId });
  });

  analytics.subscribe("checkout_completed", async (event) => {
    const { checkout } = event.data;
    const orderId = numericId(checkout.order?.id);
    const products = await remembered();
    const productIds = [
      ...new Set(
        (checkout.lineItems ?? [])
          .map((line) => numericId(line.variant?.product?.id))
          .filter((id): id is string => id !== null && id in products),
      ),
    ].slice(0, MAX_PRODUCTS);
    if (!orderId || productIds.length === 0) return;
    await send({ kind: "checkout", id: event.id, orderId, productIds });
  });
});
