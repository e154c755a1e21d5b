// orders/fulfilled: the order's fulfilment time, which the storefront survey card waits on.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { fulfilledAt, fulfilledOrderPayload } from "~/shopify/webhook-payloads";
import { recordFulfilment } from "~/domain/surveys/fulfilment";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, fulfilledOrderPayload, async ({ deps, shop, triggeredAt }, payload) => {
    await recordFulfilment(deps, shop, payload.id, fulfilledAt(payload, triggeredAt ?? deps.clock()));
  });
