// Admin loaders and actions call adminContext() instead of authenticate.admin(): in
// production it is authenticate.admin; in demo mode (loopback only) it is the demo shop's
// stored offline session, so the rest of the code path stays the same.
import { config } from "./config.server";
import { authenticate, unauthenticated } from "./shopify.server";
import { assertLoopbackRequest } from "./demo.server";

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
  const { admin, session } = await unauthenticated.admin(config.demoShop);
  return { shop: session.shop, demo: true, admin };
}
