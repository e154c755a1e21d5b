import { Form, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Select, TextField } from "@shopify/polaris";
import { FIRST_REWARD_TYPES, type FirstRewardRow } from "~/admin/onboarding";
import { currencyExponent } from "../../../common/money";
import { useT } from "~/components/use-t";
import type { useFormState } from "~/components/form-state";
import type { loader } from "./route";
import { StepHeader } from "./step-header";

/** Step 2: the first rewards, proposed for the shop's currency, each to keep or leave out. */
export function RewardsStep({
  rewards,
  error,
  busy,
}: {
  rewards: ReturnType<typeof useFormState<{ rewards: FirstRewardRow[] }>>;
  error: (name: string) => string | undefined;
  busy: (intent: string) => boolean;
}) {
  const data = useLoaderData<typeof loader>();
  const { t } = useT();
  const { currency } = data;
  const moneyStep = 10 ** -currencyExponent(currency);
  return (
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
  );
}
