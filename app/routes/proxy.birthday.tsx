// POST /apps/kembali/birthday {month, day}: the logged-in shopper's birthday, for the birthday
// bonus (rate-limited; it pays from the first birthday at least the programme's lead time away).
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { setBirthday } from "~/domain/bonuses";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { refuseHeldOut } from "~/domain/holdout";

const body = z.object({ month: z.number().int(), day: z.number().int() });

export async function action({ request }: ActionFunctionArgs) {
  try {
    const { shop, customerId, ipHash } = await storefrontRequest(request);
    if (!customerId) throw new KembaliError("NOT_A_MEMBER", "Log in to save your birthday");
    await refuseHeldOut(prisma, shop, customerId);
    const parsed = body.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "month and day are required");
    await setBirthday({ db: prisma, clock: systemClock }, { shopDomain: shop, shopifyCustomerId: customerId, ipHash, ...parsed.data });
    return jsonResponse({ ok: true });
  } catch (error) {
    return errorResponse(error);
  }
}
