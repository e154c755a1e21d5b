// A ledger entry's label (app/domain/ledger/entry-labels.ts) in the admin's language.
import type { EntryLabel } from "~/domain/ledger/entry-labels";
import { intlLocale, translate, type Locale, type MessageKey } from "./index";

/**
 * `text`: the app's words for the entry, or the merchant's (or an older entry's) words as
 * written. `breakdown`: an order's earning parts in the same language ("base 10, VIP tier
 * +3"), shown under it as secondary text; null when there is none.
 */
export function describeEntry(locale: Locale, label: EntryLabel): { text: string; breakdown: string | null } {
  const n = new Intl.NumberFormat(intlLocale(locale));
  const vars = Object.fromEntries(Object.entries(label.vars).map(([k, v]) => [k, typeof v === "number" ? n.format(v) : v]));
  const text = label.key ? translate(locale, `ledger.entry.${label.key}` as MessageKey, vars) : (label.text ?? "");
  const breakdown = label.breakdown
    ? label.breakdown
        .map((part, i) =>
          translate(locale, `ledger.breakdown.${part.rule}` as MessageKey, {
            // What each rule added on top of the base reads as an addition.
            points: i > 0 && part.points > 0 ? `+${n.format(part.points)}` : n.format(part.points),
          }),
        )
        .join(", ")
    : null;
  return { text, breakdown };
}
