import { Banner, BlockStack, Card, Text } from "@shopify/polaris";
import type { RebuildView } from "~/admin/recommendations";
import { useT } from "~/components/use-t";

/**
 * The offline quality figure from the last finished rebuild, in merchant words: one product
 * hidden from each test order, found among the 10 suggestions X% of the time, against best
 * sellers alone; the spread across the five draws; or why there is no figure. `rebuild` is the
 * last finished rebuild (a running one measures again when it ends).
 */
export function QualityCard({ rebuild }: { rebuild: RebuildView | null }) {
  const { t, intl, dateTime } = useT();
  const percent = new Intl.NumberFormat(intl, { style: "percent", maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 });
  const quality = rebuild?.status === "done" ? rebuild.quality : null;
  const reason = rebuild?.status === "done" && !quality ? rebuild.reason : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("recs.quality")}
        </Text>
        {quality ? (
          <BlockStack gap="200">
            <Text as="p" variant="headingSm" id="recs-quality">
              {t(quality.cases === undefined ? "recs.quality.figureOf" : "recs.quality.figure", {
                count: quality.cases ?? quality.baskets,
                found: percent.format(quality.hr10),
                popular: percent.format(quality.popularity_hr10),
              })}
            </Text>
            <Text as="p">{t("recs.quality.spread", { spread: points.format(quality.hr10_sd * 100) })}</Text>
            {rebuild?.finishedAt ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("recs.quality.measured", { date: dateTime.format(new Date(rebuild.finishedAt)) })}
              </Text>
            ) : null}
          </BlockStack>
        ) : reason ? (
          <Banner tone="info">
            <p id="recs-quality-reason">
              {reason === "too_few_orders" ? t("recs.quality.too_few_orders") : t("recs.quality.reason", { reason })}
            </p>
          </Banner>
        ) : (
          <Text as="p" tone="subdued">
            {t("recs.quality.none")}
          </Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {t("recs.quality.how")}
        </Text>
      </BlockStack>
    </Card>
  );
}
