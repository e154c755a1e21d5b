import { useSubmit } from "@remix-run/react";
import { useCallback } from "react";

/** Posts one change to the page's action: an intent and its fields (a list as repeated fields, in order). */
export function useChoiceSubmit() {
  const submit = useSubmit();
  return useCallback(
    (intent: string, fields: Record<string, string | string[]>) => {
      const body = new FormData();
      body.set("intent", intent);
      for (const [name, value] of Object.entries(fields)) {
        for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      }
      submit(body, { method: "post", preventScrollReset: true });
    },
    [submit],
  );
}
