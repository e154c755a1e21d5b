// POST /apps/kembali/action {key, requestId}: the shopper did one of the shop's ways to earn
// (newsletter, follow, review, ...). Honour-based: rate-limited, capped and pending (claimAction).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { claimAction } from "~/domain/earning/bonuses";

const body = z.object({ key: z.string().min(1).max(40), requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    ({ deps, shop, customerId, ipHash }, input) =>
      claimAction(deps, { shopDomain: shop, shopifyCustomerId: customerId!, ipHash, ...input }),
    { members: "Log in to earn points", badInput: "key and requestId are required" },
  );
