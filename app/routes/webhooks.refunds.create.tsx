import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { refundPayload, toRefund } from "~/shopify/webhook-payloads";
import { recordRefund } from "~/domain/orders";
import { ensureShop } from "~/domain/shops";
import { systemClock } from "~/domain/deps";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, refundPayload, async ({ tx, shop }, payload) => {
    const { currency } = await ensureShop(tx, shop);
    return recordRefund({ db: tx, clock: systemClock }, shop, toRefund(payload, currency));
  });
