import { BlockStack, Card, DataTable, Link, Text, Banner } from "@shopify/polaris";
import type { TierPreviewView } from "~/admin/program";
import { NO_TIER } from "~/domain/tiers/rules";
import { useT } from "./use-t";

const EXAMPLES = 5;

/** What saving the editor's tiers would do: who moves up or down, how many end in each tier, a few examples. */
export function TierPreviewCard({
  preview,
  tierNames,
  formatAmount,
  stale,
}: {
  preview: TierPreviewView;
  /** Tier key -> name, the proposed tiers' names first, then the current ones'. */
  tierNames: Map<string, string>;
  formatAmount: (amount: number) => string;
  /** The editor changed since this preview was made. */
  stale: boolean;
}) {
  const { t, n } = useT();
  const name = (key: string | null) => (key === null || key === NO_TIER ? t("tiers.preview.noTier") : (tierNames.get(key) ?? key));
  const tiers = Object.entries(preview.byTier).sort(([a], [b]) => (a === NO_TIER ? -1 : b === NO_TIER ? 1 : 0));

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("tiers.preview.title")}
        </Text>
        {stale ? <Banner tone="warning">{t("tiers.preview.stale")}</Banner> : null}
        <Text as="p" variant="headingLg" id="tier-preview-summary">
          {t("tiers.preview.summary", {
            up: n.format(preview.up),
            down: n.format(preview.down),
            unchanged: n.format(preview.unchanged),
          })}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={[t("tiers.col.tier"), t("tiers.preview.col.customers")]}
          rows={tiers.map(([key, count]) => [name(key), n.format(count)])}
        />
        <Text as="h3" variant="headingSm">
          {t("tiers.preview.examples")}
        </Text>
        {preview.sample.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("tiers.preview.noMoves")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric"]}
            headings={[
              t("tiers.preview.col.customer"),
              t("tiers.preview.col.from"),
              t("tiers.preview.col.to"),
              t("tiers.preview.col.amount"),
            ]}
            rows={preview.sample.slice(0, EXAMPLES).map((s) => [
              <Link key={s.customerId} url={`/app/customers/${encodeURIComponent(s.shopifyCustomerId)}`} removeUnderline>
                {s.name ?? t("customers.unnamed", { id: s.shopifyCustomerId })}
              </Link>,
              name(s.from),
              name(s.to),
              formatAmount(s.amount),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
