import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/webhooks.server";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { recordPaidOrder } from "~/domain/orders";
import { productFactsIfNeeded, type ProductFactsById } from "~/domain/product-facts";
import { findShop } from "~/domain/shops";
import { shopifyFor } from "~/shopify/admin.server";
import { evaluateTierAfter } from "~/shopify/tier-followup.server";
import { attributeOrder, contactHasher } from "~/domain/referrals";
import { config } from "~/config.server";
import { systemClock } from "~/domain/deps";
import prisma from "~/db.server";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook<typeof orderPayload, ProductFactsById>(
    request,
    orderPayload,
    async ({ tx, shop, triggeredAt }, payload, products) => {
      const paidAt = triggeredAt ?? new Date(payload.processed_at ?? payload.created_at);
      const order = toPaidOrder(payload, paidAt);
      const result = await recordPaidOrder({ db: tx, clock: systemClock }, shop, order, { products });
      await attributeOrder({ db: tx, clock: systemClock, fingerprint: contactHasher(config.apiSecret) }, shop, order);
      return result;
    },
    {
      prepare: async (shop, payload) =>
        productFactsIfNeeded(
          (await findShop(prisma, shop))?.settings ?? null,
          payload.line_items.map((l) => l.product_id ?? null),
          () => shopifyFor(shop),
        ),
      after: (shop, payload) => evaluateTierAfter(shop, payload.id, "order"),
    },
  );
