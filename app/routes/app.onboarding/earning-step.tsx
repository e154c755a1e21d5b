import { Form, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineGrid, InlineStack, TextField } from "@shopify/polaris";
import type { ProgramForm } from "~/admin/program";
import { currencyExponent, formatMoney } from "../../../common/money";
import { intlLocale } from "~/i18n";
import { useT } from "~/components/use-t";
import type { useFormState } from "~/components/form-state";
import { ProgramExample } from "~/components/program-example";
import type { loader } from "./route";
import { StepHeader } from "./step-header";

/** Step 1: how many points an order earns, when they count and what a point is worth, with a worked example. */
export function EarningStep({
  form,
  text,
  error,
  busy,
}: {
  form: ProgramForm;
  text: ReturnType<typeof useFormState<ProgramForm>>["text"];
  error: (name: string) => string | undefined;
  busy: (intent: string) => boolean;
}) {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const { currency } = data;
  const moneyStep = 10 ** -currencyExponent(currency);
  return (
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
                <TextField label={t("program.points")} type="number" min={0} {...text("earning.points")} error={error("earning.points")} />
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
  );
}
