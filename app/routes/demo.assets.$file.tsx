import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { readAsset } from "~/demo/storefront.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return readAsset(params.file ?? "");
}
