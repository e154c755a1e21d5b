import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text, DataTable, Badge } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin.server";
import { programOverview } from "~/domain/overview";
import { formatMoney } from "~/domain/money";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request);
  return programOverview({ db: prisma }, shop);
}

function Figure({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useT();
  const n = new Intl.NumberFormat(intlLocale(locale));
  const date = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short" });
  const rule = t("home.rule", {
    points: n.format(data.settings.earning.points),
    amount: formatMoney({ amount: data.settings.earning.perAmount, currency: data.currency }, intlLocale(locale)),
  });
  return (
    <Page title={t("home.title")} subtitle={rule}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Figure label={t("home.members")} value={n.format(data.members)} help={t("home.members.help")} />
            <Figure label={t("home.orders")} value={n.format(data.paidOrders)} />
            <Figure label={t("home.pointsIssued")} value={n.format(data.pointsIssued)} />
            <Figure
              label={t("home.pointsOutstanding")}
              value={n.format(data.pointsOutstanding)}
              help={t("home.pointsOutstanding.help")}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("home.recent")}
              </Text>
              {data.recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("home.recent.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
                  headings={[t("home.col.date"), t("home.col.kind"), t("home.col.points"), t("home.col.balance"), t("home.col.reason")]}
                  rows={data.recent.map((e) => [
                    date.format(new Date(e.at)),
                    <Badge key={e.id} tone={e.points >= 0 ? "success" : "attention"}>
                      {t(`entry.${e.kind}` as MessageKey)}
                    </Badge>,
                    (e.points > 0 ? "+" : "") + n.format(e.points),
                    n.format(e.balanceAfter),
                    e.reason ?? "",
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
