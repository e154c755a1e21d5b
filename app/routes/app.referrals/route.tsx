import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { decideReferral, type ReferralStatus } from "~/domain/referrals";
import { isQueueFilter, REFERRAL_STATUSES, referralReview, type QueueFilter, type QueueRow } from "~/admin/referrals";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import { intlLocale, type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import { AdminErrorBoundary } from "~/components/admin-error";
import { adminMeta } from "~/components/admin-title";

// The system's decision notes that are a reason's code, shown in the merchant's language.
const SYSTEM_NOTE_REASONS = ["coupon_leak", "referrer_held_out"];

const DEFAULT_FILTER: QueueFilter = "held_for_review";
const NOTE_MAX = 500;

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

const STATUS_TONE: Record<ReferralStatus, "success" | "critical" | "attention" | "info" | "warning" | undefined> = {
  pending: "info",
  held_for_review: "attention",
  approved: "success",
  rewarded: "success",
  rejected: "critical",
  cancelled: undefined,
};

const riskTone = (score: number) => (score >= 80 ? "critical" : score >= 40 ? "warning" : score > 0 ? "attention" : "success");

/** The decisions a merchant can take on a referral in its status: a reject of a rewarded one reverses the reward. */
function choices(status: ReferralStatus): Array<{ decision: "approve" | "reject"; label: MessageKey }> {
  switch (status) {
    case "pending":
    case "held_for_review":
      return [
        { decision: "approve", label: "referrals.approve" },
        { decision: "reject", label: "referrals.reject" },
      ];
    case "approved":
      return [{ decision: "reject", label: "referrals.reject" }];
    case "rewarded":
      return [{ decision: "reject", label: "referrals.reverse" }];
    case "rejected":
      return [{ decision: "approve", label: "referrals.unreject" }];
    case "cancelled":
      return [{ decision: "approve", label: "referrals.approve" }];
  }
}

function Decide({ row }: { row: QueueRow }) {
  const { t } = useT();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [note, setNote] = useState("");
  const busy = navigation.state === "submitting" && navigation.formData?.get("referralId") === row.id;
  return (
    <BlockStack gap="100">
      <TextField
        label={t("referrals.note")}
        labelHidden
        placeholder={t("referrals.note")}
        value={note}
        onChange={setNote}
        maxLength={NOTE_MAX}
        autoComplete="off"
        size="slim"
      />
      <InlineStack gap="100">
        {choices(row.status).map((c) => (
          <Button
            key={c.decision}
            size="slim"
            variant={c.decision === "approve" ? "primary" : undefined}
            tone={c.decision === "reject" ? "critical" : undefined}
            loading={busy && navigation.formData?.get("decision") === c.decision}
            disabled={busy}
            onClick={() => submit({ referralId: row.id, decision: c.decision, note }, { method: "post" })}
          >
            {t(c.label)}
          </Button>
        ))}
      </InlineStack>
    </BlockStack>
  );
}

export default function Referrals() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigate = useNavigate();
  const { t, locale } = useT();
  const intl = intlLocale(locale);
  const n = new Intl.NumberFormat(intl);
  const dateTime = new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const day = new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeZone: "UTC" });
  const statusLabel = (s: ReferralStatus) => t(`referrals.status.${s}` as MessageKey);

  const filters: QueueFilter[] = [...REFERRAL_STATUSES, "all"];
  const tabs = filters.map((f) => ({
    id: `referrals-${f}`,
    content:
      f === "all"
        ? t("referrals.tab.all", { count: n.format(data.queue.counts.all) })
        : t("referrals.tab.status", { label: statusLabel(f), count: n.format(data.queue.counts[f]) }),
  }));

  const who = (p: QueueRow["referrer"] | null, email: string | null) => {
    if (!p) {
      return (
        <BlockStack gap="050">
          <Text as="span">{email ?? "—"}</Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {t("referrals.guest")}
          </Text>
        </BlockStack>
      );
    }
    const name = [p.firstName, p.lastName].filter(Boolean).join(" ") || t("customers.unnamed", { id: p.shopifyCustomerId });
    return (
      <BlockStack gap="050">
        <Button variant="plain" url={`/app/customers/${p.id}`}>
          {name}
        </Button>
        <Text as="span" variant="bodySm" tone="subdued">
          {[p.email, t("member.shopifyId", { id: p.shopifyCustomerId })].filter(Boolean).join(" · ")}
        </Text>
      </BlockStack>
    );
  };

  const done = (r: Extract<ActionResult, { ok: true }>) =>
    r.reversed
      ? t("referrals.done.reversed", { points: n.format(r.points) })
      : r.status === "rejected"
        ? t("referrals.done.rejected")
        : t("referrals.done.approved");

  const funnel: Array<[MessageKey, number]> = [
    ["referrals.funnel.visits", data.funnel.visits],
    ["referrals.funnel.claimed", data.funnel.claimed],
    ["referrals.funnel.orders", data.funnel.orders],
    ["referrals.funnel.rewarded", data.funnel.rewarded],
    ["referrals.funnel.rejected", data.funnel.rejected],
    ["referrals.funnel.cancelled", data.funnel.cancelled],
  ];

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
        <Layout.Section>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              {t("referrals.funnel")}
            </Text>
            <InlineGrid columns={{ xs: 2, sm: 3, lg: 6 }} gap="300">
              {funnel.map(([label, value]) => (
                <Card key={label}>
                  <BlockStack gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      {t(label)}
                    </Text>
                    <Text as="p" variant="headingXl">
                      {n.format(value)}
                    </Text>
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <Tabs tabs={tabs} selected={filters.indexOf(data.status)} onSelect={(i) => navigate(`?status=${filters[i]}`)} />
            <BlockStack gap="300">
              {result ? (
                <div style={{ padding: "var(--p-space-300)" }}>
                  <Banner tone={result.ok ? "success" : "critical"}>{result.ok ? done(result) : t(result.error)}</Banner>
                </div>
              ) : null}
              {data.queue.rows.length === 0 ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {t("referrals.empty")}
                  </Text>
                </div>
              ) : (
                <DataTable
                  verticalAlign="top"
                  columnContentTypes={["text", "text", "text", "text", "text", "text", "text"]}
                  headings={[
                    t("referrals.col.created"),
                    t("referrals.col.referrer"),
                    t("referrals.col.friend"),
                    t("referrals.col.risk"),
                    t("referrals.col.reasons"),
                    t("referrals.col.status"),
                    t("referrals.col.actions"),
                  ]}
                  rows={data.queue.rows.map((r) => [
                    <BlockStack key={`${r.id}-date`} gap="050">
                      <Text as="span">{dateTime.format(new Date(r.createdAt))}</Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {t("referrals.order", {
                          id: r.shopifyOrderId,
                          method: t(`referrals.attributed.${r.attributedBy}` as MessageKey),
                        })}
                      </Text>
                    </BlockStack>,
                    <div key={`${r.id}-referrer`}>{who(r.referrer, null)}</div>,
                    <div key={`${r.id}-friend`}>{who(r.friend, r.friendEmail)}</div>,
                    <Badge key={`${r.id}-risk`} tone={riskTone(r.riskScore)}>
                      {t("referrals.risk", { score: n.format(r.riskScore) })}
                    </Badge>,
                    <BlockStack key={`${r.id}-reasons`} gap="100">
                      {r.reasons.length === 0 ? (
                        <Text as="span" tone="subdued">
                          {t("referrals.noReasons")}
                        </Text>
                      ) : (
                        r.reasons.map((reason, i) => (
                          <BlockStack key={`${reason.code}-${i}`} gap="025">
                            <Text as="span" fontWeight="semibold">
                              {t(`referrals.reason.${reason.code}` as MessageKey)}
                            </Text>
                            <Text as="span" variant="bodySm" tone="subdued">
                              {reason.text}
                            </Text>
                          </BlockStack>
                        ))
                      )}
                    </BlockStack>,
                    <BlockStack key={`${r.id}-status`} gap="100">
                      <Badge tone={STATUS_TONE[r.status]}>{statusLabel(r.status)}</Badge>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {t("referrals.reward", { points: n.format(r.points) })}
                      </Text>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {r.rewardedAt
                          ? t("referrals.rewardedAt", { date: day.format(new Date(r.rewardedAt)) })
                          : t("referrals.rewardAvailable", { date: day.format(new Date(r.rewardAvailableAt)) })}
                      </Text>
                      <details>
                        <summary>
                          <Text as="span" variant="bodySm">
                            {t("referrals.history", { count: n.format(r.decisions.length) })}
                          </Text>
                        </summary>
                        <BlockStack gap="050">
                          {r.decisions.map((d, i) => (
                            <Text key={i} as="p" variant="bodySm">
                              {d.by === "merchant"
                                ? t("referrals.history.merchant", {
                                    date: dateTime.format(new Date(d.at)),
                                    status: statusLabel(d.status),
                                    actor: d.actor ?? "—",
                                  })
                                : t("referrals.history.system", { date: dateTime.format(new Date(d.at)), status: statusLabel(d.status) })}
                              {d.note
                                ? ` — ${d.by === "system" && SYSTEM_NOTE_REASONS.includes(d.note) ? t(`referrals.reason.${d.note}` as MessageKey) : d.note}`
                                : ""}
                            </Text>
                          ))}
                        </BlockStack>
                      </details>
                    </BlockStack>,
                    <Decide key={`${r.id}-decide`} row={r} />,
                  ])}
                />
              )}
              {data.paged || data.queue.nextCursor ? (
                <div style={{ padding: "var(--p-space-300)" }}>
                  <InlineStack gap="200" align="end">
                    {data.paged ? <Button url={`?status=${data.status}`}>{t("referrals.first")}</Button> : null}
                    {data.queue.nextCursor ? (
                      <Button url={`?status=${data.status}&cursor=${encodeURIComponent(data.queue.nextCursor)}`}>
                        {t("referrals.more")}
                      </Button>
                    ) : null}
                  </InlineStack>
                </div>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = AdminErrorBoundary;
