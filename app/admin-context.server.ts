// Admin loaders and actions call adminContext() instead of authenticate.admin(): in
// production it is authenticate.admin; in demo mode (this computer only, POSTs from the app's
// own pages) it is the demo shop's stored offline session, so the rest of the code path stays
// the same.
import { config } from "./config.server";
import { authenticate, SCOPES, sessionStorage, unauthenticated } from "./shopify.server";
import { assertDemoRequest } from "./demo.server";
import type { AppLoadContext } from "./load-context";
import { Session } from "@shopify/shopify-api";
import { redirect as remixRedirect } from "@remix-run/node";

/** The demo shop's offline session, in place of OAuth (the demo never talks to Shopify). */
async function ensureDemoSession() {
  const id = `offline_${config.demoShop}`;
  if (await sessionStorage.loadSession(id)) return;
  const session = new Session({ id, shop: config.demoShop, state: "demo", isOnline: false });
  session.accessToken = "demo-offline-token";
  session.scope = SCOPES.join(",");
  await sessionStorage.storeSession(session);
}

type Authenticated = Awaited<ReturnType<typeof authenticate.admin>>;

export interface AdminContext {
  shop: string;
  demo: boolean;
  admin: Authenticated["admin"];
  /** Shopify's Billing API for this shop; null in demo mode (the demo never talks to Shopify). */
  billing: Authenticated["billing"] | null;
  /** A redirect inside the app that keeps the embedded admin's parameters. */
  redirect: (url: string) => Response;
}

export async function adminContext(request: Request, context: AppLoadContext): Promise<AdminContext> {
  if (config.mode !== "demo") {
    const { admin, session, billing, redirect } = await authenticate.admin(request);
    return { shop: session.shop, demo: false, admin, billing, redirect: (url) => redirect(url) };
  }
  assertDemoRequest(request, context);
  await ensureDemoSession();
  const { admin, session } = await unauthenticated.admin(config.demoShop);
  return { shop: session.shop, demo: true, admin, billing: null, redirect: (url) => remixRedirect(url) };
}
