import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { customerPayload, toOrderCustomer } from "~/shopify/webhook-payloads";
import { recordCustomer } from "~/domain/customers";
import { systemClock } from "~/domain/deps";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerPayload, ({ tx, shop }, payload) =>
    recordCustomer({ db: tx, clock: systemClock }, shop, toOrderCustomer(payload), { source: "customers/update", state: payload.state ?? null }),
  );
