// The signing helpers and demo catalogue, for the benchmark (loaded through tsx).
export { signedWebhookRequest } from "../app/shopify/webhook-signature";
export { signProxyQuery } from "../app/shopify/proxy-signature";
export { orderPaidPayload, DEMO_PRODUCTS } from "../app/demo/catalog";
