// POST /apps/kembali/referral/invite {email}: the logged-in member invites a friend by email, so
// the friend's first order with that email is attributed to them (the widget sends the link).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { inviteFriend } from "~/domain/referrals";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { hitRateLimits, storefrontLimits, type Limit } from "~/domain/rate-limit";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ email: z.string().min(3).max(254) });

// Each invite can claim a stranger's order by email: a daily cap keeps a script from reserving many.
const INVITES_PER_DAY: Limit = { max: 20, windowSeconds: 86_400 };

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (request.method !== "POST") throw new KembaliError("BAD_INPUT", "Use POST");
    if (!customerId) throw new KembaliError("NOT_A_MEMBER", "Log in to invite friends");
    await refuseHeldOut(prisma, shop, customerId);
    const deps = { db: prisma, clock: systemClock };
    await hitRateLimits(deps, [
      ...storefrontLimits(shop, "referral-invite", customerId, ipHash),
      { key: `${shop}:referral-invite-daily:customer:${customerId}`, limit: INVITES_PER_DAY },
    ]);
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "email is required");
    return jsonResponse({ invite: await inviteFriend(deps, shop, customerId, parsed.data.email) });
  } catch (error) {
    return errorResponse(error);
  }
}
