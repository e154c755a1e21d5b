import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Spinner,
  Text,
} from "@shopify/polaris";
import prisma, { transaction } from "~/db.server";
import { adminContext } from "~/admin.server";
import { errorResponse } from "~/http.server";
import { backfillStatus, startBackfill } from "~/domain/members";
import { KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { intlLocale, pickLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { AppearanceCard } from "~/components/appearance-card";
import { appearanceCard } from "~/appearance-preview.server";

const REFRESH_MS = 2000;

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, demo } = await adminContext(request);
  return {
    backfill: await backfillStatus({ db: prisma }, shop),
    appearance: await appearanceCard(prisma, shop, demo, pickLocale(request)),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await adminContext(request);
  const form = await request.formData();
  try {
    const backfill = await startBackfill({ db: prisma, clock: systemClock, transaction: transaction(prisma) }, shop, {
      earnPoints: form.get("earnPoints") === "true",
    });
    return { ok: true as const, backfill, error: null };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = (error.details?.fields ?? {}) as Record<string, MessageKey>;
      return { ok: false as const, backfill: null, error: fields.form ?? ("settings.backfill.error.running" as MessageKey) };
    }
    throw errorResponse(error);
  }
}

export default function Settings() {
  const { backfill, appearance } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, locale } = useT();
  const [earnPoints, setEarnPoints] = useState(false);
  const active = backfill?.status === "queued" || backfill?.status === "running";

  // While the import runs, re-read its progress; stop once it is over.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const n = new Intl.NumberFormat(intlLocale(locale));
  const dateTime = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short" });
  const imported = backfill
    ? backfill.total
      ? t("settings.backfill.importedOf", { count: n.format(backfill.progress), total: n.format(backfill.total) })
      : t("settings.backfill.imported", { count: n.format(backfill.progress) })
    : null;

  return (
    <Page title={t("settings.title")}>
      <Layout>
        <Layout.AnnotatedSection title={t("settings.backfill")} description={t("settings.backfill.help")}>
          <Card>
            <BlockStack gap="400">
              {result && !result.ok ? <Banner tone="warning">{t(result.error)}</Banner> : null}
              {backfill ? (
                <BlockStack gap="200">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={backfill.status === "done" ? "success" : backfill.status === "failed" ? "critical" : "attention"}>
                      {t(`settings.backfill.status.${backfill.status}`)}
                    </Badge>
                    <Badge>{backfill.earnPoints ? t("settings.backfill.withPoints") : t("settings.backfill.withoutPoints")}</Badge>
                    {active && backfill.percent === null ? <Spinner size="small" accessibilityLabel={t("settings.backfill.status.running")} /> : null}
                  </InlineStack>
                  <ProgressBar
                    progress={backfill.percent ?? 0}
                    tone={backfill.status === "failed" ? "critical" : backfill.status === "done" ? "success" : "highlight"}
                    size="small"
                  />
                  <Text as="p" id="backfill-progress">
                    {imported}
                  </Text>
                  {backfill.finishedAt && backfill.status === "done" ? (
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("settings.backfill.finished", { date: dateTime.format(new Date(backfill.finishedAt)) })}
                    </Text>
                  ) : null}
                  {backfill.error ? (
                    <Banner tone={backfill.status === "failed" ? "critical" : "warning"}>
                      {t(backfill.status === "failed" ? "settings.backfill.failed" : "settings.backfill.retrying", {
                        error: backfill.error,
                      })}
                    </Banner>
                  ) : null}
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  {t("settings.backfill.never")}
                </Text>
              )}
              <Form method="post">
                <BlockStack gap="300">
                  <Checkbox
                    label={t("settings.backfill.earn")}
                    helpText={t("settings.backfill.earn.help")}
                    name="earnPoints"
                    value="true"
                    checked={earnPoints}
                    onChange={setEarnPoints}
                    disabled={active}
                  />
                  <InlineStack align="end">
                    <Button submit variant="primary" disabled={active} loading={navigation.state === "submitting"}>
                      {t("settings.backfill.start")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <AppearanceCard data={appearance} />
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
