// Loaded into a test's app server with NODE_OPTIONS=--import (see ./cluster.ts), never by the
// app: the server's calls to a shop's Admin API (https://<shop>.myshopify.com/admin/...) go to
// the test's Shopify stand-in at KEMBALI_TEST_SHOPIFY_ADMIN instead, the shop named in a header.
// Everything else the server does is the production build as deployed.
const standIn = process.env.KEMBALI_TEST_SHOPIFY_ADMIN;
if (standIn) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.protocol !== "https:" || !url.hostname.endsWith(".myshopify.com") || !url.pathname.startsWith("/admin/")) {
      return realFetch(request);
    }
    const headers = new Headers(request.headers);
    headers.set("x-test-shop", url.hostname);
    return realFetch(`${standIn}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: request.body,
      duplex: "half",
    });
  };
}
