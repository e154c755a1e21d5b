// Settings → Customer data requests: what customers/data_request asked for, each customer's data
// as a download, and marking a request answered.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { fulfilDataRequest, listDataRequests, type DataRequestRow } from "~/domain/members/compliance";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { useT } from "~/components/use-t";
import { downloadThroughFetch } from "~/components/download";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

export const meta = adminMeta("dataRequests.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    return await listDataRequests({ db: prisma }, shop);
  } catch (error) {
    throw errorResponse(error);
  }
}

const fulfilForm = z.object({ intent: z.literal("fulfil"), id: z.string().min(1).max(64) });

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const parsed = fulfilForm.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) throw new KembaliError("BAD_INPUT", "intent=fulfil and a data request id are required");
    return await fulfilDataRequest(appDeps, shop, parsed.data.id);
  } catch (error) {
    throw errorResponse(error);
  }
}

const downloadUrl = (id: string) => `/app/settings/data-requests/${encodeURIComponent(id)}/download`;

export default function DataRequests() {
  const { pending, pendingCount, fulfilled } = useLoaderData<typeof loader>();
  const { t, dateTime } = useT();
  const navigation = useNavigation();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const when = (iso: string) => dateTime.format(new Date(iso));

  async function download(row: DataRequestRow) {
    setDownloading(row.id);
    setFailed(false);
    try {
      await downloadThroughFetch(downloadUrl(row.id), `kembali-customer-${row.shopifyCustomerId}.json`);
    } catch {
      setFailed(true);
    } finally {
      setDownloading(null);
    }
  }

  const customerCell = (row: DataRequestRow) => {
    const name = [row.customer?.firstName, row.customer?.lastName].filter(Boolean).join(" ");
    return (
      <BlockStack gap="050">
        {name ? <Text as="span">{name}</Text> : null}
        {row.customer?.email ? <Text as="span">{row.customer.email}</Text> : null}
        <Text as="span" variant="bodySm" tone="subdued">
          {t("dataRequests.customerId", { id: row.shopifyCustomerId })}
        </Text>
        {row.customer?.redacted ? <Badge>{t("dataRequests.redacted")}</Badge> : null}
        {row.customer ? null : (
          <Text as="span" variant="bodySm" tone="subdued">
            {t("dataRequests.unknown")}
          </Text>
        )}
      </BlockStack>
    );
  };

  const rows = (list: DataRequestRow[]) =>
    list.map((row) => [
      customerCell(row),
      when(row.receivedAt),
      row.fulfilledAt ? (
        <Badge tone="success">{t("dataRequests.status.fulfilled", { date: when(row.fulfilledAt) })}</Badge>
      ) : (
        <Badge tone="attention">{t("dataRequests.status.pending")}</Badge>
      ),
      <InlineStack key={row.id} gap="200" wrap={false}>
        <Button onClick={() => download(row)} loading={downloading === row.id}>
          {t("dataRequests.download")}
        </Button>
        {row.fulfilledAt ? null : (
          <Form method="post">
            <input type="hidden" name="intent" value="fulfil" />
            <input type="hidden" name="id" value={row.id} />
            <Button submit variant="primary" loading={navigation.state === "submitting" && navigation.formData?.get("id") === row.id}>
              {t("dataRequests.fulfil")}
            </Button>
          </Form>
        )}
      </InlineStack>,
    ]);

  const table = (list: DataRequestRow[]) => (
    <DataTable
      columnContentTypes={["text", "text", "text", "text"]}
      headings={[t("dataRequests.col.customer"), t("dataRequests.col.received"), t("dataRequests.col.status"), ""]}
      rows={rows(list)}
      verticalAlign="middle"
    />
  );

  return (
    <Page title={t("dataRequests.title")} backAction={{ content: t("nav.settings"), url: "/app/settings" }}>
      <Layout>
        <Layout.Section>
          <Card>
            <Text as="p">{t("dataRequests.intro")}</Text>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("dataRequests.pending")}
              </Text>
              {failed ? <Banner tone="critical">{t("dataRequests.download.failed")}</Banner> : null}
              {pending.length > 0 ? (
                table(pending)
              ) : (
                <Text as="p" tone="subdued">
                  {t("dataRequests.empty.pending")}
                </Text>
              )}
              {pendingCount > pending.length ? (
                <Text as="p" tone="subdued">
                  {t("dataRequests.more", { shown: pending.length, count: pendingCount })}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("dataRequests.fulfilled")}
              </Text>
              {fulfilled.length > 0 ? (
                table(fulfilled)
              ) : (
                <Text as="p" tone="subdued">
                  {t("dataRequests.empty.fulfilled")}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
