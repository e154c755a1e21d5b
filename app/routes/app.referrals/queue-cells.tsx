import { Badge, BlockStack, Button, Text } from "@shopify/polaris";
import type { ReferralStatus } from "~/domain/referrals";
import type { QueueRow } from "~/admin/referrals";
import { type MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

// The system's decision notes that are a reason's code, shown in the merchant's language.
const SYSTEM_NOTE_REASONS = ["coupon_leak", "referrer_held_out"];

const STATUS_TONE: Record<ReferralStatus, "success" | "critical" | "attention" | "info" | "warning" | undefined> = {
  pending: "info",
  held_for_review: "attention",
  approved: "success",
  rewarded: "success",
  rejected: "critical",
  cancelled: undefined,
};

export const riskTone = (score: number) => (score >= 80 ? "critical" : score >= 40 ? "warning" : score > 0 ? "attention" : "success");

function useFormats() {
  const { t, n, dateTime, day } = useT();
  return {
    t,
    n,
    dateTime,
    day,
    statusLabel: (s: ReferralStatus) => t(`referrals.status.${s}` as MessageKey),
  };
}

/** A referrer or friend: their name linking to their page, or a guest's email. */
export function Who({ person: p, email }: { person: QueueRow["referrer"] | null; email: string | null }) {
  const { t } = useT();
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
}

/** When the referral was made and the order it came from. */
export function CreatedCell({ row: r }: { row: QueueRow }) {
  const { t, dateTime } = useFormats();
  return (
    <BlockStack gap="050">
      <Text as="span">{dateTime.format(new Date(r.createdAt))}</Text>
      <Text as="span" variant="bodySm" tone="subdued">
        {t("referrals.order", {
          id: r.shopifyOrderId,
          method: t(`referrals.attributed.${r.attributedBy}` as MessageKey),
        })}
      </Text>
    </BlockStack>
  );
}

/** Why the referral looks risky, one reason a line. */
export function ReasonsCell({ row: r }: { row: QueueRow }) {
  const { t } = useT();
  return (
    <BlockStack gap="100">
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
    </BlockStack>
  );
}

/** The referral's status, its reward and the history of decisions on it. */
export function StatusCell({ row: r }: { row: QueueRow }) {
  const { t, n, dateTime, day, statusLabel } = useFormats();
  return (
    <BlockStack gap="100">
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
    </BlockStack>
  );
}
