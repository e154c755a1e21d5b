import { BlockStack, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import type { MessagesReport } from "~/domain/analytics/messages";
import type { MessageKey } from "~/i18n";
import { Figure } from "~/components/figure";
import { useDashboardFormat } from "./format";

/**
 * Messages: emails sent in the period, opens where measured, and the customers who ordered
 * within the conversion window after one, against held-out customers who had the same kind of
 * event (or a plain statement that there is no holdout to compare with).
 */
export function MessagesCard({ messages, currency }: { messages: MessagesReport; currency: string }) {
  const { t, n, show } = useDashboardFormat(currency);
  const heading = (
    <Text as="h2" variant="headingLg">
      {t("dash.section.messages")}
    </Text>
  );
  if (!messages.anySent) {
    return (
      <Layout.Section>
        <BlockStack gap="300">
          {heading}
          <Card>
            <Text as="p" tone="subdued">
              {t("dash.msg.off")}
            </Text>
          </Card>
        </BlockStack>
      </Layout.Section>
    );
  }
  const { messaged, holdout, difference } = messages;
  const pp = (v: number) => show("decimal", v);
  const comparison =
    messages.verdict === "no_holdout" || !difference
      ? t(messages.verdict === "no_holdout" ? "dash.msg.noHoldout" : "dash.msg.tooFew", {
          points: "—",
          low: "—",
          high: "—",
          minimum: n.format(messages.minimumGroupCustomers),
        })
      : t(
          messages.verdict === "higher"
            ? "dash.msg.higher"
            : messages.verdict === "lower"
              ? "dash.msg.lower"
              : messages.verdict === "no_clear_difference"
                ? "dash.msg.unclear"
                : "dash.msg.tooFew",
          {
            points: pp(difference.points),
            low: pp(difference.low),
            high: pp(difference.high),
            minimum: n.format(messages.minimumGroupCustomers),
          },
        );
  return (
    <Layout.Section>
      <BlockStack gap="300">
        {heading}
        <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
          <Figure label={t("dash.msg.sent")} value={n.format(messages.sent)} />
          <Figure
            label={t("dash.msg.opened")}
            value={show("percent", messages.openRate)}
            help={t("dash.msg.opened.help", { count: messages.opened })}
          />
          <Figure
            label={t("dash.msg.conversion")}
            value={show("percent", messaged.rate)}
            help={t("dash.msg.conversion.help", {
              converted: n.format(messaged.converted),
              customers: n.format(messaged.customers),
              days: messages.conversionDays,
            })}
          />
          <Figure
            label={t("dash.msg.holdout")}
            value={show("percent", holdout.rate)}
            help={t("dash.msg.holdout.help", { converted: n.format(holdout.converted), customers: n.format(holdout.customers) })}
          />
        </InlineGrid>
        <Text as="p" tone="subdued" id="messages-comparison">
          {comparison}
        </Text>
        <Card>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[t("dash.msg.message"), t("dash.msg.sent"), t("dash.msg.opened"), t("dash.msg.customers"), t("dash.msg.converted")]}
            rows={messages.byMessage.map((m) => [
              t(`messages.name.${m.message}` as MessageKey),
              n.format(m.sent),
              n.format(m.opened),
              n.format(m.customers),
              n.format(m.converted),
            ])}
          />
        </Card>
      </BlockStack>
    </Layout.Section>
  );
}
