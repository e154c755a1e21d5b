import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { RebuildView } from "~/admin/recommendations";
import { useT } from "~/components/use-t";

const TONE = { queued: "attention", running: "attention", done: "success", failed: "critical" } as const;

/** The last rebuild (progress while it runs, when it started and finished, its error) and the button to start one. */
export function RebuildCard({ rebuild, already }: { rebuild: RebuildView | null; already: boolean }) {
  const { t, n, dateTime } = useT();
  const navigation = useNavigation();
  const active = rebuild?.status === "queued" || rebuild?.status === "running";
  const starting = navigation.state === "submitting" && navigation.formData?.get("intent") === "rebuild";
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("recs.rebuild")}
          </Text>
          <Text as="p" tone="subdued">
            {t("recs.rebuild.help")}
          </Text>
        </BlockStack>
        {already ? <Banner tone="info">{t("recs.rebuild.already")}</Banner> : null}
        {rebuild ? (
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <span id="recs-rebuild-status">
                <Badge tone={TONE[rebuild.status]}>{t(`recs.rebuild.status.${rebuild.status}`)}</Badge>
              </span>
              {active && rebuild.percent === null ? <Spinner size="small" accessibilityLabel={t("recs.rebuild.status.running")} /> : null}
            </InlineStack>
            <ProgressBar
              key={rebuild.id}
              progress={rebuild.percent ?? 0}
              tone={rebuild.status === "failed" ? "critical" : rebuild.status === "done" ? "success" : "highlight"}
              size="small"
            />
            <Text as="p" id="recs-rebuild-progress">
              {rebuild.total
                ? t("recs.rebuild.progressOf", { count: n.format(rebuild.progress), total: n.format(rebuild.total) })
                : t("recs.rebuild.progress", { count: n.format(rebuild.progress) })}
            </Text>
            {rebuild.startedAt ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("recs.rebuild.started", { date: dateTime.format(new Date(rebuild.startedAt)) })}
              </Text>
            ) : null}
            {rebuild.finishedAt ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("recs.rebuild.finished", { date: dateTime.format(new Date(rebuild.finishedAt)) })}
              </Text>
            ) : null}
            {rebuild.error ? (
              <Banner tone={rebuild.status === "failed" ? "critical" : "warning"}>
                {t(rebuild.status === "failed" ? "recs.rebuild.failed" : "recs.rebuild.retrying", { error: rebuild.error })}
              </Banner>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued" id="recs-rebuild-status">
            {t("recs.rebuild.never")}
          </Text>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="rebuild" />
          <InlineStack align="end">
            <Button submit disabled={active} loading={starting}>
              {t("recs.rebuild.start")}
            </Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
