import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { memberFilterOptions, searchMembers } from "~/admin/members";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { SearchCard } from "./search-card";
import { MembersTable } from "./members-table";

export const meta = adminMeta("customers.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").slice(0, 200);
  try {
    const options = await memberFilterOptions({ db: prisma }, shop, {
      segment: params.get("segment"),
      tier: params.get("tier"),
    });
    const page = await searchMembers({ db: prisma }, shop, {
      query,
      cursor: params.get("cursor"),
      ...options.filters,
    });
    return { query, cursor: params.get("cursor"), ...options, ...page };
  } catch (error) {
    throw errorResponse(error);
  }
}

export default function Customers() {
  const data = useLoaderData<typeof loader>();
  const { query, filters, ignored, tiers, segmentsAsOf } = data;
  const { t } = useT();

  return (
    <Page title={t("customers.title")}>
      <BlockStack gap="400">
        <SearchCard query={query} filters={filters} tiers={tiers} segmentsAsOf={segmentsAsOf} />
        {ignored.length > 0 ? <Banner tone="warning">{t("customers.filter.ignored")}</Banner> : null}
        <MembersTable data={data} />
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
