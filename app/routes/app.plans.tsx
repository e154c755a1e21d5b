import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { appDeps } from "~/deps.server";
import { KembaliError } from "~/domain/errors";
import { changePlan, currentPlan, PLAN_KEYS, PLANS, planUsage, type PlanKey } from "~/domain/shop/plans";
import { planBillingFor } from "~/shopify/billing.server";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

const deps = appDeps;

export const meta = adminMeta("plans.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await adminContext(request, context);
  const billing = planBillingFor(ctx);
  try {
    // Shopify's word first (after the confirmation page, Shopify sends the merchant back here with ?charge_id=).
    const state = await currentPlan(deps, ctx.shop, billing);
    const usage = await planUsage(deps, ctx.shop);
    const url = new URL(request.url);
    const returned = url.searchParams.get("billing") === "return" || url.searchParams.has("charge_id");
    return {
      plans: PLAN_KEYS.map((key) => PLANS[key]),
      state,
      usage,
      billing: billing.kind,
      testCharges: billing.kind === "shopify" && billing.test,
      returned,
    };
  } catch (error) {
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await adminContext(request, context);
  const form = await request.formData();
  try {
    // With Shopify billing a paid plan leaves for Shopify's confirmation page here (a thrown redirect).
    const state = await changePlan(deps, ctx.shop, form.get("plan"), planBillingFor(ctx));
    return { ok: true as const, plan: state.plan, fields: {} as Record<string, MessageKey> };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      return { ok: false as const, plan: null, fields: (error.details?.fields ?? {}) as Record<string, MessageKey> };
    }
    throw errorResponse(error);
  }
}

export default function Plans() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  // The plan's month is a UTC calendar month: its first and last days are shown as such.
  const { t, n, utcDay: day, intl } = useT();
  const usd = new Intl.NumberFormat(intl, { style: "currency", currency: "USD", maximumFractionDigits: 0 });
  const name = (key: PlanKey) => t(`plans.name.${key}`);
  const current = data.state.plan;
  const rank = (key: PlanKey) => PLAN_KEYS.indexOf(key);
  const { usage } = data;
  const lastDay = new Date(Date.parse(usage.month.end) - 1);

  return (
    <Page title={t("plans.title")} subtitle={t("plans.subtitle", { limit: n.format(PLANS.free.orderLimit ?? 0) })}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {data.billing === "local" ? <Banner tone="info">{t("plans.demo")}</Banner> : null}
            {data.testCharges ? <Banner tone="info">{t("plans.test")}</Banner> : null}
            {data.returned ? (
              <Banner tone={current === "free" ? "warning" : "success"}>
                {t(current === "free" ? "plans.returned.declined" : "plans.returned.approved", { plan: name(current) })}
              </Banner>
            ) : null}
            {result?.ok ? <Banner tone="success">{t("plans.changed", { plan: name(result.plan) })}</Banner> : null}
            {result && !result.ok ? <Banner tone="critical">{t(result.fields.plan ?? "plans.error.plan")}</Banner> : null}
            {usage.overLimit ? (
              <Banner tone="warning">
                {t("plans.over", { count: n.format(usage.paidOrders), limit: n.format(usage.limit ?? 0), plan: name(current) })}
              </Banner>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("plans.current")}: {name(current)}
              </Text>
              <Text as="p" id="plan-usage">
                {usage.limit === null
                  ? t("plans.usage.unlimited", { count: n.format(usage.paidOrders) })
                  : t("plans.usage", { count: n.format(usage.paidOrders), limit: n.format(usage.limit) })}
              </Text>
              {usage.limit !== null ? (
                <ProgressBar
                  progress={Math.min(100, (usage.paidOrders / usage.limit) * 100)}
                  tone={usage.overLimit ? "critical" : "primary"}
                  size="small"
                />
              ) : null}
              <Text as="p" variant="bodySm" tone="subdued">
                {t("plans.usage.help", { start: day.format(new Date(usage.month.start)), end: day.format(lastDay) })}
              </Text>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("plans.nothingLost")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            {data.plans.map((plan) => {
              const isCurrent = plan.key === current;
              const label =
                plan.key === "free" && data.billing === "shopify"
                  ? t("plans.cancel")
                  : rank(plan.key) > rank(current)
                    ? t("plans.upgrade", { plan: name(plan.key) })
                    : t("plans.downgrade", { plan: name(plan.key) });
              const submitting = navigation.state === "submitting" && navigation.formData?.get("plan") === plan.key;
              return (
                <Card key={plan.key}>
                  <BlockStack gap="300">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingMd">
                        {name(plan.key)}
                      </Text>
                      {isCurrent ? <Badge tone="success">{t("plans.current")}</Badge> : null}
                    </InlineStack>
                    <Text as="p" variant="headingLg">
                      {plan.monthlyUsd === 0 ? t("plans.price.free") : t("plans.price", { price: usd.format(plan.monthlyUsd) })}
                    </Text>
                    <Text as="p" tone="subdued">
                      {plan.orderLimit === null ? t("plans.limit.none") : t("plans.limit", { limit: n.format(plan.orderLimit) })}
                    </Text>
                    {isCurrent ? null : (
                      <Form method="post">
                        <input type="hidden" name="plan" value={plan.key} />
                        <Button
                          submit
                          variant={rank(plan.key) > rank(current) ? "primary" : undefined}
                          tone={plan.key === "free" && data.billing === "shopify" ? "critical" : undefined}
                          loading={submitting}
                        >
                          {label}
                        </Button>
                      </Form>
                    )}
                  </BlockStack>
                </Card>
              );
            })}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
