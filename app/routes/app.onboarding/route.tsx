import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { config } from "~/config.server";
import { appDeps } from "~/deps.server";
import { KembaliError } from "~/domain/errors";
import { currencyExponent, formatMoney } from "../../../common/money";
import {
  finishOnboarding,
  FIRST_REWARD_TYPES,
  ONBOARDING_STEPS,
  onboardingPage,
  saveEarningStep,
  saveRewardsStep,
  type FirstRewardRow,
  type RewardNamer,
} from "~/domain/shop/onboarding";
import { setupChecklist, themeEditorLink } from "~/domain/shop/setup";
import { shopifyFor } from "~/shopify/shopify-for.server";
import { intlLocale, pickLocale, translate, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { useFormState } from "~/components/form-state";
import { AdminErrorBoundary } from "~/components/admin-error";
import { ProgramExample } from "~/components/program-example";
import { adminMeta } from "~/components/admin-title";

const deps = () => appDeps;

/** The step asked for in the URL (?step=2), else the one the shop is on. */
function stepOf(request: Request, current: number): number {
  const asked = Number(new URL(request.url).searchParams.get("step"));
  return Number.isInteger(asked) && asked >= 1 && asked <= ONBOARDING_STEPS ? asked : current;
}

export const meta = adminMeta("onboarding.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const locale = pickLocale(request);
  try {
    const nameOf: RewardNamer = (r, currency) =>
      r.type === "fixed_amount"
        ? translate(locale, "onboarding.reward.fixed", { amount: formatMoney({ amount: r.value, currency }, intlLocale(locale)) })
        : r.type === "percentage"
          ? translate(locale, "onboarding.reward.percent", { percent: r.value })
          : translate(locale, "onboarding.reward.freeShipping");
    const page = await onboardingPage({ db: prisma }, shop, nameOf);
    const step = stepOf(request, page.step);
    const setup = step === 3 ? await setupChecklist({ db: prisma }, shop, await shopifyFor(shop)) : null;
    return { ...page, step, setup, editorUrl: themeEditorLink(shop, config.apiKey), now: new Date().toISOString() };
  } catch (error) {
    throw errorResponse(error);
  }
}

function rewardRows(form: FormData): FirstRewardRow[] {
  const rows: FirstRewardRow[] = [];
  for (let i = 0; form.get(`rewards.${i}.type`) !== null && i < 10; i++) {
    const text = (name: string) => String(form.get(`rewards.${i}.${name}`) ?? "");
    rows.push({
      include: text("include") === "true",
      name: text("name"),
      type: text("type"),
      pointsCost: text("pointsCost"),
      value: text("value"),
    });
  }
  return rows;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await adminContext(request, context);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  const intent = text("intent");
  try {
    if (intent === "earning") {
      await saveEarningStep(deps(), ctx.shop, {
        points: text("earning.points"),
        perAmount: text("earning.perAmount"),
        pendingDays: text("earning.pendingDays"),
        pointValue: text("redemption.pointValue"),
      });
      return ctx.redirect("/app/onboarding?step=2");
    }
    if (intent === "rewards") {
      await saveRewardsStep(deps(), ctx.shop, rewardRows(form));
      return ctx.redirect("/app/onboarding?step=3");
    }
    if (intent === "finish" || intent === "skip") {
      await finishOnboarding(deps(), ctx.shop);
      return ctx.redirect("/app");
    }
    throw new KembaliError("BAD_INPUT", "Unknown onboarding step");
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT" && error.details?.fields) {
      return { ok: false as const, intent, fields: error.details.fields as Record<string, MessageKey> };
    }
    throw errorResponse(error);
  }
}

function StepHeader({ step, title, help }: { step: number; title: string; help: string }) {
  const { t } = useT();
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone="info">{t("onboarding.step", { step, total: ONBOARDING_STEPS })}</Badge>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </InlineStack>
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}

