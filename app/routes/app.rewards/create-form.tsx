import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { REWARD_TYPES, type RewardType } from "~/domain/rewards/rewards";
import { currencyExponent } from "../../../common/money";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { MONEY_TYPES } from "./money-types";

const EMPTY = {
  name: "",
  type: "fixed_amount" as RewardType,
  pointsCost: "",
  amount: "",
  percent: "",
  variantId: "",
  minimumSubtotal: "",
  validityDays: "",
  combinesWithOrder: false,
  combinesWithProduct: false,
  combinesWithShipping: true,
};

/** The kinds of Shopify discount a reward code may be combined with, one checkbox each. */
const COMBINES = ["combinesWithOrder", "combinesWithProduct", "combinesWithShipping"] as const;

/** The form that adds a reward to the catalogue, with each field's error from the last try. */
export function CreateRewardCard({
  currency,
  result,
}: {
  currency: string;
  result: { ok: boolean; created: string | null; fields: Record<string, MessageKey> } | undefined;
}) {
  const navigation = useNavigation();
  const { t } = useT();

  const [form, setForm] = useState(EMPTY);
  const set =
    <K extends keyof typeof EMPTY>(key: K) =>
    (value: (typeof EMPTY)[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  useEffect(() => {
    if (result?.created) setForm(EMPTY);
  }, [result]);

  const fieldError = (name: string) => (result && !result.ok && result.fields[name] ? t(result.fields[name]) : undefined);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  return (
    <Form method="post">
      <input type="hidden" name="intent" value="create" />
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("rewards.create")}
          </Text>
          {result && !result.ok ? <Banner tone="critical">{t("rewards.error")}</Banner> : null}
          {result?.created ? <Banner tone="success">{t("rewards.created", { name: result.created })}</Banner> : null}
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label={t("rewards.field.name")}
                helpText={t("rewards.field.name.help")}
                name="name"
                value={form.name}
                onChange={set("name")}
                maxLength={80}
                autoComplete="off"
                error={fieldError("name")}
              />
              <Select
                label={t("rewards.field.type")}
                name="type"
                options={REWARD_TYPES.map((type) => ({ value: type, label: t(`reward.type.${type}`) }))}
                value={form.type}
                onChange={(v) => set("type")(v as RewardType)}
                error={fieldError("type")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label={t("rewards.field.pointsCost")}
                name="pointsCost"
                type="number"
                min={1}
                value={form.pointsCost}
                onChange={set("pointsCost")}
                autoComplete="off"
                error={fieldError("pointsCost")}
              />
              {MONEY_TYPES.includes(form.type) ? (
                <TextField
                  label={t("rewards.field.amount", { currency })}
                  name="amount"
                  type="number"
                  min={0}
                  step={10 ** -currencyExponent(currency)}
                  value={form.amount}
                  onChange={set("amount")}
                  autoComplete="off"
                  error={fieldError("value")}
                />
              ) : null}
              {form.type === "percentage" ? (
                <TextField
                  label={t("rewards.field.percent")}
                  name="percent"
                  type="number"
                  min={1}
                  max={100}
                  suffix="%"
                  value={form.percent}
                  onChange={set("percent")}
                  autoComplete="off"
                  error={fieldError("value")}
                />
              ) : null}
              {form.type === "free_product" ? (
                <TextField
                  label={t("rewards.field.variantId")}
                  helpText={t("rewards.field.variantId.help")}
                  name="variantId"
                  inputMode="numeric"
                  value={form.variantId}
                  onChange={set("variantId")}
                  autoComplete="off"
                  error={fieldError("variantId")}
                />
              ) : null}
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label={t("rewards.field.minimumSubtotal", { currency })}
                helpText={t("rewards.field.minimumSubtotal.help")}
                name="minimumSubtotal"
                type="number"
                min={0}
                step={10 ** -currencyExponent(currency)}
                value={form.minimumSubtotal}
                onChange={set("minimumSubtotal")}
                autoComplete="off"
                error={fieldError("minimumSubtotal")}
              />
              <TextField
                label={t("rewards.field.validityDays")}
                helpText={t("rewards.field.validityDays.help")}
                name="validityDays"
                type="number"
                min={1}
                value={form.validityDays}
                onChange={set("validityDays")}
                autoComplete="off"
                error={fieldError("validityDays")}
              />
            </FormLayout.Group>
            <BlockStack gap="100">
              <Text as="p">{t("rewards.field.combines")}</Text>
              {COMBINES.map((key) => (
                <Checkbox key={key} label={t(`rewards.field.${key}`)} name={key} value="true" checked={form[key]} onChange={set(key)} />
              ))}
            </BlockStack>
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={submitting}>
              {t("rewards.submit")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Form>
  );
}
