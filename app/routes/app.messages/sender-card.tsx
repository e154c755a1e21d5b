import { BlockStack, Card, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import type { MessagesPage } from "~/admin/messages";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";
import type { FormState } from "./settings-form";

type TextName = Exclude<keyof FormState, "messages" | "quietEnabled">;

/** Who the emails come from, where replies and alerts go, and the rules every message follows. */
export function SenderCard({
  form,
  set,
  fields,
  rewards,
  timezone,
}: {
  form: FormState;
  set: (patch: Partial<FormState>) => void;
  fields: Record<string, MessageKey>;
  rewards: MessagesPage["rewards"];
  timezone: string;
}) {
  const { t } = useT();
  const field = (name: TextName, label: MessageKey, opts: { help?: MessageKey; type?: "number" | "email"; helpText?: string } = {}) => (
    <TextField
      label={t(label)}
      helpText={opts.helpText ?? (opts.help ? t(opts.help) : undefined)}
      type={opts.type}
      value={form[name]}
      onChange={(value) => set({ [name]: value })}
      error={fields[name] ? t(fields[name]) : undefined}
      autoComplete="off"
    />
  );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("messages.sender")}
        </Text>
        <FormLayout>
          <FormLayout.Group>
            {field("fromName", "messages.sender.fromName", { help: "messages.sender.fromName.help" })}
            {field("replyTo", "messages.sender.replyTo", { help: "messages.sender.replyTo.help", type: "email" })}
            {field("alertEmail", "messages.sender.alertEmail", { help: "messages.sender.alertEmail.help", type: "email" })}
          </FormLayout.Group>
          <FormLayout.Group condensed>
            {field("capCount", "messages.sender.capCount", { type: "number" })}
            {field("capDays", "messages.sender.capDays", { type: "number" })}
          </FormLayout.Group>
          <Checkbox
            label={t("messages.sender.quiet")}
            helpText={t("messages.sender.quiet.help", { zone: timezone })}
            checked={form.quietEnabled}
            onChange={(quietEnabled) => set({ quietEnabled })}
          />
          {form.quietEnabled ? (
            <FormLayout.Group condensed>
              {field("quietStart", "messages.sender.quietStart", { type: "number" })}
              {field("quietEnd", "messages.sender.quietEnd", { type: "number" })}
            </FormLayout.Group>
          ) : null}
          <FormLayout.Group condensed>
            {field("rewardExpiringDays", "messages.sender.rewardExpiringDays", { type: "number" })}
            {field("replenishmentMinRepeats", "messages.sender.replenishmentMinRepeats", { type: "number" })}
            {field("conversionDays", "messages.sender.conversionDays", { type: "number", help: "messages.sender.conversionDays.help" })}
          </FormLayout.Group>
          <Select
            label={t("messages.sender.welcomeReward")}
            helpText={t("messages.sender.welcomeReward.help")}
            options={[
              { value: "", label: t("messages.sender.welcomeReward.none") },
              ...rewards.map((r) => ({ value: r.id, label: r.name })),
            ]}
            value={form.welcomeRewardId}
            onChange={(welcomeRewardId) => set({ welcomeRewardId })}
            error={fields.welcomeRewardId ? t(fields.welcomeRewardId) : undefined}
          />
        </FormLayout>
      </BlockStack>
    </Card>
  );
}
