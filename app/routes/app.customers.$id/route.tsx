import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { adjustPoints } from "~/domain/members/changes";
import { memberAudit } from "~/admin/members";
import { memberReferrals } from "~/admin/referrals";
import { MemberReferrals } from "~/components/member-referrals";
import { InsufficientPoints, KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { Figure } from "~/components/figure";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { LedgerCard } from "./ledger-card";
import { RedemptionsCard } from "./redemptions-card";
import { AdjustCard } from "./adjust-card";

export const meta = adminMeta<{ profile: { firstName: string | null; lastName: string | null } }>("nav.customers", (data) =>
  [data.profile.firstName, data.profile.lastName].filter(Boolean).join(" "),
);

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
  { ok: true; applied: boolean; points: number; balance: number } | { ok: false; fields: Record<string, MessageKey>; available?: number };

export async function action({ request, params, context }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  try {
    const result = await adjustPoints(appDeps, shop, params.id ?? "", {
      points: form.get("points"),
      reason: form.get("reason"),
      requestId: form.get("requestId"),
    });
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

export default function Member() {
  const data = useLoaderData<typeof loader>();
  const { t, n, day } = useT();
  const { profile } = data;
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(" ") || t("customers.unnamed", { id: profile.shopifyCustomerId });

  return (
    <Page
      title={name}
      subtitle={[profile.email, t("member.shopifyId", { id: profile.shopifyCustomerId })].filter(Boolean).join(" · ")}
      backAction={{ content: t("nav.customers"), url: "/app/customers" }}
      titleMetadata={
        <Badge tone={data.consistent ? "success" : "critical"}>{data.consistent ? t("member.check.ok") : t("member.check.bad")}</Badge>
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
          <LedgerCard data={data} />
        </Layout.Section>
        <Layout.Section>
          <RedemptionsCard data={data} />
        </Layout.Section>
        <Layout.Section>
          <AdjustCard requestId={data.requestId} />
        </Layout.Section>
        <Layout.Section>
          <MemberReferrals referrals={data.referrals} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
