import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { placeDemoOrder } from "~/demo/storefront.server";

export async function action({ request }: ActionFunctionArgs) {
  requireDemo(request);
  const form = await request.formData();
  return placeDemoOrder(request, String(form.get("product") ?? ""), Number(form.get("quantity") ?? 1));
}
