import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { MemberAudit } from "~/admin/members";
import { useT } from "~/components/use-t";
import { type MessageKey } from "~/i18n";

const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info" | undefined> = {
  pending: "attention",
  issued: "success",
  used: "info",
  failed: "critical",
};

/** The member's rewards: what they spent points on, and each code's state. */
export function RedemptionsCard({ data }: { data: Pick<MemberAudit, "redemptions"> }) {
  const { t, n, dateTime, day } = useT();
  return (
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
              // An apology reward from the Surveys page costs no points: 0, not "-0".
              n.format(-r.pointsSpent || 0),
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
  );
}
