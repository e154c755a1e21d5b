import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isDemo } from "~/demo.server";

// Shopify opens the app at / with ?shop=...: hand over to the embedded app.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop") || isDemo) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Kembali: loyalty, referrals and retention for Shopify. Install it from the Shopify App Store.", {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
