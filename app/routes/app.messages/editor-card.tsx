import { Form, useFetcher, useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Banner, BlockStack, Box, Button, Card, FormLayout, InlineGrid, InlineStack, Select, Tag, Text, TextField } from "@shopify/polaris";
import type { MessagesPage } from "~/admin/messages";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import type { MessagesActionResult } from "./page.server";
import { textField, type MessageForm } from "./settings-form";

type Locale = "en" | "id";
const PREVIEW_DELAY_MS = 400;

/**
 * The message being edited: its subject and text per language (empty: the built-in text, shown
 * as the placeholder), the variables, a live preview made by the server for a real customer,
 * and a test send.
 */
export function EditorCard({
  page,
  form,
  fields,
  onChange,
  linkTo,
}: {
  page: MessagesPage;
  form: MessageForm;
  fields: Record<string, MessageKey>;
  onChange: (patch: Partial<MessageForm>) => void;
  linkTo: (patch: Record<string, string | null>) => string;
}) {
  const { t } = useT();
  const message = page.messages.find((m) => m.key === page.selected)!;
  const [locale, setLocale] = useState<Locale>("en");
  const text = (part: "subject" | "body", l: Locale) => form[`${part}${l === "en" ? "En" : "Id"}` as keyof MessageForm] as string;
  const input = (part: "subject" | "body", l: Locale) => {
    const name = textField(message.key, part, l);
    return (
      <TextField
        label={t(`messages.editor.${part}.${l}` as MessageKey)}
        placeholder={message.defaults[l][part]}
        value={text(part, l)}
        multiline={part === "body" ? 6 : undefined}
        maxLength={part === "body" ? 5000 : 150}
        onChange={(value) => onChange({ [`${part}${l === "en" ? "En" : "Id"}`]: value })}
        onFocus={() => setLocale(l)}
        error={fields[name] ? t(fields[name]) : undefined}
        autoComplete="off"
      />
    );
  };
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t(`messages.name.${message.key}` as MessageKey)}
          </Text>
          <Text as="span" tone="subdued">
            {t(`messages.when.${message.key}` as MessageKey)}{" "}
            {t(message.to === "merchant" ? "messages.to.merchant" : "messages.to.customer")}
          </Text>
        </InlineStack>
        <FormLayout>
          <FormLayout.Group>
            {input("subject", "en")}
            {input("subject", "id")}
          </FormLayout.Group>
          <FormLayout.Group>
            {input("body", "en")}
            {input("body", "id")}
          </FormLayout.Group>
        </FormLayout>
        <Text as="p" tone="subdued" variant="bodySm">
          {t("messages.editor.help")}
        </Text>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t("messages.variables")}
          </Text>
          <InlineStack gap="100">
            {page.variables.map((v) => (
              <Tag key={v}>{`{{${v}}}`}</Tag>
            ))}
          </InlineStack>
          <Text as="p" tone="subdued" variant="bodySm">
            {t("messages.variables.help", { example: "{{name}}" })}
          </Text>
        </BlockStack>
        <Preview
          page={page}
          locale={locale}
          setLocale={setLocale}
          subject={text("subject", locale)}
          body={text("body", locale)}
          linkTo={linkTo}
        />
      </BlockStack>
    </Card>
  );
}

function Preview({
  page,
  locale,
  setLocale,
  subject,
  body,
  linkTo,
}: {
  page: MessagesPage;
  locale: Locale;
  setLocale: (l: Locale) => void;
  subject: string;
  body: string;
  linkTo: (patch: Record<string, string | null>) => string;
}) {
  const { t } = useT();
  const navigate = useNavigate();
  const preview = useFetcher<MessagesActionResult>();
  const test = useFetcher<MessagesActionResult>();
  const [to, setTo] = useState("");
  const [q, setQ] = useState(page.members.query);
  const customerId = page.members.selected;
  const member = page.members.options.find((o) => o.id === customerId);
  const draft = { message: page.selected, locale, customerId: customerId ?? "", subject, body };
  const key = JSON.stringify(draft);
  // The preview follows the editor: asked again a moment after the typing stops.
  useEffect(() => {
    if (!customerId) return;
    const timer = setTimeout(() => preview.submit({ intent: "preview", ...JSON.parse(key) }, { method: "post" }), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, customerId]);
  const shown = preview.data?.preview;
  const testResult = test.data?.intent === "test" ? test.data : undefined;
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {t("messages.preview")}
      </Text>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Form method="get" preventScrollReset>
          <input type="hidden" name="message" value={page.selected} />
          <InlineStack gap="200" blockAlign="end">
            <TextField
              label={t("messages.member.search")}
              name="q"
              value={q}
              onChange={setQ}
              helpText={t("messages.member.search.help")}
              autoComplete="off"
            />
            <Button submit>{t("messages.member.search.action")}</Button>
          </InlineStack>
        </Form>
        {page.members.options.length > 0 ? (
          <Select
            label={t("messages.member")}
            options={page.members.options.map((o) => ({ value: o.id, label: o.label }))}
            value={customerId ?? ""}
            onChange={(id) => navigate(linkTo({ customer: id }), { preventScrollReset: true })}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t(page.members.query ? "messages.member.none" : "messages.preview.noMember")}
          </Text>
        )}
        <Select
          label={t("messages.preview.language")}
          options={(["en", "id"] as const).map((l) => ({ value: l, label: t(`messages.preview.language.${l}`) }))}
          value={locale}
          onChange={(l) => setLocale(l as Locale)}
        />
      </InlineGrid>
      {member ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {t("messages.preview.help", { name: member.label })}
        </Text>
      ) : null}
      {preview.data && !preview.data.ok ? <Banner tone="critical">{t(preview.data.error ?? "messages.preview.failed")}</Banner> : null}
      {shown ? (
        <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200" data-preview={shown.locale}>
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              {t("messages.preview.subject", { subject: shown.subject })}
            </Text>
            {/* The composed HTML in a sandbox: no scripts, no access to this page. */}
            <iframe
              title={t("messages.preview")}
              sandbox=""
              srcDoc={shown.html}
              style={{ width: "100%", height: 420, border: "1px solid var(--p-color-border)", borderRadius: 8, background: "#fff" }}
            />
            <Text as="h4" variant="headingXs">
              {t("messages.preview.text")}
            </Text>
            <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>{shown.text}</pre>
          </BlockStack>
        </Box>
      ) : preview.state !== "idle" ? (
        <Text as="p" tone="subdued">
          {t("messages.preview.loading")}
        </Text>
      ) : null}
      {customerId ? (
        <test.Form method="post" preventScrollReset>
          {Object.entries(draft).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="intent" value="test" />
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("messages.test")}
            </Text>
            <InlineStack gap="200" blockAlign="end">
              <TextField
                label={t("messages.test.to")}
                name="to"
                type="email"
                value={to}
                onChange={setTo}
                helpText={t("messages.test.help")}
                error={testResult?.fields.to ? t(testResult.fields.to) : undefined}
                autoComplete="email"
              />
              <Button submit loading={test.state !== "idle"}>
                {t("messages.test.send")}
              </Button>
            </InlineStack>
            {testResult?.ok && testResult.test ? (
              <Banner tone="success">{t("messages.test.sent", { to: testResult.test.to })}</Banner>
            ) : null}
            {testResult && !testResult.ok && !testResult.fields.to ? (
              <Banner tone="critical">{t(testResult.error ?? "messages.test.failed")}</Banner>
            ) : null}
          </BlockStack>
        </test.Form>
      ) : null}
    </BlockStack>
  );
}
