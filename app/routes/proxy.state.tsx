// GET /apps/kembali/state on the shop's domain: everything the storefront widget shows.
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { storefrontRequest } from "~/proxy.server";
import { errorResponse, jsonResponse } from "~/http.server";
import { shopperState } from "~/domain/storefront";
import { systemClock } from "~/domain/deps";

export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const { shop, customerId } = await storefrontRequest(request);
    return jsonResponse(await shopperState({ db: prisma, clock: systemClock }, shop, customerId));
  } catch (error) {
    return errorResponse(error);
  }
}
