import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { Banner, Box, InlineStack, Link as PolarisLink } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisEn from "@shopify/polaris/locales/en.json";
import { adminContext } from "~/admin-context.server";
import { config } from "~/config.server";
import prisma from "~/db.server";
import { localeCookie, pickLocale, translate } from "~/i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, demo } = await adminContext(request, context);
  const locale = pickLocale(request);
  // Every admin date is shown in the shop's time zone (useT reads it from here, once per page load).
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { timezone: true } });
  const headers = new Headers();
  if (new URL(request.url).searchParams.has("locale")) headers.append("Set-Cookie", localeCookie(locale));
  return Response.json({ apiKey: config.apiKey, demo, shop, locale, timezone: row?.timezone ?? "UTC" }, { headers });
}

export default function App() {
  const { apiKey, demo, shop, locale } = useLoaderData<typeof loader>();
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string>) => translate(locale, key, vars);
  const nav = [
    { to: "/app", label: t("nav.home") },
    { to: "/app/program", label: t("nav.program") },
    { to: "/app/rewards", label: t("nav.rewards") },
    { to: "/app/tiers", label: t("nav.tiers") },
    { to: "/app/referrals", label: t("nav.referrals") },
    { to: "/app/recommendations", label: t("nav.recommendations") },
    { to: "/app/surveys", label: t("nav.surveys") },
    { to: "/app/messages", label: t("nav.messages") },
    { to: "/app/customers", label: t("nav.customers") },
    { to: "/app/settings", label: t("nav.settings") },
    { to: "/app/plans", label: t("nav.plans") },
  ];
  return (
    // Polaris has no Indonesian locale: its few built-in strings stay English.
    <AppProvider isEmbeddedApp={!demo} apiKey={apiKey} i18n={polarisEn}>
      {demo ? (
        // Outside the Shopify admin there is no App Bridge navigation: a plain bar instead.
        <Box padding="300" background="bg-surface" borderBlockEndWidth="025" borderColor="border">
          <InlineStack gap="400" blockAlign="center">
            {nav.map((item) => (
              <Link key={item.to} to={item.to}>
                {item.label}
              </Link>
            ))}
            <PolarisLink url="/demo/store" target="_blank">
              {t("demo.storefront")}
            </PolarisLink>
          </InlineStack>
          <Box paddingBlockStart="200">
            <Banner tone="info">{t("demo.banner", { shop })}</Banner>
          </Box>
        </Box>
      ) : (
        <ui-nav-menu>
          <Link to="/app" rel="home">
            {nav[0].label}
          </Link>
          {nav.slice(1).map((item) => (
            <Link key={item.to} to={item.to}>
              {item.label}
            </Link>
          ))}
        </ui-nav-menu>
      )}
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that its headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
