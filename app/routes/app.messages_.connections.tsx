// Messages → Connections: the merchant's Klaviyo key and switch, the Shopify Flow switch, and
// their outgoing webhooks (add with the events they want, the secret shown once, delete, and
// each one's recent deliveries). The page's data and changes are app/admin/connections.ts and
// the domain's (app/domain/messages/klaviyo.ts, webhooks.ts).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { connectionsPage, saveConnectionSwitches } from "~/admin/connections";
import { config } from "~/config.server";
import { appDeps } from "~/deps.server";
import { KembaliError } from "~/domain/errors";
import { isEventType, MESSAGES, type MessageKey as CatalogMessageKey } from "~/domain/messages/catalog";
import { removeKlaviyoKey, saveKlaviyoKey } from "~/domain/messages/klaviyo";
import { createOutgoingWebhook, deleteOutgoingWebhook } from "~/domain/messages/webhooks";
import { errorResponse } from "~/http.server";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

export const meta = adminMeta("connections.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return await connectionsPage({ db: prisma }, shop);
  } catch (error) {
    throw errorResponse(error);
  }
}

const INTENTS = ["klaviyoKey", "klaviyoRemove", "switches", "webhookAdd", "webhookDelete"] as const;
type Intent = (typeof INTENTS)[number];

export interface ConnectionsActionResult {
  intent: Intent;
  ok: boolean;
  error: MessageKey | null;
  fields: Record<string, MessageKey>;
  /** A new webhook's secret: in this answer only. */
  secret?: string;
}

