import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { cancelledOrderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { recordCancellation } from "~/domain/orders";
import { systemClock } from "~/domain/deps";
import { evaluateTierAfter } from "~/shopify/tier-followup.server";
import { cancelReferralForOrder } from "~/domain/referrals";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, cancelledOrderPayload, async ({ tx, shop }, payload) => {
    const cancelledAt = new Date(payload.cancelled_at);
    await recordCancellation({ db: tx, clock: systemClock }, shop, toPaidOrder(payload, cancelledAt), cancelledAt);
    await cancelReferralForOrder({ db: tx, clock: systemClock }, shop, payload.id);
  }, { after: (shop, payload) => evaluateTierAfter(shop, payload.id, "cancellation") });
