// Demo only: Shopify's App Proxy (/apps/kembali/* on the shop's domain) for the demo store.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { forwardToProxy } from "~/demo/storefront.server";

async function forward({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  requireDemo(request, context);
  return forwardToProxy(request, params["*"] ?? "", context);
}

export const loader = forward;
export const action = forward;
