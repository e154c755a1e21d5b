import { useCallback, useEffect, useState } from "react";

/** The value at a dotted path ("bonuses.actions.0.label") of a form's state. */
export function valueAt(form: unknown, name: string): unknown {
  return name.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], form);
}

/** A copy of the form with the value at a dotted path replaced. */
export function withValue<T>(form: T, name: string, value: unknown): T {
  const copy = structuredClone(form);
  const keys = name.split(".");
  const parent = keys
    .slice(0, -1)
    .reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy as Record<string, unknown>);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

/**
 * A form held as one state object, edited by field name. `text(name)` and `check(name)` give
 * a Polaris field its name, value and change handler, so the submitted names are the paths.
 */
export function useFormState<T>(initial: T) {
  const [form, setForm] = useState(initial);
  const set = useCallback((name: string, value: unknown) => setForm((f) => withValue(f, name, value)), []);
  return {
    form,
    setForm,
    set,
    text: (name: string) => ({
      name,
      value: String(valueAt(form, name) ?? ""),
      onChange: (value: string) => set(name, value),
      autoComplete: "off",
    }),
    check: (name: string) => ({
      name,
      value: "true",
      checked: valueAt(form, name) === true,
      onChange: (checked: boolean) => set(name, checked),
    }),
  };
}

/** False during the server render and hydration, true after: for values that depend on the browser (its time zone). */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** A slug for a merchant's label ("Follow us on Instagram" -> "follow_us_on_instagram"), at most 40 characters. */
export function slugOf(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 40)
    .replace(/^_+|_+$/g, "");
}

/** A short id for a new row (a multiplier or campaign), unique enough within one shop's settings. */
export function newRowId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** ISO instant -> the value of a datetime-local input in the browser's time zone. */
export function localInputValue(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (browser time) -> ISO instant, or "" when incomplete. */
export function isoFromLocalInput(value: string): string {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : "";
}
