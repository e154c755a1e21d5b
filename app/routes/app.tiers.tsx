import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Select,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma, { transaction } from "~/db.server";
import { adminContext } from "~/admin.server";
import { errorResponse } from "~/http.server";
import {
  formReader,
  previewTierForm,
  readTierForm,
  saveTierForm,
  tierForm,
  tiersPage,
  type TierForm,
  type TierVersionView,
} from "~/admin/program";
import { NO_TIER, TIER_BASES, TIER_PERIODS } from "~/domain/tiers/rules";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { currencyExponent, formatMoney } from "../../common/money";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { TierPreviewCard } from "~/components/tier-preview";
import { slugOf, useFormState } from "~/components/form-state";
import { adminMeta } from "~/components/admin-title";

const REFRESH_MS = 2000;
const MAX_TIERS = 10;

export const meta = adminMeta("tiers.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return await tiersPage({ db: prisma }, shop);
  } catch (error) {
    throw errorResponse(error);
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = form.get("intent") === "save" ? ("save" as const) : ("preview" as const);
  const tiers = readTierForm(formReader(form));
  const deps = { db: prisma, clock: systemClock, transaction: transaction(prisma) };
  try {
    if (intent === "preview") {
      return {
        intent,
        ok: true as const,
        preview: await previewTierForm(deps, shop, tiers),
        saved: null,
        fields: {} as Record<string, MessageKey>,
      };
    }
    return {
      intent,
      ok: true as const,
      preview: null,
      saved: await saveTierForm(deps, shop, tiers),
      fields: {} as Record<string, MessageKey>,
    };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? { form: "tiers.error" }) as Record<string, MessageKey>;
      return { intent, ok: false as const, preview: null, saved: null, fields };
    }
    throw errorResponse(error);
  }
}

const blankTier = (): TierForm["tiers"][number] => ({
  key: "",
  name: "",
  threshold: "",
  earnMultiplier: "1",
  freeShippingReward: false,
  exclusiveRewardIds: [],
});

