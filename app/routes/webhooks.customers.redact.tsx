import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { customerPrivacyPayload } from "~/shopify/webhook-payloads";
import { redactCustomer } from "~/domain/compliance";
import { forgetReferralContacts, contactHasher } from "~/domain/referrals";
import { systemClock } from "~/domain/deps";
import { config } from "~/config.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, customerPrivacyPayload, async ({ tx, shop }, payload) => {
    // The referral contact hashes go first: they are found through the customer's email.
    await forgetReferralContacts({ db: tx, clock: systemClock, fingerprint: contactHasher(config.apiSecret) }, shop, payload.customer.id);
    await redactCustomer({ db: tx, clock: systemClock }, shop, payload.customer.id, payload.customer.email);
  });