/** One change per intent; a refused one answers 400 with the message to show and writes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) throw errorResponse(new KembaliError("BAD_INPUT", "Unknown intent"));
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const done = (more: Partial<ConnectionsActionResult> = {}): ConnectionsActionResult => ({
    intent,
    ok: true,
    error: null,
    fields: {},
    ...more,
  });
  try {
    switch (intent) {
      case "klaviyoKey":
        await saveKlaviyoKey(appDeps, shop, { key: text("key") });
        return done();
      case "klaviyoRemove":
        await removeKlaviyoKey(appDeps, shop);
        return done();
      case "switches":
        await saveConnectionSwitches(appDeps, shop, { klaviyo: text("klaviyo") === "true", flow: text("flow") === "true" });
        return done();
      case "webhookAdd": {
        const events = form.getAll("events").map(String);
        // Demo mode and tests may post to a receiver on this computer (plain http, localhost).
        const { secret } = await createOutgoingWebhook(
          appDeps,
          shop,
          { url: text("url"), events },
          { insecure: config.mode !== "production" },
        );
        return done({ secret });
      }
      case "webhookDelete":
        await deleteOutgoingWebhook(appDeps, shop, text("id"));
        return done();
    }
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const paths = ((error.details?.issues ?? []) as Array<{ path: string }>).map((i) => i.path);
      const fields: Record<string, MessageKey> = {};
      if (intent === "klaviyoKey") fields.key = "connections.error.key";
      if (paths.some((p) => p === "url")) fields.url = "connections.error.url";
      if (paths.some((p) => p.startsWith("events"))) fields.events = "connections.error.events";
      const message: MessageKey =
        intent === "klaviyoKey"
          ? "connections.error.key"
          : intent === "webhookAdd"
            ? "connections.error.webhook"
            : "connections.error.settings";
      return data({ intent, ok: false, error: message, fields } satisfies ConnectionsActionResult, { status: 400 });
    }
    throw errorResponse(error);
  }
}

const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  sent: "success",
  failed: "critical",
  unconfirmed: "attention",
  queued: "info",
  sending: "info",
};

export default function Connections() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData() as ConnectionsActionResult | undefined;
  const { t } = useT();
  return (
    <Page
      title={t("connections.title")}
      subtitle={t("connections.subtitle")}
      backAction={{ content: t("connections.back"), url: "/app/messages" }}
    >
      <Layout>
        <Layout.Section>
          <SwitchesCard page={page} result={result} />
        </Layout.Section>
        <Layout.Section>
          <WebhooksCard page={page} result={result} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

function useSubmitting(intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

function SwitchesCard({ page, result }: { page: PageData; result: ConnectionsActionResult | undefined }) {
  const { t } = useT();
  const [key, setKey] = useState("");
  const [switches, setSwitches] = useState({ klaviyo: page.klaviyo.enabled, flow: page.flow.enabled });
  useEffect(() => setSwitches({ klaviyo: page.klaviyo.enabled, flow: page.flow.enabled }), [page.klaviyo.enabled, page.flow.enabled]);
  useEffect(() => {
    if (result?.ok && result.intent === "klaviyoKey") setKey("");
  }, [result]);
  const keyError = result && !result.ok && result.intent === "klaviyoKey" ? t("connections.error.key") : undefined;
  const savingKey = useSubmitting("klaviyoKey");
  const savingSwitches = useSubmitting("switches");
  const removing = useSubmitting("klaviyoRemove");
  const flowEvents = page.flow.events.map((e) => t(`connections.event.${e}` as MessageKey)).join(", ");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("connections.klaviyo")}
        </Text>
        <Text as="p">{t("connections.klaviyo.intro")}</Text>
        {page.klaviyo.key ? (
          <InlineStack gap="300" blockAlign="center">
            <Badge tone="success">{t("connections.klaviyo.key.saved", { last: page.klaviyo.key })}</Badge>
            <Form method="post">
              <input type="hidden" name="intent" value="klaviyoRemove" />
              <Button submit tone="critical" variant="plain" loading={removing}>
                {t("connections.klaviyo.remove")}
              </Button>
            </Form>
          </InlineStack>
        ) : (
          <Text as="p" tone="subdued">
            {t("connections.klaviyo.key.none")}
          </Text>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="klaviyoKey" />
          <input type="hidden" name="key" value={key} />
          <InlineStack gap="200" blockAlign="end" wrap={false}>
            <Box minWidth="320px">
              <TextField
                label={t("connections.klaviyo.key")}
                helpText={t("connections.klaviyo.key.help")}
                type="password"
                value={key}
                onChange={setKey}
                error={keyError}
                autoComplete="off"
                maxLength={120}
              />
            </Box>
            <Button submit disabled={!key.trim()} loading={savingKey}>
              {t("connections.klaviyo.save")}
            </Button>
          </InlineStack>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="switches" />
          <input type="hidden" name="klaviyo" value={String(switches.klaviyo)} />
          <input type="hidden" name="flow" value={String(switches.flow)} />
          <BlockStack gap="300">
            <Checkbox
              label={t("connections.klaviyo.enabled")}
              checked={switches.klaviyo}
              onChange={(klaviyo) => setSwitches((s) => ({ ...s, klaviyo }))}
            />
            <Text as="h2" variant="headingMd">
              {t("connections.flow")}
            </Text>
            <Text as="p">{t("connections.flow.intro", { events: flowEvents })}</Text>
            <Checkbox
              label={t("connections.flow.enabled")}
              checked={switches.flow}
              onChange={(flow) => setSwitches((s) => ({ ...s, flow }))}
            />
            {result?.intent === "switches" ? (
              <Banner tone={result.ok ? "success" : "critical"}>
                {t(result.ok ? "connections.switches.saved" : "connections.error.settings")}
              </Banner>
            ) : null}
            <InlineStack>
              <Button submit variant="primary" loading={savingSwitches}>
                {t("connections.switches.save")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

function WebhooksCard({ page, result }: { page: PageData; result: ConnectionsActionResult | undefined }) {
  const { t, dateTime } = useT();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const adding = useSubmitting("webhookAdd");
  const added = result?.ok && result.intent === "webhookAdd";
  useEffect(() => {
    if (added) {
      setUrl("");
      setEvents([]);
    }
  }, [added, result]);
  const failed = result && !result.ok && result.intent === "webhookAdd" ? result : null;
  const toggle = (event: string, on: boolean) => setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("connections.webhooks")}
        </Text>
        <Text as="p">{t("connections.webhooks.intro")}</Text>
        {added && result.secret ? (
          <Banner tone="warning" title={t("connections.webhooks.secret")}>
            <Text as="p" fontWeight="bold" breakWord>
              <code>{result.secret}</code>
            </Text>
          </Banner>
        ) : null}
        {result?.ok && result.intent === "webhookDelete" ? <Banner tone="info">{t("connections.webhooks.deleted")}</Banner> : null}
        {page.webhooks.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("connections.webhooks.empty")}
          </Text>
        ) : (
          page.webhooks.map((hook) => <WebhookRow key={hook.id} hook={hook} formatDate={(iso) => dateTime.format(new Date(iso))} />)
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="webhookAdd" />
          <input type="hidden" name="url" value={url} />
          {events.map((e) => (
            <input key={e} type="hidden" name="events" value={e} />
          ))}
          <BlockStack gap="300">
            {failed ? <Banner tone="critical">{t(failed.error ?? "connections.error.webhook")}</Banner> : null}
            <TextField
              label={t("connections.webhooks.url")}
              value={url}
              onChange={setUrl}
              placeholder="https://"
              error={failed?.fields.url ? t(failed.fields.url) : undefined}
              autoComplete="off"
              maxLength={500}
            />
            <Text as="p" variant="bodyMd" fontWeight="semibold">
              {t("connections.webhooks.events")}
            </Text>
            {failed?.fields.events ? (
              <Text as="p" tone="critical">
                {t(failed.fields.events)}
              </Text>
            ) : null}
            <InlineStack gap="400">
              {page.eventTypes.map((e) => (
                <Checkbox
                  key={e}
                  label={t(`connections.event.${e}` as MessageKey)}
                  checked={events.includes(e)}
                  onChange={(on) => toggle(e, on)}
                />
              ))}
            </InlineStack>
            <InlineStack>
              <Button submit variant="primary" loading={adding} disabled={!url.trim() || events.length === 0}>
                {t("connections.webhooks.add")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

function WebhookRow({ hook, formatDate }: { hook: PageData["webhooks"][number]; formatDate: (iso: string) => string }) {
  const { t } = useT();
  const deleting = useNavigation().formData?.get("id") === hook.id;
  const rows = hook.deliveries.map((d) => [
    formatDate(d.createdAt),
    eventLabel(t, d.message),
    <Badge key={d.id} tone={STATUS_TONE[d.status]}>
      {t(`connections.log.status.${d.status}` as MessageKey)}
    </Badge>,
    t("connections.webhooks.log.attempts", { count: d.attempts }),
    d.error ?? "",
  ]);
  return (
    <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="p" fontWeight="semibold" breakWord>
              {hook.url}
            </Text>
            <InlineStack gap="100">
              {hook.active ? null : <Badge>{t("connections.webhooks.inactive")}</Badge>}
              {hook.events.map((e) => (
                <Badge key={e} tone="info">
                  {t(`connections.event.${e}` as MessageKey)}
                </Badge>
              ))}
            </InlineStack>
          </BlockStack>
          <Form method="post">
            <input type="hidden" name="intent" value="webhookDelete" />
            <input type="hidden" name="id" value={hook.id} />
            <Button submit tone="critical" loading={deleting}>
              {t("connections.webhooks.delete")}
            </Button>
          </Form>
        </InlineStack>
        <Text as="h3" variant="headingSm">
          {t("connections.webhooks.log")}
        </Text>
        {rows.length ? (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[
              t("connections.webhooks.log.time"),
              t("connections.webhooks.log.event"),
              t("connections.webhooks.log.status"),
              t("connections.webhooks.log.tries"),
              t("connections.webhooks.log.error"),
            ]}
            rows={rows}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t("connections.webhooks.log.empty")}
          </Text>
        )}
      </BlockStack>
    </Box>
  );
}

/** A log row's label: its event, named by the row's message (catalog.ts) or the event type itself. */
function eventLabel(t: (key: MessageKey) => string, message: string): string {
  const event = isEventType(message) ? message : MESSAGES[message as CatalogMessageKey]?.event;
  return event ? t(`connections.event.${event}` as MessageKey) : message;
}

export const ErrorBoundary = AdminErrorBoundary;
