// GET /apps/kembali/state on the shop's domain: everything the storefront widget shows.
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma, { transaction } from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { storefrontState } from "~/domain/storefront";
import { systemClock } from "~/domain/deps";

export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, customerId } = await storefrontRequest(request);
    return jsonResponse(await storefrontState({ db: prisma, clock: systemClock, transaction: transaction(prisma) }, shop, customerId));
  } catch (error) {
    return errorResponse(error);
  }
}
