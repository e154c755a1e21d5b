import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma, { transaction } from "~/db.server";
import { adminContext } from "~/admin.server";
import { errorResponse } from "~/http.server";
import { adjustPoints } from "~/domain/members";
import { memberAudit } from "~/admin/members";
import { memberReferrals } from "~/admin/referrals";
import { MemberReferrals } from "~/components/member-referrals";
import { InsufficientPoints, KembaliError } from "~/domain/errors";
import { systemClock } from "~/domain/deps";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { Figure } from "~/components/figure";
import { EntryReason } from "~/components/entry-reason";
import { AdminErrorBoundary } from "~/components/admin-error";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const audit = await memberAudit({ db: prisma }, shop, params.id ?? "");
    const referrals = await memberReferrals({ db: prisma }, shop, params.id ?? "");
    // A new id for every rendered form: a double submit of one form applies once.
    return { ...audit, referrals, requestId: crypto.randomUUID() };
  } catch (error) {
    throw errorResponse(error);
  }
}

type ActionResult =
  | { ok: true; applied: boolean; points: number; balance: number }
  | { ok: false; fields: Record<string, MessageKey>; available?: number };

export async function action({ request, params, context }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  try {
    const result = await adjustPoints(
      { db: prisma, clock: systemClock, transaction: transaction(prisma) },
      shop,
      params.id ?? "",
      { points: form.get("points"), reason: form.get("reason"), requestId: form.get("requestId") },
    );
    return { ok: true, applied: result.applied, points: result.points, balance: result.balance };
  } catch (error) {
    if (error instanceof InsufficientPoints) {
      return { ok: false, fields: { points: "member.error.insufficient" }, available: error.available };
    }
    if (error instanceof KembaliError && (error.code === "BAD_INPUT" || error.code === "IDEMPOTENCY_CONFLICT")) {
      return { ok: false, fields: (error.details?.fields ?? { form: "member.error.form" }) as Record<string, MessageKey> };
    }
    throw errorResponse(error);
  }
}

const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  pending: "attention",
  issued: "success",
  used: "info",
  failed: "critical",
};

export default function Member() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useT();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  useEffect(() => {
    if (result?.ok) {
      setPoints("");
      setReason("");
    }
  }, [result]);

  const n = new Intl.NumberFormat(intlLocale(locale));
  const signed = (p: number) => (p > 0 ? "+" : "") + n.format(p);
  const dateTime = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const day = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeZone: "UTC" });
  const { profile } = data;
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(" ") || t("customers.unnamed", { id: profile.shopifyCustomerId });
  const fieldError = (field: string) => {
    if (!result || result.ok || !result.fields[field]) return undefined;
    return t(result.fields[field], { available: n.format(result.available ?? 0) });
  };

  return (
    <Page
      title={name}
      subtitle={[profile.email, t("member.shopifyId", { id: profile.shopifyCustomerId })].filter(Boolean).join(" · ")}
      backAction={{ content: t("nav.customers"), url: "/app/customers" }}
      titleMetadata={
        <Badge tone={data.consistent ? "success" : "critical"}>
          {data.consistent ? t("member.check.ok") : t("member.check.bad")}
        </Badge>
      }
    >
      <Layout>
        {profile.redacted ? (
          <Layout.Section>
            <Banner tone="info">{t("member.redacted")}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Figure label={t("member.balance")} value={n.format(data.balance)} />
            <Figure label={t("member.pending")} value={n.format(data.pending)} />
            <Card>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm" tone="subdued">
                  {t("member.check")}
                </Text>
                <Text as="p" tone={data.consistent ? "success" : "critical"}>
                  {t("member.check.sum", {
                    balance: n.format(data.balance),
                    pending: n.format(data.pending),
                    sum: n.format(data.ledgerSum),
                  })}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("member.since", { date: day.format(new Date(profile.memberSince)) })}
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("member.ledger")}
              </Text>
              {data.inactivityExpiresAt ? (
                <Banner tone="warning">{t("member.inactivity", { date: day.format(new Date(data.inactivityExpiresAt)) })}</Banner>
              ) : null}
              {data.entries.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("member.ledger.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "text", "text", "text"]}
                  headings={[
                    t("home.col.date"),
                    t("home.col.kind"),
                    t("home.col.points"),
                    t("member.col.total"),
                    t("home.col.reason"),
                    t("member.col.source"),
                    t("member.col.lot"),
                  ]}
                  rows={data.entries.map((e) => [
                    dateTime.format(new Date(e.at)),
                    <Badge key={e.id} tone={e.points >= 0 ? "success" : "attention"}>
                      {t(`entry.${e.kind}`)}
                    </Badge>,
                    signed(e.points),
                    n.format(e.runningTotal),
                    <EntryReason key={`${e.id}-why`} label={e.label} />,
                    // The request id behind a manual adjustment means nothing to the merchant.
                    e.source.startsWith("admin:") ? t("member.source.admin") : e.source,
                    e.lot
                      ? [
                          t("member.lot.remaining", { points: n.format(e.lot.remaining) }),
                          e.lot.pending && e.lot.availableAt
                            ? t("member.lot.pendingUntil", { date: day.format(new Date(e.lot.availableAt)) })
                            : null,
                          e.lot.expiresAt ? t("member.lot.expires", { date: day.format(new Date(e.lot.expiresAt)) }) : null,
                        ]
                          .filter(Boolean)
                          .join(" · ")
                      : "",
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("member.redemptions")}
              </Text>
              {data.redemptions.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("member.redemptions.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
                  headings={[
                    t("home.col.date"),
                    t("member.col.reward"),
                    t("home.col.points"),
                    t("member.col.status"),
                    t("member.col.code"),
                    t("member.col.expires"),
                  ]}
                  rows={data.redemptions.map((r) => [
                    dateTime.format(new Date(r.at)),
                    r.reward,
                    n.format(-r.pointsSpent),
                    <Badge key={r.id} tone={STATUS_TONE[r.status]}>
                      {t(`redemption.status.${r.status}` as MessageKey)}
                    </Badge>,
                    r.code ?? "—",
                    r.expiresAt ? day.format(new Date(r.expiresAt)) : "—",
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Form method="post">
            <input type="hidden" name="requestId" value={data.requestId} />
            <Card>
              <BlockStack gap="400">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    {t("member.adjust")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("member.adjust.help")}
                  </Text>
                </BlockStack>
                {result && !result.ok && (result.fields.form ?? result.fields.requestId) ? (
                  <Banner tone="critical">{t(result.fields.form ?? result.fields.requestId)}</Banner>
                ) : null}
                {result?.ok ? (
                  <Banner tone={result.applied ? "success" : "info"}>
                    {result.applied
                      ? t("member.adjust.done", { points: signed(result.points), balance: n.format(result.balance) })
                      : t("member.adjust.repeat")}
                  </Banner>
                ) : null}
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label={t("member.field.points")}
                      helpText={t("member.field.points.help")}
                      name="points"
                      type="number"
                      value={points}
                      onChange={setPoints}
                      autoComplete="off"
                      error={fieldError("points")}
                    />
                    <TextField
                      label={t("member.field.reason")}
                      name="reason"
                      value={reason}
                      onChange={setReason}
                      maxLength={200}
                      autoComplete="off"
                      error={fieldError("reason")}
                    />
                  </FormLayout.Group>
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    {t("member.adjust.submit")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </Form>
        </Layout.Section>
        <Layout.Section>
          <MemberReferrals referrals={data.referrals} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
