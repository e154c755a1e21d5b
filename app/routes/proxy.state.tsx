// GET /apps/kembali/state on the shop's domain: everything the storefront widget shows.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleProxy } from "~/proxy.server";
import { storefrontState } from "~/domain/storefront";

// A signed, logged-in visit is also the signal that the shopper has an account (signup bonus, decision 021).
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleProxy(request, null, ({ deps, shop, customerId }) => storefrontState(deps, shop, customerId), {
    // shopperState refuses a held-out shopper itself, from the shop it reads anyway.
    holdout: false,
  });
