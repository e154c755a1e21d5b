import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { config } from "~/config.server";
import { appDeps } from "~/deps.server";
import { KembaliError } from "~/domain/errors";
import { formatMoney } from "../../../common/money";
import {
  finishOnboarding,
  ONBOARDING_STEPS,
  onboardingPage,
  saveEarningStep,
  saveRewardsStep,
  type FirstRewardRow,
  type RewardNamer,
} from "~/admin/onboarding";
import { setupChecklist, themeEditorLink } from "~/domain/shop/setup";
import { shopifyFor } from "~/shopify/shopify-for.server";
import { intlLocale, pickLocale, translate, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { useFormState } from "~/components/form-state";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { EarningStep } from "./earning-step";
import { RewardsStep } from "./rewards-step";
import { SetupStep } from "./setup-step";

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

export default function Onboarding() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useT();
  const { form, text } = useFormState(data.form);
  const rewards = useFormState({ rewards: data.rewards });
  // A refused step stays on screen with its errors.
  const refused = result && !result.ok ? result.intent : null;
  const step = refused === "earning" ? 1 : refused === "rewards" ? 2 : data.step;
  const fields = result && !result.ok ? result.fields : {};
  const error = (name: string) => (fields[name] ? t(fields[name]) : undefined);
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <Page title={t("onboarding.title")} subtitle={t("onboarding.subtitle")}>
      <BlockStack gap="400">
        {result && !result.ok ? <Banner tone="critical">{t("onboarding.error")}</Banner> : null}

        {step === 1 ? <EarningStep form={form} text={text} error={error} busy={busy} /> : null}

        {step === 2 ? <RewardsStep rewards={rewards} error={error} busy={busy} /> : null}

        {step === 3 && data.setup ? <SetupStep busy={busy} /> : null}

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
