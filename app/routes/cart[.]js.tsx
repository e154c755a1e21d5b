// Demo only: the shop's Ajax Cart API, as far as the widget uses it (cart attributes).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { demoCart } from "~/demo/storefront.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return demoCart(request);
}
