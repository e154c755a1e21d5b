import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { cartPage, updateDemoCart } from "~/demo/storefront.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return cartPage(request);
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  const form = await request.formData();
  return updateDemoCart(request, {
    intent: String(form.get("intent") ?? ""),
    product: String(form.get("product") ?? ""),
    quantity: Number(form.get("quantity") ?? 1),
  });
}
