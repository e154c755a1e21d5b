// Demo only: Shopify's discount permalink (/discount/CODE?redirect=/path), which the widget's
// "Apply to cart" links to; on a real shop Shopify answers it, never the app.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { applyDemoDiscount } from "~/demo/storefront.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return applyDemoDiscount(request, params.code ?? "");
}
