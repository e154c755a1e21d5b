// Demo only: POST /cart/update.js {attributes} of the shop's Ajax Cart API.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { demoCart } from "~/demo/storefront.server";

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  return demoCart(request);
}
