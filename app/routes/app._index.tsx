import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Layout, Page, Text, DataTable, Badge, Banner } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin.server";
import { programOverview } from "~/domain/overview";
import { setupChecklist, themeEditorLink } from "~/domain/setup";
import { shopifyFor } from "~/shopify/admin.server";
import { config } from "~/config.server";
import { formatMoney } from "~/domain/money";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { Figure } from "~/components/figure";
import { needsOnboarding } from "~/domain/onboarding";
import { planUsage } from "~/domain/plans";
import { systemClock } from "~/domain/deps";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo, redirect } = await adminContext(request);
  // A newly installed shop starts with the three-step onboarding (until finished or skipped);
  // the demo shop never is sent there (it is set up, seeded or not), only linked.
  if (!demo && (await needsOnboarding({ db: prisma }, shop))) throw redirect("/app/onboarding");
  const [overview, setup, plan] = await Promise.all([
    programOverview({ db: prisma }, shop),
    setupChecklist({ db: prisma }, shop, await shopifyFor(shop)),
    planUsage({ db: prisma, clock: systemClock }, shop),
  ]);
  return { ...overview, setup, plan, editorUrl: themeEditorLink(shop, config.apiKey) };
}

function Step({ done, title, detail, action }: { done: boolean; title: string; detail: string; action?: { label: string; url: string; external?: boolean } }) {
  return (
    <InlineStack gap="300" align="space-between" blockAlign="center" wrap={false}>
      <InlineStack gap="300" blockAlign="center" wrap={false}>
        <Badge tone={done ? "success" : "attention"}>{done ? "✓" : "•"}</Badge>
        <BlockStack gap="050">
          <Text as="p" variant="bodyMd" fontWeight="semibold">
            {title}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </BlockStack>
      </InlineStack>
      {action ? (
        <Button url={action.url} target={action.external ? "_blank" : undefined} variant={done ? "plain" : "primary"}>
          {action.label}
        </Button>
      ) : null}
    </InlineStack>
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
    <Page
      title={t("home.title")}
      subtitle={rule}
      // The guided setup stays reachable once the checklist (which links it too) is done.
      secondaryActions={data.setup.done < data.setup.total ? undefined : [{ content: t("setup.guided"), url: "/app/onboarding" }]}
    >
      <Layout>
        {data.plan.nearLimit ? (
          <Layout.Section>
            <Banner
              tone={data.plan.overLimit ? "warning" : "info"}
              action={{ content: t("plans.see"), url: "/app/plans" }}
            >
              {t(data.plan.overLimit ? "plans.over" : "plans.near", {
                count: n.format(data.plan.paidOrders),
                limit: n.format(data.plan.limit ?? 0),
                plan: t(`plans.name.${data.plan.plan}`),
              })}
            </Banner>
          </Layout.Section>
        ) : null}
        {data.setup.done < data.setup.total ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("setup.title", { done: data.setup.done, total: data.setup.total })}
                  </Text>
                  <Button url="/app/onboarding">{t("setup.guided")}</Button>
                </InlineStack>
                <Step done title={t("setup.program")} detail={rule} action={{ label: t("setup.program.action"), url: "/app/program" }} />
                <Step
                  done={data.setup.rewards > 0}
                  title={t("setup.rewards")}
                  detail={t("setup.rewards.detail", { count: data.setup.rewards })}
                  action={{ label: t("setup.rewards.action"), url: "/app/rewards" }}
                />
                <Step
                  done={data.setup.embedEnabled === true}
                  title={t("setup.embed")}
                  detail={
                    data.setup.embedEnabled === null
                      ? t("setup.embed.unknown")
                      : data.setup.embedEnabled
                        ? t("setup.embed.on", { theme: data.setup.themeName ?? "" })
                        : t("setup.embed.off", { theme: data.setup.themeName ?? "" })
                  }
                  action={{ label: t("setup.embed.action"), url: data.editorUrl, external: true }}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
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
