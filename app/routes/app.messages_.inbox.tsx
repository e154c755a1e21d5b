// Demo only: the emails the demo sent, as the in-process SMTP catcher received them, newest
// first; one opened at a time, its HTML in a sandboxed frame (no scripts) and its text part.
// "Run message jobs now" runs the background work at once (routing and sending included); the
// second button also moves the demo clock a day forward, as /demo/clock does.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, EmptyState, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { adminContext } from "~/admin-context.server";
import { clearDemoInbox, demoInbox } from "~/mail.server";
import { demoClock } from "~/deps.server";
import { backgroundTick, forceSweeps } from "~/jobs.server";
import { errorResponse } from "~/http.server";
import { KembaliError } from "~/domain/errors";
import { useT } from "~/components/use-t";
import { adminMeta } from "~/components/admin-title";
import { AdminErrorBoundary } from "~/components/admin-error";

export const meta = adminMeta("messages.inbox.title");

async function demoOnly(request: Request, context: LoaderFunctionArgs["context"]) {
  const { demo } = await adminContext(request, context);
  if (!demo) throw new Response("Not found", { status: 404 });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await demoOnly(request, context);
  const inbox = demoInbox();
  const id = new URL(request.url).searchParams.get("id");
  const open = inbox.find((m) => m.id === id) ?? null;
  return {
    list: inbox.map((m) => ({ id: m.id, subject: m.subject, to: m.to.join(", "), receivedAt: m.receivedAt.toISOString() })),
    open: open ? { id: open.id, subject: open.subject, from: open.from, to: open.to.join(", "), html: open.html, text: open.text } : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await demoOnly(request, context);
  const intent = String((await request.formData()).get("intent") ?? "");
  if (intent === "clear") {
    clearDemoInbox();
    return { ok: true, intent, now: null };
  }
  if (intent !== "run" && intent !== "advance") throw errorResponse(new KembaliError("BAD_INPUT", "Unknown intent"));
  const now = intent === "advance" && demoClock ? demoClock.advance(86_400_000) : (demoClock?.now() ?? new Date());
  forceSweeps();
  await backgroundTick();
  return { ok: true, intent, now: now.toISOString() };
}

export default function DemoInbox() {
  const { list, open } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { t, dateTime } = useT();
  const busy = navigation.state !== "idle";
  const button = (intent: string, label: "messages.inbox.run" | "messages.inbox.advance" | "messages.inbox.clear", primary = false) => (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value={intent} />
      <Button submit variant={primary ? "primary" : undefined} loading={busy && navigation.formData?.get("intent") === intent}>
        {t(label)}
      </Button>
    </Form>
  );
  return (
    <Page
      title={t("messages.inbox.title")}
      subtitle={t("messages.inbox.subtitle")}
      backAction={{ content: t("messages.inbox.back"), url: "/app/messages" }}
    >
      <Layout>
        <Layout.Section>
          <InlineStack gap="200">
            {button("run", "messages.inbox.run", true)}
            {button("advance", "messages.inbox.advance")}
            {button("clear", "messages.inbox.clear")}
          </InlineStack>
        </Layout.Section>
        {result?.now ? (
          <Layout.Section>
            <Banner tone="success">{t("messages.inbox.ran", { date: dateTime.format(new Date(result.now)) })}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            {list.length === 0 ? (
              <EmptyState heading={t("messages.inbox.title")} image="">
                <Text as="p">{t("messages.inbox.empty")}</Text>
              </EmptyState>
            ) : (
              <IndexTable
                itemCount={list.length}
                selectable={false}
                headings={[
                  { title: t("messages.inbox.received") },
                  { title: t("messages.inbox.subject") },
                  { title: t("messages.inbox.to") },
                ]}
              >
                {list.map((m, i) => {
                  const next = new URLSearchParams(params);
                  next.set("id", m.id);
                  return (
                    <IndexTable.Row id={m.id} key={m.id} position={i} selected={open?.id === m.id}>
                      <IndexTable.Cell>{dateTime.format(new Date(m.receivedAt))}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Link to={`?${next.toString()}`} preventScrollReset data-inbox-subject>
                          {m.subject}
                        </Link>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{m.to}</IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        {open ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {open.subject}
                </Text>
                <Text as="p" tone="subdued">
                  {t("messages.inbox.from", { from: open.from })} · {open.to}
                </Text>
                <Text as="h3" variant="headingSm">
                  {t("messages.inbox.html")}
                </Text>
                {/* The email's HTML in a sandbox without allow-scripts: nothing in it runs or reaches this page. */}
                <iframe
                  title={open.subject}
                  sandbox=""
                  srcDoc={open.html}
                  data-inbox-html
                  style={{ width: "100%", height: 520, border: "1px solid var(--p-color-border)", borderRadius: 8, background: "#fff" }}
                />
                <Text as="h3" variant="headingSm">
                  {t("messages.inbox.text")}
                </Text>
                <Box padding="300" background="bg-surface-secondary" borderRadius="200">
                  <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }} data-inbox-text>
                    {open.text}
                  </pre>
                </Box>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
