import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { MessagesPage } from "~/admin/messages";
import type { MessageKey } from "~/i18n";
import { messages as dictionary } from "~/i18n";
import { useT } from "~/components/use-t";

const TONE: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  sent: "success",
  failed: "critical",
  unconfirmed: "warning",
  skipped: undefined,
  queued: "info",
  sending: "info",
};

/** The last sends of the message being edited: when (in the shop's time zone), to whom (masked), status and why. */
export function SendsCard({ sends }: { sends: MessagesPage["sends"] }) {
  const { t, dateTime } = useT();
  const known = (key: string): key is MessageKey => key in dictionary.en;
  const status = (s: string) => (known(`messages.status.${s}`) ? t(`messages.status.${s}` as MessageKey) : s);
  const reason = (r: string | null, s: string) => {
    if (s === "unconfirmed") return t("messages.reason.unconfirmed");
    if (!r) return "—";
    return known(`messages.reason.${r}`) ? t(`messages.reason.${r}` as MessageKey) : r;
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("messages.sends")}
        </Text>
        {sends.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("messages.sends.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("messages.sends.time"), t("messages.sends.to"), t("messages.sends.status"), t("messages.sends.reason")]}
            rows={sends.map((s) => [
              dateTime.format(new Date(s.at)),
              [s.recipient ?? (s.channel === "email" ? "—" : s.channel), s.test ? `(${t("messages.sends.test")})` : ""].join(" ").trim(),
              <Badge key="status" tone={TONE[s.status]}>
                {status(s.status)}
              </Badge>,
              reason(s.reason, s.status),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