export default function Onboarding() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useT();
  const { form, text } = useFormState(data.form);
  const rewards = useFormState({ rewards: data.rewards });
  const { currency } = data;
  // A refused step stays on screen with its errors.
  const refused = result && !result.ok ? result.intent : null;
  const step = refused === "earning" ? 1 : refused === "rewards" ? 2 : data.step;
  const moneyStep = 10 ** -currencyExponent(currency);
  const fields = result && !result.ok ? result.fields : {};
  const error = (name: string) => (fields[name] ? t(fields[name]) : undefined);
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <Page title={t("onboarding.title")} subtitle={t("onboarding.subtitle")}>
      <BlockStack gap="400">
        {result && !result.ok ? <Banner tone="critical">{t("onboarding.error")}</Banner> : null}

        {step === 1 ? (
          <Form method="post" action="/app/onboarding?step=1">
            <input type="hidden" name="intent" value="earning" />
            <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
              <Card>
                <BlockStack gap="400">
                  <StepHeader
                    step={1}
                    title={t("onboarding.step1.title")}
                    help={t(data.suggestion.nearDollar ? "onboarding.step1.help" : "onboarding.step1.help.unknown", {
                      currency,
                      amount: formatMoney({ amount: data.suggestion.perAmount, currency }, intlLocale(locale)),
                    })}
                  />
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label={t("program.points")}
                        type="number"
                        min={0}
                        {...text("earning.points")}
                        error={error("earning.points")}
                      />
                      <TextField
                        label={t("program.perAmount", { currency })}
                        type="number"
                        min={0}
                        step={moneyStep}
                        {...text("earning.perAmount")}
                        error={error("earning.perAmount")}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField
                        label={t("program.pendingDays")}
                        helpText={t("program.pendingDays.help")}
                        type="number"
                        min={0}
                        {...text("earning.pendingDays")}
                        error={error("earning.pendingDays")}
                      />
                      <TextField
                        label={t("program.redemption.pointValue", { currency })}
                        helpText={t("program.redemption.pointValue.help")}
                        type="number"
                        min={0}
                        step={moneyStep}
                        {...text("redemption.pointValue")}
                        error={error("redemption.pointValue")}
                      />
                    </FormLayout.Group>
                  </FormLayout>
                  <InlineStack align="end">
                    <Button submit variant="primary" loading={busy("earning")}>
                      {t("onboarding.next")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Card>
              <ProgramExample form={form} currency={currency} saved={data.settings} now={data.now} />
            </InlineGrid>
          </Form>
        ) : null}

        {step === 2 ? (
          <Form method="post" action="/app/onboarding?step=2">
            <input type="hidden" name="intent" value="rewards" />
            <Card>
              <BlockStack gap="400">
                <StepHeader step={2} title={t("onboarding.step2.title")} help={t("onboarding.step2.help")} />
                {data.rewards.length === 0 ? (
                  <Banner tone="success">{t("onboarding.step2.done", { count: data.activeRewards })}</Banner>
                ) : (
                  rewards.form.rewards.map((row, i) => (
                    <Box key={i} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                      <input type="hidden" name={`rewards.${i}.type`} value={row.type} />
                      <FormLayout>
                        <Checkbox label={t("onboarding.step2.include")} {...rewards.check(`rewards.${i}.include`)} />
                        <FormLayout.Group>
                          <TextField
                            label={t("rewards.field.name")}
                            maxLength={80}
                            disabled={!row.include}
                            {...rewards.text(`rewards.${i}.name`)}
                            error={error(`rewards.${i}.name`)}
                          />
                          <Select
                            label={t("rewards.field.type")}
                            options={FIRST_REWARD_TYPES.map((type) => ({ value: type, label: t(`reward.type.${type}`) }))}
                            disabled
                            value={row.type}
                          />
                        </FormLayout.Group>
                        <FormLayout.Group>
                          <TextField
                            label={t("rewards.field.pointsCost")}
                            type="number"
                            min={1}
                            disabled={!row.include}
                            {...rewards.text(`rewards.${i}.pointsCost`)}
                            error={error(`rewards.${i}.pointsCost`)}
                          />
                          {row.type === "fixed_amount" ? (
                            <TextField
                              label={t("rewards.field.amount", { currency })}
                              type="number"
                              min={0}
                              step={moneyStep}
                              disabled={!row.include}
                              {...rewards.text(`rewards.${i}.value`)}
                              error={error(`rewards.${i}.value`)}
                            />
                          ) : row.type === "percentage" ? (
                            <TextField
                              label={t("rewards.field.percent")}
                              type="number"
                              min={1}
                              max={100}
                              suffix="%"
                              disabled={!row.include}
                              {...rewards.text(`rewards.${i}.value`)}
                              error={error(`rewards.${i}.value`)}
                            />
                          ) : (
                            <input type="hidden" name={`rewards.${i}.value`} value="" />
                          )}
                        </FormLayout.Group>
                      </FormLayout>
                    </Box>
                  ))
                )}
                <InlineStack align="space-between">
                  <Button url="/app/onboarding?step=1">{t("onboarding.back")}</Button>
                  {data.rewards.length === 0 ? (
                    <Button url="/app/onboarding?step=3" variant="primary">
                      {t("onboarding.next")}
                    </Button>
                  ) : (
                    <Button submit variant="primary" loading={busy("rewards")}>
                      {t("onboarding.next")}
                    </Button>
                  )}
                </InlineStack>
              </BlockStack>
            </Card>
          </Form>
        ) : null}

        {step === 3 && data.setup ? (
          <Card>
            <BlockStack gap="400">
              <StepHeader step={3} title={t("onboarding.step3.title")} help={t("onboarding.step3.help")} />
              <Banner tone={data.setup.embedEnabled ? "success" : "warning"}>
                {data.setup.embedEnabled === null
                  ? t("setup.embed.unknown")
                  : data.setup.embedEnabled
                    ? t("setup.embed.on", { theme: data.setup.themeName ?? "" })
                    : t("setup.embed.off", { theme: data.setup.themeName ?? "" })}
              </Banner>
              <InlineStack gap="200">
                <Button url={data.editorUrl} target="_blank" variant={data.setup.embedEnabled ? undefined : "primary"}>
                  {t("setup.embed.action")}
                </Button>
                <Button url="/app/onboarding?step=3">{t("onboarding.step3.check")}</Button>
              </InlineStack>
              <InlineStack align="space-between">
                <Button url="/app/onboarding?step=2">{t("onboarding.back")}</Button>
                <Form method="post">
                  <input type="hidden" name="intent" value="finish" />
                  <Button submit variant="primary" loading={busy("finish")}>
                    {t("onboarding.finish")}
                  </Button>
                </Form>
              </InlineStack>
            </BlockStack>
          </Card>
        ) : null}
        {data.onboarded ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="skip" />
            <InlineStack gap="200" blockAlign="center">
              <Button submit variant="plain" loading={busy("skip")}>
                {t("onboarding.skip")}
              </Button>
              <Text as="span" tone="subdued">
                {t("onboarding.skip.help")}
              </Text>
            </InlineStack>
          </Form>
        )}
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
