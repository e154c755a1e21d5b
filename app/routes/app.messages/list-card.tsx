import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, Checkbox, InlineStack, Text } from "@shopify/polaris";
import type { MessagesPage } from "~/admin/messages";
import type { MessageKey as Message } from "~/domain/messages/catalog";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import type { FormState, MessageForm } from "./settings-form";

/** Every message with its switch, kind and recipient; "Edit" opens its editor below. */
export function ListCard({
  messages,
  form,
  selected,
  onToggle,
  linkTo,
}: {
  messages: MessagesPage["messages"];
  form: FormState;
  selected: Message;
  onToggle: (key: Message, patch: Partial<MessageForm>) => void;
  linkTo: (patch: Record<string, string | null>) => string;
}) {
  const { t } = useT();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("messages.list")}
        </Text>
        <Text as="p" tone="subdued">
          {t("messages.list.help")}
        </Text>
        {messages.map((m) => (
          <Box key={m.key} padding="200" borderWidth="025" borderColor="border" borderRadius="200" data-message={m.key}>
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <InlineStack gap="300" blockAlign="center">
                <Checkbox
                  label={t(`messages.name.${m.key}` as MessageKey)}
                  checked={form.messages[m.key].enabled}
                  onChange={(enabled) => onToggle(m.key, { enabled })}
                />
                <Badge tone={m.kind === "marketing" ? "info" : undefined}>{t(`messages.kind.${m.kind}`)}</Badge>
                {m.to === "merchant" ? <Badge tone="attention">{t("messages.to.merchant")}</Badge> : null}
              </InlineStack>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" tone="subdued" variant="bodySm">
                  {t(`messages.when.${m.key}` as MessageKey)}
                </Text>
                {m.key === selected ? (
                  <Badge tone="success">{t("messages.editing")}</Badge>
                ) : (
                  <Link to={linkTo({ message: m.key })} preventScrollReset>
                    {t("messages.edit")}
                  </Link>
                )}
              </InlineStack>
            </InlineStack>
          </Box>
        ))}
      </BlockStack>
    </Card>
  );
}
