import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { BackfillStatus } from "~/domain/members/changes";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { HistoryAccessNotice, HistoryRangeNotice, type HistoryAccess } from "~/components/order-history-access";

/** The order-history import: the last import's progress, and a form to start one. */
export function BackfillCard({
  backfill,
  historyAccess,
  active,
  error,
}: {
  backfill: BackfillStatus | null;
  historyAccess: HistoryAccess;
  /** An import is queued or running: the form waits for it. */
  active: boolean;
  /** Why the last start was refused, if it was. */
  error: MessageKey | null;
}) {
  const navigation = useNavigation();
  const { t, n, dateTime, day } = useT();
  const [earnPoints, setEarnPoints] = useState(false);
  const imported = backfill
    ? backfill.total
      ? t("settings.backfill.importedOf", { count: n.format(backfill.progress), total: n.format(backfill.total) })
      : t("settings.backfill.imported", { count: n.format(backfill.progress) })
    : null;

  return (
    <Card>
      <BlockStack gap="400">
        {error ? <Banner tone="warning">{t(error)}</Banner> : null}
        <HistoryAccessNotice access={historyAccess} />
        {backfill ? (
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={backfill.status === "done" ? "success" : backfill.status === "failed" ? "critical" : "attention"}>
                {t(`settings.backfill.status.${backfill.status}`)}
              </Badge>
              <Badge>{backfill.earnPoints ? t("settings.backfill.withPoints") : t("settings.backfill.withoutPoints")}</Badge>
              {active && backfill.percent === null ? (
                <Spinner size="small" accessibilityLabel={t("settings.backfill.status.running")} />
              ) : null}
            </InlineStack>
            <ProgressBar
              progress={backfill.percent ?? 0}
              tone={backfill.status === "failed" ? "critical" : backfill.status === "done" ? "success" : "highlight"}
              size="small"
            />
            <Text as="p" id="backfill-progress">
              {imported}
            </Text>
            {backfill.finishedAt && backfill.status === "done" ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("settings.backfill.finished", { date: dateTime.format(new Date(backfill.finishedAt)) })}
              </Text>
            ) : null}
            <HistoryRangeNotice range={backfill.range} formatDate={(iso) => day.format(new Date(iso))} />
            {backfill.error ? (
              <Banner tone={backfill.status === "failed" ? "critical" : "warning"}>
                {t(backfill.status === "failed" ? "settings.backfill.failed" : "settings.backfill.retrying", {
                  error: backfill.error,
                })}
              </Banner>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("settings.backfill.never")}
          </Text>
        )}
        <Form method="post">
          <BlockStack gap="300">
            <Checkbox
              label={t("settings.backfill.earn")}
              helpText={t("settings.backfill.earn.help")}
              name="earnPoints"
              value="true"
              checked={earnPoints}
              onChange={setEarnPoints}
              disabled={active}
            />
            <InlineStack align="end">
              <Button submit variant="primary" disabled={active} loading={navigation.state === "submitting"}>
                {t("settings.backfill.start")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
