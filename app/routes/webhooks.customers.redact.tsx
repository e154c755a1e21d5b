import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { customerPrivacyPayload } from "~/shopify/webhook-payloads";
import { redactCustomer } from "~/domain/compliance";
import { systemClock } from "~/domain/deps";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerPrivacyPayload, ({ tx, shop }, payload) =>
    redactCustomer({ db: tx, clock: systemClock }, shop, payload.customer.id),
  );
