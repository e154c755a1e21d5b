// The demo storefront's stand-in for Shopify's web pixel runtime. On a real store Shopify loads
// Kembali's pixel (extensions/kembali-pixel) in a sandboxed worker and publishes its standard
// events to it; here the same pixel source, bundled as the CLI bundles it, runs in a Web Worker,
// and the demo page publishes what Shopify would on that page: product_viewed on a product page,
// checkout_completed once a demo order is paid. The pixel then posts to the app's real
// /pixel/events, so the dashboard's recommendation figures come from real reports.
import path from "node:path";
import prisma from "../db.server";
import { config } from "../config.server";

let bundled: Promise<string> | null = null;

/** The pixel's source bundled once per process (esbuild, only ever loaded in demo mode). */
function pixelBundle(): Promise<string> {
  bundled ??= import("esbuild").then(async ({ build }) => {
    const out = await build({
      entryPoints: [path.resolve("extensions/kembali-pixel/src/index.ts")],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      target: "es2020",
      minify: true,
      // The CLI inlines APP_URL at build time; the stand-in sets it for the demo's own address.
      define: { "process.env.APP_URL": "self.KEMBALI_APP_URL" },
    });
    return out.outputFiles[0].text;
  });
  return bundled;
}

// Runs first in the worker: Shopify's `shopify.extend`, `analytics.subscribe` and the async
// `browser.sessionStorage` (the page's, reached by messages, as Shopify's sandbox does).
const RUNTIME = `
let extension = null;
const handlers = {};
const pending = new Map();
let asked = 0;
self.shopify = { extend(point, fn) { if (point === "WebPixel::Render") extension = fn; } };
const ask = (op, key, value) => new Promise((resolve) => { asked += 1; pending.set(asked, resolve); postMessage({ op, id: asked, key, value }); });
const browser = { sessionStorage: { getItem: (k) => ask("get", k), setItem: (k, v) => ask("set", k, v), removeItem: (k) => ask("remove", k) } };
self.onmessage = async ({ data }) => {
  if (data.reply) { pending.get(data.reply)?.(data.value); pending.delete(data.reply); return; }
  if (data.init && extension) {
    extension({ analytics: { subscribe: (name, fn) => { (handlers[name] ??= []).push(fn); } }, browser, init: data.init, settings: data.settings });
    return;
  }
  if (data.event) for (const fn of handlers[data.event.name] ?? []) await fn(data.event);
};
`;

/** GET /demo/pixel.js: the runtime stand-in, then the pixel, posting to this server. */
export async function demoPixelScript(request: Request): Promise<Response> {
  const origin = new URL(request.url).origin;
  const body = `self.KEMBALI_APP_URL = ${JSON.stringify(origin)};\n${RUNTIME}\n${await pixelBundle()}`;
  return new Response(body, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * The page's side: loads the pixel into a worker with the demo shop's settings and publishes
 * this page's events. Empty while the app has not connected the shop's pixel yet (as on Shopify,
 * where a pixel runs only once the app has created it).
 */
export async function demoPixelTag(page: {
  /** The product page being viewed, if this is one. */
  productId: string | null;
  /** A product just added to the cart, if one was. */
  addedProductId: string | null;
  /** A demo order that was just paid, if one was: its checkout is completed on this page. */
  paidOrderId: string | null;
}): Promise<string> {
  const shop = await prisma.shop.findUnique({
    where: { domain: config.demoShop },
    select: { id: true, pixelKey: true, pixelConnectedAt: true },
  });
  if (!shop?.pixelKey || !shop.pixelConnectedAt) return "";
  const variant = (productId: string) => ({ product: { id: `gid://shopify/Product/${productId}` } });
  const events: Array<{ name: string; data: unknown }> = [];
  if (page.productId) events.push({ name: "product_viewed", data: { productVariant: variant(page.productId) } });
  if (page.addedProductId)
    events.push({ name: "product_added_to_cart", data: { cartLine: { merchandise: variant(page.addedProductId) } } });
  if (page.paidOrderId) {
    // The checkout's lines are the order's, as the app recorded them from the signed webhook.
    const lines = await prisma.orderLine.findMany({
      where: { order: { shopId: shop.id, shopifyOrderId: page.paidOrderId }, productId: { not: null } },
      select: { productId: true },
    });
    events.push({
      name: "checkout_completed",
      data: {
        checkout: {
          order: { id: `gid://shopify/Order/${page.paidOrderId}` },
          lineItems: lines.map((l) => ({ variant: variant(l.productId!) })),
        },
      },
    });
  }
  if (events.length === 0) return "";
  const setup = { init: { data: { shop: { myshopifyDomain: config.demoShop } } }, settings: { shopKey: shop.pixelKey }, events };
  // "<" escaped: no value can end the script element.
  return `<script type="application/json" id="kembali-demo-pixel">${JSON.stringify(setup).replace(/</g, "\\u003c")}</script>
<script>
(async () => {
  const setup = JSON.parse(document.getElementById("kembali-demo-pixel").textContent);
  const code = await (await fetch("/demo/pixel.js")).text();
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  worker.onmessage = ({ data }) => {
    let value = null;
    if (data.op === "get") value = sessionStorage.getItem(data.key);
    else if (data.op === "set") sessionStorage.setItem(data.key, data.value);
    else if (data.op === "remove") sessionStorage.removeItem(data.key);
    worker.postMessage({ reply: data.id, value });
  };
  worker.postMessage({ init: setup.init, settings: setup.settings });
  for (const event of setup.events) {
    const id = "demo-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
    worker.postMessage({ event: { ...event, id, context: { document: { location: { href: location.href } } } } });
  }
})();
</script>`;
}
