import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { recordPaidOrder } from "~/domain/orders";
import { systemClock } from "~/domain/deps";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, orderPayload, ({ tx, shop, triggeredAt }, payload) => {
    const paidAt = triggeredAt ?? new Date(payload.processed_at ?? payload.created_at);
    return recordPaidOrder({ db: tx, clock: systemClock }, shop, toPaidOrder(payload, paidAt));
  });
