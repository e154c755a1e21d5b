// POST /apps/kembali/referral/visit {code}: the storefront widget saw `?ref=CODE` and counts the
// click. Guests allowed; a held-out shopper gets 403 NOT_IN_PROGRAM like every proxy call
// (decision 010); rate limited per hashed IP. Answers with what the friend is offered.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { recordVisit } from "~/domain/referrals";
import { storefrontLimits } from "~/domain/rate-limit";

const body = z.object({ code: z.string().min(1).max(32) });

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(request, body, async ({ deps, shop, ipHash }, { code }) => ({ visit: await recordVisit(deps, shop, code, ipHash) }), {
    badInput: "code is required",
    limits: ({ shop, ipHash }) => storefrontLimits(shop, "referral-visit", null, ipHash),
  });
