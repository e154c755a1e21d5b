import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Select, Text } from "@shopify/polaris";
import type { TierForm } from "~/admin/program";
import { TIER_BASES, TIER_PERIODS } from "~/domain/tiers/rules";
import type { MessageKey } from "~/i18n";
import type { useFormState } from "~/components/form-state";
import { useT } from "~/components/use-t";
import { TierRows } from "./tier-rows";

/** The tiers' editor: the rule, the tiers, and saving them as a new version once previewed. */
export function TierEditorCard({
  state,
  rewards,
  currency,
  errors,
  savedVersion,
  previewFresh,
  changed,
  previewing,
  saving,
  nextVersion,
  onPreview,
}: {
  state: ReturnType<typeof useFormState<TierForm>>;
  rewards: Array<{ id: string; name: string; active: boolean }>;
  currency: string;
  errors: Record<string, MessageKey>;
  /** The version the last save created, if it did. */
  savedVersion: number | null;
  previewFresh: boolean;
  changed: boolean;
  previewing: boolean;
  saving: boolean;
  nextVersion: number;
  onPreview: () => void;
}) {
  const { t } = useT();
  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const field = (name: string) => ({ ...state.text(name), error: error(name) });
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("tiers.editor")}
          </Text>
          <Text as="p" tone="subdued">
            {t("tiers.editor.help")}
          </Text>
        </BlockStack>
        {savedVersion !== null ? <Banner tone="success">{t("tiers.saved", { version: String(savedVersion) })}</Banner> : null}
        {Object.keys(errors).length ? <Banner tone="critical">{t(errors.form ?? errors.tiers ?? "tiers.error")}</Banner> : null}
        <FormLayout>
          <FormLayout.Group>
            <Select
              label={t("tiers.basis")}
              options={TIER_BASES.map((basis) => ({ value: basis, label: t(`tiers.basis.${basis}`) }))}
              {...field("basis")}
            />
            <Select
              label={t("tiers.period")}
              options={TIER_PERIODS.map((period) => ({ value: period, label: t(`tiers.period.${period}`) }))}
              {...field("period")}
            />
          </FormLayout.Group>
        </FormLayout>
        <TierRows state={state} rewards={rewards} currency={currency} error={error} />
        <InlineStack align="end" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            {!previewFresh && changed ? (
              <Text as="span" variant="bodySm" tone="subdued">
                {t("tiers.preview.first")}
              </Text>
            ) : null}
            <Button onClick={onPreview} loading={previewing}>
              {t("tiers.preview")}
            </Button>
            <Button submit variant="primary" disabled={!previewFresh || !changed} loading={saving}>
              {t("tiers.save", { version: String(nextVersion) })}
            </Button>
          </InlineStack>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
