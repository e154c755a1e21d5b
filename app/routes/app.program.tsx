import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma, { transaction } from "~/db.server";
import { systemClock } from "~/domain/deps";
import { adminContext } from "~/admin.server";
import { errorResponse } from "~/http.server";
import { formReader, programPage, readProgramForm, saveProgramForm, type ProgramForm } from "~/admin/program";
import { KembaliError } from "~/domain/errors";
import { currencyExponent } from "../../common/money";
import { ACTION_LIMITS } from "~/domain/program";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { ProgramExample } from "~/components/program-example";
import { isoFromLocalInput, localInputValue, newRowId, slugOf, useFormState, useHydrated } from "~/components/form-state";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return { ...(await programPage({ db: prisma }, shop)), now: new Date().toISOString() };
  } catch (error) {
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = readProgramForm(formReader(await request.formData()));
  try {
    await saveProgramForm({ db: prisma, clock: systemClock, transaction: transaction(prisma) }, shop, form);
    return { ok: true as const, fields: {} as Record<string, MessageKey> };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      return { ok: false as const, fields: (error.details?.fields ?? { form: "program.error" }) as Record<string, MessageKey> };
    }
    throw errorResponse(error);
  }
}

// Every custom action is honour-based: no limit without a cap (ACTION_LIMITS in the domain).
const LIMITS = ACTION_LIMITS;
const EXPIRY_MODES = ["never", "after_earning", "inactivity"] as const;
const FRIEND_REWARDS = ["percentage", "fixed_amount"] as const;

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {help ? (
            <Text as="p" tone="subdued">
              {help}
            </Text>
          ) : null}
        </BlockStack>
        {children}
      </BlockStack>
    </Card>
  );
}

