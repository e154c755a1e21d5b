import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleWebhook } from "~/webhooks.server";
import { recordUninstall } from "~/domain/members/customers";

export const action = ({ request }: ActionFunctionArgs) =>
  handleWebhook(request, z.object({}).loose(), ({ deps, shop, triggeredAt }) => recordUninstall(deps, shop, triggeredAt ?? undefined));
