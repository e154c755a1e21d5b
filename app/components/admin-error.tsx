import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Banner, Page } from "@shopify/polaris";
import { useT } from "./use-t";

/**
 * Error boundary for admin pages: a domain error answered by the route (JSON with a `code`,
 * see app/http.server.ts) becomes a short message; anything else, such as the Shopify
 * library's auth responses, goes to the library's boundary as in the app layout.
 */
export function AdminErrorBoundary() {
  const error = useRouteError();
  const { t } = useT();
  const code = isRouteErrorResponse(error) ? (error.data as { error?: { code?: unknown } } | null)?.error?.code : undefined;
  if (!isRouteErrorResponse(error) || typeof code !== "string") return boundary.error(error);
  return (
    <Page>
      <Banner tone={error.status === 404 ? "warning" : "critical"}>
        {error.status === 404 ? t("error.notFound") : t("error.unexpected")}
      </Banner>
    </Page>
  );
}
