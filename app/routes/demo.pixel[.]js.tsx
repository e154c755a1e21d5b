// GET /demo/pixel.js: Kembali's web pixel with a stand-in for Shopify's pixel runtime, for the
// demo storefront (app/demo/pixel.server.ts). Demo mode only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { demoPixelScript } from "~/demo/pixel.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return demoPixelScript(request);
}
