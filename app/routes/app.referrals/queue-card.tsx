import { useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Tabs, Text } from "@shopify/polaris";
import type { ReferralStatus } from "~/domain/referrals";
import { REFERRAL_STATUSES, type QueueFilter, type ReferralQueue } from "~/admin/referrals";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { Decide } from "./decide";
import { CreatedCell, ReasonsCell, riskTone, StatusCell, Who } from "./queue-cells";

/** The review queue: a tab per status, the outcome of the last decision, the referrals and their paging. */
export function QueueCard({
  queue,
  status,
  paged,
  notice,
}: {
  queue: ReferralQueue;
  status: QueueFilter;
  paged: boolean;
  notice: { ok: boolean; text: string } | null;
}) {
  const navigate = useNavigate();
  const { t, n } = useT();
  const statusLabel = (s: ReferralStatus) => t(`referrals.status.${s}` as MessageKey);

  const filters: QueueFilter[] = [...REFERRAL_STATUSES, "all"];
  const tabs = filters.map((f) => ({
    id: `referrals-${f}`,
    content:
      f === "all"
        ? t("referrals.tab.all", { count: n.format(queue.counts.all) })
        : t("referrals.tab.status", { label: statusLabel(f), count: n.format(queue.counts[f]) }),
  }));

  return (
    <Card padding="0">
      <Tabs tabs={tabs} selected={filters.indexOf(status)} onSelect={(i) => navigate(`?status=${filters[i]}`)} />
      <BlockStack gap="300">
        {notice ? (
          <div style={{ padding: "var(--p-space-300)" }}>
            <Banner tone={notice.ok ? "success" : "critical"}>{notice.text}</Banner>
          </div>
        ) : null}
        {queue.rows.length === 0 ? (
          <div style={{ padding: "var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              {t("referrals.empty")}
            </Text>
          </div>
        ) : (
          <DataTable
            verticalAlign="top"
            columnContentTypes={["text", "text", "text", "text", "text", "text", "text"]}
            headings={[
              t("referrals.col.created"),
              t("referrals.col.referrer"),
              t("referrals.col.friend"),
              t("referrals.col.risk"),
              t("referrals.col.reasons"),
              t("referrals.col.status"),
              t("referrals.col.actions"),
            ]}
            rows={queue.rows.map((r) => [
              <CreatedCell key={`${r.id}-date`} row={r} />,
              <div key={`${r.id}-referrer`}>
                <Who person={r.referrer} email={null} />
              </div>,
              <div key={`${r.id}-friend`}>
                <Who person={r.friend} email={r.friendEmail} />
              </div>,
              <Badge key={`${r.id}-risk`} tone={riskTone(r.riskScore)}>
                {t("referrals.risk", { score: n.format(r.riskScore) })}
              </Badge>,
              <ReasonsCell key={`${r.id}-reasons`} row={r} />,
              <StatusCell key={`${r.id}-status`} row={r} />,
              <Decide key={`${r.id}-decide`} row={r} />,
            ])}
          />
        )}
        {paged || queue.nextCursor ? (
          <div style={{ padding: "var(--p-space-300)" }}>
            <InlineStack gap="200" align="end">
              {paged ? <Button url={`?status=${status}`}>{t("referrals.first")}</Button> : null}
              {queue.nextCursor ? (
                <Button url={`?status=${status}&cursor=${encodeURIComponent(queue.nextCursor)}`}>{t("referrals.more")}</Button>
              ) : null}
            </InlineStack>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}
