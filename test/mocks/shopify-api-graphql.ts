// A transport built like shopify-app-remix's admin.graphql: shopify-api's GraphQL client,
// which throws on GraphQL and HTTP errors and otherwise hands back a Response of the body.
import "@shopify/shopify-api/adapters/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { ApiVersion, LogSeverity, Session, shopifyApi } from "@shopify/shopify-api";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";

// The node adapter captured fetch when it was imported, before msw patched it: look it up per call.
setAbstractFetchFunc((input, init) => globalThis.fetch(input, init));

export function shopifyApiGraphql(shop: string, accessToken: string): AdminGraphql {
  const api = shopifyApi({
    apiKey: "kembali-test-key",
    apiSecretKey: "kembali-test-secret",
    apiVersion: ApiVersion.October25,
    scopes: ["write_discounts"],
    hostName: "localhost:3000",
    hostScheme: "http",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
  const session = new Session({ id: `offline_${shop}`, shop, state: "state", isOnline: false, accessToken });
  return async (query, options) => {
    const client = new api.clients.Graphql({ session });
    const body = await client.request(query, { variables: options?.variables, retries: 0 });
    return new Response(JSON.stringify(body));
  };
}
