import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Spinner,
  Text,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { programOverview } from "~/admin/overview";
import { setupChecklist, themeEditorLink } from "~/domain/shop/setup";
import { DASHBOARD_PERIODS, parsePeriod, readDashboard, scheduleAnalyticsSnapshot, type MonthPart } from "~/domain/analytics/dashboard";
import { SEGMENTS } from "~/domain/analytics/segments";
import type { PeriodRetention } from "~/domain/analytics/retention";
import type { ProgramReport } from "~/domain/analytics/program";
import { appDeps } from "~/deps.server";
import { shopifyFor } from "~/shopify/shopify-for.server";
import { config } from "~/config.server";
import { formatMoney } from "../../../common/money";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { Figure } from "~/components/figure";
import { EntryReason } from "~/components/entry-reason";
import { Metric, type TrendPoint } from "~/components/trend";
import { needsOnboarding } from "~/domain/shop/onboarding";
import { impactMessages } from "~/domain/analytics/impact";
import { planUsage } from "~/domain/shop/plans";

import chartStyles from "~/styles/charts.css";
import { adminMeta } from "~/components/admin-title";

const REFRESH_MS = 3000;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartStyles }];

export const meta = adminMeta("nav.home");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, redirect } = await adminContext(request, context);
  // A newly installed shop starts with the three-step onboarding (until finished or skipped),
  // the demo shop too when `npm run demo -- --fresh` installed it as new.
  if (await needsOnboarding({ db: prisma }, shop)) throw redirect("/app/onboarding");
  const days = parsePeriod(new URL(request.url).searchParams.get("days"));
  const [overview, setup, plan, dashboard] = await Promise.all([
    programOverview({ db: prisma }, shop),
    setupChecklist({ db: prisma }, shop, await shopifyFor(shop)),
    planUsage(appDeps, shop),
    readDashboard(appDeps, shop, days),
  ]);
  return { ...overview, setup, plan, dashboard, editorUrl: themeEditorLink(shop, config.apiKey) };
}

/** "Refresh figures": queues a recomputation (at most one at a time per shop). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  await scheduleAnalyticsSnapshot(appDeps, shop);
  return { ok: true };
}

function Step({
  done,
  title,
  detail,
  action,
}: {
  done: boolean;
  title: string;
  detail: string;
  action?: { label: string; url: string; external?: boolean };
}) {
  return (
    <InlineStack gap="300" align="space-between" blockAlign="center" wrap={false}>
      <InlineStack gap="300" blockAlign="center" wrap={false}>
        <Badge tone={done ? "success" : "attention"}>{done ? "✓" : "•"}</Badge>
        <BlockStack gap="050">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {title}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </BlockStack>
      </InlineStack>
      {action ? (
        <Button url={action.url} target={action.external ? "_blank" : undefined} variant={done ? "plain" : "primary"}>
          {action.label}
        </Button>
      ) : null}
    </InlineStack>
  );
}

type Kind = "count" | "money" | "percent" | "decimal" | "days";

/** How each figure is read: where it comes from, its unit and which way is good news. */
interface Definition {
  id: string;
  label: MessageKey;
  help?: MessageKey;
  kind: Kind;
  better: "up" | "down" | "none";
}

const RETENTION: Array<Definition & { field: keyof PeriodRetention }> = [
  { id: "crr", field: "retentionRate", label: "dash.crr", help: "dash.crr.help", kind: "percent", better: "up" },
  { id: "repeat", field: "repeatPurchaseRate", label: "dash.repeat", help: "dash.repeat.help", kind: "percent", better: "up" },
  { id: "frequency", field: "purchaseFrequency", label: "dash.frequency", help: "dash.frequency.help", kind: "decimal", better: "up" },
  { id: "aov", field: "averageOrderValueMinor", label: "dash.aov", kind: "money", better: "up" },
  { id: "clv", field: "customerLifetimeValueMinor", label: "dash.clv", help: "dash.clv.help", kind: "money", better: "up" },
  { id: "gap", field: "medianDaysBetweenOrders", label: "dash.gap", kind: "days", better: "down" },
  { id: "customers", field: "customers", label: "dash.customers", kind: "count", better: "up" },
  { id: "new", field: "newCustomers", label: "dash.new", kind: "count", better: "up" },
  { id: "orders", field: "orders", label: "dash.orders", kind: "count", better: "up" },
  { id: "revenue", field: "revenueMinor", label: "dash.revenue", help: "dash.revenue.help", kind: "money", better: "up" },
];

