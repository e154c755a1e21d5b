import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Layout, Page } from "@shopify/polaris";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { decideReferral, type ReferralStatus } from "~/domain/referrals";
import { isQueueFilter, referralReview, type QueueFilter } from "~/admin/referrals";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";
import { NOTE_MAX } from "./decide";
import { FunnelSection } from "./funnel-section";
import { QueueCard } from "./queue-card";

const DEFAULT_FILTER: QueueFilter = "held_for_review";

export const meta = adminMeta("referrals.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const params = new URL(request.url).searchParams;
  const asked = params.get("status");
  const status: QueueFilter = isQueueFilter(asked) ? asked : DEFAULT_FILTER;
  try {
    const review = await referralReview(appDeps, shop, { status, cursor: params.get("cursor") });
    return { ...review, status, paged: Boolean(params.get("cursor")) };
  } catch (error) {
    throw errorResponse(error);
  }
}

type ActionResult =
  | { ok: true; referralId: string; status: ReferralStatus; reversed: boolean; points: number }
  | { ok: false; referralId: string; error: MessageKey };

export async function action({ request, context }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const referralId = String(form.get("referralId") ?? "");
  const decision = form.get("decision");
  const note = String(form.get("note") ?? "").trim();
  if (decision !== "approve" && decision !== "reject") return { ok: false, referralId, error: "referrals.error.decision" };
  if (note.length > NOTE_MAX) return { ok: false, referralId, error: "referrals.error.note" };
  try {
    // The shop is who decided: the offline session carries no staff member.
    const result = await decideReferral(appDeps, shop, referralId, decision, shop, note || undefined);
    const previous = result.decisions.at(-2)?.status;
    return {
      ok: true,
      referralId,
      status: result.status,
      reversed: result.status === "rejected" && previous === "rewarded",
      points: result.points,
    };
  } catch (error) {
    if (error instanceof KembaliError && error.code === "IDEMPOTENCY_CONFLICT") {
      return { ok: false, referralId, error: "referrals.error.conflict" };
    }
    throw errorResponse(error);
  }
}

export default function Referrals() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, n } = useT();

  const done = (r: Extract<ActionResult, { ok: true }>) =>
    r.reversed
      ? t("referrals.done.reversed", { points: n.format(r.points) })
      : r.status === "rejected"
        ? t("referrals.done.rejected")
        : t("referrals.done.approved");

  return (
    <Page
      title={t("referrals.title")}
      subtitle={t("referrals.subtitle")}
      secondaryActions={[{ content: t("referrals.settings"), url: "/app/program" }]}
    >
      <Layout>
        {!data.enabled ? (
          <Layout.Section>
            <Banner tone="info">{t("referrals.disabled")}</Banner>
          </Layout.Section>
        ) : null}
        <FunnelSection funnel={data.funnel} />
        <Layout.Section>
          <QueueCard
            queue={data.queue}
            status={data.status}
            paged={data.paged}
            notice={result ? { ok: result.ok, text: result.ok ? done(result) : t(result.error) } : null}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
