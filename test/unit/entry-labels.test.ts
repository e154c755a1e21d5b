import { describe, expect, test } from "vitest";
import { ENTRY_LABEL_KEYS, labelEntry, type LabelledEntryInput } from "~/domain/ledger/entry-labels";
import { describeEntry } from "~/i18n/entry-label";
import { messages } from "~/i18n";
import { en as widgetEn, id as widgetId } from "./widget/messages";

const entry = (kind: string, sourceType: string, reason: string | null, sourceId = "1284"): LabelledEntryInput => ({
  kind,
  sourceType,
  sourceId,
  reason,
});

describe("labelEntry: one classification of a ledger entry", () => {
  test("each of the app's own sources gets a key and its variables", () => {
    expect(labelEntry(entry("earn", "order", "Points for a paid order"))).toEqual({
      key: "order",
      vars: { order: "1284" },
      text: null,
      breakdown: null,
    });
    expect(labelEntry(entry("reverse", "refund", "Refund 12840 on order 1284"))).toMatchObject({ key: "refund", vars: { order: "1284" } });
    expect(labelEntry(entry("reverse", "cancellation", "Order 1284 cancelled"))).toMatchObject({
      key: "cancellation",
      vars: { order: "1284" },
    });
    expect(labelEntry(entry("earn", "referral", "Referral: your friend's first order", "ref-1"))).toMatchObject({
      key: "referral",
      vars: {},
    });
    expect(labelEntry(entry("reverse", "referral", "Referral reward reversed by the merchant", "ref-1"))).toMatchObject({
      key: "referral_reverse",
    });
    expect(labelEntry(entry("earn", "signup", "Welcome bonus for creating an account"))).toMatchObject({ key: "signup" });
    expect(labelEntry(entry("earn", "birthday", "Happy birthday!", "2026"))).toMatchObject({ key: "birthday" });
    expect(labelEntry(entry("earn", "stamps", "Stamp card complete (10 stamps)"))).toMatchObject({ key: "stamps", vars: { stamps: 10 } });
    expect(labelEntry(entry("expire", "expiry", "12 months after they were earned", "earn:order:1"))).toMatchObject({
      key: "expiry_after_earning",
      vars: { months: 12 },
    });
    expect(labelEntry(entry("expire", "expiry", "No points earned or spent for 6 months", "2026-05"))).toMatchObject({
      key: "expiry_inactive",
      vars: { months: 6 },
    });
    expect(labelEntry(entry("adjust", "import", "Balance carried over: 1500 points (smile export.csv)", "imp-1"))).toMatchObject({
      key: "import",
      vars: { points: 1500, file: "smile export.csv" },
    });
  });

  test("a redemption's entries carry the reward's name from the redemption, else from the stored reason", () => {
    const spend = entry("spend", "redemption", "Redeemed: Free shipping", "req-1");
    expect(labelEntry(spend, { rewardName: "Gratis ongkir" })).toMatchObject({ key: "redemption_spend", vars: { name: "Gratis ongkir" } });
    expect(labelEntry(spend)).toMatchObject({ key: "redemption_spend", vars: { name: "Free shipping" } });
    const failed = entry("reverse", "redemption", "Points returned: the reward could not be created (Shopify said no)", "req-1");
    expect(labelEntry(failed, { rewardName: "Gratis ongkir" })).toMatchObject({
      key: "redemption_failed",
      vars: { name: "Gratis ongkir" },
    });
    const expired = entry("reverse", "redemption", "Points returned: code KMB-ABC expired unused", "req-1");
    expect(labelEntry(expired, { rewardName: "Rp5.000 off" })).toMatchObject({
      key: "redemption_expired",
      vars: { name: "Rp5.000 off", code: "KMB-ABC" },
    });
    expect(labelEntry(entry("reverse", "redemption", "Points returned", "req-1"), { rewardName: "X" })).toMatchObject({
      key: "redemption_reverse",
      vars: { name: "X" },
    });
    // A returned redemption whose reward is unknown: its words as stored.
    expect(labelEntry(failed)).toEqual({ key: null, vars: {}, text: failed.reason, breakdown: null });
  });

  test("an order's earning breakdown is read part by part", () => {
    const label = labelEntry(
      entry("earn", "order", "Points for a paid order (base 100, multiplier 50, campaign 150, tier 30, cashback 12)"),
    );
    expect(label).toMatchObject({ key: "order", vars: { order: "1284" }, text: null });
    expect(label.breakdown).toEqual([
      { rule: "base", points: 100 },
      { rule: "multiplier", points: 50 },
      { rule: "campaign", points: 150 },
      { rule: "tier", points: 30 },
      { rule: "cashback", points: 12 },
    ]);
  });

  test("merchant words are kept as written", () => {
    expect(labelEntry(entry("earn", "action", "Follow us on Instagram", "instagram"))).toEqual({
      key: null,
      vars: {},
      text: "Follow us on Instagram",
      breakdown: null,
    });
    expect(labelEntry(entry("adjust", "admin", "Sorry for the late parcel", "req-9"))).toMatchObject({
      key: null,
      text: "Sorry for the late parcel",
    });
  });

  test("unknown and legacy entries fall back to the stored reason", () => {
    const legacy = [
      entry("earn", "order", "Points for order #1284"),
      entry("earn", "order", "Points for a paid order (base 10, mystery 5)"),
      entry("earn", "stamps", "Stamp card complete"),
      entry("expire", "expiry", "Expired"),
      entry("adjust", "import", "Carried over"),
      entry("spend", "redemption", "Reward"),
      entry("earn", "newsletter", "Joined the newsletter"),
      entry("spend", "order", "Odd"),
      entry("earn", "something", null),
    ];
    for (const e of legacy) expect(labelEntry(e), e.reason ?? "null").toEqual({ key: null, vars: {}, text: e.reason, breakdown: null });
  });
});

describe("every key has words", () => {
  test("in the admin (en and id) and in the widget's locales (en and id)", () => {
    for (const key of ENTRY_LABEL_KEYS) {
      for (const dict of Object.values(messages)) expect(dict, key).toHaveProperty([`ledger.entry.${key}`]);
      for (const dict of [widgetEn, widgetId]) expect(dict[`src_${key}` as keyof typeof dict], key).toBeTruthy();
    }
  });
});

describe("describeEntry: the admin's words for a label", () => {
  test("Bahasa Indonesia with numbers in the admin's format, merchant text as written", () => {
    const order = labelEntry(entry("earn", "order", "Points for a paid order (base 1250, tier 125)"));
    expect(describeEntry("id", order)).toEqual({ text: "Poin untuk pesanan lunas 1284", breakdown: "dasar 1.250, tier VIP +125" });
    expect(describeEntry("en", order)).toEqual({ text: "Points for paid order 1284", breakdown: "base 1,250, VIP tier +125" });
    const carried = labelEntry(entry("adjust", "import", "Balance carried over: 1500 points (a {file} $&.csv)"));
    expect(describeEntry("id", carried).text).toBe("Saldo dibawa dari aplikasi lain: 1.500 poin (a {file} $&.csv)");
    expect(describeEntry("id", labelEntry(entry("spend", "redemption", "Redeemed: Gratis ongkir")))).toEqual({
      text: "Ditukar: Gratis ongkir",
      breakdown: null,
    });
    expect(describeEntry("id", labelEntry(entry("adjust", "admin", "Salah input")))).toEqual({ text: "Salah input", breakdown: null });
    expect(describeEntry("id", labelEntry(entry("earn", "x", null)))).toEqual({ text: "", breakdown: null });
  });
});
