import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { onOrderPaid } from "~/domain/earning/events";
import { shopAndProductFacts, type ShopAndProductFacts } from "~/domain/earning/product-facts";
import { appDeps } from "~/deps.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook<typeof orderPayload, ShopAndProductFacts>(
    request,
    orderPayload,
    ({ deps, shop, triggeredAt }, payload, { shop: record, products }) =>
      onOrderPaid(deps, shop, toPaidOrder(payload, triggeredAt ?? new Date(payload.processed_at ?? payload.created_at)), {
        products,
        shop: record,
      }),
    {
      // Before the transaction: the shop, read once for the whole webhook, and the products' tags
      // and collections, when the program has rules on them.
      prepare: (shop, payload) =>
        shopAndProductFacts(
          appDeps,
          shop,
          payload.line_items.map((l) => l.product_id ?? null),
        ),
    },
  );
