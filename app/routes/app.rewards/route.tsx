import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { createReward, listRewards, REWARD_TYPES, setRewardActive, type RewardType } from "~/domain/rewards/rewards";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import { currencyExponent, formatMoney, parseMoney } from "../../../common/money";
import { intlLocale, messages, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

async function shopCurrency(shop: string): Promise<string> {
  const record = await findShop(prisma, shop);
  if (!record) throw new KembaliError("NOT_FOUND", `Shop ${shop} is not installed`);
  return record.currency;
}

export const meta = adminMeta("rewards.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const [currency, rewards] = await Promise.all([shopCurrency(shop), listRewards({ db: prisma }, shop)]);
    return { currency, rewards };
  } catch (error) {
    throw errorResponse(error);
  }
}

// A free product's amount is one unit's price: its code takes that much off, so one item is free.
const MONEY_TYPES: readonly RewardType[] = ["fixed_amount", "store_credit", "free_product"];

/** Form text -> a whole number, or NaN for the domain's schema to refuse. */
const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : NaN);
/** Whole currency units as typed ("50000", "12.50") -> exact minor units; NaN if not an amount. */
function minor(text: string, currency: string): number {
  try {
    return parseMoney(text.replace(/[\s,]/g, ""), currency).amount;
  } catch {
    return NaN;
  }
}

function rewardInput(form: FormData, currency: string) {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const type = text("type") as RewardType;
  return {
    name: text("name"),
    type,
    pointsCost: whole(text("pointsCost")),
    value: MONEY_TYPES.includes(type) ? minor(text("amount"), currency) : type === "percentage" ? whole(text("percent")) : 0,
    variantId: type === "free_product" ? text("variantId") || null : null,
    minimumSubtotal: text("minimumSubtotal") ? minor(text("minimumSubtotal"), currency) : null,
    validityDays: text("validityDays") ? whole(text("validityDays")) : null,
    combinesWithOrder: form.get("combinesWithOrder") === "true",
    combinesWithProduct: form.get("combinesWithProduct") === "true",
    combinesWithShipping: form.get("combinesWithShipping") === "true",
  };
}

// The schema names most problems with a message key; for the rest (a number that is not a
// number, an unknown type) each field has its own message.
const FIELD_MESSAGE: Record<string, MessageKey> = {
  name: "reward.error.name",
  type: "reward.error.type",
  pointsCost: "reward.error.pointsCost",
  variantId: "reward.error.variantId",
  minimumSubtotal: "reward.error.minimumSubtotal",
  validityDays: "reward.error.validityDays",
};

function fieldErrors(fields: Record<string, string>, type: string): Record<string, MessageKey> {
  const out: Record<string, MessageKey> = {};
  for (const [field, message] of Object.entries(fields)) {
    const fallback = field === "value" ? (type === "percentage" ? "reward.error.percent" : "reward.error.amount") : FIELD_MESSAGE[field];
    out[field] = message in messages.en ? (message as MessageKey) : (fallback ?? "rewards.error");
  }
  return out;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  try {
    if (form.get("intent") === "toggle") {
      await setRewardActive({ db: prisma }, shop, String(form.get("rewardId") ?? ""), form.get("active") === "true");
      return { ok: true as const, created: null, fields: {} as Record<string, MessageKey> };
    }
    const input = rewardInput(form, await shopCurrency(shop));
    try {
      const reward = await createReward({ db: prisma }, shop, input);
      return { ok: true as const, created: reward.name, fields: {} as Record<string, MessageKey> };
    } catch (error) {
      if (!(error instanceof KembaliError) || error.code !== "BAD_INPUT") throw error;
      const fields = (error.details?.fields ?? {}) as Record<string, string>;
      return { ok: false as const, created: null, fields: fieldErrors(fields, input.type) };
    }
  } catch (error) {
    throw errorResponse(error);
  }
}

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

export default function Rewards() {
  const { currency, rewards } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useT();
  const [form, setForm] = useState(EMPTY);
  const set =
    <K extends keyof typeof EMPTY>(key: K) =>
    (value: (typeof EMPTY)[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  useEffect(() => {
    if (result?.created) setForm(EMPTY);
  }, [result]);

  const intl = intlLocale(locale);
  const n = new Intl.NumberFormat(intl);
  const money = (amount: number) => formatMoney({ amount, currency }, intl);
  const value = (r: (typeof rewards)[number]) => {
    if (MONEY_TYPES.includes(r.type)) return money(r.value);
    if (r.type === "percentage") return new Intl.NumberFormat(intl, { style: "percent" }).format(r.value / 100);
    return "—";
  };
  const conditions = (r: (typeof rewards)[number]) =>
    [
      r.minimumSubtotal ? t("rewards.detail.minimum", { amount: money(r.minimumSubtotal) }) : null,
      r.validityDays ? t("rewards.detail.validity", { days: n.format(r.validityDays) }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
  const fieldError = (name: string) => (result && !result.ok && result.fields[name] ? t(result.fields[name]) : undefined);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  return (
    <Page title={t("rewards.title")} subtitle={t("rewards.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("rewards.catalogue")}
              </Text>
              {rewards.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("rewards.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "text", "numeric", "text"]}
                  headings={[
                    t("rewards.col.name"),
                    t("rewards.col.type"),
                    t("rewards.col.cost"),
                    t("rewards.col.value"),
                    t("rewards.col.status"),
                    t("rewards.col.redemptions"),
                    "",
                  ]}
                  rows={rewards.map((r) => [
                    <BlockStack key={`${r.id}-name`} gap="050">
                      <Text as="span" fontWeight="semibold">
                        {r.name}
                      </Text>
                      {conditions(r) ? (
                        <Text as="span" variant="bodySm" tone="subdued">
                          {conditions(r)}
                        </Text>
                      ) : null}
                    </BlockStack>,
                    t(`reward.type.${r.type}`),
                    n.format(r.pointsCost),
                    value(r),
                    <Badge key={`${r.id}-status`} tone={r.active ? "success" : undefined}>
                      {r.active ? t("rewards.active") : t("rewards.inactive")}
                    </Badge>,
                    n.format(r.redemptions),
                    <Form key={`${r.id}-toggle`} method="post">
                      <input type="hidden" name="intent" value="toggle" />
                      <input type="hidden" name="rewardId" value={r.id} />
                      <input type="hidden" name="active" value={String(!r.active)} />
                      <Button submit size="slim" tone={r.active ? "critical" : undefined}>
                        {r.active ? t("rewards.deactivate") : t("rewards.activate")}
                      </Button>
                    </Form>,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
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
                    <Checkbox
                      label={t("rewards.field.combinesWithOrder")}
                      name="combinesWithOrder"
                      value="true"
                      checked={form.combinesWithOrder}
                      onChange={set("combinesWithOrder")}
                    />
                    <Checkbox
                      label={t("rewards.field.combinesWithProduct")}
                      name="combinesWithProduct"
                      value="true"
                      checked={form.combinesWithProduct}
                      onChange={set("combinesWithProduct")}
                    />
                    <Checkbox
                      label={t("rewards.field.combinesWithShipping")}
                      name="combinesWithShipping"
                      value="true"
                      checked={form.combinesWithShipping}
                      onChange={set("combinesWithShipping")}
                    />
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
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
