// POST /apps/kembali/referral/visit {code}: the storefront widget saw `?ref=CODE` and counts the
// click. Guests allowed; a held-out shopper gets 403 NOT_IN_PROGRAMME like every proxy call
// (decision 010); rate limited per hashed IP. Answers with what the friend is offered.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { recordVisit } from "~/domain/referrals";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { hitRateLimits, storefrontLimits } from "~/domain/rate-limit";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ code: z.string().min(1).max(32) });

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    await refuseHeldOut(prisma, shop, customerId);
    const deps = { db: prisma, clock: systemClock };
    await hitRateLimits(deps, storefrontLimits(shop, "referral-visit", null, ipHash));
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "code is required");
    return jsonResponse({ visit: await recordVisit(deps, shop, parsed.data.code, ipHash) });
  } catch (error) {
    return errorResponse(error);
  }
}
