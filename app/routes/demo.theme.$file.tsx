import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { themeAsset } from "~/demo/theme-assets.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return themeAsset(params.file ?? "");
}
