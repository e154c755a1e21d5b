import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Banner, BlockStack, Card, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { SURVEY_TEXTS } from "../../../common/survey-questions";
import type { SurveysPage } from "~/admin/surveys";
import type { MessageKey } from "~/i18n";
import { SaveBar } from "~/components/save-bar";
import { useT } from "~/components/use-t";
import { SurveyPreview } from "./preview";

type Settings = SurveysPage["settings"];
const asForm = (s: Settings) => ({
  enabled: s.enabled,
  kind: s.kind,
  questionEn: s.question.en ?? "",
  questionId: s.question.id ?? "",
  pointsForAnswer: String(s.pointsForAnswer),
  delayDays: String(s.delayDays),
  throttleDays: String(s.throttleDays),
});
type FormState = ReturnType<typeof asForm>;

/** The survey's settings with a live preview, saved through the save bar. */
export function SettingsCard({
  settings,
  scales,
  fields,
  saved,
}: {
  settings: Settings;
  scales: SurveysPage["scales"];
  fields: Record<string, MessageKey>;
  saved: boolean;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const stored = JSON.stringify(asForm(settings));
  const [form, setForm] = useState<FormState>(asForm(settings));
  // A save (or another tab) changed what is stored: start again from it.
  useEffect(() => setForm(JSON.parse(stored) as FormState), [stored]);
  const dirty = JSON.stringify(form) !== stored;
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "settings";
  const error = (name: string) => (fields[name] ? t(fields[name]) : undefined);
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const number = (name: "pointsForAnswer" | "delayDays" | "throttleDays", label: MessageKey, help: MessageKey) => (
    <TextField
      label={t(label)}
      helpText={t(help)}
      type="number"
      min={0}
      value={form[name]}
      onChange={(value) => set({ [name]: value })}
      error={error(name)}
      autoComplete="off"
    />
  );
  return (
    <Card>
      <SaveBar
        id="surveys-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => formRef.current?.requestSubmit()}
        onDiscard={() => setForm(asForm(settings))}
        labels={{ message: t("saveBar.message"), save: t("surveys.settings.save"), discard: t("saveBar.discard") }}
      />
      <Form method="post" ref={formRef}>
        <input type="hidden" name="intent" value="settings" />
        {Object.entries(form).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ))}
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("surveys.settings")}
          </Text>
          {saved && !dirty ? <Banner tone="success">{t("surveys.settings.saved")}</Banner> : null}
          {Object.keys(fields).length ? <Banner tone="critical">{t("surveys.error.settings")}</Banner> : null}
          <FormLayout>
            <Checkbox
              label={t("surveys.settings.enabled")}
              helpText={t("surveys.settings.enabled.help")}
              checked={form.enabled}
              onChange={(enabled) => set({ enabled })}
            />
            <Select
              label={t("surveys.settings.kind")}
              options={(["nps", "csat", "ces"] as const).map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))}
              value={form.kind}
              onChange={(kind) => set({ kind: kind as FormState["kind"] })}
              error={error("kind")}
            />
            <FormLayout.Group>
              <TextField
                label={t("surveys.settings.question.en")}
                placeholder={SURVEY_TEXTS.en[form.kind].question}
                helpText={t("surveys.settings.question.help")}
                value={form.questionEn}
                onChange={(questionEn) => set({ questionEn })}
                error={error("questionEn")}
                maxLength={200}
                autoComplete="off"
              />
              <TextField
                label={t("surveys.settings.question.id")}
                placeholder={SURVEY_TEXTS.id[form.kind].question}
                helpText={t("surveys.settings.question.help")}
                value={form.questionId}
                onChange={(questionId) => set({ questionId })}
                error={error("questionId")}
                maxLength={200}
                autoComplete="off"
              />
            </FormLayout.Group>
            <FormLayout.Group condensed>
              {number("pointsForAnswer", "surveys.settings.points", "surveys.settings.points.help")}
              {number("delayDays", "surveys.settings.delay", "surveys.settings.delay.help")}
              {number("throttleDays", "surveys.settings.throttle", "surveys.settings.throttle.help")}
            </FormLayout.Group>
          </FormLayout>
          <SurveyPreview form={form} scales={scales} />
        </BlockStack>
      </Form>
    </Card>
  );
}
