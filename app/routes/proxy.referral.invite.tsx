// POST /apps/kembali/referral/invite {email}: the logged-in member invites a friend by email, so
// the friend's first order with that email is attributed to them (the widget sends the link).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { inviteFriend } from "~/domain/referrals";
import { storefrontLimits, type Limit } from "~/domain/rate-limit";

const body = z.object({ email: z.string().min(3).max(254) });

// Each invite can claim a stranger's order by email: a daily cap keeps a script from reserving many.
const INVITES_PER_DAY: Limit = { max: 20, windowSeconds: 86_400 };

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    async ({ deps, shop, customerId }, { email }) => ({ invite: await inviteFriend(deps, shop, customerId!, email) }),
    {
      members: "Log in to invite friends",
      badInput: "email is required",
      limits: ({ shop, customerId, ipHash }) => [
        ...storefrontLimits(shop, "referral-invite", customerId, ipHash),
        { key: `${shop}:referral-invite-daily:customer:${customerId}`, limit: INVITES_PER_DAY },
      ],
    },
  );
