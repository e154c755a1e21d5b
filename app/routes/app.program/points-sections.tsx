import { Checkbox, FormLayout, Select, TextField } from "@shopify/polaris";
import { Section } from "~/components/section";
import type { ProgramFields } from "./fields";

const EXPIRY_MODES = ["never", "after_earning", "inactivity"] as const;

/** When points expire. */
export function ExpirySection({ f }: { f: ProgramFields }) {
  const { t, text, error, numberField } = f;
  return (
    <Section title={t("program.expiry")} help={t("program.expiry.help")}>
      <FormLayout>
        <Select
          label={t("program.expiry.mode")}
          options={EXPIRY_MODES.map((mode) => ({ value: mode, label: t(`program.expiry.${mode}`) }))}
          {...text("expiry.mode")}
          error={error("expiry.mode")}
        />
        <FormLayout.Group>
          <TextField label={t("program.expiry.months")} {...numberField("expiry.months", 1)} />
          <TextField label={t("program.expiry.warnDays")} {...numberField("expiry.warnDays", 1)} />
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}

/** What a point is worth when spent. */
export function RedemptionSection({ f }: { f: ProgramFields }) {
  const { t, currency, check, moneyField } = f;
  return (
    <Section title={t("program.redemption")}>
      <FormLayout>
        <TextField
          label={t("program.redemption.pointValue", { currency })}
          helpText={t("program.redemption.pointValue.help")}
          {...moneyField("redemption.pointValue")}
        />
        <Checkbox label={t("program.redemption.refundExpiredCodes")} {...check("redemption.refundExpiredCodes")} />
      </FormLayout>
    </Section>
  );
}

/** The share of customers kept out of the program to measure it. */
export function HoldoutSection({ f }: { f: ProgramFields }) {
  const { t, numberField } = f;
  return (
    <Section title={t("program.holdout")} help={t("program.holdout.help")}>
      <FormLayout>
        <TextField
          label={t("program.holdout.share")}
          helpText={t("program.holdout.share.help")}
          suffix="%"
          max={50}
          {...numberField("holdout.share")}
        />
      </FormLayout>
    </Section>
  );
}
