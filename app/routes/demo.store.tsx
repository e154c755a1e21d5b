import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { storefrontPage } from "~/demo/storefront.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return storefrontPage(request);
}
