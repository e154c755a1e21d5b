// The demo storefront stands in for a shop's theme and for Shopify's App Proxy, on loopback
// only. It signs its traffic with the local app secret, so the app's real verification runs.
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import prisma from "../db.server";
import { config } from "../config.server";
import { localShopify } from "../shopify/shopify-for.server";
import { demoStandInReady } from "../jobs.server";
import { signProxyQuery } from "../shopify/proxy-signature";
import { signedWebhookRequest } from "../shopify/webhook-signature";
import { DEMO_MONEY_FORMAT, DEMO_NEW_SHOPPERS, DEMO_SHOPPERS, DEMO_PRODUCTS, orderPaidPayload, type DemoProduct } from "./catalog";
import { formatShopMoney, renderBlock, type LiquidProduct } from "./theme-block.server";
import { widgetLook, type AppearanceMetafield } from "../domain/shop/appearance";
import type { AppLoadContext } from "../load-context";

import { launcherLoader } from "./launcher-loader";
import { demoPixelTag } from "./pixel.server";
import { themePhoto } from "./theme-assets.server";
export { readAsset } from "../widget-assets.server";

export const CUSTOMER_COOKIE = "kembali_demo_customer";
const LOCALES = path.resolve("extensions/kembali-theme/locales");

/**
 * The widget's strings as the app embed renders them: every key of the locale's "widget"
 * section (the Liquid block lists each one with `| t | json`; a unit test keeps them equal).
 * Read per request, so edited locales show without a rebuild.
 */
async function widgetStrings(locale: "en" | "id"): Promise<Record<string, string>> {
  const file = path.join(LOCALES, locale === "id" ? "id.json" : "en.default.json");
  return JSON.parse(await readFile(file, "utf8")).widget;
}

export function loggedInCustomer(request: Request): string | null {
  const value = new RegExp(`(?:^|;\\s*)${CUSTOMER_COOKIE}=(\\d+)`).exec(request.headers.get("Cookie") ?? "")?.[1];
  return value && DEMO_SHOPPERS.some((c) => c.id === value) ? value : null;
}

/**
 * The address the demo's App Proxy reports for this visitor: every demo visitor is this
 * computer, so /demo/store?visitor=<IP address> lets a demo (or a browser test) stand in for
 * shoppers on other addresses (guests' welcome codes are keyed on it).
 */
export const VISITOR_COOKIE = "kembali_demo_visitor";
export function demoVisitorAddress(request: Request): string | null {
  const value = new RegExp(`(?:^|;\\s*)${VISITOR_COOKIE}=([0-9a-fA-F:.]+)`).exec(request.headers.get("Cookie") ?? "")?.[1];
  return value && isIP(value) ? value : null;
}

/** The app in this process (server.js's load context): the demo's Shopify never goes back out through the server. */
function appFetch(context: AppLoadContext): (request: Request) => Promise<Response> {
  if (!context.internalFetch) throw new Error("The demo storefront needs server.js's load context (internalFetch)");
  return context.internalFetch;
}

/** What Shopify's proxy does: forward /apps/kembali/<path> to /proxy/<path>, signed. */
export async function forwardToProxy(request: Request, subpath: string, context: AppLoadContext): Promise<Response> {
  const incoming = new URL(request.url);
  const query = signProxyQuery(incoming.searchParams, {
    shop: config.demoShop,
    customerId: loggedInCustomer(request),
    secret: config.apiSecret,
  });
  const target = new URL(`/proxy/${subpath}?${query}`, incoming.origin);
  if (!target.pathname.startsWith("/proxy/")) return new Response("Not found", { status: 404 });
  // As in production (TRUSTED_PROXY_HOPS=1): Shopify's proxy appends the shopper's address (guests'
  // limits and welcome codes use it; here the demo visitor's, else this computer's) and a load
  // balancer in front of the app appends its own peer.
  const shopper = demoVisitorAddress(request) ?? "127.0.0.1";
  const headers = { Accept: request.headers.get("Accept") ?? "*/*", "X-Forwarded-For": `${shopper}, 127.0.0.1` };
  const init: RequestInit = { method: request.method, headers };
  if (request.method !== "GET" && request.method !== "HEAD") {
    init.body = await request.text();
    (init.headers as Record<string, string>)["Content-Type"] = request.headers.get("Content-Type") ?? "application/json";
  }
  const answer = await appFetch(context)(new Request(target, init));
  return new Response(answer.body, {
    status: answer.status,
    headers: { "Content-Type": answer.headers.get("Content-Type") ?? "application/json", "Cache-Control": "no-store" },
  });
}

