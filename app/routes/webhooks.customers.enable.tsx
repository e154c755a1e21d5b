// customers/enable: the customer now has an account (a classic invitation accepted, or the first
// sign-in to new customer accounts), which may pay the signup bonus.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { customerPayload, toOrderCustomer } from "~/shopify/webhook-payloads";
import { recordCustomer } from "~/domain/members/customers";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerPayload, ({ deps, shop }, payload) =>
    recordCustomer(deps, shop, toOrderCustomer(payload), { source: "customers/enable", state: payload.state ?? null }),
  );
