import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleWebhook } from "~/webhooks.server";
import { recordUninstall } from "~/domain/customers";
import { systemClock } from "~/domain/deps";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, z.object({}).loose(), ({ tx, shop, triggeredAt }) =>
    recordUninstall({ db: tx, clock: systemClock }, shop, triggeredAt ?? systemClock()),
  );
