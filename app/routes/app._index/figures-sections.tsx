import { BlockStack, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import type { MonthPart, PeriodPart } from "~/domain/analytics/dashboard";
import type { PeriodRetention } from "~/domain/analytics/retention";
import type { ProgramReport } from "~/domain/analytics/program";
import type { MessageKey } from "~/i18n";
import { Figure } from "~/components/figure";
import { Metric, type TrendPoint } from "~/components/trend";
import { useDashboardFormat, type Definition } from "./format";

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

/** The period's figures against the previous period's, each with its monthly chart: retention, the program, referrals. */
export function FiguresSections({
  period,
  series,
  members,
  currency,
}: {
  period: Pick<PeriodPart, "retention" | "program">;
  series: MonthPart[];
  members: number;
  currency: string;
}) {
  const { t, n, monthName, money, format, show, changeOf } = useDashboardFormat(currency);
  const { retention, program } = period;
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
  const liabilityPoints: TrendPoint[] = series.map((m) => ({
    label: label(m),
    value: m.outstandingPoints * program.current.pointValueMinor,
  }));
  const funnel: Array<[MessageKey, keyof NonNullable<typeof program>["current"]["referrals"]]> = [
    ["dash.funnel.shared", "shared"],
    ["dash.funnel.clicked", "clicked"],
    ["dash.funnel.ordered", "ordered"],
    ["dash.funnel.rewarded", "rewarded"],
    ["dash.funnel.rejected", "rejected"],
  ];

  return (
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
            <Figure label={t("home.members")} value={n.format(members)} help={t("home.members.help")} />
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
  );
}
