import { Badge, BlockStack, Card, DataTable, Link, Text } from "@shopify/polaris";
import type { MemberReferrals as Referrals, QueuePerson, QueueRow } from "~/admin/referrals";
import { type MessageKey } from "~/i18n";
import { useT } from "./use-t";

const TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  pending: "attention",
  held_for_review: "attention",
  approved: "info",
  rewarded: "success",
  rejected: "critical",
  cancelled: undefined,
};

/** A member's referrals on their customer page: their code, friends they brought, who brought them. */
export function MemberReferrals({ referrals }: { referrals: Referrals }) {
  const { t, n, day } = useT();
  const who = (p: QueuePerson | null, email: string | null) =>
    p ? (
      <Link url={`/app/customers/${p.shopifyCustomerId}`}>
        {[p.firstName, p.lastName].filter(Boolean).join(" ") || p.email || p.shopifyCustomerId}
      </Link>
    ) : (
      (email ?? t("member.referrals.guest"))
    );
  const status = (r: QueueRow) => (
    <Badge key={r.id} tone={TONE[r.status]}>
      {t(`referrals.status.${r.status}` as MessageKey)}
    </Badge>
  );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("member.referrals")}
        </Text>
        <Text as="p" tone="subdued">
          {referrals.code ? t("member.referrals.code", { code: referrals.code }) : t("member.referrals.noCode")}
        </Text>
        {referrals.codeDiscount ? (
          <Text as="p" tone="subdued">
            {referrals.codeDiscount.status === "pending" && referrals.codeDiscount.error
              ? t("member.referrals.checkout.failed", { error: referrals.codeDiscount.error })
              : t(`member.referrals.checkout.${referrals.codeDiscount.status}`)}
          </Text>
        ) : null}
        {referrals.referredBy ? (
          <Text as="p">
            {t("member.referrals.referredBy")} {who(referrals.referredBy.referrer, null)} · {status(referrals.referredBy)}
          </Text>
        ) : null}
        {referrals.made.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("member.referrals.none")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric"]}
            headings={[
              t("member.referrals.date"),
              t("member.referrals.friend"),
              t("member.referrals.status"),
              t("member.referrals.points"),
            ]}
            rows={referrals.made.map((r) => [
              day.format(new Date(r.createdAt)),
              who(r.friend, r.friendEmail),
              status(r),
              n.format(r.points),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
