// POST /apps/kembali/redeem {rewardId, requestId}: spend points on a reward. The shopper is the
// signed logged_in_customer_id; the body only names the reward and the request.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { redeemReward } from "~/domain/rewards/redemption";
import { storefrontLimits } from "~/domain/rate-limit";

const body = z.object({ rewardId: z.string().min(1).max(40), requestId: z.string().min(8).max(64) });

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    async ({ deps, shop, customerId }, input) => ({
      redemption: await redeemReward(deps, { shopDomain: shop, shopifyCustomerId: customerId!, ...input }),
    }),
    {
      members: "Log in to redeem rewards",
      badInput: "rewardId and requestId are required",
      limits: ({ shop, customerId, ipHash }) => storefrontLimits(shop, "redeem", customerId, ipHash),
      shopify: true,
    },
  );
