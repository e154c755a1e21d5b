// The shop's members as a CSV download (Settings → Export members). Streamed a page at a time.
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { appDeps } from "~/deps.server";
import { exportFileName, memberCsvChunks } from "~/domain/members/member-export";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const chunks = memberCsvChunks({ db: prisma }, shop);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(shop, appDeps.clock())}"`,
      "Cache-Control": "no-store",
    },
  });
}
