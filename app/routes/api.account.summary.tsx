// GET /api/account/summary: the customer-account extension's full page, the same ShopperState
// the storefront widget shows (app/domain/storefront.ts). Customer-account token only: always a member.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { storefrontState } from "~/domain/storefront";

// A verified customer-account token proves an account, as a signed storefront visit does
// (decision 021): storefrontState records it (it may pay the signup bonus), then answers shopperState.
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleExtension(request, "customerAccount", "account-summary", null, ({ deps, shopDomain, shopifyCustomerId }) =>
    storefrontState(deps, shopDomain, shopifyCustomerId),
  );

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "customerAccount", "account-summary", null, async () => null)
    : extensionMethodNotAllowed();
