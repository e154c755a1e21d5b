import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { appSubscriptionPayload } from "~/shopify/webhook-payloads";
import { applySubscriptionUpdate } from "~/domain/shop/plans";
import { log } from "~/log.server";

// A subscription approved, cancelled, declined, expired or frozen in Shopify: the recorded plan
// (home banner, limits) follows without waiting for the Plans page (docs/decisions/014).
export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, appSubscriptionPayload, async ({ deps, shop, eventId, triggeredAt }, payload) => {
    const s = payload.app_subscription;
    const at = s.updated_at ? new Date(s.updated_at) : (triggeredAt ?? deps.clock());
    const result = await applySubscriptionUpdate(deps, shop, {
      subscriptionId: s.admin_graphql_api_id,
      name: s.name,
      status: s.status,
      at,
    });
    if (result.outcome === "unknown-plan") {
      log("warn", "active subscription with an unknown plan name ignored", {
        shop,
        eventId,
        subscriptionId: s.admin_graphql_api_id,
        name: s.name,
      });
    }
    return result;
  });
