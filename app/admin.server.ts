// Admin loaders and actions call adminContext() instead of authenticate.admin(): in
// production it is authenticate.admin; in demo mode (loopback only) it is the demo shop's
// stored offline session, so the rest of the code path stays the same.
import { config } from "./config.server";
import { authenticate, sessionStorage, unauthenticated } from "./shopify.server";
import { assertLoopbackRequest } from "./demo.server";
import { Session } from "@shopify/shopify-api";

/** The demo shop's offline session, in place of OAuth (the demo never talks to Shopify). */
async function ensureDemoSession() {
  const id = `offline_${config.demoShop}`;
  if (await sessionStorage.loadSession(id)) return;
  const session = new Session({ id, shop: config.demoShop, state: "demo", isOnline: false });
  session.accessToken = "demo-offline-token";
  session.scope = "read_orders,read_customers,write_customers";
  await sessionStorage.storeSession(session);
}

export interface AdminContext {
  shop: string;
  demo: boolean;
  admin: Awaited<ReturnType<typeof authenticate.admin>>["admin"];
}

export async function adminContext(request: Request): Promise<AdminContext> {
  if (config.mode !== "demo") {
    const { admin, session } = await authenticate.admin(request);
    return { shop: session.shop, demo: false, admin };
  }
  assertLoopbackRequest(request);
  await ensureDemoSession();
  const { admin, session } = await unauthenticated.admin(config.demoShop);
  return { shop: session.shop, demo: true, admin };
}
