import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { refundCurrency, refundPayload, toRefund } from "~/shopify/webhook-payloads";
import { onRefund } from "~/domain/earning/events";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, refundPayload, ({ deps, shop }, payload) =>
    onRefund(deps, shop, refundCurrency(payload), (currency) => toRefund(payload, currency)),
  );
