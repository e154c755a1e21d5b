// GET /api/account/order?order=<id>: the customer-account extension's order-status block asks
// what the member's order earns (common/survey-api.ts OrderSummary). Customer-account token only.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { extensionOrderSummary } from "~/shopify/extension-order.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  handleExtension(request, "customerAccount", "account-order", null, (ctx) => extensionOrderSummary(ctx, request, "account"));

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "customerAccount", "account-order", null, async () => null)
    : extensionMethodNotAllowed();
