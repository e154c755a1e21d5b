import { Checkbox, FormLayout, Select, TextField } from "@shopify/polaris";
import { Section } from "~/components/section";
import type { ProgramFields } from "./fields";

/** Customers, products and collections that never earn. */
export function ExclusionsSection({ f }: { f: ProgramFields }) {
  const { t, textField } = f;
  return (
    <Section title={t("program.exclusions")} help={t("program.exclusions.help")}>
      <FormLayout>
        <TextField
          label={t("program.exclusions.customerTags")}
          helpText={t("program.exclusions.tags.help")}
          {...textField("exclusions.customerTags")}
        />
        <TextField
          label={t("program.exclusions.productTags")}
          helpText={t("program.exclusions.tags.help")}
          {...textField("exclusions.productTags")}
        />
        <TextField
          label={t("program.exclusions.collectionIds")}
          helpText={t("program.ids.help")}
          {...textField("exclusions.collectionIds")}
        />
      </FormLayout>
    </Section>
  );
}

/** A share of the order back as points. */
export function CashbackSection({ f }: { f: ProgramFields }) {
  const { t, currency, check, numberField, moneyField } = f;
  return (
    <Section title={t("program.cashback")} help={t("program.cashback.help")}>
      <FormLayout>
        <Checkbox label={t("program.cashback.enabled")} {...check("cashback.enabled")} />
        <FormLayout.Group>
          <TextField label={t("program.cashback.percent")} suffix="%" step={0.01} {...numberField("cashback.percent")} />
          <TextField label={t("program.minimum", { currency })} {...moneyField("cashback.minimumSubtotal")} />
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}

/** A stamp card: every order (or product) counts towards a reward. */
export function StampsSection({ f }: { f: ProgramFields }) {
  const { t, currency, text, error, check, numberField, moneyField } = f;
  return (
    <Section title={t("program.stamps")} help={t("program.stamps.help")}>
      <FormLayout>
        <Checkbox label={t("program.stamps.enabled")} {...check("stamps.enabled")} />
        <FormLayout.Group>
          <Select
            label={t("program.stamps.counts")}
            options={[
              { value: "orders", label: t("program.stamps.counts.orders") },
              { value: "products", label: t("program.stamps.counts.products") },
            ]}
            {...text("stamps.counts")}
            error={error("stamps.counts")}
          />
          <TextField label={t("program.stamps.target")} {...numberField("stamps.target", 2)} />
        </FormLayout.Group>
        <FormLayout.Group>
          <TextField label={t("program.stamps.rewardPoints")} {...numberField("stamps.rewardPoints", 1)} />
          <TextField label={t("program.minimum", { currency })} {...moneyField("stamps.minimumSubtotal")} />
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}
