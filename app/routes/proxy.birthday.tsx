// POST /apps/kembali/birthday {month, day}: the logged-in shopper's birthday, for the birthday
// bonus (rate-limited; it pays from the first birthday at least the program's lead time away).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { setBirthday } from "~/domain/earning/bonuses";

const body = z.object({ month: z.number().int(), day: z.number().int() });

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    async ({ deps, shop, customerId, ipHash }, input) => {
      await setBirthday(deps, { shopDomain: shop, shopifyCustomerId: customerId!, ipHash, ...input });
      return { ok: true };
    },
    { members: "Log in to save your birthday", badInput: "month and day are required" },
  );
