import { Badge, Checkbox, Divider, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { ACTION_LIMITS } from "~/domain/earning/program";
import { EditableList } from "~/components/editable-list";
import { Section } from "~/components/section";
import { slugOf } from "~/components/form-state";
import type { ProgramFields } from "./fields";

/** Points on orders: the rate, what counts towards it, and the pending period. */
export function EarningSection({ f }: { f: ProgramFields }) {
  const { t, currency, numberField, moneyField, check } = f;
  return (
    <Section title={t("program.earning")} help={t("program.earning.help")}>
      <FormLayout>
        <FormLayout.Group>
          <TextField label={t("program.points")} {...numberField("earning.points")} />
          <TextField label={t("program.perAmount", { currency })} {...moneyField("earning.perAmount")} />
          <TextField label={t("program.pendingDays")} helpText={t("program.pendingDays.help")} {...numberField("earning.pendingDays")} />
        </FormLayout.Group>
        <Checkbox label={t("program.base.includeShipping")} {...check("earning.base.includeShipping")} />
        <Checkbox label={t("program.base.includeTax")} {...check("earning.base.includeTax")} />
      </FormLayout>
    </Section>
  );
}

/** Sign-up and birthday bonuses, and the merchant's own honour-based actions. */
export function BonusesSection({ f, pendingDays }: { f: ProgramFields; pendingDays: number }) {
  const { t, form, text, error, textField, numberField, update } = f;
  /** A new label also renames the key while the key still follows the label. */
  const setActionLabel = (i: number, label: string) =>
    update((draft) => {
      const action = draft.bonuses.actions[i];
      if (!action.key || action.key === slugOf(action.label)) action.key = slugOf(label);
      action.label = label;
    });
  return (
    <Section title={t("program.bonuses")} help={t("program.bonuses.help")}>
      <FormLayout>
        <FormLayout.Group>
          <TextField label={t("program.signup")} helpText={t("program.signup.help")} {...numberField("bonuses.signup")} />
          <TextField label={t("program.birthday")} helpText={t("program.birthday.help")} {...numberField("bonuses.birthday")} />
          <TextField
            label={t("program.birthdayLeadDays")}
            helpText={t("program.birthdayLeadDays.help")}
            {...numberField("bonuses.birthdayLeadDays")}
          />
        </FormLayout.Group>
      </FormLayout>
      <Divider />
      <Text as="h3" variant="headingSm">
        {t("program.actions")}
      </Text>
      <Text as="p" tone="subdued">
        {t("program.actions.honour", { days: pendingDays })}
      </Text>
      <EditableList
        items={form.bonuses.actions}
        rowKey={(_, i) => i}
        error={error("bonuses.actions")}
        emptyText={t("program.actions.empty")}
        removeLabel={t("program.remove")}
        onRemove={(i) => update((draft) => void draft.bonuses.actions.splice(i, 1))}
        addLabel={t("program.action.add")}
        onAdd={() => update((draft) => void draft.bonuses.actions.push({ key: "", label: "", points: "50", limit: "once", dailyCap: "1" }))}
        max={20}
      >
        {(a, i) => (
          <FormLayout>
            <InlineStack>
              <Badge tone="attention">{t("program.action.honour")}</Badge>
            </InlineStack>
            <FormLayout.Group>
              <TextField
                label={t("program.action.label")}
                {...textField(`bonuses.actions.${i}.label`)}
                onChange={(label) => setActionLabel(i, label)}
                maxLength={80}
              />
              <TextField
                label={t("program.action.key")}
                helpText={t("program.action.key.help")}
                {...textField(`bonuses.actions.${i}.key`)}
                maxLength={40}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField label={t("program.action.points")} {...numberField(`bonuses.actions.${i}.points`, 1)} />
              {/* Every custom action is honour-based: no limit without a cap (ACTION_LIMITS in the domain). */}
              <Select
                label={t("program.action.limit")}
                options={ACTION_LIMITS.map((limit) => ({ value: limit, label: t(`program.limit.${limit}`) }))}
                {...text(`bonuses.actions.${i}.limit`)}
                error={error(`bonuses.actions.${i}.limit`)}
              />
              {a.limit === "daily" ? (
                <TextField
                  label={t("program.action.dailyCap")}
                  helpText={t("program.action.dailyCap.help")}
                  max={10}
                  {...numberField(`bonuses.actions.${i}.dailyCap`, 1)}
                />
              ) : null}
            </FormLayout.Group>
          </FormLayout>
        )}
      </EditableList>
    </Section>
  );
}
