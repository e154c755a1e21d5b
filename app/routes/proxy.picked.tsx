// GET /apps/kembali/picked on the shop's domain: the "picked for you" card's products for the
// logged-in shopper (guests: 403 NOT_A_MEMBER), from their own paid orders.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleProxy } from "~/proxy.server";
import { pickedForShopper } from "~/domain/recommendations/picked";
import { productFactsIfNeeded } from "~/domain/earning/product-facts";

export const loader = ({ request }: LoaderFunctionArgs) =>
  handleProxy(
    request,
    null,
    ({ deps, shop, customerId }) =>
      pickedForShopper(
        { db: deps.db, productFacts: (settings, ids) => productFactsIfNeeded(settings, ids, () => deps.shopifyFor(shop)) },
        shop,
        customerId!,
      ),
    // Shopify is asked only when the program has product rules (tags, collections) for the points.
    { members: "Sign in to see products picked for you" },
  );
