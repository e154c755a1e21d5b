// POST /apps/kembali/redeem {rewardId, requestId}: spend points on a reward. The shopper is the
// signed logged_in_customer_id; the body only names the reward and the request.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma, { transaction } from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { redeemReward } from "~/domain/redemption";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { shopifyFor } from "~/shopify/admin.server";
import { hitRateLimits, storefrontLimits } from "~/domain/rate-limit";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ rewardId: z.string().min(1).max(40), requestId: z.string().min(8).max(64) });

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    if (!customerId) throw new KembaliError("NOT_A_MEMBER", "Log in to redeem rewards");
    await refuseHeldOut(prisma, shop, customerId);
    await hitRateLimits({ db: prisma, clock: systemClock }, storefrontLimits(shop, "redeem", customerId, ipHash));
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "rewardId and requestId are required");
    const redemption = await redeemReward(
      { db: prisma, clock: systemClock, transaction: transaction(prisma), shopify: await shopifyFor(shop) },
      { shopDomain: shop, shopifyCustomerId: customerId, ...parsed.data },
    );
    return jsonResponse({ redemption });
  } catch (error) {
    return errorResponse(error);
  }
}
