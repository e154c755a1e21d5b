import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { cancelledOrderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { onCancellation } from "~/domain/earning/events";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, cancelledOrderPayload, ({ deps, shop }, payload) => {
    const cancelledAt = new Date(payload.cancelled_at);
    return onCancellation(deps, shop, toPaidOrder(payload, cancelledAt), cancelledAt);
  });