const PROGRAM: Array<Definition & { field: keyof ProgramReport & keyof MonthPart }> = [
  { id: "issued", field: "pointsIssued", label: "dash.issued", kind: "count", better: "none" },
  { id: "redeemed", field: "pointsRedeemed", label: "dash.redeemed", kind: "count", better: "up" },
  { id: "expired", field: "pointsExpired", label: "dash.expired", kind: "count", better: "none" },
  {
    id: "redemptionRate",
    field: "redemptionRate",
    label: "dash.redemptionRate",
    help: "dash.redemptionRate.help",
    kind: "percent",
    better: "up",
  },
];

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { dashboard } = data;
  const navigation = useNavigation();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const { t, locale } = useT();
  const tag = intlLocale(locale);
  const n = new Intl.NumberFormat(tag);
  const d2 = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const d1 = new Intl.NumberFormat(tag, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const date = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const monthName = new Intl.DateTimeFormat(tag, { month: "short", year: "2-digit", timeZone: "UTC" });
  const money = (minor: number) => formatMoney({ amount: Math.round(minor), currency: data.currency }, tag);

  // While figures are being computed, re-read them; stop once the refresh is over.
  const waiting = dashboard.refreshing;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  const format = (kind: Kind) => (v: number) =>
    kind === "money"
      ? money(v)
      : kind === "percent"
        ? `${d2.format(v)}%`
        : kind === "days"
          ? t("dash.days", { value: d2.format(v) })
          : kind === "decimal"
            ? d2.format(v)
            : n.format(v);
  const show = (kind: Kind, v: number | null | undefined) => (v === null || v === undefined ? "—" : format(kind)(v));
  /** Percent figures change in percentage points, the others relatively. */
  const changeOf = (kind: Kind, current: number | null, previous: number | null) => {
    if (current === null || previous === null) return null;
    if (kind === "percent") {
      const diff = Math.round((current - previous) * 10) / 10;
      return { text: t("dash.pp", { value: d1.format(diff) }), sign: Math.sign(diff) };
    }
    if (previous === 0) return null;
    const rel = Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
    return { text: `${d1.format(rel)}%`, sign: Math.sign(rel) };
  };
  const label = (m: MonthPart) => monthName.format(new Date(`${m.month}-01T00:00:00Z`));
  /** One figure's card: the period's value, the previous period's, the change and the monthly chart. */
  const metric = (m: Definition, current: number | null, previous: number | null, monthly: (s: MonthPart) => number | null) => (
    <Metric
      key={m.id}
      id={`chart-${m.id}`}
      label={t(m.label)}
      help={m.help ? t(m.help) : undefined}
      value={show(m.kind, current)}
      previous={t("dash.previous", { value: show(m.kind, previous) })}
      change={changeOf(m.kind, current, previous)}
      better={m.better}
      points={series.map((s) => ({ label: label(s), value: monthly(s) }))}
      format={format(m.kind)}
    />
  );
  const series = dashboard.series;
  const period = dashboard.period;
  const rule = t("home.rule", {
    points: n.format(data.settings.earning.points),
    amount: formatMoney({ amount: data.settings.earning.perAmount, currency: data.currency }, tag),
  });

  const retention = period?.retention;
  const program = period?.program;
  const liabilityPoints: TrendPoint[] = series.map((m) => ({
    label: label(m),
    value: m.outstandingPoints * (program?.current.pointValueMinor ?? 0),
  }));
  const funnel: Array<[MessageKey, keyof NonNullable<typeof program>["current"]["referrals"]]> = [
    ["dash.funnel.shared", "shared"],
    ["dash.funnel.clicked", "clicked"],
    ["dash.funnel.ordered", "ordered"],
    ["dash.funnel.rewarded", "rewarded"],
    ["dash.funnel.rejected", "rejected"],
  ];

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
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("setup.title", { done: data.setup.done, total: data.setup.total })}
                  </Text>
                  <Button url="/app/onboarding">{t("setup.guided")}</Button>
                </InlineStack>
                <Step done title={t("setup.program")} detail={rule} action={{ label: t("setup.program.action"), url: "/app/program" }} />
                <Step
                  done={data.setup.rewards > 0}
                  title={t("setup.rewards")}
                  detail={t("setup.rewards.detail", { count: data.setup.rewards })}
                  action={{ label: t("setup.rewards.action"), url: "/app/rewards" }}
                />
                <Step
                  done={data.setup.embedEnabled === true}
                  title={t("setup.embed")}
                  detail={
                    data.setup.embedEnabled === null
                      ? t("setup.embed.unknown")
                      : data.setup.embedEnabled
                        ? t("setup.embed.on", { theme: data.setup.themeName ?? "" })
                        : t("setup.embed.off", { theme: data.setup.themeName ?? "" })
                  }
                  action={{ label: t("setup.embed.action"), url: data.editorUrl, external: true }}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center" gap="300">
            <ButtonGroup variant="segmented">
              {DASHBOARD_PERIODS.map((days) => (
                // A button, not a link: Polaris shows (and announces) "pressed" on buttons only.
                <Button
                  key={days}
                  pressed={dashboard.days === days}
                  onClick={() => navigate(`/app?days=${days}`, { preventScrollReset: true })}
                >
                  {t(`dash.period.${days}` as MessageKey)}
                </Button>
              ))}
            </ButtonGroup>
            <InlineStack gap="300" blockAlign="center">
              {dashboard.asOf ? (
                <Text as="span" tone="subdued" variant="bodySm">
                  {t("dash.asOf", { date: date.format(new Date(dashboard.asOf)) })}
                </Text>
              ) : null}
              <Form method="post">
                <Button submit disabled={dashboard.refreshing} loading={navigation.state === "submitting"}>
                  {t("dash.refresh")}
                </Button>
              </Form>
            </InlineStack>
          </InlineStack>
        </Layout.Section>

        {dashboard.status === "preparing" ? (
          <Layout.Section>
            <Banner tone="info">
              <InlineStack gap="200" blockAlign="center">
                <Spinner size="small" accessibilityLabel={t("dash.preparing")} />
                <Text as="p">{t("dash.preparing")}</Text>
              </InlineStack>
            </Banner>
          </Layout.Section>
        ) : dashboard.refreshing ? (
          <Layout.Section>
            <Text as="p" tone="subdued" variant="bodySm">
              {t("dash.refreshing")}
            </Text>
          </Layout.Section>
        ) : null}

        {retention && program ? (
          <>
            <Layout.Section>
              <BlockStack gap="300">
                <Text as="h2" variant="headingLg">
                  {t("dash.section.retention")}
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
                  {RETENTION.map((m) =>
                    metric(
                      m,
                      retention.current[m.field] as number | null,
                      retention.previous[m.field] as number | null,
                      (s) => s.retention[m.field] as number | null,
                    ),
                  )}
                </InlineGrid>
              </BlockStack>
            </Layout.Section>

            <Layout.Section>
              <BlockStack gap="300">
                <Text as="h2" variant="headingLg">
                  {t("dash.section.program")}
                </Text>
                <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
                  <Figure label={t("home.members")} value={n.format(data.members)} help={t("home.members.help")} />
                  {PROGRAM.map((m) =>
                    metric(
                      m,
                      program.current[m.field] as number | null,
                      program.previous[m.field] as number | null,
                      (s) => s[m.field] as number | null,
                    ),
                  )}
                  <Metric
                    id="chart-liability"
                    label={t("dash.liability")}
                    help={t("dash.liability.help", {
                      points: n.format(program.current.outstandingPoints),
                      value: money(program.current.pointValueMinor),
                    })}
                    value={money(program.current.liabilityMinor)}
                    previous={t("dash.liability.series")}
                    change={null}
                    better="none"
                    points={liabilityPoints}
                    format={money}
                  />
                </InlineGrid>
              </BlockStack>
            </Layout.Section>

            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("dash.section.referrals")}
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={[t("dash.funnel.step"), t("dash.funnel.current"), t("dash.funnel.previous")]}
                    rows={funnel.map(([key, field]) => [
                      t(key),
                      n.format(program.current.referrals[field] as number),
                      n.format(program.previous.referrals[field] as number),
                    ])}
                  />
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        ) : null}

        {period?.impact ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dash.section.impact")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("dash.impact.help")}
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                  headings={[t("dash.impact.group"), t("dash.seg.customers"), t("dash.repeat"), t("dash.impact.revenuePerCustomer")]}
                  rows={(["members", "nonMembers", "holdout"] as const).map((g) => {
                    const group = period.impact.groups[g];
                    return [
                      t(`impact.group.${g}`),
                      n.format(group.customers),
                      show("percent", group.repeatPurchaseRate),
                      show("money", group.revenuePerCustomerMinor),
                    ];
                  })}
                />
                <BlockStack gap="100">
                  {impactMessages(period.impact, money).map((m) => (
                    <Text as="p" key={m.key} fontWeight={m.key.startsWith("impact.verdict") ? "semibold" : "regular"}>
                      {t(m.key, Object.fromEntries(Object.entries(m.vars).map(([k, v]) => [k, typeof v === "number" ? d2.format(v) : v])))}
                    </Text>
                  ))}
                </BlockStack>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        {dashboard.segments ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dash.section.segments")}
                </Text>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                  headings={[t("dash.seg.segment"), t("dash.seg.customers"), t("dash.seg.share"), t("dash.seg.revenue")]}
                  rows={SEGMENTS.map((s) => {
                    const seg = dashboard.segments!.segments[s];
                    const share = dashboard.segments!.customers ? (seg.customers / dashboard.segments!.customers) * 100 : null;
                    return [t(`segment.${s}` as MessageKey), n.format(seg.customers), show("percent", share), money(seg.revenueMinor)];
                  })}
                />
                <Text as="p" tone="subdued">
                  {dashboard.segments.pareto.sharePercent === null
                    ? t("dash.pareto.none")
                    : t("dash.pareto", {
                        count: n.format(dashboard.segments.pareto.topCustomers),
                        share: show("percent", dashboard.segments.pareto.sharePercent),
                      })}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        {dashboard.cohorts ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dash.section.cohorts")}
                </Text>
                <Box overflowX="scroll">
                  <DataTable
                    columnContentTypes={["text", "numeric", ...dashboard.cohorts.cohorts.map(() => "numeric" as const)]}
                    headings={[
                      t("dash.cohort.month"),
                      t("dash.cohort.size"),
                      ...dashboard.cohorts.cohorts.map((_, k) => t("dash.cohort.offset", { n: k + 1 })),
                    ]}
                    rows={dashboard.cohorts.cohorts.map((c) => [
                      monthName.format(new Date(`${c.month}-01T00:00:00Z`)),
                      n.format(c.customers),
                      ...c.retained.map((v) => (v === null ? "" : `${d2.format(v)}%`)),
                    ])}
                  />
                </Box>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("home.recent")}
              </Text>
              {data.recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("home.recent.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
                  headings={[t("home.col.date"), t("home.col.kind"), t("home.col.points"), t("home.col.balance"), t("home.col.reason")]}
                  rows={data.recent.map((e) => [
                    date.format(new Date(e.at)),
                    <Badge key={e.id} tone={e.points >= 0 ? "success" : "attention"}>
                      {t(`entry.${e.kind}` as MessageKey)}
                    </Badge>,
                    (e.points > 0 ? "+" : "") + n.format(e.points),
                    n.format(e.balanceAfter),
                    <EntryReason key={`${e.id}-why`} label={e.label} />,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
