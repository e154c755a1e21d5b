// POST /apps/kembali/referral/claim {code, requestId}: the friend who followed a referral link
// takes their welcome discount code. A logged-in friend is the signed logged_in_customer_id (a
// code for them only; or the guest code their address took for this referrer in the last 30
// days, if Shopify says nobody has used it yet); a guest is known by the hashed IP of the signed
// request (a code for any buyer, once; decision 006). The body only names the code.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma, { transaction } from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { claimFriendReward, claimGuestFriendReward } from "~/domain/referrals";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { shopifyFor } from "~/shopify/admin.server";
import { hitRateLimits, storefrontLimits } from "~/domain/rate-limit";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ code: z.string().min(1).max(32), requestId: z.string().min(8).max(64) });

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    await refuseHeldOut(prisma, shop, customerId);
    await hitRateLimits({ db: prisma, clock: systemClock }, storefrontLimits(shop, "referral-claim", customerId, ipHash));
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "code and requestId are required");
    const deps = { db: prisma, clock: systemClock, transaction: transaction(prisma), shopify: await shopifyFor(shop) };
    const { code, requestId } = parsed.data;
    const reward = customerId
      ? await claimFriendReward(deps, shop, code, { shopifyCustomerId: customerId, requestId, ipHash })
      : await claimGuestFriendReward(deps, shop, code, { requestId, ipHash });
    return jsonResponse({ reward });
  } catch (error) {
    return errorResponse(error);
  }
}