export default function Program() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useT();
  const hydrated = useHydrated();
  const { form, setForm, set, text, check } = useFormState<ProgramForm>(data.form);
  const { currency } = data;
  const step = 10 ** -currencyExponent(currency);

  const error = (name: string) => (result && !result.ok && result.fields[name] ? t(result.fields[name]) : undefined);
  const textField = (name: string) => ({ ...text(name), error: error(name) });
  const numberField = (name: string, min = 0) => ({ ...textField(name), type: "number" as const, min });
  const moneyField = (name: string) => ({ ...numberField(name), step });
  const listError = (name: string) => (error(name) ? <Banner tone="critical">{error(name)}</Banner> : null);

  const update = (fn: (f: ProgramForm) => void) =>
    setForm((f) => {
      const copy = structuredClone(f);
      fn(copy);
      return copy;
    });
  /** A new label also renames the key while the key still follows the label. */
  const setActionLabel = (i: number, label: string) =>
    update((f) => {
      const action = f.bonuses.actions[i];
      if (!action.key || action.key === slugOf(action.label)) action.key = slugOf(label);
      action.label = label;
    });

  const { actions } = form.bonuses;
  return (
    <Page title={t("program.title")} subtitle={t("program.subtitle")}>
      <Form method="post">
        <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
          <BlockStack gap="400">
            <Section title={t("program.earning")} help={t("program.earning.help")}>
              <FormLayout>
                <FormLayout.Group>
                  <TextField label={t("program.points")} {...numberField("earning.points")} />
                  <TextField label={t("program.perAmount", { currency })} {...moneyField("earning.perAmount")} />
                  <TextField
                    label={t("program.pendingDays")}
                    helpText={t("program.pendingDays.help")}
                    {...numberField("earning.pendingDays")}
                  />
                </FormLayout.Group>
                <Checkbox label={t("program.base.includeShipping")} {...check("earning.base.includeShipping")} />
                <Checkbox label={t("program.base.includeTax")} {...check("earning.base.includeTax")} />
              </FormLayout>
            </Section>

            <Section title={t("program.bonuses")} help={t("program.bonuses.help")}>
              <FormLayout>
                <FormLayout.Group>
                  <TextField label={t("program.signup")} helpText={t("program.signup.help")} {...numberField("bonuses.signup")} />
                  <TextField
                    label={t("program.birthday")}
                    helpText={t("program.birthday.help")}
                    {...numberField("bonuses.birthday")}
                  />
                  <TextField
                    label={t("program.birthdayLeadDays")}
                    helpText={t("program.birthdayLeadDays.help")}
                    {...numberField("bonuses.birthdayLeadDays")}
                  />
                </FormLayout.Group>
              </FormLayout>
              <Divider />
              <Text as="h3" variant="headingSm">
                {t("program.actions")}
              </Text>
              <Text as="p" tone="subdued">
                {t("program.actions.honour", { days: data.settings.earning.pendingDays })}
              </Text>
              {listError("bonuses.actions")}
              {actions.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("program.actions.empty")}
                </Text>
              ) : null}
              {actions.map((a, i) => (
                <Box key={i} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                  <FormLayout>
                    <InlineStack>
                      <Badge tone="attention">{t("program.action.honour")}</Badge>
                    </InlineStack>
                    <FormLayout.Group>
                      <TextField
                        label={t("program.action.label")}
                        {...textField(`bonuses.actions.${i}.label`)}
                        onChange={(label) => setActionLabel(i, label)}
                        maxLength={80}
                      />
                      <TextField
                        label={t("program.action.key")}
                        helpText={t("program.action.key.help")}
                        {...textField(`bonuses.actions.${i}.key`)}
                        maxLength={40}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField label={t("program.action.points")} {...numberField(`bonuses.actions.${i}.points`, 1)} />
                      <Select
                        label={t("program.action.limit")}
                        options={LIMITS.map((limit) => ({ value: limit, label: t(`program.limit.${limit}`) }))}
                        {...text(`bonuses.actions.${i}.limit`)}
                        error={error(`bonuses.actions.${i}.limit`)}
                      />
                      {a.limit === "daily" ? (
                        <TextField
                          label={t("program.action.dailyCap")}
                          helpText={t("program.action.dailyCap.help")}
                          max={10}
                          {...numberField(`bonuses.actions.${i}.dailyCap`, 1)}
                        />
                      ) : null}
                    </FormLayout.Group>
                    <InlineStack align="end">
                      <Button variant="plain" tone="critical" onClick={() => update((f) => void f.bonuses.actions.splice(i, 1))}>
                        {t("program.remove")}
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Box>
              ))}
              <InlineStack>
                <Button
                  onClick={() => update((f) => void f.bonuses.actions.push({ key: "", label: "", points: "50", limit: "once", dailyCap: "1" }))}
                  disabled={actions.length >= 20}
                >
                  {t("program.action.add")}
                </Button>
              </InlineStack>
            </Section>

            <Section title={t("program.multipliers")} help={t("program.multipliers.help")}>
              {listError("multipliers")}
              {form.multipliers.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("program.multipliers.empty")}
                </Text>
              ) : null}
              {form.multipliers.map((m, i) => (
                <Box key={m.id} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                  <input type="hidden" name={`multipliers.${i}.id`} value={m.id} />
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label={t("program.multiplier.type")}
                        options={[
                          { value: "product", label: t("program.multiplier.type.product") },
                          { value: "collection", label: t("program.multiplier.type.collection") },
                        ]}
                        {...text(`multipliers.${i}.appliesTo.type`)}
                        error={error(`multipliers.${i}.appliesTo.type`)}
                      />
                      <TextField
                        label={t("program.multiplier.value")}
                        prefix="×"
                        step={0.01}
                        {...numberField(`multipliers.${i}.multiplier`, 1)}
                      />
                    </FormLayout.Group>
                    <TextField
                      label={t("program.multiplier.ids")}
                      helpText={t("program.ids.help")}
                      {...textField(`multipliers.${i}.appliesTo.ids`)}
                    />
                    <InlineStack align="end">
                      <Button variant="plain" tone="critical" onClick={() => update((f) => void f.multipliers.splice(i, 1))}>
                        {t("program.remove")}
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Box>
              ))}
              <InlineStack>
                <Button
                  onClick={() =>
                    update(
                      (f) =>
                        void f.multipliers.push({
                          id: newRowId("m"),
                          appliesTo: { type: "collection", ids: "" },
                          multiplier: "2",
                        })
                    )
                  }
                  disabled={form.multipliers.length >= 50}
                >
                  {t("program.multiplier.add")}
                </Button>
              </InlineStack>
            </Section>

            <Section title={t("program.campaigns")} help={t("program.campaigns.help")}>
              {listError("campaigns")}
              {form.campaigns.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("program.campaigns.empty")}
                </Text>
              ) : null}
              {form.campaigns.map((c, i) => (
                <Box key={c.id} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                  <input type="hidden" name={`campaigns.${i}.id`} value={c.id} />
                  <input type="hidden" name={`campaigns.${i}.startsAt`} value={c.startsAt} />
                  <input type="hidden" name={`campaigns.${i}.endsAt`} value={c.endsAt} />
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField label={t("program.campaign.name")} {...textField(`campaigns.${i}.name`)} maxLength={80} />
                      <TextField
                        label={t("program.multiplier.value")}
                        prefix="×"
                        step={0.01}
                        {...numberField(`campaigns.${i}.multiplier`, 1)}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      {(["startsAt", "endsAt"] as const).map((end) => (
                        // Typed in the browser's time zone; the hidden field carries the instant.
                        <TextField
                          key={end}
                          label={t(`program.campaign.${end}`)}
                          type="datetime-local"
                          value={hydrated ? localInputValue(c[end]) : ""}
                          onChange={(value) => set(`campaigns.${i}.${end}`, isoFromLocalInput(value))}
                          autoComplete="off"
                          error={error(`campaigns.${i}.${end}`)}
                        />
                      ))}
                    </FormLayout.Group>
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="p" variant="bodySm" tone="subdued">
                        {hydrated
                          ? t("program.campaign.timezone", { zone: Intl.DateTimeFormat().resolvedOptions().timeZone })
                          : ""}
                      </Text>
                      <Button variant="plain" tone="critical" onClick={() => update((f) => void f.campaigns.splice(i, 1))}>
                        {t("program.remove")}
                      </Button>
                    </InlineStack>
                  </FormLayout>
                </Box>
              ))}
              <InlineStack>
                <Button
                  onClick={() =>
                    update(
                      (f) => void f.campaigns.push({ id: newRowId("c"), name: "", multiplier: "2", startsAt: "", endsAt: "" })
                    )
                  }
                  disabled={form.campaigns.length >= 20}
                >
                  {t("program.campaign.add")}
                </Button>
              </InlineStack>
            </Section>

            <Section title={t("program.exclusions")} help={t("program.exclusions.help")}>
              <FormLayout>
                <TextField
                  label={t("program.exclusions.customerTags")}
                  helpText={t("program.exclusions.tags.help")}
                  {...textField("exclusions.customerTags")}
                />
                <TextField
                  label={t("program.exclusions.productTags")}
                  helpText={t("program.exclusions.tags.help")}
                  {...textField("exclusions.productTags")}
                />
                <TextField
                  label={t("program.exclusions.collectionIds")}
                  helpText={t("program.ids.help")}
                  {...textField("exclusions.collectionIds")}
                />
              </FormLayout>
            </Section>

            <Section title={t("program.cashback")} help={t("program.cashback.help")}>
              <FormLayout>
                <Checkbox label={t("program.cashback.enabled")} {...check("cashback.enabled")} />
                <FormLayout.Group>
                  <TextField label={t("program.cashback.percent")} suffix="%" step={0.01} {...numberField("cashback.percent")} />
                  <TextField label={t("program.minimum", { currency })} {...moneyField("cashback.minimumSubtotal")} />
                </FormLayout.Group>
              </FormLayout>
            </Section>

            <Section title={t("program.stamps")} help={t("program.stamps.help")}>
              <FormLayout>
                <Checkbox label={t("program.stamps.enabled")} {...check("stamps.enabled")} />
                <FormLayout.Group>
                  <Select
                    label={t("program.stamps.counts")}
                    options={[
                      { value: "orders", label: t("program.stamps.counts.orders") },
                      { value: "products", label: t("program.stamps.counts.products") },
                    ]}
                    {...text("stamps.counts")}
                    error={error("stamps.counts")}
                  />
                  <TextField label={t("program.stamps.target")} {...numberField("stamps.target", 2)} />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField label={t("program.stamps.rewardPoints")} {...numberField("stamps.rewardPoints", 1)} />
                  <TextField label={t("program.minimum", { currency })} {...moneyField("stamps.minimumSubtotal")} />
                </FormLayout.Group>
              </FormLayout>
            </Section>

            <Section title={t("program.referral")} help={t("program.referral.help")}>
              <FormLayout>
                <Checkbox label={t("program.referral.enabled")} {...check("referral.enabled")} />
                <FormLayout.Group>
                  <TextField label={t("program.referral.referrerPoints")} {...numberField("referral.referrerPoints")} />
                  <Select
                    label={t("program.referral.friendReward.type")}
                    options={FRIEND_REWARDS.map((type) => ({ value: type, label: t(`program.referral.friendReward.${type}`) }))}
                    {...text("referral.friendReward.type")}
                    error={error("referral.friendReward.type")}
                  />
                  {form.referral.friendReward.type === "fixed_amount" ? (
                    <TextField
                      label={t("program.referral.friendReward.amount", { currency })}
                      {...moneyField("referral.friendReward.value")}
                    />
                  ) : (
                    <TextField
                      label={t("program.referral.friendReward.percent")}
                      suffix="%"
                      max={100}
                      {...numberField("referral.friendReward.value", 1)}
                    />
                  )}
                </FormLayout.Group>
                <Text as="p" tone="subdued">
                  {t("program.referral.codes")}
                  {data.codesSyncing > 0 ? ` ${t("program.referral.codes.syncing", { count: data.codesSyncing })}` : ""}
                </Text>
                <FormLayout.Group>
                  <TextField
                    label={t("program.referral.holdDays")}
                    helpText={t("program.referral.holdDays.help")}
                    {...numberField("referral.holdDays")}
                  />
                  <TextField
                    label={t("program.referral.minimum", { currency })}
                    {...moneyField("referral.minimumOrderSubtotal")}
                  />
                </FormLayout.Group>
              </FormLayout>
              <Divider />
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  {t("program.referral.fraud")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("program.referral.fraud.help")}
                </Text>
              </BlockStack>
              <FormLayout>
                <FormLayout.Group>
                  <TextField
                    label={t("program.referral.fraud.maxPerReferrerPerDay")}
                    {...numberField("referral.fraud.maxPerReferrerPerDay", 1)}
                  />
                  <TextField
                    label={t("program.referral.fraud.maxPerIpPerDay")}
                    {...numberField("referral.fraud.maxPerIpPerDay", 1)}
                  />
                  <TextField
                    label={t("program.referral.fraud.couponLeakFriends")}
                    {...numberField("referral.fraud.couponLeakFriends", 2)}
                  />
                </FormLayout.Group>
                <FormLayout.Group>
                  <TextField
                    label={t("program.referral.fraud.reviewScore")}
                    max={100}
                    {...numberField("referral.fraud.reviewScore", 1)}
                  />
                  <TextField
                    label={t("program.referral.fraud.rejectScore")}
                    max={100}
                    {...numberField("referral.fraud.rejectScore", 1)}
                  />
                </FormLayout.Group>
              </FormLayout>
            </Section>

            <Section title={t("program.expiry")} help={t("program.expiry.help")}>
              <FormLayout>
                <Select
                  label={t("program.expiry.mode")}
                  options={EXPIRY_MODES.map((mode) => ({ value: mode, label: t(`program.expiry.${mode}`) }))}
                  {...text("expiry.mode")}
                  error={error("expiry.mode")}
                />
                <FormLayout.Group>
                  <TextField label={t("program.expiry.months")} {...numberField("expiry.months", 1)} />
                  <TextField label={t("program.expiry.warnDays")} {...numberField("expiry.warnDays", 1)} />
                </FormLayout.Group>
              </FormLayout>
            </Section>

            <Section title={t("program.redemption")}>
              <FormLayout>
                <TextField
                  label={t("program.redemption.pointValue", { currency })}
                  helpText={t("program.redemption.pointValue.help")}
                  {...moneyField("redemption.pointValue")}
                />
                <Checkbox label={t("program.redemption.refundExpiredCodes")} {...check("redemption.refundExpiredCodes")} />
              </FormLayout>
            </Section>

            <Section title={t("program.holdout")} help={t("program.holdout.help")}>
              <FormLayout>
                <TextField
                  label={t("program.holdout.share")}
                  helpText={t("program.holdout.share.help")}
                  suffix="%"
                  max={50}
                  {...numberField("holdout.share")}
                />
              </FormLayout>
            </Section>
          </BlockStack>

          {/* Beside the long form, the example, the outcome of the last save and Save stay in view. */}
          <div style={{ position: "sticky", top: "1rem", alignSelf: "start" }}>
            <BlockStack gap="400">
              <ProgramExample form={form} currency={currency} saved={data.settings} now={data.now} />
              {result && !result.ok ? <Banner tone="critical">{t(result.fields.form ?? "program.error")}</Banner> : null}
              {result?.ok ? <Banner tone="success">{t("program.saved")}</Banner> : null}
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  {t("program.save")}
                </Button>
              </InlineStack>
            </BlockStack>
          </div>
        </InlineGrid>
      </Form>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
