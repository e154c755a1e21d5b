// The survey responses the page's filters select, as a CSV download (Surveys → Export CSV).
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { appDeps } from "~/deps.server";
import { errorResponse } from "~/http.server";
import { parseResponseFilters, responsesCsv, responsesCsvName } from "~/domain/surveys/admin";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const filters = parseResponseFilters(new URL(request.url).searchParams);
    const csv = await responsesCsv({ db: prisma }, shop, filters);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${responsesCsvName(shop, appDeps.clock())}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    throw errorResponse(error);
  }
}