/** Places an order for the logged-in demo shopper by sending a signed orders/paid webhook. */
export async function placeDemoOrder(request: Request, context: AppLoadContext, productId: string, quantity: number): Promise<Response> {
  const product = DEMO_PRODUCTS.find((p) => p.productId === productId);
  if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > 20) {
    return new Response("Unknown product or quantity", { status: 400 });
  }
  return placeOrder(request, context, [{ product, quantity }], product.productId);
}

/** Checks out the demo cart: one paid order with every line of it. */
export async function placeDemoCartOrder(request: Request, context: AppLoadContext): Promise<Response> {
  const items = cartItems(request);
  if (items.length === 0) return new Response("The cart is empty", { status: 400 });
  return placeOrder(request, context, items, items[0].product.productId);
}

async function placeOrder(request: Request, context: AppLoadContext, lines: DemoCartItem[], shownProduct: string): Promise<Response> {
  const customerId = loggedInCustomer(request);
  const customer = DEMO_SHOPPERS.find((c) => c.id === customerId) ?? null;
  const orderId = String(Date.now());
  // The cart's attributes (the referral code the widget wrote) travel with the order, as on Shopify.
  const body = orderPaidPayload({
    orderId,
    customer,
    lines,
    createdAt: new Date(),
    attributes: cartAttributes(request),
  });
  const origin = new URL(request.url).origin;
  const answer = await appFetch(context)(
    signedWebhookRequest(`${origin}/webhooks/orders/paid`, {
      topic: "orders/paid",
      shop: config.demoShop,
      body,
      secret: config.apiSecret,
    }),
  );
  const url = new URL("/demo/store", origin);
  url.searchParams.set("product", shownProduct);
  url.searchParams.set("order", answer.ok ? orderId : "failed");
  // A placed order empties the cart, lines and attributes included.
  const headers = new Headers({ Location: url.toString() });
  headers.append("Set-Cookie", cartCookie({}));
  headers.append("Set-Cookie", itemsCookie([]));
  headers.append("Set-Cookie", `${DISCOUNT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  return new Response(null, { status: 303, headers });
}

// The demo's stand-in for Shopify's Ajax Cart API: only the cart attributes, in a cookie.
const CART_COOKIE = "kembali_demo_cart";

export function cartAttributes(request: Request): Record<string, string> {
  const raw = new RegExp(`(?:^|;\\s*)${CART_COOKIE}=([^;]*)`).exec(request.headers.get("Cookie") ?? "")?.[1];
  try {
    const parsed = raw ? JSON.parse(decodeURIComponent(raw)) : {};
    return Object.fromEntries(
      Object.entries(parsed).filter(([k, v]) => /^[\w-]{1,40}$/.test(k) && typeof v === "string" && v.length <= 100),
    ) as Record<string, string>;
  } catch {
    return {};
  }
}

function cartCookie(attributes: Record<string, string>): string {
  return `${CART_COOKIE}=${encodeURIComponent(JSON.stringify(attributes))}; Path=/; HttpOnly; SameSite=Lax`;
}

// The demo cart's lines ("8001-2.8004-1"), in a cookie: what Shopify's cart holds for the theme.
const ITEMS_COOKIE = "kembali_demo_items";

export interface DemoCartItem {
  product: DemoProduct;
  quantity: number;
}

export function cartItems(request: Request): DemoCartItem[] {
  const raw = new RegExp(`(?:^|;\\s*)${ITEMS_COOKIE}=([\\d.-]*)`).exec(request.headers.get("Cookie") ?? "")?.[1] ?? "";
  const items: DemoCartItem[] = [];
  for (const part of raw.split(".")) {
    const [id, count] = part.split("-");
    const product = DEMO_PRODUCTS.find((p) => p.productId === id);
    const quantity = Number(count);
    if (product && Number.isInteger(quantity) && quantity >= 1 && quantity <= 20 && !items.some((i) => i.product === product)) {
      items.push({ product, quantity });
    }
  }
  return items;
}

function itemsCookie(items: DemoCartItem[]): string {
  const value = items.map((i) => `${i.product.productId}-${i.quantity}`).join(".");
  return `${ITEMS_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${value ? "" : "; Max-Age=0"}`;
}

/**
 * POST /demo/cart: "add" puts a product in the demo cart (the quantities add up, at most 20),
 * "remove" takes it out, "clear" empties the cart; then back to the cart page.
 */
export function updateDemoCart(request: Request, form: { intent: string; product: string; quantity: number }): Response {
  let items = cartItems(request);
  const product = DEMO_PRODUCTS.find((p) => p.productId === form.product);
  if (form.intent === "clear") items = [];
  else if (form.intent === "remove" && product) items = items.filter((i) => i.product !== product);
  else if (form.intent === "add" && product && !product.soldOut && Number.isInteger(form.quantity) && form.quantity >= 1) {
    const line = items.find((i) => i.product === product);
    if (line) line.quantity = Math.min(20, line.quantity + form.quantity);
    else items.push({ product, quantity: Math.min(20, form.quantity) });
  } else return new Response("Unknown product, quantity or intent", { status: 400 });
  const location = new URL("/demo/cart", request.url);
  if (new URL(request.url).searchParams.get("locale") === "id") location.searchParams.set("locale", "id");
  if (form.intent === "add") location.searchParams.set("added", form.product);
  return new Response(null, {
    status: 303,
    headers: { Location: `${location.pathname}${location.search}`, "Set-Cookie": itemsCookie(items) },
  });
}

// The discount code on the demo cart, as Shopify's discount permalink leaves it.
const DISCOUNT_COOKIE = "kembali_demo_discount";
const DISCOUNT_CODE = /^[\w-]{1,64}$/;

export function cartDiscountCode(request: Request): string | null {
  const value = new RegExp(`(?:^|;\\s*)${DISCOUNT_COOKIE}=([^;]*)`).exec(request.headers.get("Cookie") ?? "")?.[1];
  return value && DISCOUNT_CODE.test(value) ? value : null;
}

/**
 * GET /discount/CODE?redirect=/path: Shopify's discount permalink (what the widget's "Apply to
 * cart" links to) puts the code on the cart and goes on to a page of the shop.
 */
export function applyDemoDiscount(request: Request, code: string): Response {
  const url = new URL(request.url);
  const redirect = url.searchParams.get("redirect") ?? "";
  const location = /^\/(?![/\\])/.test(redirect) ? redirect : "/demo/store";
  if (!DISCOUNT_CODE.test(code)) return new Response(null, { status: 303, headers: { Location: location } });
  return new Response(null, {
    status: 303,
    headers: { Location: location, "Set-Cookie": `${DISCOUNT_COOKIE}=${code}; Path=/; HttpOnly; SameSite=Lax` },
  });
}

/** GET /cart.js and POST /cart/update.js {attributes}: what the widget's referral capture calls. */
export async function demoCart(request: Request): Promise<Response> {
  let attributes = cartAttributes(request);
  const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" });
  if (request.method === "POST") {
    const body = (await request.json().catch(() => ({}))) as { attributes?: Record<string, unknown> };
    const incoming = Object.fromEntries(Object.entries(body.attributes ?? {}).map(([k, v]) => [k, String(v)]));
    attributes = { ...attributes, ...incoming };
    headers.append("Set-Cookie", cartCookie(attributes));
  }
  const code = cartDiscountCode(request);
  const discounts = code ? [{ code, applicable: true }] : [];
  const lines = cartItems(request);
  const items = lines.map((i) => ({
    product_id: Number(i.product.productId),
    variant_id: Number(i.product.variantId),
    quantity: i.quantity,
  }));
  const count = lines.reduce((n, i) => n + i.quantity, 0);
  return new Response(JSON.stringify({ attributes, items, item_count: count, discount_codes: discounts }), { headers });
}

/** The shop's kembali.appearance metafield as the demo's Shopify stand-in holds it (what Liquid reads). */
function appearanceMetafieldOf(shop: string): AppearanceMetafield | null {
  const json = localShopify(shop).state.shopMetafields["kembali.appearance"];
  return json === undefined ? null : (JSON.parse(json) as AppearanceMetafield);
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A demo product as Liquid's product object: a drawn label for its image (the demo has no photos). */
function liquidProduct(p: DemoProduct, locale: "en" | "id", metafields: LiquidProduct["metafields"] = {}): LiquidProduct {
  const hue = (Number(p.productId) * 47) % 360;
  const label = escapeHtml(p.title.split(" ").slice(0, 2).join(" "));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">` +
    `<rect width="600" height="600" fill="hsl(${hue} 35% 82%)"/>` +
    `<rect x="170" y="120" width="260" height="360" rx="28" fill="hsl(${hue} 30% 38%)"/>` +
    `<text x="300" y="310" font-family="sans-serif" font-size="34" fill="#fff" text-anchor="middle">${label}</text></svg>`;
  return {
    id: Number(p.productId),
    title: p.title,
    url: `/demo/store?product=${p.productId}${locale === "id" ? "&locale=id" : ""}`,
    price: p.price * 100,
    available: !p.soldOut,
    tags: [],
    collections: [],
    featured_image: { src: `data:image/svg+xml,${encodeURIComponent(svg)}`, width: 600, height: 600, alt: null },
    metafields,
  };
}

/**
 * The product with its own kembali.also_bought list, as the demo's Shopify stand-in holds it
 * once the app wrote one (ids in order; ids the demo's catalogue does not have render as
 * nothing, as deleted products do on Shopify).
 */
function withOwnList(p: DemoProduct, locale: "en" | "id"): LiquidProduct {
  const ids = localShopify(config.demoShop).state.alsoBought[p.productId];
  if (!ids?.length) return liquidProduct(p, locale);
  const value = ids.map((id) => DEMO_PRODUCTS.find((d) => d.productId === id)).map((d) => (d ? liquidProduct(d, locale) : null));
  return liquidProduct(p, locale, { kembali: { also_bought: { value } } });
}

/**
 * The shop metafields the recommendation blocks read, as the demo's Shopify stand-in holds
 * them: kembali.best_sellers (products) and kembali.appearance (the earning rate for points).
 */
function shopMetafields(locale: "en" | "id") {
  const ids = localShopify(config.demoShop).state.bestSellers;
  const byId = (id: string) => DEMO_PRODUCTS.find((p) => p.productId === id);
  const kembali: Record<string, { value: unknown }> = {};
  if (ids) kembali.best_sellers = { value: ids.map((id) => byId(id)).map((p) => (p ? liquidProduct(p, locale) : null)) };
  const appearance = appearanceMetafieldOf(config.demoShop);
  if (appearance) kembali.appearance = { value: appearance };
  return { kembali };
}

/**
 * The theme's "Customers also bought" block for this product page: the real Liquid file,
 * reading the product's own list, else the shop's best sellers, from the demo's Shopify stand-in.
 */
async function alsoBought(product: DemoProduct, locale: "en" | "id") {
  return renderBlock(
    "also_bought",
    {
      product: withOwnList(product, locale),
      shop: { metafields: shopMetafields(locale) },
      block: { id: "demo-also-bought", settings: { accent: "#6f4e37" } },
    },
    { locale, moneyFormat: DEMO_MONEY_FORMAT },
  );
}

/** The cart page's "Complete your order" block: the real Liquid file over the demo cart. */
async function completeYourOrder(items: DemoCartItem[], locale: "en" | "id") {
  const lines = items.map(({ product, quantity }) => ({
    product_id: Number(product.productId),
    quantity,
    product: withOwnList(product, locale),
  }));
  return renderBlock(
    "complete_your_order",
    {
      product: null,
      cart: { item_count: items.reduce((n, i) => n + i.quantity, 0), items: lines },
      shop: { metafields: shopMetafields(locale) },
      block: { id: "demo-complete-your-order", settings: { accent: "#6f4e37" } },
    },
    { locale, moneyFormat: DEMO_MONEY_FORMAT },
  );
}

/** ?as= (log in as a demo shopper) and ?visitor= (stand in for another address) set cookies and come back. */
function identityRedirect(request: Request): Response | null {
  const url = new URL(request.url);
  const headers = new Headers({ "Cache-Control": "no-store" });
  const as = url.searchParams.get("as");
  const visitor = url.searchParams.get("visitor");
  if (as === null && visitor === null) return null;
  if (as !== null) {
    const id = DEMO_SHOPPERS.some((c) => c.id === as) ? as : "";
    headers.append("Set-Cookie", `${CUSTOMER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${id ? "" : "; Max-Age=0"}`);
  }
  if (visitor !== null) {
    const address = isIP(visitor) ? visitor : "";
    headers.append("Set-Cookie", `${VISITOR_COOKIE}=${address}; Path=/; HttpOnly; SameSite=Lax${address ? "" : "; Max-Age=0"}`);
  }
  url.searchParams.delete("as");
  url.searchParams.delete("visitor");
  headers.set("Location", url.pathname + (url.search || ""));
  return new Response(null, { status: 303, headers });
}

const pageLocale = (request: Request): "en" | "id" => (new URL(request.url).searchParams.get("locale") === "id" ? "id" : "en");

export async function storefrontPage(request: Request): Promise<Response> {
  const redirect = identityRedirect(request);
  if (redirect) return redirect;
  const url = new URL(request.url);
  const locale = pageLocale(request);
  const product = DEMO_PRODUCTS.find((p) => p.productId === url.searchParams.get("product")) ?? DEMO_PRODUCTS[0];
  const block = await alsoBought(product, locale);
  const placed = url.searchParams.get("order");
  const discount = cartDiscountCode(request);
  const cartQuery = locale === "id" ? "?locale=id" : "";
  const photo = themePhoto(`product-${product.productId}`, 600);
  const main = `<section class="product">
    <div class="gallery" data-theme-gallery>
      <img src="${photo}" srcset="${themePhoto(`product-${product.productId}`, 400)} 400w, ${photo} 600w, ${themePhoto(`product-${product.productId}`, 800)} 800w"
        sizes="(max-width: 700px) 100vw, 440px" width="600" height="600" fetchpriority="high" alt="${escapeHtml(product.title)}">
      <div class="thumbs">${[photo, themePhoto("hero", 400)].map((src, i) => `<button type="button" class="thumb" data-theme-thumb="${src}" aria-label="Photo ${i + 1}"></button>`).join("")}</div>
    </div>
    <div>
      <h1>${escapeHtml(product.title)}</h1>
      <p>${escapeHtml(formatShopMoney(product.price * 100, DEMO_MONEY_FORMAT))}${product.soldOut ? ` · <span class="sold-out">Sold out</span>` : ""}</p>
      <form method="post" action="/demo/order">
        <input type="hidden" name="product" value="${product.productId}">
        <label>Quantity <input name="quantity" type="number" min="1" max="20" value="2" style="width:4em"></label>
        <button type="submit">Place a demo order (paid)</button>
      </form>
      ${
        product.soldOut
          ? ""
          : `<form method="post" action="/demo/cart${cartQuery}">
        <input type="hidden" name="intent" value="add">
        <input type="hidden" name="product" value="${product.productId}">
        <input type="hidden" name="quantity" value="1">
        <button type="submit" class="secondary" data-testid="demo-add-to-cart">Add to cart</button>
      </form>`
      }
      ${discount ? `<p data-testid="demo-cart-discount">Discount code <code>${escapeHtml(discount)}</code> is on your cart.</p>` : ""}
      ${placed ? `<p role="status">${placed === "failed" ? "The order webhook was refused." : `Order ${escapeHtml(placed)} paid: Kembali received a signed orders/paid webhook. <a href="/demo/thank-you?order=${escapeHtml(placed)}" data-testid="demo-thank-you-link">See the thank-you page</a>`}</p>` : ""}
    </div>
  </section>
  ${block.html}`;
  return page(request, {
    main,
    stylesheet: block.html ? block.stylesheet : null,
    pixel: { productId: product.productId, addedProductId: null, paidOrderId: placed && placed !== "failed" ? placed : null },
  });
}

/** GET /demo/home: the shop's home page as themes draw it: a hero banner and a product grid. */
export async function homePage(request: Request): Promise<Response> {
  const redirect = identityRedirect(request);
  if (redirect) return redirect;
  const locale = pageLocale(request);
  const query = locale === "id" ? "&locale=id" : "";
  const cards = DEMO_PRODUCTS.map(
    (p, i) => `<a class="theme-card" href="/demo/store?product=${p.productId}${query}">
      <img src="${themePhoto(`product-${p.productId}`, 400)}" width="400" height="400" alt="${escapeHtml(p.title)}"${i >= 4 ? ' loading="lazy"' : ""}>
      <span>${escapeHtml(p.title)}</span> <span>${escapeHtml(formatShopMoney(p.price * 100, DEMO_MONEY_FORMAT))}</span></a>`,
  ).join("\n");
  const main = `<section class="hero">
    <img src="${themePhoto("hero", 800)}" srcset="${themePhoto("hero", 800)} 800w, ${themePhoto("hero", 1200)} 1200w"
      sizes="(max-width: 920px) 100vw, 872px" width="1200" height="600" fetchpriority="high" alt="">
    <div><h1>Fresh roasts, every week</h1><p>Single-origin beans from Java, Sumatra and Flores, roasted to order.</p>
    <a class="button" href="/demo/store${locale === "id" ? "?locale=id" : ""}">Shop the coffee</a></div>
  </section>
  <h2>Featured coffee</h2>
  <div class="grid">${cards}</div>`;
  return page(request, { main, stylesheet: null, pixel: { productId: null, addedProductId: null, paidOrderId: null } });
}

/** GET /demo/cart: the cart's lines and the theme's "Complete your order" block. */
export async function cartPage(request: Request): Promise<Response> {
  const redirect = identityRedirect(request);
  if (redirect) return redirect;
  const locale = pageLocale(request);
  const items = cartItems(request);
  const block = await completeYourOrder(items, locale);
  const query = locale === "id" ? "?locale=id" : "";
  const productLink = (p: DemoProduct) => `/demo/store?product=${p.productId}${locale === "id" ? "&locale=id" : ""}`;
  const total = items.reduce((sum, i) => sum + i.product.price * i.quantity, 0);
  const lines = items
    .map(
      (i) => `<li data-testid="demo-cart-line"><a href="${productLink(i.product)}">${escapeHtml(i.product.title)}</a> × ${i.quantity}
      · ${escapeHtml(formatShopMoney(i.product.price * i.quantity * 100, DEMO_MONEY_FORMAT))}
      <form method="post" action="/demo/cart${query}" style="display:inline"><input type="hidden" name="intent" value="remove"><input type="hidden" name="product" value="${i.product.productId}"><button type="submit" class="secondary">Remove</button></form></li>`,
    )
    .join("\n");
  const main = `<h1>Your cart</h1>
  ${
    items.length
      ? `<ul class="cart">${lines}</ul>
  <p>Subtotal: <strong>${escapeHtml(formatShopMoney(total * 100, DEMO_MONEY_FORMAT))}</strong></p>
  <form method="post" action="/demo/order"><input type="hidden" name="cart" value="1"><button type="submit" data-testid="demo-cart-order">Place a demo order for the cart (paid)</button></form>
  <form method="post" action="/demo/cart${query}"><input type="hidden" name="intent" value="clear"><button type="submit" class="secondary">Empty the cart</button></form>`
      : `<p data-testid="demo-cart-empty">Your cart is empty. <a href="/demo/store${query}">Continue shopping</a></p>`
  }
  ${block.html}`;
  // After "Add to cart" the cart page says which product was added, as Shopify's pixel event does.
  const added = new URL(request.url).searchParams.get("added");
  const addedProductId = DEMO_PRODUCTS.some((p) => p.productId === added) ? added : null;
  return page(request, {
    main,
    stylesheet: block.html ? block.stylesheet : null,
    pixel: { productId: null, addedProductId, paidOrderId: null },
  });
}

/** The demo theme around a page: header, the demo note and the app embed's widget. */
async function page(
  request: Request,
  { main, stylesheet, pixel }: { main: string; stylesheet: string | null; pixel: Parameters<typeof demoPixelTag>[0] },
): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  const locale = pageLocale(request);
  // The app embed's rules (theme editor, then the app's metafield, then defaults); this demo
  // theme sets nothing in its theme editor.
  const look = widgetLook({
    storefrontLocale: locale,
    theme: {},
    metafield: appearanceMetafieldOf(config.demoShop),
    themeStrings: await widgetStrings(locale),
  });
  const customerId = loggedInCustomer(request);
  // After a (re)start the demo's Shopify has the members' balances again before the first page.
  await demoStandInReady();
  // What Liquid reads from customer.metafields.kembali.balance: the demo's Shopify stand-in,
  // kept current by the app's metafield sync.
  const metafields = customerId ? localShopify(config.demoShop).customer(customerId).metafields : undefined;
  const metafieldBalance = metafields?.balance;
  // As the app embed: a customer in the holdout group gets no widget.
  const heldOut = metafields?.holdout === true;
  const customer = DEMO_SHOPPERS.find((c) => c.id === customerId) ?? null;
  const shop = await prisma.shop.findUnique({ where: { domain: config.demoShop } });
  const otherLocale = new URL(url);
  otherLocale.searchParams.set("locale", locale === "id" ? "en" : "id");
  otherLocale.searchParams.delete("order");
  const cartCount = cartItems(request).reduce((n, i) => n + i.quantity, 0);
  const people = [...DEMO_SHOPPERS.slice(0, 6), ...DEMO_NEW_SHOPPERS]
    .map((c) => `<a href="/demo/store?as=${c.id}">${escapeHtml(c.firstName)} ${escapeHtml(c.lastName)}</a>`)
    .join(" · ");
  // The widget element carries the same attributes and strings the app embed block renders in
  // Liquid (extensions/kembali-theme/blocks/app_embed.liquid); "<" is escaped so no string can
  // end the script element.
  const html = `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kopi Kembali — demo store</title>
<link rel="preload" href="/demo/theme/inter-400.woff2" as="font" type="font/woff2" crossorigin>
<style>
  @font-face { font-family: Inter; font-weight: 400; font-display: swap; src: url(/demo/theme/inter-400.woff2) format("woff2"); }
  @font-face { font-family: Inter; font-weight: 600 700; font-display: swap; src: url(/demo/theme/inter-600.woff2) format("woff2"); }
  body { font: 16px/1.5 Inter, system-ui, sans-serif; margin: 0; color: #1f2328; background: #fbf8f4; }
  header, main, footer { max-width: 920px; margin: 0 auto; padding: 16px 24px; }
  header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #e7dfd5; }
  .product { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; margin-top: 24px; }
  img { max-width: 100%; height: auto; display: block; }
  .gallery img, .hero img, .theme-card img { border-radius: 12px; }
  .thumbs { display: flex; gap: 8px; margin-top: 8px; }
  .thumb { width: 48px; height: 48px; padding: 0; background: #c8a27c; }
  .hero { position: relative; margin-top: 16px; }
  .hero div { position: absolute; left: 24px; bottom: 24px; right: 24px; color: #fff; text-shadow: 0 1px 3px #0008; }
  .hero h1 { font-size: clamp(28px, 6vw, 48px); margin: 0; }
  .button { display: inline-block; padding: 10px 18px; border-radius: 8px; background: #6f4e37; color: #fff; text-decoration: none; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 16px; }
  .theme-card { color: inherit; text-decoration: none; transition: opacity 0.3s; }
  .theme-step { padding: 4px 10px; margin-left: 4px; }
  nav a { margin-right: 12px; }
  @media (max-width: 700px) { .product { grid-template-columns: 1fr; } }
  button { font: inherit; padding: 10px 18px; border-radius: 8px; border: 0; background: #6f4e37; color: #fff; cursor: pointer; }
  button.secondary { background: transparent; color: #6f4e37; border: 1px solid #6f4e37; padding: 6px 12px; margin-top: 8px; }
  .cart { padding-left: 1.2em; }
  .sold-out { color: #8a3b12; font-weight: 600; }
  .note { background: #fff; border: 1px solid #e7dfd5; border-radius: 8px; padding: 12px 16px; margin-top: 24px; font-size: 14px; }
</style>
${stylesheet ? `<link rel="stylesheet" href="/demo/assets/${escapeHtml(stylesheet)}">` : ""}
</head>
<body>
<header>
  <strong><a href="/demo/home${locale === "id" ? "?locale=id" : ""}" style="color:inherit;text-decoration:none">Kopi Kembali</a></strong>
  <button type="button" class="secondary" data-theme-menu-toggle aria-expanded="false">Menu</button>
  <nav data-theme-menu hidden><a href="/demo/home">Home</a><a href="/demo/store">Coffee</a><a href="/demo/cart">Cart</a></nav>
  <span>${customer ? `Logged in as ${escapeHtml(customer.firstName)} ${escapeHtml(customer.lastName)} (<a href="/demo/store?as=">log out</a>)` : "Guest"}
  · <a href="/demo/cart${locale === "id" ? "?locale=id" : ""}" data-testid="demo-cart-link">Cart (${cartCount})</a>
  · <a href="${escapeHtml(otherLocale.pathname + otherLocale.search)}">${locale === "id" ? "English" : "Bahasa Indonesia"}</a></span>
</header>
<main>
  ${main}
  <div class="note">
    <p><strong>Demo storefront.</strong> This page stands in for a Shopify theme with Kembali's app embed turned on.
    The widget below is the real theme-extension asset; it calls <code>/apps/kembali/state</code>, which this demo
    forwards to the app signed with the local app secret, as Shopify's App Proxy would.
    “Customers also bought” (product pages) and “Complete your order” (the cart) are the theme extension's
    real Liquid blocks, reading the lists the app wrote to the product and shop metafields.</p>
    <p>Log in as: ${people}${shop ? "" : " — run <code>npm run demo</code> to seed the demo shop first."}</p>
  </div>
</main>
${
  heldOut
    ? ""
    : `<kembali-widget
  data-proxy="/apps/kembali"
  data-locale="${escapeHtml(look.locale)}"
  data-customer="${customerId ?? ""}"
  data-balance="${metafieldBalance ?? ""}"
  data-currency="${escapeHtml(shop?.currency ?? "IDR")}"
  data-money-format="${escapeHtml(DEMO_MONEY_FORMAT)}"
  data-position="${look.position}"
  data-accent="${escapeHtml(look.accent)}"
  data-on-accent="${escapeHtml(look.onAccent)}"
  data-title="${escapeHtml(look.title)}"
  data-login-url="/demo/store"
  data-register-url="/demo/store"
  data-cart-url="/demo/store"
  data-css="/demo/assets/kembali-widget.css"
  data-panel="/demo/assets/kembali-panel.js"
  data-picked="/demo/assets/kembali-card-picked.js"
  data-survey="/demo/assets/kembali-card-survey.js">
  <script type="application/json" data-kembali-i18n>${JSON.stringify(look.strings).replace(/</g, "\\u003c")}</script>
</kembali-widget>
${launcherLoader("/demo/assets/kembali-widget.js")}`
}
<script src="/demo/theme/theme.js" defer></script>
${await demoPixelTag(pixel)}
</body>
</html>`;
  return new Response(html, { headers });
}
