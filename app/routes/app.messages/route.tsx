import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { SaveBar } from "~/components/save-bar";
import { action, loader, type MessagesActionResult } from "./page.server";
import { asForm, type FormState, type MessageForm } from "./settings-form";
import { ListCard } from "./list-card";
import { EditorCard } from "./editor-card";
import { SendsCard } from "./sends-card";
import { SenderCard } from "./sender-card";

export { action, loader, type MessagesActionResult };

export const meta = adminMeta("messages.title");

export default function Messages() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData() as MessagesActionResult | undefined;
  const layout = useRouteLoaderData<{ demo?: boolean }>("routes/app");
  const { t } = useT();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const formRef = useRef<HTMLFormElement>(null);
  const stored = JSON.stringify(asForm(page.settings));
  const [form, setForm] = useState<FormState>(() => asForm(page.settings));
  // A save (or another tab) changed what is stored: start again from it.
  useEffect(() => setForm(JSON.parse(stored) as FormState), [stored]);
  const dirty = JSON.stringify(form) !== stored;
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "settings";
  const settingsResult = result?.intent === "settings" ? result : undefined;
  const fields = settingsResult && !settingsResult.ok ? settingsResult.fields : {};
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const setMessage = (key: keyof FormState["messages"], patch: Partial<MessageForm>) =>
    setForm((f) => ({ ...f, messages: { ...f.messages, [key]: { ...f.messages[key], ...patch } } }));
  /** A link to another message (or customer) that keeps the rest of the page's choices. */
  const linkTo = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `?${next.toString()}`;
  };
  const secondaryActions = [{ content: t("messages.connections"), url: "/app/messages/connections" }];
  if (layout?.demo) secondaryActions.push({ content: t("messages.inbox"), url: "/app/messages/inbox" });

  return (
    <Page title={t("messages.title")} subtitle={t("messages.subtitle")} secondaryActions={secondaryActions}>
      <SaveBar
        id="messages-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => formRef.current?.requestSubmit()}
        onDiscard={() => setForm(asForm(page.settings))}
        labels={{ message: t("saveBar.message"), save: t("messages.save"), discard: t("saveBar.discard") }}
      />
      <Form method="post" ref={formRef} preventScrollReset>
        <input type="hidden" name="intent" value="settings" />
        <input type="hidden" name="settings" value={JSON.stringify(form)} />
      </Form>
      <Layout>
        {settingsResult?.ok && !dirty ? (
          <Layout.Section>
            <Banner tone="success">{t("messages.saved")}</Banner>
          </Layout.Section>
        ) : null}
        {Object.keys(fields).length ? (
          <Layout.Section>
            <Banner tone="critical">{t("messages.error.settings")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ListCard messages={page.messages} form={form} selected={page.selected} onToggle={setMessage} linkTo={linkTo} />
        </Layout.Section>
        <Layout.Section>
          <EditorCard
            key={page.selected}
            page={page}
            form={form.messages[page.selected]}
            fields={fields}
            onChange={(patch) => setMessage(page.selected, patch)}
            linkTo={linkTo}
          />
        </Layout.Section>
        <Layout.Section>
          <SendsCard sends={page.sends} />
        </Layout.Section>
        <Layout.Section>
          <SenderCard form={form} set={set} fields={fields} rewards={page.rewards} timezone={page.timezone} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
