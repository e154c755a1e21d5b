import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Link, Select, Text } from "@shopify/polaris";
import type { SurveysPage } from "~/admin/surveys";
import { useT } from "~/components/use-t";
import type { SurveysActionResult } from "./page.server";
import { Wrap } from "./score";

type Alert = SurveysPage["alerts"]["list"][number];

/** The detractor queue: each open alert with its order, score, comment and customer, and what to do about it. */
export function AlertsCard({
  alerts,
  rewards,
  result,
}: {
  alerts: SurveysPage["alerts"];
  rewards: SurveysPage["rewards"];
  result: SurveysActionResult | undefined;
}) {
  const { t } = useT();
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("surveys.alerts")}
          </Text>
          {alerts.total > 0 ? <Badge tone="critical">{String(alerts.total)}</Badge> : null}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("surveys.alerts.help")}
        </Text>
        {result?.ok && !result.error ? (
          <Banner tone="success">
            {result.intent === "apology"
              ? result.code
                ? t("surveys.alerts.sent.code", { code: result.code })
                : t("surveys.alerts.sent")
              : t("surveys.alerts.resolved")}
          </Banner>
        ) : null}
        {result?.error ? <Banner tone={result.ok ? "info" : "critical"}>{t(result.error)}</Banner> : null}
        {alerts.list.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("surveys.alerts.empty")}
          </Text>
        ) : (
          alerts.list.map((alert) => <AlertRow key={alert.id} alert={alert} rewards={rewards} />)
        )}
      </BlockStack>
    </Card>
  );
}

function AlertRow({ alert, rewards }: { alert: Alert; rewards: SurveysPage["rewards"] }) {
  const { t, n, dateTime } = useT();
  const navigation = useNavigation();
  const [rewardId, setRewardId] = useState(rewards[0]?.id ?? "");
  const r = alert.response;
  const busy = navigation.state !== "idle" && navigation.formData?.get("alertId") === alert.id;
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200" data-alert={alert.id}>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone="critical">{t("surveys.alerts.score", { score: n.format(r.score), kind: r.kind.toUpperCase() })}</Badge>
          <Link url={r.orderUrl} target="_top" accessibilityLabel={t("member.source.order.label", { id: r.shopifyOrderId })}>
            {t("surveys.alerts.order", { id: r.shopifyOrderId })}
          </Link>
          <Text as="span" tone="subdued">
            {dateTime.format(new Date(r.answeredAt))}
          </Text>
        </InlineStack>
        <Text as="p">
          {r.customer ? (
            <Link url={`/app/customers/${r.customer.id}`}>{r.customer.name ?? r.customer.email ?? r.customer.shopifyCustomerId}</Link>
          ) : (
            t("surveys.guest")
          )}
        </Text>
        {/* The shopper's words, rendered as text. */}
        <Wrap>{r.comment ?? t("surveys.alerts.noComment")}</Wrap>
        <InlineStack gap="200" blockAlign="end">
          {r.customer && rewards.length > 0 ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="apology" />
              <input type="hidden" name="alertId" value={alert.id} />
              <input type="hidden" name="rewardId" value={rewardId} />
              <InlineStack gap="200" blockAlign="end">
                <Select
                  label={t("surveys.alerts.reward")}
                  options={rewards.map((w) => ({ value: w.id, label: w.name }))}
                  value={rewardId}
                  onChange={setRewardId}
                />
                <Button submit variant="primary" disabled={busy}>
                  {t("surveys.alerts.apology")}
                </Button>
              </InlineStack>
            </Form>
          ) : null}
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="resolve" />
            <input type="hidden" name="alertId" value={alert.id} />
            <Button submit disabled={busy}>
              {t("surveys.alerts.resolve")}
            </Button>
          </Form>
        </InlineStack>
        {!r.customer ? (
          <Text as="p" tone="subdued">
            {t("surveys.alerts.guest")}
          </Text>
        ) : rewards.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("surveys.alerts.noRewards")}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}
