// GET /apps/kembali/state on the shop's domain: everything the storefront widget shows.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleProxy } from "~/proxy.server";
import { shopperState } from "~/domain/storefront";

export const loader = ({ request }: LoaderFunctionArgs) =>
  handleProxy(request, null, ({ deps, shop, customerId }) => shopperState(deps, shop, customerId), {
    // shopperState refuses a held-out shopper itself, from the shop it reads anyway.
    holdout: false,
  });
