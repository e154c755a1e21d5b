import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { shopRedactPayload } from "~/shopify/webhook-payloads";
import { redactShop } from "~/domain/members/compliance";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, shopRedactPayload, ({ deps, shop }) => redactShop(deps, shop));
