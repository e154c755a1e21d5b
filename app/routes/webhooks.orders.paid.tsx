import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { onOrderPaid } from "~/domain/earning/events";
import { productFactsForShop, type ProductFactsById } from "~/domain/earning/product-facts";
import { appDeps } from "~/deps.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook<typeof orderPayload, ProductFactsById>(
    request,
    orderPayload,
    ({ deps, shop, triggeredAt }, payload, products) =>
      onOrderPaid(deps, shop, toPaidOrder(payload, triggeredAt ?? new Date(payload.processed_at ?? payload.created_at)), { products }),
    {
      // Before the transaction: the products' tags and collections, when the program has rules on them.
      prepare: (shop, payload) =>
        productFactsForShop(
          appDeps,
          shop,
          payload.line_items.map((l) => l.product_id ?? null),
        ),
    },
  );
