import { formatMoney } from "../../../common/money";
import type { MessageKey } from "~/i18n";
import { useT } from "~/components/use-t";

/** "score": a survey score (NPS −100..100, an average rating) to one decimal, changing by its difference. */
export type Kind = "count" | "money" | "percent" | "decimal" | "days" | "score";

/** How each figure is read: where it comes from, its unit and which way is good news. */
export interface Definition {
  id: string;
  label: MessageKey;
  help?: MessageKey;
  kind: Kind;
  better: "up" | "down" | "none";
}

/** The home page's number, date and money formats in the merchant's language and the shop's currency. */
export function useDashboardFormat(currency: string) {
  const { t, n, dateTime: date, intl: tag } = useT();
  const d2 = new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  const d1 = new Intl.NumberFormat(tag, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const s1 = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const monthName = new Intl.DateTimeFormat(tag, { month: "short", year: "2-digit", timeZone: "UTC" });
  const money = (minor: number) => formatMoney({ amount: Math.round(minor), currency }, tag);
  const format = (kind: Kind) => (v: number) =>
    kind === "money"
      ? money(v)
      : kind === "percent"
        ? `${d2.format(v)}%`
        : kind === "days"
          ? t("dash.days", { value: d2.format(v) })
          : kind === "decimal"
            ? d2.format(v)
            : kind === "score"
              ? s1.format(v)
              : n.format(v);
  const show = (kind: Kind, v: number | null | undefined) => (v === null || v === undefined ? "—" : format(kind)(v));
  /** Percent figures change in percentage points, the others relatively. */
  const changeOf = (kind: Kind, current: number | null, previous: number | null) => {
    if (current === null || previous === null) return null;
    if (kind === "percent") {
      const diff = Math.round((current - previous) * 10) / 10;
      return { text: t("dash.pp", { value: d1.format(diff) }), sign: Math.sign(diff) };
    }
    if (kind === "score") {
      const diff = Math.round((current - previous) * 10) / 10;
      return { text: d1.format(diff), sign: Math.sign(diff) };
    }
    if (previous === 0) return null;
    const rel = Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
    return { text: `${d1.format(rel)}%`, sign: Math.sign(rel) };
  };
  return { t, tag, n, d2, date, monthName, money, format, show, changeOf };
}
