import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { refundCurrency, refundPayload, toRefund } from "~/shopify/webhook-payloads";
import { recordRefund } from "~/domain/orders";
import { ensureShop } from "~/domain/shops";
import { systemClock } from "~/domain/deps";
import { evaluateTierAfter } from "~/shopify/tier-followup.server";
import { cancelReferralForOrder } from "~/domain/referrals";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, refundPayload, async ({ tx, shop }, payload) => {
    // A refund can be the first event Kembali sees from a shop: take its currency from it.
    const { currency } = await ensureShop(tx, shop, refundCurrency(payload) ?? undefined);
    await recordRefund({ db: tx, clock: systemClock }, shop, toRefund(payload, currency));
    // A refund inside the hold window cancels the friend's referral (when nothing qualifying is left).
    await cancelReferralForOrder({ db: tx, clock: systemClock }, shop, payload.order_id);
  }, { after: (shop, payload) => evaluateTierAfter(shop, payload.order_id, "refund") });
