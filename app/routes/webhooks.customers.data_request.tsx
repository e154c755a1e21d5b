import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { customerPrivacyPayload } from "~/shopify/webhook-payloads";
import { recordDataRequest } from "~/domain/members/compliance";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerPrivacyPayload, ({ deps, shop }, payload) => recordDataRequest(deps, shop, payload.customer.id));
