// One customer's data for a customers/data_request, as a JSON download (Settings → Customer data
// requests). It is the customer's personal data: never cached, never logged, and only for the
// shop the request came to (any other id answers 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { dataRequestExport } from "~/domain/members/compliance";
import { KembaliError } from "~/domain/errors";

const params = z.object({ id: z.string().min(1).max(64) });

export async function loader({ request, params: raw, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const parsed = params.safeParse(raw);
    if (!parsed.success) throw new KembaliError("NOT_FOUND", "No such data request");
    const { fileName, body } = await dataRequestExport({ db: prisma }, shop, parsed.data.id);
    return new Response(JSON.stringify(body, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    throw errorResponse(error);
  }
}
