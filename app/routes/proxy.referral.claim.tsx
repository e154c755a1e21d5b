// POST /apps/kembali/referral/claim {code, requestId}: the friend who followed a referral link
// takes their welcome discount code. A logged-in friend is the signed logged_in_customer_id (a
// code for them only; or the guest code their address took for this referrer in the last 30
// days, if Shopify says nobody has used it yet); a guest is known by the hashed IP of the signed
// request (a code for any buyer, once; decision 006). The body only names the code.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { claimReferralReward } from "~/domain/referrals";
import { storefrontLimits } from "~/domain/rate-limit";

const body = z.object({ code: z.string().min(1).max(32), requestId: z.string().min(8).max(64) });

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    async ({ deps, shop, customerId, ipHash }, { code, requestId }) => ({
      reward: await claimReferralReward(deps, shop, code, { shopifyCustomerId: customerId, requestId, ipHash }),
    }),
    {
      badInput: "code and requestId are required",
      limits: ({ shop, customerId, ipHash }) => storefrontLimits(shop, "referral-claim", customerId, ipHash),
      shopify: true,
    },
  );
