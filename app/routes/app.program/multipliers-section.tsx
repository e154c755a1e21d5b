import { FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { EditableList } from "~/components/editable-list";
import { Section } from "~/components/section";
import { isoFromLocalInput, localInputValue, newRowId } from "~/components/form-state";
import type { ProgramFields } from "./fields";

/** More points on some products or collections, always. */
export function MultipliersSection({ f }: { f: ProgramFields }) {
  const { t, form, text, error, textField, numberField, update } = f;
  return (
    <Section title={t("program.multipliers")} help={t("program.multipliers.help")}>
      <EditableList
        items={form.multipliers}
        rowKey={(m) => m.id}
        error={error("multipliers")}
        emptyText={t("program.multipliers.empty")}
        removeLabel={t("program.remove")}
        onRemove={(i) => update((draft) => void draft.multipliers.splice(i, 1))}
        addLabel={t("program.multiplier.add")}
        onAdd={() =>
          update((draft) => void draft.multipliers.push({ id: newRowId("m"), appliesTo: { type: "collection", ids: "" }, multiplier: "2" }))
        }
        max={50}
      >
        {(m, i) => (
          <>
            <input type="hidden" name={`multipliers.${i}.id`} value={m.id} />
            <FormLayout>
              <FormLayout.Group>
                <Select
                  label={t("program.multiplier.type")}
                  options={[
                    { value: "product", label: t("program.multiplier.type.product") },
                    { value: "collection", label: t("program.multiplier.type.collection") },
                  ]}
                  {...text(`multipliers.${i}.appliesTo.type`)}
                  error={error(`multipliers.${i}.appliesTo.type`)}
                />
                <TextField
                  label={t("program.multiplier.value")}
                  prefix="×"
                  step={0.01}
                  {...numberField(`multipliers.${i}.multiplier`, 1)}
                />
              </FormLayout.Group>
              <TextField
                label={t("program.multiplier.ids")}
                helpText={t("program.ids.help")}
                {...textField(`multipliers.${i}.appliesTo.ids`)}
              />
            </FormLayout>
          </>
        )}
      </EditableList>
    </Section>
  );
}

/** More points on every order for a while. */
export function CampaignsSection({ f }: { f: ProgramFields }) {
  const { t, form, set, error, textField, numberField, update, hydrated } = f;
  return (
    <Section title={t("program.campaigns")} help={t("program.campaigns.help")}>
      <EditableList
        items={form.campaigns}
        rowKey={(c) => c.id}
        error={error("campaigns")}
        emptyText={t("program.campaigns.empty")}
        removeLabel={t("program.remove")}
        onRemove={(i) => update((draft) => void draft.campaigns.splice(i, 1))}
        addLabel={t("program.campaign.add")}
        onAdd={() =>
          update((draft) => void draft.campaigns.push({ id: newRowId("c"), name: "", multiplier: "2", startsAt: "", endsAt: "" }))
        }
        max={20}
        footer={() => (
          <Text as="p" variant="bodySm" tone="subdued">
            {hydrated ? t("program.campaign.timezone", { zone: Intl.DateTimeFormat().resolvedOptions().timeZone }) : ""}
          </Text>
        )}
      >
        {(c, i) => (
          <>
            <input type="hidden" name={`campaigns.${i}.id`} value={c.id} />
            <input type="hidden" name={`campaigns.${i}.startsAt`} value={c.startsAt} />
            <input type="hidden" name={`campaigns.${i}.endsAt`} value={c.endsAt} />
            <FormLayout>
              <FormLayout.Group>
                <TextField label={t("program.campaign.name")} {...textField(`campaigns.${i}.name`)} maxLength={80} />
                <TextField label={t("program.multiplier.value")} prefix="×" step={0.01} {...numberField(`campaigns.${i}.multiplier`, 1)} />
              </FormLayout.Group>
              <FormLayout.Group>
                {(["startsAt", "endsAt"] as const).map((end) => (
                  // Typed in the browser's time zone; the hidden field carries the instant.
                  <TextField
                    key={end}
                    label={t(`program.campaign.${end}`)}
                    type="datetime-local"
                    value={hydrated ? localInputValue(c[end]) : ""}
                    onChange={(value) => set(`campaigns.${i}.${end}`, isoFromLocalInput(value))}
                    autoComplete="off"
                    error={error(`campaigns.${i}.${end}`)}
                  />
                ))}
              </FormLayout.Group>
            </FormLayout>
          </>
        )}
      </EditableList>
    </Section>
  );
}
