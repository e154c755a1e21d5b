// What a ledger entry says, in any language. The app writes its entries' `reason` in English
// (an audit trail that never changes); readers must not show it as is to a merchant or
// shopper in another language. This is the ONE classification of an entry (kind, source and
// the structured parts of its stored reason) into a message key and variables:
//   - the admin words every key in app/i18n ("ledger.entry.<key>"),
//   - the storefront widget words it in the theme extension's locales ("widget.src_<key>"),
// so neither keeps rules of its own. Merchant words (a manual adjustment's note, a custom
// action's label) and entries this code does not recognise (legacy reasons) get no key: they
// are shown as stored.
import type { Deps } from "../deps";
import type { EarningRule } from "../earning/earning";

export const ENTRY_LABEL_KEYS = [
  "order",
  "refund",
  "cancellation",
  "referral",
  "referral_reverse",
  "signup",
  "birthday",
  "survey",
  "stamps",
  "expiry_after_earning",
  "expiry_inactive",
  "redemption_spend",
  "redemption_failed",
  "redemption_expired",
  "redemption_reverse",
  "import",
] as const;

export type EntryLabelKey = (typeof ENTRY_LABEL_KEYS)[number];

export const EARNING_RULES: readonly EarningRule[] = ["base", "multiplier", "campaign", "tier", "cashback"];

export interface LabelledEntryInput {
  kind: string;
  sourceType: string;
  sourceId: string;
  reason: string | null;
}

/** What the reader knows besides the entry: the reward's name on a redemption's entries (from the redemption row). */
export interface EntryDetail {
  rewardName?: string | null;
}

export interface EntryLabel {
  /** The app's own words for this entry; null: show `text` as written. */
  key: EntryLabelKey | null;
  /** The key's placeholders; numbers are for the reader to format. Values from merchant text (a reward or file name) are text, never markup. */
  vars: Record<string, string | number>;
  /** Merchant words or an unrecognised stored reason, shown as written (null when the entry has none). */
  text: string | null;
  /**
   * An order entry's earning breakdown (base, then what multipliers, a campaign, the VIP tier
   * and cashback added). It is structured when written ("base 10, tier 3"), so readers
   * translate each part rather than show the English sentence; a merchant uses it to see why
   * an order earned what it did. null for every other entry and a plain "base only" order.
   */
  breakdown: Array<{ rule: EarningRule; points: number }> | null;
}

const asStored = (entry: LabelledEntryInput): EntryLabel => ({ key: null, vars: {}, text: entry.reason, breakdown: null });
const app = (key: EntryLabelKey, vars: EntryLabel["vars"] = {}, breakdown: EntryLabel["breakdown"] = null): EntryLabel => ({
  key,
  vars,
  text: null,
  breakdown,
});

/** The message key and variables of one ledger entry (see the file's comment). Pure. */
export function labelEntry(entry: LabelledEntryInput, detail: EntryDetail = {}): EntryLabel {
  const { kind, sourceType, sourceId } = entry;
  const reason = entry.reason ?? "";
  let m: RegExpExecArray | null;
  switch (`${sourceType}/${kind}`) {
    case "order/earn": {
      m = /^Points for a paid order(?: \((.+)\))?$/.exec(reason);
      if (!m) return asStored(entry);
      if (!m[1]) return app("order", { order: sourceId });
      const breakdown = parseBreakdown(m[1]);
      return breakdown ? app("order", { order: sourceId }, breakdown) : asStored(entry);
    }
    case "refund/reverse":
      return app("refund", { order: sourceId });
    case "cancellation/reverse":
      return app("cancellation", { order: sourceId });
    case "referral/earn":
      return app("referral");
    case "referral/reverse":
      return app("referral_reverse");
    case "signup/earn":
      return app("signup");
    case "birthday/earn":
      return app("birthday");
    case "survey/earn":
      return app("survey", { order: sourceId });
    case "stamps/earn":
      m = /\((\d+) stamps\)$/.exec(reason);
      return m ? app("stamps", { stamps: Number(m[1]) }) : asStored(entry);
    case "expiry/expire":
      if ((m = /^(\d+) months after they were earned$/.exec(reason))) return app("expiry_after_earning", { months: Number(m[1]) });
      if ((m = /^No points earned or spent for (\d+) months$/.exec(reason))) return app("expiry_inactive", { months: Number(m[1]) });
      return asStored(entry);
    case "redemption/spend": {
      const name = detail.rewardName ?? /^Redeemed: (.+)$/s.exec(reason)?.[1];
      return name ? app("redemption_spend", { name }) : asStored(entry);
    }
    case "redemption/reverse": {
      const name = detail.rewardName;
      if (!name) return asStored(entry);
      if ((m = /^Points returned: code (.+) expired unused$/s.exec(reason))) return app("redemption_expired", { name, code: m[1]! });
      if (reason.startsWith("Points returned: the reward could not be created")) return app("redemption_failed", { name });
      return app("redemption_reverse", { name });
    }
    case "import/adjust":
      // The file name is the merchant's: a variable shown as written.
      m = /^Balance carried over: (-?\d+) points \((.*)\)$/s.exec(reason);
      return m ? app("import", { points: Number(m[1]), file: m[2]! }) : asStored(entry);
    default:
      // "action/earn" (the merchant's action label), "admin/adjust" (the merchant's note),
      // and anything older or newer than this code: as stored.
      return asStored(entry);
  }
}

/** "base 10, multiplier 5, tier 3" → parts; null when any part is not one of the earning rules. */
function parseBreakdown(text: string): EntryLabel["breakdown"] {
  const parts: Array<{ rule: EarningRule; points: number }> = [];
  for (const part of text.split(", ")) {
    const m = /^(\w+) (-?\d+)$/.exec(part);
    const rule = m?.[1] as EarningRule | undefined;
    if (!m || !rule || !EARNING_RULES.includes(rule)) return null;
    parts.push({ rule, points: Number(m[2]) });
  }
  return parts;
}

/**
 * Each entry's label, with the details it needs read in one query: the reward's name on a
 * redemption's entries (their source id is the redemption's request id), old entries included.
 */
export async function labelEntries<E extends LabelledEntryInput>(
  deps: Pick<Deps, "db">,
  shopId: string,
  entries: E[],
): Promise<EntryLabel[]> {
  const requestIds = [...new Set(entries.filter((e) => e.sourceType === "redemption").map((e) => e.sourceId))];
  const rows = requestIds.length
    ? await deps.db.redemption.findMany({
        where: { shopId, requestId: { in: requestIds } },
        select: { requestId: true, reward: { select: { name: true } } },
      })
    : [];
  const names = new Map(rows.map((r) => [r.requestId, r.reward.name]));
  return entries.map((e) => labelEntry(e, { rewardName: e.sourceType === "redemption" ? names.get(e.sourceId) : null }));
}
