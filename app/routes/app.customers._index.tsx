import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Link, Page, Text, TextField } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin.server";
import { errorResponse } from "~/http.server";
import { searchMembers } from "~/domain/members";
import { intlLocale } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request);
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").slice(0, 200);
  try {
    const page = await searchMembers({ db: prisma }, shop, { query, cursor: params.get("cursor") });
    return { query, cursor: params.get("cursor"), ...page };
  } catch (error) {
    throw errorResponse(error);
  }
}

export default function Customers() {
  const { query, cursor, members, nextCursor } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t, locale } = useT();
  const [q, setQ] = useState(query);
  const n = new Intl.NumberFormat(intlLocale(locale));
  const date = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone: "UTC" });
  const search = (more: Record<string, string>) => `?${new URLSearchParams({ ...(query ? { q: query } : {}), ...more })}`;

  return (
    <Page title={t("customers.title")}>
      <BlockStack gap="400">
        <Card>
          <Form method="get">
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <div style={{ flexGrow: 1 }}>
                <TextField
                  label={t("customers.search")}
                  name="q"
                  value={q}
                  onChange={setQ}
                  placeholder={t("customers.search.placeholder")}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => setQ("")}
                />
              </div>
              <Button submit loading={navigation.state === "loading" && navigation.location?.pathname === "/app/customers"}>
                {t("customers.search.submit")}
              </Button>
            </InlineStack>
          </Form>
        </Card>
        <Card padding="0">
          <IndexTable
            selectable={false}
            resourceName={{ singular: t("customers.resource.one"), plural: t("customers.resource.many") }}
            itemCount={members.length}
            emptyState={
              <Card>
                <Text as="p" tone="subdued">
                  {query ? t("customers.empty") : t("customers.none")}
                </Text>
              </Card>
            }
            headings={[
              { title: t("customers.col.customer") },
              { title: t("customers.col.email") },
              { title: t("customers.col.balance"), alignment: "end" },
              { title: t("customers.col.pending"), alignment: "end" },
              { title: t("customers.col.orders"), alignment: "end" },
              { title: t("customers.col.lastActivity") },
            ]}
            pagination={{
              hasNext: nextCursor !== null,
              nextURL: nextCursor ? search({ cursor: nextCursor }) : undefined,
              hasPrevious: !!cursor,
              previousURL: cursor ? search({}) : undefined,
              previousTooltip: t("customers.firstPage"),
            }}
          >
            {members.map((m, index) => {
              const name = [m.firstName, m.lastName].filter(Boolean).join(" ") || t("customers.unnamed", { id: m.shopifyCustomerId });
              return (
                <IndexTable.Row id={m.shopifyCustomerId} key={m.shopifyCustomerId} position={index}>
                  <IndexTable.Cell>
                    <InlineStack gap="200" blockAlign="center">
                      <Link url={`/app/customers/${encodeURIComponent(m.shopifyCustomerId)}`} removeUnderline>
                        {name}
                      </Link>
                      {m.redacted ? <Badge>{t("customers.redacted")}</Badge> : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.email ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {n.format(m.balance)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric tone={m.pending ? undefined : "subdued"}>
                      {n.format(m.pending)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {n.format(m.orders)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{m.lastActivityAt ? date.format(new Date(m.lastActivityAt)) : "—"}</IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
