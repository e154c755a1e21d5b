import { Badge, Banner, BlockStack, Card, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { TiersPage } from "~/admin/program";
import { useT } from "~/components/use-t";

/** The background job that moves customers to their tiers after a save, followed to the end. */
export function TierJobCard({ job, active }: { job: NonNullable<TiersPage["job"]>; active: boolean }) {
  const { t, n, dateTime } = useT();
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("tiers.job")}
          </Text>
          <Badge tone={job.status === "done" ? "success" : job.status === "failed" ? "critical" : "attention"}>
            {t(`tiers.job.status.${job.status}`)}
          </Badge>
          {job.version ? <Badge>{t("tiers.version", { version: String(job.version) })}</Badge> : null}
          {active && job.percent === null ? <Spinner size="small" accessibilityLabel={t("tiers.job.status.running")} /> : null}
        </InlineStack>
        <ProgressBar
          progress={job.percent ?? 0}
          tone={job.status === "failed" ? "critical" : job.status === "done" ? "success" : "highlight"}
          size="small"
        />
        <Text as="p" id="tier-job-progress">
          {job.total
            ? t("tiers.job.progressOf", { count: n.format(job.progress), total: n.format(job.total) })
            : t("tiers.job.progress", { count: n.format(job.progress) })}
        </Text>
        {job.finishedAt && job.status === "done" ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("tiers.job.finished", { date: dateTime.format(new Date(job.finishedAt)) })}
          </Text>
        ) : null}
        {job.error ? (
          <Banner tone={job.status === "failed" ? "critical" : "warning"}>
            {t(job.status === "failed" ? "tiers.job.failed" : "tiers.job.retrying", { error: job.error })}
          </Banner>
        ) : null}
      </BlockStack>
    </Card>
  );
}
