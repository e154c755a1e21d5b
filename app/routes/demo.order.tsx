import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { placeDemoCartOrder, placeDemoOrder } from "~/demo/storefront.server";

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  const form = await request.formData();
  if (form.get("cart") === "1") return placeDemoCartOrder(request, context);
  return placeDemoOrder(request, context, String(form.get("product") ?? ""), Number(form.get("quantity") ?? 1));
}
