// Settings → Widget appearance: launcher position, accent colour, titles per language and the
// languages shoppers get, with the real widget previewed beside the form as the merchant edits
// (the preview frame gets the unsaved values by postMessage; saving posts to /app/appearance).
import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { AppearanceField, AppearanceForm, Language } from "~/domain/shop/appearance";
import type { MessageKey } from "~/i18n";
import { useT } from "./use-t";

/** Same string as PREVIEW_MESSAGE in app/appearance-preview.server.ts (a server module). */
const PREVIEW_MESSAGE = "kembali-appearance-preview";
const LANGUAGE_OPTIONS: Language[] = ["en", "id"];

export interface AppearanceCardData {
  form: AppearanceForm;
  syncPending: boolean;
  previewUrl: string;
  /** In the Shopify admin the preview frame needs a session token of its own. */
  needsToken: boolean;
}

type SaveResult = { ok: boolean; fields: Partial<Record<AppearanceField, MessageKey>>; syncPending: boolean };

declare global {
  interface Window {
    shopify?: { idToken?: () => Promise<string> };
  }
}

/** What the preview draws: the form as the schema would read it (blank titles: the default). */
function previewAppearance(form: AppearanceForm) {
  return {
    position: form.position === "left" ? "left" : "right",
    accent: /^#[\da-f]{6}$/i.test(form.accent.trim()) ? form.accent.trim().toLowerCase() : null,
    titles: { en: form.titleEn.trim(), id: form.titleId.trim() },
    languages: form.languages.length > 0 ? form.languages : LANGUAGE_OPTIONS,
    defaultLanguage: form.defaultLanguage,
  };
}

export function AppearanceCard({ data }: { data: AppearanceCardData }) {
  const { t, locale } = useT();
  const fetcher = useFetcher<SaveResult>();
  const [form, setForm] = useState<AppearanceForm>(data.form);
  const [previewLanguage, setPreviewLanguage] = useState<Language>(locale);
  const [src, setSrc] = useState<string | null>(data.needsToken ? null : data.previewUrl);
  const frame = useRef<HTMLIFrameElement>(null);
  const lastAccent = useRef(data.form.accent);
  const set = (name: keyof AppearanceForm) => (value: string | string[]) => setForm((f) => ({ ...f, [name]: value }));

  // In the admin, the frame's own request is authenticated like the page's: with a fresh token.
  useEffect(() => {
    if (!data.needsToken) return;
    let live = true;
    void (async () => {
      const token = window.shopify?.idToken ? await window.shopify.idToken() : "";
      if (live) setSrc(`${data.previewUrl}&id_token=${encodeURIComponent(token)}`);
    })();
    return () => {
      live = false;
    };
  }, [data.previewUrl, data.needsToken]);

  const post = useCallback(() => {
    const target = frame.current?.contentWindow;
    if (!target) return;
    const appearance = previewAppearance(form);
    // While a colour is half typed, the preview keeps the last whole one.
    if (appearance.accent) lastAccent.current = appearance.accent;
    target.postMessage(
      { type: PREVIEW_MESSAGE, appearance: { ...appearance, accent: lastAccent.current }, language: previewLanguage },
      window.location.origin,
    );
  }, [form, previewLanguage]);

  useEffect(() => {
    const timer = setTimeout(post, 120);
    return () => clearTimeout(timer);
  }, [post]);

  const save = () => {
    const body = new FormData();
    body.set("position", form.position);
    body.set("accent", form.accent);
    body.set("titleEn", form.titleEn);
    body.set("titleId", form.titleId);
    form.languages.forEach((l) => body.append("languages", l));
    body.set("defaultLanguage", form.defaultLanguage);
    fetcher.submit(body, { method: "post", action: "/app/appearance" });
  };

  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = (field: AppearanceField) => (result && !result.ok && result.fields[field] ? t(result.fields[field]!) : undefined);
  const syncPending = result?.ok ? result.syncPending : data.syncPending;
  const languageOptions = LANGUAGE_OPTIONS.map((l) => ({ label: t(`appearance.language.${l}`), value: l }));
  const swatch = previewAppearance(form).accent ?? lastAccent.current;

  return (
    <Layout.AnnotatedSection id="appearance" title={t("appearance.title")} description={t("appearance.help")}>
      <Card>
        <BlockStack gap="400">
          {result && !result.ok ? <Banner tone="critical">{t("appearance.error.form")}</Banner> : null}
          {result?.ok ? (
            <Banner tone="success">
              {t("appearance.saved")} {t(syncPending ? "appearance.syncPending" : "appearance.synced")}
            </Banner>
          ) : syncPending ? (
            <Banner tone="info">{t("appearance.syncPending")}</Banner>
          ) : null}
          <FormLayout>
            <FormLayout.Group>
              <Select
                label={t("appearance.position")}
                name="position"
                options={[
                  { label: t("appearance.position.right"), value: "right" },
                  { label: t("appearance.position.left"), value: "left" },
                ]}
                value={form.position}
                onChange={set("position")}
                error={error("position")}
              />
              <TextField
                label={t("appearance.accent")}
                name="accent"
                value={form.accent}
                onChange={set("accent")}
                autoComplete="off"
                maxLength={7}
                helpText={t("appearance.accent.help")}
                error={error("accent")}
                prefix={
                  <span
                    style={{ display: "inline-block", width: 16, height: 16, borderRadius: 4, background: swatch, verticalAlign: "middle" }}
                  />
                }
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label={t("appearance.titleEn")}
                name="titleEn"
                value={form.titleEn}
                onChange={set("titleEn")}
                autoComplete="off"
                placeholder="Rewards"
                error={error("titleEn")}
              />
              <TextField
                label={t("appearance.titleId")}
                name="titleId"
                value={form.titleId}
                onChange={set("titleId")}
                autoComplete="off"
                placeholder="Hadiah"
                error={error("titleId")}
              />
            </FormLayout.Group>
            <Text as="p" variant="bodySm" tone="subdued">
              {t("appearance.title.help")}
            </Text>
            <FormLayout.Group>
              <ChoiceList
                allowMultiple
                title={t("appearance.languages")}
                choices={languageOptions}
                selected={form.languages}
                onChange={set("languages")}
                error={error("languages")}
              />
              <Select
                label={t("appearance.defaultLanguage")}
                name="defaultLanguage"
                options={languageOptions}
                value={form.defaultLanguage}
                onChange={set("defaultLanguage")}
                helpText={t("appearance.languages.help")}
                error={error("defaultLanguage")}
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
              {t("appearance.save")}
            </Button>
          </InlineStack>
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {t("appearance.preview.title")}
              </Text>
              <Box minWidth="200px">
                <Select
                  label={t("appearance.preview.language")}
                  labelInline
                  options={languageOptions}
                  value={previewLanguage}
                  onChange={(value) => setPreviewLanguage(value as Language)}
                />
              </Box>
            </InlineStack>
            <Text as="p" variant="bodySm" tone="subdued">
              {t("appearance.preview.help")}
            </Text>
            <Box borderColor="border" borderWidth="025" borderRadius="200" overflowX="hidden" overflowY="hidden">
              {src ? (
                <iframe
                  ref={frame}
                  src={src}
                  title={t("appearance.preview.frame")}
                  data-testid="appearance-preview"
                  onLoad={post}
                  style={{ display: "block", width: "100%", height: 560, border: 0 }}
                />
              ) : (
                <div style={{ height: 560 }} />
              )}
            </Box>
          </BlockStack>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
