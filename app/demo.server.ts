// Demo mode: only with DEMO_MODE=1, HOST on loopback and no real credentials (checked in
// config.server.ts at start-up), and every request must come to a loopback host.
import { config, LOOPBACK_HOSTS } from "./config.server";

export const isDemo = config.mode === "demo";

export function assertLoopbackRequest(request: Request): void {
  if (!LOOPBACK_HOSTS.has(new URL(request.url).hostname)) {
    throw new Response("Demo mode only answers on loopback", { status: 403 });
  }
}

/** Demo-only routes call this first: 404 outside demo mode, 403 off loopback. */
export function requireDemo(request: Request): void {
  if (!isDemo) throw new Response("Not found", { status: 404 });
  assertLoopbackRequest(request);
}
