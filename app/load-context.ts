// What server.js passes to every loader and action as `context`.
import type { AppLoadContext } from "@remix-run/node";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    /** The TCP peer of the request (never a header): the demo guard reads it. */
    remoteAddress?: string;
    /**
     * Answers a request with this app in the same process, without the server's socket checks:
     * the demo storefront's stand-in for Shopify's App Proxy forwards through it.
     */
    internalFetch?: (request: Request) => Promise<Response>;
  }
}

export type { AppLoadContext };
