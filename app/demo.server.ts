// Demo mode: only with DEMO_MODE=1, HOST on loopback and no real credentials (checked in
// config.server.ts at start-up). Every demo request must come from this computer: server.js
// refuses anything else before Remix, and the guard here checks again on the load context, so
// a route never relies on the Host header alone.
import { config } from "./config.server";
import { crossSiteRefusal, demoRefusal } from "./demo-guard.js";
import type { AppLoadContext } from "./load-context";

export const isDemo = config.mode === "demo";

const refuse = (message: string) => new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/**
 * 403 unless the request came over a loopback socket (the load context's remoteAddress, which
 * only server.js sets), to a loopback host name, with no proxy's headers; and, for a POST, from
 * a page of the app itself (Origin), so another site cannot make the browser change anything.
 */
export function assertDemoRequest(request: Request, context: AppLoadContext): void {
  const url = new URL(request.url);
  const refusal =
    demoRefusal({ remoteAddress: context.remoteAddress, hostname: url.hostname, headerNames: request.headers.keys() }) ??
    crossSiteRefusal({ method: request.method, origin: request.headers.get("Origin"), url: request.url });
  if (refusal) throw refuse(refusal);
}

/** Demo-only routes call this first: 404 outside demo mode, 403 as assertDemoRequest says. */
export function requireDemo(request: Request, context: AppLoadContext): void {
  if (!isDemo) throw new Response("Not found", { status: 404 });
  assertDemoRequest(request, context);
}
