import { BlockStack, Checkbox, Divider, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { Section } from "~/components/section";
import type { ProgramFields } from "./fields";

const FRIEND_REWARDS = ["percentage", "fixed_amount"] as const;

/** Referrals: what the referrer and the friend get, and the fraud checks. */
export function ReferralSection({ f, codesSyncing }: { f: ProgramFields; codesSyncing: number }) {
  const { t, currency, form, text, error, check, numberField, moneyField } = f;
  return (
    <Section title={t("program.referral")} help={t("program.referral.help")}>
      <FormLayout>
        <Checkbox label={t("program.referral.enabled")} {...check("referral.enabled")} />
        <FormLayout.Group>
          <TextField label={t("program.referral.referrerPoints")} {...numberField("referral.referrerPoints")} />
          <Select
            label={t("program.referral.friendReward.type")}
            options={FRIEND_REWARDS.map((type) => ({ value: type, label: t(`program.referral.friendReward.${type}`) }))}
            {...text("referral.friendReward.type")}
            error={error("referral.friendReward.type")}
          />
          {form.referral.friendReward.type === "fixed_amount" ? (
            <TextField label={t("program.referral.friendReward.amount", { currency })} {...moneyField("referral.friendReward.value")} />
          ) : (
            <TextField
              label={t("program.referral.friendReward.percent")}
              suffix="%"
              max={100}
              {...numberField("referral.friendReward.value", 1)}
            />
          )}
        </FormLayout.Group>
        <Text as="p" tone="subdued">
          {t("program.referral.codes")}
          {codesSyncing > 0 ? ` ${t("program.referral.codes.syncing", { count: codesSyncing })}` : ""}
        </Text>
        <FormLayout.Group>
          <TextField
            label={t("program.referral.holdDays")}
            helpText={t("program.referral.holdDays.help")}
            {...numberField("referral.holdDays")}
          />
          <TextField label={t("program.referral.minimum", { currency })} {...moneyField("referral.minimumOrderSubtotal")} />
        </FormLayout.Group>
      </FormLayout>
      <Divider />
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {t("program.referral.fraud")}
        </Text>
        <Text as="p" tone="subdued">
          {t("program.referral.fraud.help")}
        </Text>
      </BlockStack>
      <FormLayout>
        <FormLayout.Group>
          <TextField label={t("program.referral.fraud.maxPerReferrerPerDay")} {...numberField("referral.fraud.maxPerReferrerPerDay", 1)} />
          <TextField label={t("program.referral.fraud.maxPerIpPerDay")} {...numberField("referral.fraud.maxPerIpPerDay", 1)} />
          <TextField label={t("program.referral.fraud.couponLeakFriends")} {...numberField("referral.fraud.couponLeakFriends", 2)} />
        </FormLayout.Group>
        <FormLayout.Group>
          <TextField label={t("program.referral.fraud.reviewScore")} max={100} {...numberField("referral.fraud.reviewScore", 1)} />
          <TextField label={t("program.referral.fraud.rejectScore")} max={100} {...numberField("referral.fraud.rejectScore", 1)} />
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}
