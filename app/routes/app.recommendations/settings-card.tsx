import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Banner, BlockStack, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import type { RecommendationsPage } from "~/admin/recommendations";
import type { MessageKey } from "~/i18n";
import { SaveBar } from "~/components/save-bar";
import { useT } from "~/components/use-t";

type Settings = RecommendationsPage["settings"];
const asForm = (s: Settings) => ({ listLength: String(s.listLength), minOrders: String(s.minOrders) });

/** Products per list and orders needed for a list of its own, saved through the save bar. */
export function SettingsCard({
  settings,
  limits,
  fields,
  saved,
}: {
  settings: Settings;
  limits: RecommendationsPage["limits"];
  /** Why the last save was refused, per field. */
  fields: Record<string, MessageKey>;
  saved: boolean;
}) {
  const { t } = useT();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, setForm] = useState(asForm(settings));
  // A save (or another tab) changed what is stored: start again from it.
  useEffect(
    () => setForm(asForm({ listLength: settings.listLength, minOrders: settings.minOrders })),
    [settings.listLength, settings.minOrders],
  );
  const dirty = form.listLength !== String(settings.listLength) || form.minOrders !== String(settings.minOrders);
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "settings";
  const error = (name: string) => (fields[name] ? t(fields[name]) : undefined);
  return (
    <Card>
      <SaveBar
        id="recs-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => formRef.current?.requestSubmit()}
        onDiscard={() => setForm(asForm(settings))}
        labels={{ message: t("saveBar.message"), save: t("recs.settings.save"), discard: t("saveBar.discard") }}
      />
      <Form method="post" ref={formRef}>
        <input type="hidden" name="intent" value="settings" />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("recs.settings")}
          </Text>
          {saved && !dirty ? <Banner tone="success">{t("recs.settings.saved")}</Banner> : null}
          {Object.keys(fields).length ? <Banner tone="critical">{t("recs.error.settings")}</Banner> : null}
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label={t("recs.settings.listLength")}
                helpText={t("recs.settings.listLength.help", limits.listLength)}
                type="number"
                name="listLength"
                min={limits.listLength.min}
                max={limits.listLength.max}
                value={form.listLength}
                onChange={(listLength) => setForm((f) => ({ ...f, listLength }))}
                error={error("listLength")}
                autoComplete="off"
              />
              <TextField
                label={t("recs.settings.minOrders")}
                helpText={t("recs.settings.minOrders.help", limits.minOrders)}
                type="number"
                name="minOrders"
                min={limits.minOrders.min}
                max={limits.minOrders.max}
                value={form.minOrders}
                onChange={(minOrders) => setForm((f) => ({ ...f, minOrders }))}
                error={error("minOrders")}
                autoComplete="off"
              />
            </FormLayout.Group>
          </FormLayout>
        </BlockStack>
      </Form>
    </Card>
  );
}
