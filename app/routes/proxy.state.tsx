// GET /apps/kembali/state on the shop's domain: everything the storefront widget shows.
// A call whose answer is stored and current is answered before Remix (app/state-fast-path.server.ts);
// this route answers the others and stores the answer.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { handleProxy } from "~/proxy.server";
import { storefrontState } from "~/domain/storefront";
import { stateBuild } from "~/state-fast-path.server";

// A signed, logged-in visit is also the signal that the shopper has an account (signup bonus, decision 021).
export const loader = ({ request }: LoaderFunctionArgs) =>
  handleProxy(
    request,
    null,
    // The widget's language (part of the signed query): the language of this member's emails.
    ({ deps, shop, customerId }) => storefrontState(deps, shop, customerId, new URL(request.url).searchParams.get("lang"), stateBuild()),
    {
      // shopperState refuses a held-out shopper itself, from the shop it reads anyway.
      holdout: false,
    },
  );
