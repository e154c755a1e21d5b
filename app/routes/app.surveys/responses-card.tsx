import { useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Link, Pagination, Text } from "@shopify/polaris";
import type { SurveysPage } from "~/admin/surveys";
import type { MessageKey } from "~/i18n";
import { downloadThroughFetch } from "~/components/download";
import { useT } from "~/components/use-t";
import { FiltersForm, filterParams } from "./filters";
import { GROUP_TONE, Wrap } from "./score";

/** The responses with filters, a page at a time, and the filtered list as a CSV download. */
export function ResponsesCard({ responses, filters }: { responses: SurveysPage["responses"]; filters: SurveysPage["filters"] }) {
  const { t, n, dateTime } = useT();
  const [params, setParams] = useSearchParams();
  const [download, setDownload] = useState<"idle" | "loading" | "failed">("idle");
  const goTo = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    setParams(next, { preventScrollReset: true });
  };
  async function exportCsv() {
    setDownload("loading");
    try {
      await downloadThroughFetch(`/app/surveys/export.csv?${filterParams(filters).toString()}`, "kembali-survey.csv");
      setDownload("idle");
    } catch {
      setDownload("failed");
    }
  }
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("surveys.responses")}
          </Text>
          <Button onClick={exportCsv} loading={download === "loading"} disabled={responses.total === 0}>
            {t("surveys.responses.export")}
          </Button>
        </InlineStack>
        {download === "failed" ? (
          <Text as="p" tone="critical">
            {t("surveys.responses.export.failed")}
          </Text>
        ) : null}
        <FiltersForm filters={filters} options={responses.options} />
        <Text as="p" tone="subdued">
          {t("surveys.responses.count", { count: responses.total })}
        </Text>
        {responses.rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("surveys.responses.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text", "text", "text"]}
            headings={[
              t("surveys.col.answered"),
              t("surveys.col.order"),
              t("surveys.col.score"),
              t("surveys.col.comment"),
              t("surveys.col.customer"),
              t("surveys.col.tier"),
              t("surveys.col.channel"),
            ]}
            rows={responses.rows.map((r) => [
              dateTime.format(new Date(r.answeredAt)),
              // The order's page in the Shopify admin, outside the app's frame.
              <Link
                key="order"
                url={r.orderUrl}
                target="_top"
                accessibilityLabel={t("member.source.order.label", { id: r.shopifyOrderId })}
              >
                {r.shopifyOrderId}
              </Link>,
              <InlineStack key="score" gap="100" blockAlign="center" wrap={false}>
                <span>{n.format(r.score)}</span>
                <Badge tone={GROUP_TONE[r.group]}>{t(`surveys.group.${r.group}` as MessageKey)}</Badge>
              </InlineStack>,
              // The shopper's words, rendered as text.
              <Wrap key="comment">{r.comment ?? "—"}</Wrap>,
              r.customer ? (
                <Link key="customer" url={`/app/customers/${r.customer.id}`}>
                  {r.customer.name ?? r.customer.email ?? r.customer.shopifyCustomerId}
                </Link>
              ) : (
                t("surveys.guest")
              ),
              [r.tierName, r.segment ? t(`segment.${r.segment}` as MessageKey) : null].filter(Boolean).join(" · ") || "—",
              t(`surveys.channel.${r.channel}` as MessageKey),
            ])}
          />
        )}
        {responses.pages > 1 ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={responses.page > 1}
              onPrevious={() => goTo(responses.page - 1)}
              hasNext={responses.page < responses.pages}
              onNext={() => goTo(responses.page + 1)}
              label={t("surveys.responses.page", { page: responses.page, pages: responses.pages })}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
