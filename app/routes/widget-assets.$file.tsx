// GET /widget-assets/<file>: the built widget script and stylesheet, for the admin's live
// preview (an app page cannot load the theme extension's CDN copy offline or before deploy).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAsset } from "~/widget-assets.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return readAsset(params.file ?? "");
}
