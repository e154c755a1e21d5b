// GET /api/checkout/order?order=<id>: the thank-you and order-status pages' checkout extension
// asks what this order earns (common/survey-api.ts OrderSummary). Checkout session token only.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { extensionOrderSummary } from "~/shopify/extension-order.server";

// Remix hands a resource route's OPTIONS requests (the browser's preflight) to its loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleExtension(request, "checkout", "checkout-order", null, (ctx) => extensionOrderSummary(ctx, request, "checkout"));

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "checkout", "checkout-order", null, async () => null)
    : extensionMethodNotAllowed();
