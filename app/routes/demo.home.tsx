import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { homePage } from "~/demo/storefront.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return homePage(request);
}
