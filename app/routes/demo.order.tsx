import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { placeDemoOrder } from "~/demo/storefront.server";

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  const form = await request.formData();
  return placeDemoOrder(request, context, String(form.get("product") ?? ""), Number(form.get("quantity") ?? 1));
}