export default function Tiers() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const preview = useFetcher<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, locale } = useT();
  const { currency, versions, job, rewards, members } = data;
  const current = versions[0] ?? null;

  const saved = useMemo(() => tierForm(current, currency), [current, currency]);
  const { form, setForm, set, text, check } = useFormState<TierForm>(
    saved.tiers.length ? saved : { ...saved, tiers: [blankTier()] }
  );
  const formRef = useRef<HTMLFormElement>(null);
  const [previewedFor, setPreviewedFor] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, MessageKey>>({});

  const snapshot = JSON.stringify(form);
  const changed = snapshot !== JSON.stringify(saved);
  const previewData = preview.data?.ok && preview.data.preview ? preview.data.preview : null;
  const previewFresh = previewData !== null && previewedFor === snapshot && preview.state === "idle";
  const active = job?.status === "queued" || job?.status === "running";

  useEffect(() => setErrors(preview.data?.fields ?? {}), [preview.data]);
  useEffect(() => {
    setErrors(result?.fields ?? {});
    // A saved version needs a new preview before the next change is saved.
    if (result?.ok) setPreviewedFor(null);
  }, [result]);

  // While customers are being moved, re-read the job's progress; stop once it is over.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const intl = intlLocale(locale);
  const n = new Intl.NumberFormat(intl);
  const dateTime = new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const threshold = (basis: string, amount: number) =>
    basis === "amount_spent" ? formatMoney({ amount, currency }, intl) : t("tiers.points", { points: n.format(amount) });
  const summary = (v: TierVersionView) =>
    v.tiers
      .map(
        (tier) =>
          `${tier.name} ${t("tiers.from", { threshold: threshold(v.basis, tier.threshold) })}${
            tier.earnMultiplier > 1 ? ` ×${n.format(tier.earnMultiplier)}` : ""
          }`
      )
      .join(" · ");
  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const field = (name: string) => ({ ...text(name), error: error(name) });

  const tierNames = new Map<string, string>();
  for (const tier of [...form.tiers, ...(current?.tiers ?? [])])
    if (tier.key && !tierNames.has(tier.key)) tierNames.set(tier.key, tier.name);

  const move = (from: number, to: number) =>
    setForm((f) => {
      const tiers = [...f.tiers];
      const [tier] = tiers.splice(from, 1);
      tiers.splice(to, 0, tier);
      return { ...f, tiers };
    });
  const remove = (i: number) => setForm((f) => ({ ...f, tiers: f.tiers.filter((_, j) => j !== i) }));
  /** A new name also renames the key while the key still follows the name (a saved tier keeps its key). */
  const setName = (i: number, name: string) =>
    setForm((f) => ({
      ...f,
      tiers: f.tiers.map((tier, j) =>
        j !== i ? tier : { ...tier, name, key: !tier.key || tier.key === slugOf(tier.name) ? slugOf(name) : tier.key }
      ),
    }));
  const toggleReward = (i: number, id: string, on: boolean) =>
    set(
      `tiers.${i}.exclusiveRewardIds`,
      on ? [...form.tiers[i].exclusiveRewardIds, id] : form.tiers[i].exclusiveRewardIds.filter((r) => r !== id)
    );
  const runPreview = () => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    body.set("intent", "preview");
    setPreviewedFor(snapshot);
    preview.submit(body, { method: "post" });
  };

  const nextVersion = (current?.version ?? 0) + 1;
  const saving = navigation.state === "submitting";
  const amountBasis = form.basis === "amount_spent";

  return (
    <Page title={t("tiers.title")} subtitle={t("tiers.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("tiers.current")}
                </Text>
                {current ? <Badge>{t("tiers.version", { version: String(current.version) })}</Badge> : null}
              </InlineStack>
              {current ? (
                <>
                  <Text as="p" tone="subdued">
                    {t("tiers.current.rule", {
                      basis: t(`tiers.basis.${current.basis}`),
                      period: t(`tiers.period.${current.period}`),
                      date: dateTime.format(new Date(current.createdAt)),
                    })}
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "text", "numeric"]}
                    headings={[
                      t("tiers.col.tier"),
                      t("tiers.col.threshold"),
                      t("tiers.col.multiplier"),
                      t("tiers.col.benefits"),
                      t("tiers.col.members"),
                    ]}
                    rows={current.tiers.map((tier) => [
                      tier.name,
                      threshold(current.basis, tier.threshold),
                      `×${n.format(tier.earnMultiplier)}`,
                      [
                        tier.freeShippingReward ? t("tiers.field.freeShipping") : null,
                        tier.exclusiveRewardIds.length
                          ? t("tiers.exclusive", { count: n.format(tier.exclusiveRewardIds.length) })
                          : null,
                      ]
                        .filter(Boolean)
                        .join(" · ") || "—",
                      n.format(members[tier.key] ?? 0),
                    ])}
                  />
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("tiers.current.noTier", { count: n.format(members[NO_TIER] ?? 0) })}
                  </Text>
                </>
              ) : (
                <Text as="p" tone="subdued">
                  {t("tiers.current.none")}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        {job ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("tiers.job")}
                  </Text>
                  <Badge tone={job.status === "done" ? "success" : job.status === "failed" ? "critical" : "attention"}>
                    {t(`tiers.job.status.${job.status}`)}
                  </Badge>
                  {job.version ? <Badge>{t("tiers.version", { version: String(job.version) })}</Badge> : null}
                  {active && job.percent === null ? (
                    <Spinner size="small" accessibilityLabel={t("tiers.job.status.running")} />
                  ) : null}
                </InlineStack>
                <ProgressBar
                  progress={job.percent ?? 0}
                  tone={job.status === "failed" ? "critical" : job.status === "done" ? "success" : "highlight"}
                  size="small"
                />
                <Text as="p" id="tier-job-progress">
                  {job.total
                    ? t("tiers.job.progressOf", { count: n.format(job.progress), total: n.format(job.total) })
                    : t("tiers.job.progress", { count: n.format(job.progress) })}
                </Text>
                {job.finishedAt && job.status === "done" ? (
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("tiers.job.finished", { date: dateTime.format(new Date(job.finishedAt)) })}
                  </Text>
                ) : null}
                {job.error ? (
                  <Banner tone={job.status === "failed" ? "critical" : "warning"}>
                    {t(job.status === "failed" ? "tiers.job.failed" : "tiers.job.retrying", { error: job.error })}
                  </Banner>
                ) : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Form method="post" ref={formRef}>
            <input type="hidden" name="intent" value="save" />
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
                {result?.ok && result.saved ? (
                  <Banner tone="success">{t("tiers.saved", { version: String(result.saved.version) })}</Banner>
                ) : null}
                {Object.keys(errors).length ? (
                  <Banner tone="critical">{t(errors.form ?? errors.tiers ?? "tiers.error")}</Banner>
                ) : null}
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
                {form.tiers.map((tier, i) => (
                  <Box key={i} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
                    <BlockStack gap="300">
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {t("tiers.level", { level: String(i + 1) })}
                        </Text>
                        <InlineStack gap="200">
                          <Button size="slim" disabled={i === 0} onClick={() => move(i, i - 1)}>
                            {t("tiers.moveUp")}
                          </Button>
                          <Button size="slim" disabled={i === form.tiers.length - 1} onClick={() => move(i, i + 1)}>
                            {t("tiers.moveDown")}
                          </Button>
                          <Button size="slim" tone="critical" variant="plain" onClick={() => remove(i)}>
                            {t("tiers.remove")}
                          </Button>
                        </InlineStack>
                      </InlineStack>
                      <FormLayout>
                        <FormLayout.Group>
                          <TextField
                            label={t("tiers.field.name")}
                            {...field(`tiers.${i}.name`)}
                            onChange={(name) => setName(i, name)}
                            maxLength={40}
                          />
                          <TextField
                            label={t("tiers.field.key")}
                            helpText={t("tiers.field.key.help", { tag: `kembali-tier-${tier.key || "…"}` })}
                            {...field(`tiers.${i}.key`)}
                            maxLength={40}
                          />
                        </FormLayout.Group>
                        <FormLayout.Group>
                          <TextField
                            label={
                              amountBasis ? t("tiers.field.threshold.amount", { currency }) : t("tiers.field.threshold.points")
                            }
                            type="number"
                            min={0}
                            step={amountBasis ? 10 ** -currencyExponent(currency) : 1}
                            {...field(`tiers.${i}.threshold`)}
                          />
                          <TextField
                            label={t("tiers.field.multiplier")}
                            type="number"
                            min={1}
                            max={10}
                            step={0.01}
                            prefix="×"
                            {...field(`tiers.${i}.earnMultiplier`)}
                          />
                        </FormLayout.Group>
                        <Checkbox label={t("tiers.field.freeShipping")} {...check(`tiers.${i}.freeShippingReward`)} />
                        {rewards.length ? (
                          <BlockStack gap="100">
                            <Text as="p">{t("tiers.field.rewards")}</Text>
                            <InlineStack gap="400" wrap>
                              {rewards.map((reward) => (
                                <Checkbox
                                  key={reward.id}
                                  label={reward.active ? reward.name : t("tiers.reward.inactive", { name: reward.name })}
                                  name={`tiers.${i}.exclusiveRewardIds`}
                                  value={reward.id}
                                  checked={tier.exclusiveRewardIds.includes(reward.id)}
                                  onChange={(on) => toggleReward(i, reward.id, on)}
                                />
                              ))}
                            </InlineStack>
                            {error(`tiers.${i}.exclusiveRewardIds`) ? (
                              <Text as="p" tone="critical">
                                {error(`tiers.${i}.exclusiveRewardIds`)}
                              </Text>
                            ) : null}
                          </BlockStack>
                        ) : null}
                      </FormLayout>
                    </BlockStack>
                  </Box>
                ))}
                <InlineStack align="space-between" blockAlign="center">
                  <Button
                    onClick={() => setForm((f) => ({ ...f, tiers: [...f.tiers, blankTier()] }))}
                    disabled={form.tiers.length >= MAX_TIERS}
                  >
                    {t("tiers.add")}
                  </Button>
                  <InlineStack gap="200" blockAlign="center">
                    {!previewFresh && changed ? (
                      <Text as="span" variant="bodySm" tone="subdued">
                        {t("tiers.preview.first")}
                      </Text>
                    ) : null}
                    <Button onClick={runPreview} loading={preview.state !== "idle"}>
                      {t("tiers.preview")}
                    </Button>
                    <Button submit variant="primary" disabled={!previewFresh || !changed} loading={saving}>
                      {t("tiers.save", { version: String(nextVersion) })}
                    </Button>
                  </InlineStack>
                </InlineStack>
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>

        {previewData && previewedFor !== null ? (
          <Layout.Section>
            <TierPreviewCard
              preview={previewData}
              tierNames={tierNames}
              formatAmount={(amount) => threshold(form.basis, amount)}
              stale={!previewFresh && preview.state === "idle"}
            />
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("tiers.history")}
              </Text>
              {versions.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("tiers.history.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["numeric", "text", "text", "text"]}
                  headings={[t("tiers.col.version"), t("tiers.col.saved"), t("tiers.col.rule"), t("tiers.col.tiers")]}
                  rows={versions.map((v) => [
                    String(v.version),
                    dateTime.format(new Date(v.createdAt)),
                    `${t(`tiers.basis.${v.basis}`)} · ${t(`tiers.period.${v.period}`)}`,
                    summary(v),
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
