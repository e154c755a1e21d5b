import { BlockStack, Checkbox, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import type { TierForm } from "~/admin/program";
import { EditableList } from "~/components/editable-list";
import { slugOf, useFormState } from "~/components/form-state";
import { useT } from "~/components/use-t";
import { currencyExponent } from "../../../common/money";

const MAX_TIERS = 10;

export const blankTier = (): TierForm["tiers"][number] => ({
  key: "",
  name: "",
  threshold: "",
  earnMultiplier: "1",
  freeShippingReward: false,
  exclusiveRewardIds: [],
});

/** The tiers being edited, lowest first: add, remove, reorder, and each tier's fields. */
export function TierRows({
  state,
  rewards,
  currency,
  error,
}: {
  state: ReturnType<typeof useFormState<TierForm>>;
  rewards: Array<{ id: string; name: string; active: boolean }>;
  currency: string;
  error: (name: string) => string | undefined;
}) {
  const { t } = useT();
  const { form, setForm, set, text, check } = state;
  const field = (name: string) => ({ ...text(name), error: error(name) });
  const amountBasis = form.basis === "amount_spent";
  const move = (from: number, to: number) =>
    setForm((f) => {
      const tiers = [...f.tiers];
      const [tier] = tiers.splice(from, 1);
      tiers.splice(to, 0, tier);
      return { ...f, tiers };
    });
  /** A new name also renames the key while the key still follows the name (a saved tier keeps its key). */
  const setName = (i: number, name: string) =>
    setForm((f) => ({
      ...f,
      tiers: f.tiers.map((tier, j) =>
        j !== i ? tier : { ...tier, name, key: !tier.key || tier.key === slugOf(tier.name) ? slugOf(name) : tier.key },
      ),
    }));
  const toggleReward = (i: number, id: string, on: boolean) =>
    set(
      `tiers.${i}.exclusiveRewardIds`,
      on ? [...form.tiers[i].exclusiveRewardIds, id] : form.tiers[i].exclusiveRewardIds.filter((r) => r !== id),
    );
  return (
    <EditableList
      items={form.tiers}
      rowKey={(_, i) => i}
      rowTitle={(_, i) => t("tiers.level", { level: String(i + 1) })}
      onMove={move}
      moveLabels={{ up: t("tiers.moveUp"), down: t("tiers.moveDown") }}
      removeLabel={t("tiers.remove")}
      onRemove={(i) => setForm((f) => ({ ...f, tiers: f.tiers.filter((_, j) => j !== i) }))}
      addLabel={t("tiers.add")}
      onAdd={() => setForm((f) => ({ ...f, tiers: [...f.tiers, blankTier()] }))}
      max={MAX_TIERS}
    >
      {(tier, i) => (
        <FormLayout>
          <FormLayout.Group>
            <TextField label={t("tiers.field.name")} {...field(`tiers.${i}.name`)} onChange={(name) => setName(i, name)} maxLength={40} />
            <TextField
              label={t("tiers.field.key")}
              helpText={t("tiers.field.key.help", { tag: `kembali-tier-${tier.key || "…"}` })}
              {...field(`tiers.${i}.key`)}
              maxLength={40}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            <TextField
              label={amountBasis ? t("tiers.field.threshold.amount", { currency }) : t("tiers.field.threshold.points")}
              type="number"
              min={0}
              step={amountBasis ? 10 ** -currencyExponent(currency) : 1}
              {...field(`tiers.${i}.threshold`)}
            />
            <TextField
              label={t("tiers.field.multiplier")}
              type="number"
              min={1}
              max={10}
              step={0.01}
              prefix="×"
              {...field(`tiers.${i}.earnMultiplier`)}
            />
          </FormLayout.Group>
          <Checkbox
            label={t("tiers.field.freeShipping")}
            helpText={t("tiers.field.freeShippingHelp")}
            {...check(`tiers.${i}.freeShippingReward`)}
          />
          {rewards.length ? (
            <BlockStack gap="100">
              <Text as="p">{t("tiers.field.rewards")}</Text>
              <Text as="p" tone="subdued">
                {t("tiers.field.rewardsHelp")}
              </Text>
              <InlineStack gap="400" wrap>
                {rewards.map((reward) => (
                  <Checkbox
                    key={reward.id}
                    label={reward.active ? reward.name : t("tiers.reward.inactive", { name: reward.name })}
                    name={`tiers.${i}.exclusiveRewardIds`}
                    value={reward.id}
                    checked={tier.exclusiveRewardIds.includes(reward.id)}
                    onChange={(on) => toggleReward(i, reward.id, on)}
                  />
                ))}
              </InlineStack>
              {error(`tiers.${i}.exclusiveRewardIds`) ? (
                <Text as="p" tone="critical">
                  {error(`tiers.${i}.exclusiveRewardIds`)}
                </Text>
              ) : null}
            </BlockStack>
          ) : null}
        </FormLayout>
      )}
    </EditableList>
  );
}
