// Product search for the Recommendations page (picks, pins, exclusions): this shop's products
// whose title contains ?q=, ignoring case, at most 20.
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { recsShopId } from "~/admin/recommendations";
import { findProducts } from "~/domain/recommendations/choices";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  try {
    const products = await findProducts({ db: prisma }, await recsShopId(prisma, shop), query);
    return { query, products };
  } catch (error) {
    throw errorResponse(error);
  }
}
