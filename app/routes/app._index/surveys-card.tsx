import { BlockStack, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import { NO_GROUP, hasSurveyAnswers, type GroupFigures, type SurveyReport, type SurveyTrendPoint } from "~/domain/analytics/surveys";
import { SEGMENTS } from "~/domain/analytics/segments";
import { SURVEY_CHANNELS } from "~/domain/surveys/settings";
import type { MessageKey } from "~/i18n";
import { Figure } from "~/components/figure";
import { Metric } from "~/components/trend";
import { useDashboardFormat } from "./format";

/**
 * Customer feedback: NPS with its monthly trend against the previous period, the shares of
 * promoters, passives and detractors, CSAT and CES averages when asked, NPS by tier and by
 * segment, and the share of paid orders answered by channel. An empty state while there is nothing.
 */
export function SurveysCard({ surveys, currency }: { surveys: SurveyReport; currency: string }) {
  const { t, n, monthName, format, show, changeOf } = useDashboardFormat(currency);
  const { current, previous } = surveys;
  const heading = (
    <Text as="h2" variant="headingLg">
      {t("dash.section.surveys")}
    </Text>
  );
  if (!hasSurveyAnswers(surveys)) {
    return (
      <Layout.Section>
        <BlockStack gap="300">
          {heading}
          <Card>
            <Text as="p" tone="subdued">
              {t(surveys.enabled ? "dash.survey.empty" : "dash.survey.off")}
            </Text>
          </Card>
        </BlockStack>
      </Layout.Section>
    );
  }
  const label = (m: SurveyTrendPoint) => monthName.format(new Date(`${m.month}-01T00:00:00Z`));
  const score = (
    id: string,
    title: MessageKey,
    help: MessageKey,
    now: number | null,
    before: number | null,
    field: "nps" | "csat" | "ces",
  ) => (
    <Metric
      id={`chart-survey-${id}`}
      label={t(title)}
      help={t(help)}
      value={show("score", now)}
      previous={t("dash.previous", { value: show("score", before) })}
      change={changeOf("score", now, before)}
      better="up"
      points={surveys.trend.map((m) => ({ label: label(m), value: m[field] }))}
      format={format("score")}
    />
  );
  const groupRows = (groups: GroupFigures[], name: (key: string) => string) =>
    groups.map((g) => [name(g.key), n.format(g.responses), show("score", g.nps)]);
  const tierName = (key: string) => (key === NO_GROUP ? t("dash.survey.noTier") : (surveys.tierNames[key] ?? key));
  const segmentName = (key: string) =>
    key === NO_GROUP ? t("dash.survey.noSegment") : (SEGMENTS as readonly string[]).includes(key) ? t(`segment.${key}` as MessageKey) : key;
  const usedCsat = current.csat.responses + previous.csat.responses > 0;
  const usedCes = current.ces.responses + previous.ces.responses > 0;

  return (
    <Layout.Section>
      <BlockStack gap="300">
        {heading}
        {surveys.enabled ? null : (
          <Text as="p" tone="subdued">
            {t("dash.survey.offWithAnswers")}
          </Text>
        )}
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
          {score("nps", "dash.survey.nps", "dash.survey.nps.help", current.nps.nps, previous.nps.nps, "nps")}
          <Figure
            label={t("dash.survey.responses")}
            value={n.format(current.responses)}
            help={t("dash.previous", { value: n.format(previous.responses) })}
          />
          <Figure
            label={t("dash.survey.answerRate")}
            value={show("percent", current.answerRate)}
            help={t("dash.survey.answerRate.help", { answered: n.format(current.answered), orders: n.format(current.paidOrders ?? 0) })}
          />
          {usedCsat
            ? score("csat", "dash.survey.csat", "dash.survey.csat.help", current.csat.average, previous.csat.average, "csat")
            : null}
          {usedCes ? score("ces", "dash.survey.ces", "dash.survey.ces.help", current.ces.average, previous.ces.average, "ces") : null}
        </InlineGrid>
        {current.nps.responses > 0 ? (
          <Text as="p" tone="subdued">
            {t("dash.survey.shares", {
              promoters: show("percent", current.nps.promoters),
              passives: show("percent", current.nps.passives),
              detractors: show("percent", current.nps.detractors),
              count: n.format(current.nps.responses),
            })}
          </Text>
        ) : null}
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={[t("dash.survey.tier"), t("dash.survey.answers"), t("dash.survey.nps")]}
              rows={groupRows(current.byTier, tierName)}
            />
          </Card>
          <Card>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={[t("dash.seg.segment"), t("dash.survey.answers"), t("dash.survey.nps")]}
              rows={groupRows(current.bySegment, segmentName)}
            />
          </Card>
        </InlineGrid>
        <Card>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={[t("dash.survey.channel"), t("dash.survey.answerRate"), t("dash.survey.rate")]}
            rows={current.channels.map((c) => [
              (SURVEY_CHANNELS as readonly string[]).includes(c.channel) ? t(`dash.survey.channel.${c.channel}` as MessageKey) : c.channel,
              n.format(c.answered),
              show("percent", c.rate),
            ])}
          />
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}
