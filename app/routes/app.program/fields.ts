// The Program form's state and the props its sections give their Polaris fields.
import { currencyExponent } from "../../../common/money";
import type { ProgramForm } from "~/admin/program";
import type { MessageKey } from "~/i18n";
import { useFormState, useHydrated } from "~/components/form-state";
import { useT } from "~/components/use-t";

export function useProgramFields(initial: ProgramForm, currency: string, errors: Record<string, MessageKey>) {
  const { t } = useT();
  const hydrated = useHydrated();
  const state = useFormState<ProgramForm>(initial);
  const { text, setForm } = state;
  const step = 10 ** -currencyExponent(currency);

  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const textField = (name: string) => ({ ...text(name), error: error(name) });
  const numberField = (name: string, min = 0) => ({ ...textField(name), type: "number" as const, min });
  const moneyField = (name: string) => ({ ...numberField(name), step });
  /** Changes a copy of the form (adding or removing a row). */
  const update = (fn: (f: ProgramForm) => void) =>
    setForm((f) => {
      const copy = structuredClone(f);
      fn(copy);
      return copy;
    });
  return { ...state, t, hydrated, currency, error, textField, numberField, moneyField, update };
}

export type ProgramFields = ReturnType<typeof useProgramFields>;
