// POST /apps/kembali/action {key, requestId}: the shopper did one of the shop's ways to earn
// (newsletter, follow, review, ...). Honour-based: rate-limited, capped and pending (claimAction).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma, { transaction } from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { claimAction } from "~/domain/bonuses";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ key: z.string().min(1).max(40), requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (!customerId) throw new KembaliError("NOT_A_MEMBER", "Log in to earn points");
    await refuseHeldOut(prisma, shop, customerId);
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "key and requestId are required");
    const result = await claimAction(
      { db: prisma, clock: systemClock, transaction: transaction(prisma) },
      { shopDomain: shop, shopifyCustomerId: customerId, ipHash, ...parsed.data },
    );
    return jsonResponse(result);
  } catch (error) {
    return errorResponse(error);
  }
}
