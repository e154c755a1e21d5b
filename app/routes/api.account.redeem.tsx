// POST /api/account/redeem {rewardId, requestId}: the customer-account extension's full page
// spends points on a reward. The member is the verified token's customer; the body only names
// the reward and the request (a retry with the same requestId answers the first result). The
// same redemption as the storefront's /proxy/redeem (domain/rewards/redemption.ts) and its limits.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { redeemReward } from "~/domain/rewards/redemption";
import { storefrontLimits } from "~/domain/rate-limit";

// Printable ASCII only: a NUL or a lone surrogate would reach the database's query (a 500 on PostgreSQL).
const token = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x21-\x7e]+$/);
const redeemBody = z.object({ rewardId: token(1, 40), requestId: token(8, 64) });

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "POST" || request.method === "OPTIONS"
    ? handleExtension(
        request,
        "customerAccount",
        "redeem",
        redeemBody,
        async ({ deps, shopDomain, shopifyCustomerId }, input) => ({
          redemption: await redeemReward(
            { ...deps, shopify: await deps.shopifyFor(shopDomain) },
            { shopDomain, shopifyCustomerId: shopifyCustomerId!, ...input },
          ),
        }),
        {
          holdout: true,
          // The storefront's keys: a member redeems at most so often, whichever surface they use.
          limits: ({ shopDomain, shopifyCustomerId }, ipHash) => storefrontLimits(shopDomain, "redeem", shopifyCustomerId, ipHash),
        },
      )
    : extensionMethodNotAllowed("POST");

// Remix hands a resource route's OPTIONS requests (the browser's preflight) to its loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "customerAccount", "redeem", null, async () => null)
    : extensionMethodNotAllowed("POST");
