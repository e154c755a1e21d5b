// orders/fulfilled: the order's fulfilment time, which the storefront survey card waits on. An
// order fulfilled before it is paid (cash on delivery) is kept with that time until orders/paid.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { fulfilledAt, fulfilledOrderPayload, orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { recordFulfilment } from "~/domain/surveys/fulfilment";
import { recordFulfilledBeforePaid } from "~/domain/earning/orders";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, fulfilledOrderPayload, async ({ deps, shop, triggeredAt }, payload) => {
    const at = fulfilledAt(payload, triggeredAt ?? deps.clock());
    if (await recordFulfilment(deps, shop, payload.id, at)) return;
    // Not seen paid yet: keep the order with its fulfilment time when the body is a whole order.
    const order = orderPayload.safeParse(payload);
    if (order.success) await recordFulfilledBeforePaid(deps, shop, toPaidOrder(order.data, at), at);
  });
