import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Banner, Layout, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { membersAsOfFigures, programOverview } from "~/admin/overview";
import { setupChecklist, themeEditorLink } from "~/domain/shop/setup";
import { parsePeriod, readDashboard, scheduleAnalyticsSnapshot } from "~/domain/analytics/dashboard";
import { appDeps } from "~/deps.server";
import { shopifyFor } from "~/shopify/shopify-for.server";
import { config } from "~/config.server";
import { formatMoney } from "../../../common/money";
import { needsOnboarding } from "~/admin/onboarding";
import { planUsage } from "~/domain/shop/plans";

import chartStyles from "~/styles/charts.css";
import { adminMeta } from "~/components/admin-title";
import { useDashboardFormat } from "./format";
import { SetupCard } from "./setup-card";
import { PeriodBar } from "./period-bar";
import { FiguresSections } from "./figures-sections";
import { ImpactCard } from "./impact-card";
import { SegmentsCard } from "./segments-card";
import { CohortsCard } from "./cohorts-card";
import { RecentCard } from "./recent-card";
import { RecsCard } from "./recs-card";
import { recsPerformance } from "~/domain/recommendations/performance";
import { DAY_MS } from "~/domain/analytics/common";
import { surveyReport } from "~/domain/analytics/surveys";
import { SurveysCard } from "./surveys-card";
import { messagesReport } from "~/domain/analytics/messages";
import { MessagesCard } from "./messages-card";

const REFRESH_MS = 3000;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartStyles }];

export const meta = adminMeta("nav.home");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, redirect } = await adminContext(request, context);
  // A newly installed shop starts with the three-step onboarding (until finished or skipped),
  // the demo shop too when `npm run demo -- --fresh` installed it as new.
  if (await needsOnboarding({ db: prisma }, shop)) throw redirect("/app/onboarding");
  const days = parsePeriod(new URL(request.url).searchParams.get("days"));
  const now = appDeps.clock();
  const from = new Date(now.getTime() - days * DAY_MS);
  const [overview, setup, plan, dashboard, recs, surveys, messages] = await Promise.all([
    programOverview({ db: prisma }, shop),
    setupChecklist({ db: prisma }, shop, await shopifyFor(shop)),
    planUsage(appDeps, shop),
    readDashboard(appDeps, shop, days),
    // Read live, not from the stored figures: a few indexed counts, and the pixel's reports show at once.
    recsPerformance(appDeps, { shopDomain: shop, from, to: now }),
    // Live too: at most one answer per order, counted by indexed queries.
    surveyReport(appDeps, { shopDomain: shop, from, to: now }),
    // Live: a shop that never sent a message costs one indexed query.
    messagesReport(appDeps, { shopDomain: shop, from, to: now }),
  ]);
  const members = await membersAsOfFigures({ db: prisma }, shop, dashboard.segments);
  return { ...overview, members, setup, plan, dashboard, recs, surveys, messages, editorUrl: themeEditorLink(shop, config.apiKey) };
}

/** "Refresh figures": queues a recomputation (at most one at a time per shop). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  await scheduleAnalyticsSnapshot(appDeps, shop);
  return { ok: true };
}
export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { dashboard } = data;
  const revalidator = useRevalidator();
  const { t, tag, n, date } = useDashboardFormat(data.currency);

  // While figures are being computed, re-read them; stop once the refresh is over.
  const waiting = dashboard.refreshing;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  const period = dashboard.period;
  const rule = t("home.rule", {
    points: n.format(data.settings.earning.points),
    amount: formatMoney({ amount: data.settings.earning.perAmount, currency: data.currency }, tag),
  });

  return (
    <Page
      title={t("home.title")}
      subtitle={rule}
      // The guided setup stays reachable once the checklist (which links it too) is done.
      secondaryActions={data.setup.done < data.setup.total ? undefined : [{ content: t("setup.guided"), url: "/app/onboarding" }]}
    >
      <Layout>
        {data.plan.nearLimit ? (
          <Layout.Section>
            <Banner tone={data.plan.overLimit ? "warning" : "info"} action={{ content: t("plans.see"), url: "/app/plans" }}>
              {t(data.plan.overLimit ? "plans.over" : "plans.near", {
                count: n.format(data.plan.paidOrders),
                limit: n.format(data.plan.limit ?? 0),
                plan: t(`plans.name.${data.plan.plan}`),
              })}
            </Banner>
          </Layout.Section>
        ) : null}
        {data.setup.done < data.setup.total ? (
          <Layout.Section>
            <SetupCard setup={data.setup} rule={rule} editorUrl={data.editorUrl} />
          </Layout.Section>
        ) : null}

        <PeriodBar dashboard={dashboard} date={date} />

        {period && data.members !== null ? (
          <FiguresSections period={period} series={dashboard.series} members={data.members} currency={data.currency} />
        ) : null}
        {period?.impact ? <ImpactCard impact={period.impact} currency={data.currency} /> : null}
        {dashboard.segments ? <SegmentsCard segments={dashboard.segments} currency={data.currency} /> : null}
        {dashboard.cohorts ? <CohortsCard cohorts={dashboard.cohorts} currency={data.currency} /> : null}
        <RecsCard recs={data.recs} currency={data.currency} />
        <SurveysCard surveys={data.surveys} currency={data.currency} />
        <MessagesCard messages={data.messages} currency={data.currency} />
        <RecentCard recent={data.recent} currency={data.currency} />
      </Layout>
    </Page>
  );
}
