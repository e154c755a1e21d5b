// Demo only: time travel. POST days=N moves the app's clock forward and runs the background
// work at once (pending points, expiry, referral hold windows), so a demo or a browser test can
// see what happens after a return window without waiting 30 days.
import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { demoClock } from "~/deps.server";
import { backgroundTick, forceSweeps } from "~/jobs.server";
import { jsonResponse } from "~/http.server";

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  const days = Number((await request.formData()).get("days") ?? 0);
  if (!Number.isInteger(days) || days < 0 || days > 3650)
    return jsonResponse({ error: { code: "BAD_INPUT", message: "days: 0 to 3650" } }, { status: 400 });
  const now = demoClock!.advance(days * 86_400_000);
  forceSweeps();
  await backgroundTick();
  return jsonResponse({ now: now.toISOString() });
}
