import { useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { action, loader, type SurveysActionResult } from "./page.server";
import { SettingsCard } from "./settings-card";
import { ResponsesCard } from "./responses-card";
import { AlertsCard } from "./alerts-card";

export { action, loader, type SurveysActionResult };

export const meta = adminMeta("surveys.title");

export default function Surveys() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData() as SurveysActionResult | undefined;
  const { t } = useT();
  return (
    <Page title={t("surveys.title")} subtitle={t("surveys.subtitle")}>
      <Layout>
        <Layout.Section>
          <AlertsCard alerts={page.alerts} rewards={page.rewards} result={result && result.intent !== "settings" ? result : undefined} />
        </Layout.Section>
        <Layout.Section>
          <ResponsesCard responses={page.responses} filters={page.filters} />
        </Layout.Section>
        <Layout.Section>
          <SettingsCard
            settings={page.settings}
            scales={page.scales}
            fields={result && !result.ok && result.intent === "settings" ? result.fields : {}}
            saved={!!result?.ok && result.intent === "settings"}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
