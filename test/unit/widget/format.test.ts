import { describe, expect, it } from "vitest";
import { readConfig } from "../../../widget/src/config";
import {
  applyUrl,
  claimOutcome,
  earningSentence,
  entryLabel,
  errorText,
  issuedBesides,
  formatDate,
  friendReward,
  launcherLabel,
  nextTierText,
  pointsParts,
  pointsText,
  readState,
  redeemOutcome,
  shareLinks,
  signedPoints,
  sortRewards,
  stampsText,
  tierProgress,
  tr,
  wayLabel,
  waysFor,
  welcomeOutcome,
  type Reward,
  type Way,
} from "../../../widget/src/format";
import { en, id } from "./messages";

// Intl puts no-break spaces between a currency and its amount.
const plain = (text: string) => text.replace(/\s/g, " ");

describe("tr", () => {
  it("fills placeholders and picks the plural form", () => {
    expect(tr(en, "need", "en", {}, 1)).toBe("You need 1 more point");
    expect(tr(en, "need", "en", {}, 1250)).toBe("You need 1,250 more points");
    expect(tr(id, "need", "id", {}, 1250)).toBe("Butuh 1.250 poin lagi");
    expect(tr(en, "tier", "en", { tier: "Gold" })).toBe("Gold member");
  });

  it("reads a string the page did not provide as empty", () => {
    expect(tr({} as typeof en, "need", "en", {}, 3)).toBe("");
    expect(tr({} as typeof en, "tier", "en", { tier: "Gold" })).toBe("");
  });
});

describe("earningSentence", () => {
  const perRp1000 = { points: 1, perAmount: 100_000 };
  const fivePer10Dollars = { points: 5, perAmount: 1_000 };

  it("formats IDR without decimals", () => {
    expect(plain(earningSentence(en, perRp1000, "IDR", "en"))).toBe("Earn 1 point for every IDR 1,000 spent");
    expect(plain(earningSentence(id, perRp1000, "IDR", "id"))).toBe("Dapatkan 1 poin setiap belanja Rp 1.000");
  });

  it("formats USD with cents and plural points", () => {
    expect(plain(earningSentence(en, fivePer10Dollars, "USD", "en"))).toBe("Earn 5 points for every $10.00 spent");
    expect(plain(earningSentence(id, fivePer10Dollars, "USD", "id"))).toBe("Dapatkan 5 poin setiap belanja US$10,00");
  });
});

describe("the shop's money format", () => {
  const rupiah = "Rp{{amount_no_decimals_with_comma_separator}}";

  it("shows every amount the way the theme shows prices, in either language", () => {
    expect(earningSentence(en, { points: 1, perAmount: 100_000 }, "IDR", "en", rupiah)).toBe("Earn 1 point for every Rp1.000 spent");
    expect(earningSentence(id, { points: 1, perAmount: 100_000 }, "IDR", "id", rupiah)).toBe("Dapatkan 1 poin setiap belanja Rp1.000");
    expect(friendReward({ type: "fixed_amount", value: 5_000_000 }, "IDR", "en", rupiah)).toBe("Rp50.000");
    expect(nextTierText(en, { name: "Gold", remaining: 50_000_000, basis: "amount_spent" }, "IDR", "en", rupiah)).toBe(
      "Spend Rp500.000 more to reach Gold",
    );
    const answer = { reward: { status: "issued", code: "REF-ABCDEFGHJK", reward: { type: "fixed_amount", value: 5_000_000 } } };
    expect(welcomeOutcome(en, answer, "IDR", "en", rupiah)!.text).toContain("Rp50.000");
  });

  it("keeps the merchant's format as text: markup is dropped, not rendered", () => {
    expect(friendReward({ type: "fixed_amount", value: 1_000 }, "USD", "en", '<span class="money">${{amount}}</span>')).toBe("$10.00");
  });

  it("falls back to the locale's currency format without a usable format", () => {
    expect(plain(friendReward({ type: "fixed_amount", value: 5_000_000 }, "IDR", "id", ""))).toBe("Rp 50.000");
    expect(plain(friendReward({ type: "fixed_amount", value: 5_000_000 }, "IDR", "en", "{{price}}"))).toBe("IDR 50,000");
  });
});

describe("apply to cart", () => {
  it("is Shopify's discount permalink, going on to the cart", () => {
    expect(applyUrl("KMB-ABCDEFGHJK", "/cart")).toBe("/discount/KMB-ABCDEFGHJK?redirect=%2Fcart");
    expect(applyUrl("a/b?c", "/id/cart")).toBe("/discount/a%2Fb%3Fc?redirect=%2Fid%2Fcart");
  });
});

describe("points", () => {
  it("formats balances for the shopper's language", () => {
    expect(pointsText(en, 1, "en")).toBe("1 point");
    expect(pointsText(en, 1250, "en")).toBe("1,250 points");
    expect(pointsText(id, 1250, "id")).toBe("1.250 poin");
  });

  it("keeps the number apart for the panel", () => {
    expect(pointsParts(en, 1250, "en")).toEqual(["", "1,250", " points"]);
    expect(pointsParts(id, 1250, "id")).toEqual(["", "1.250", " poin"]);
  });

  it("signs history entries", () => {
    expect(signedPoints(250, "en")).toBe("+250");
    expect(signedPoints(-1500, "id")).toBe("-1.500");
    expect(signedPoints(0, "en")).toBe("0");
  });
});

describe("history entries", () => {
  const entry = { kind: "earn", points: 250, reason: "Points for a paid order", at: "2026-11-20T10:00:00.000Z" };

  it("formats dates per language and hides invalid ones", () => {
    expect(formatDate(entry.at, "en")).toBe("Nov 20, 2026");
    expect(formatDate(entry.at, "id")).toBe("20 Nov 2026");
    expect(formatDate("not a date", "en")).toBe("");
  });

  it("shows words the server left as written, else names the kind", () => {
    expect(entryLabel(id, { ...entry, reason: "Follow us on Instagram" })).toBe("Follow us on Instagram");
    expect(entryLabel(id, { ...entry, reason: null })).toBe("Poin didapat");
    expect(entryLabel(en, { ...entry, kind: "expire", reason: null })).toBe("Points expired");
    expect(entryLabel(en, { ...entry, kind: "mystery", reason: null })).toBe("Balance adjusted");
    // A label this widget has no string for (a newer server) falls back the same way.
    expect(entryLabel(id, { ...entry, label: "something_new", reason: null })).toBe("Poin didapat");
  });

  it("words the server's label of the app's own entries in the shopper's language", () => {
    expect(entryLabel(id, { ...entry, label: "order", vars: { order: "1284" }, reason: null })).toBe("Poin dari pesanan");
    expect(entryLabel(en, { ...entry, label: "referral", reason: null })).toBe("Referral: your friend’s first order");
    expect(entryLabel(id, { ...entry, kind: "reverse", label: "referral_reverse", reason: null })).toBe("Hadiah referensi ditarik");
    expect(entryLabel(id, { ...entry, kind: "expire", label: "expiry_inactive", vars: { months: "12" }, reason: null })).toBe(
      "Poin kedaluwarsa setelah 12 bulan tanpa aktivitas",
    );
    expect(entryLabel(id, { ...entry, kind: "adjust", label: "import", reason: null })).toBe(
      "Poin dibawa dari program hadiah kami sebelumnya",
    );
  });

  it("labels a redemption's entries in the shopper's language around the merchant's reward name, as it is", () => {
    const spend = { ...entry, kind: "spend", points: -150, label: "redemption_spend", vars: { name: "Gratis ongkir" }, reason: null };
    expect(entryLabel(id, spend)).toBe("Ditukar: Gratis ongkir");
    expect(entryLabel(en, spend)).toBe("Redeemed: Gratis ongkir");
    const failed = { ...spend, kind: "reverse", points: 150, label: "redemption_failed" };
    expect(entryLabel(id, failed)).toBe("Poin dikembalikan: Gratis ongkir tidak bisa dibuat");
    expect(entryLabel(en, { ...failed, label: "redemption_expired" })).toBe("Points returned: your Gratis ongkir code expired unused");
    // Merchant text is never a template: $-patterns and braces stay as typed.
    expect(entryLabel(id, { ...spend, vars: { name: "Diskon $& {name} <b>" } })).toBe("Ditukar: Diskon $& {name} <b>");
  });
});

describe("welcomeOutcome", () => {
  it("shows the friend's gift and code when the claim issued one", () => {
    const answer = { reward: { status: "issued", code: "REF-ABC", reward: { type: "percentage", value: 10 } } };
    expect(welcomeOutcome(en, answer, "IDR", "en")).toEqual({
      text: "A gift from your friend: 10% off your first order. Your code:",
      code: "REF-ABC",
    });
    const fixed = { reward: { status: "issued", code: "REF-XYZ", reward: { type: "fixed_amount", value: 5_000_000 } } };
    expect(plain(welcomeOutcome(id, fixed, "IDR", "id")!.text)).toBe(
      "Hadiah dari teman Anda: potongan Rp 50.000 untuk pesanan pertama. Kode Anda:",
    );
  });

  it("shows nothing for a refusal, a code not issued yet, or an error", () => {
    expect(
      welcomeOutcome(en, { reward: { status: "failed", code: null, reward: { type: "percentage", value: 10 } } }, "IDR", "en"),
    ).toBeNull();
    expect(welcomeOutcome(en, { error: { code: "BAD_INPUT" } }, "IDR", "en")).toBeNull();
  });
});

describe("readState", () => {
  const customer = {
    balance: 1250,
    pending: 300,
    history: [],
    redemptions: [{ id: "x1", rewardName: "Rp 50.000 off", code: "KMB-7Q2", status: "issued", expiresAt: null }],
    tier: { name: "Silver", earnMultiplier: 1 },
    nextTier: { name: "Gold", remaining: 1200, basis: "points_earned" as const },
    referral: { code: "ANDI-7K2", url: "https://kopi.example/?ref=ANDI-7K2" },
    birthdaySet: false,
  };
  const body = {
    shop: { currency: "IDR" },
    program: {
      earning: { points: 1, perAmount: 100_000 },
      ways: [{ key: "birthday", kind: "birthday" as const, label: null, points: 100 }],
      referral: { referrerPoints: 500, friendReward: { type: "percentage" as const, value: 10 } },
    },
    rewards: [{ id: "r1", name: "Free shipping", type: "free_shipping", pointsCost: 300, value: 0, minimumSubtotal: null }],
    customer,
  };

  it("reads a member's state", () => {
    expect(readState(body, "USD")).toEqual({
      currency: "IDR",
      earning: body.program.earning,
      ways: body.program.ways,
      referral: body.program.referral,
      rewards: body.rewards,
      customer,
    });
  });

  it("reads a guest's state", () => {
    expect(readState({ ...body, customer: null }, "IDR").customer).toBeNull();
  });

  it("treats what an older server leaves out as empty", () => {
    expect(readState({ shop: { currency: "IDR" }, customer: { balance: 5 } }, "IDR")).toEqual({
      currency: "IDR",
      earning: null,
      ways: [],
      referral: null,
      rewards: [],
      customer: { balance: 5, pending: 0, history: [], redemptions: [] },
    });
  });

  it("drops an earning rule it cannot show", () => {
    expect(readState({ ...body, program: {} }, "IDR").earning).toBeNull();
    expect(readState({ ...body, program: { earning: { points: 1, perAmount: 0 } } }, "IDR").earning).toBeNull();
    expect(readState({ ...body, shop: {} }, "").earning).toBeNull();
  });

  it("falls back to the page's currency", () => {
    expect(readState({ ...body, shop: {} }, "USD").currency).toBe("USD");
  });
});

describe("launcherLabel", () => {
  const config = (values: Record<string, string>) => readConfig((name) => values[name] ?? "");

  it("shows the title to guests", () => {
    expect(launcherLabel(config({}), en, null)).toEqual({ text: "Rewards" });
    expect(launcherLabel(config({ "data-title": "Club" }), en, null)).toEqual({ text: "Club" });
  });

  it("shows the balance to members and keeps the title in the accessible name", () => {
    expect(launcherLabel(config({ "data-locale": "id" }), id, 1250)).toEqual({
      text: "1.250 poin",
      name: "Hadiah: 1.250 poin",
    });
  });
});

describe("rewards", () => {
  const reward = (id: string, pointsCost: number): Reward => ({
    id,
    name: id,
    type: "fixed_amount",
    pointsCost,
    value: 5_000_000,
    minimumSubtotal: null,
  });
  const catalogue = [reward("a", 100), reward("b", 500), reward("c", 800), reward("d", 300)];

  it("lists what the shopper can afford first, each group in the server's order", () => {
    expect(sortRewards(catalogue, 400).map((r) => r.id)).toEqual(["a", "d", "b", "c"]);
    expect(sortRewards(catalogue, 0).map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(catalogue.map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("says what a redemption gave", () => {
    expect(redeemOutcome(en, { status: "issued", code: "KMB-7Q2" })).toEqual({ text: en.code, code: "KMB-7Q2" });
    expect(redeemOutcome(en, { status: "issued", code: null })).toEqual({ text: "Store credit added to your account." });
    expect(redeemOutcome(en, { status: "failed", code: null })).toEqual({ text: en.failed });
    expect(redeemOutcome(id, { status: "pending", code: null })).toEqual({ text: id.preparing });
  });

  it("says when claimed points become spendable, and when a capped action may be claimed again", () => {
    const pending = { awarded: true, points: 50, availableAt: "2026-12-21T10:00:00.000Z", limit: "daily" };
    expect(claimOutcome(en, pending, "en")).toEqual({ text: "50 points earned: spendable from Dec 21, 2026." });
    expect(claimOutcome(id, pending, "id")).toEqual({ text: "50 poin didapat: bisa dipakai mulai 21 Des 2026." });
    // Without a pending period the server says today: the points are spendable at once.
    expect(claimOutcome(en, { awarded: true, points: 1, availableAt: "2026-12-07T10:00:00.000Z", limit: "once" }, "en")).toEqual({
      text: "1 point earned: spendable from Dec 7, 2026.",
    });
    expect(claimOutcome(en, { awarded: false, points: 0, availableAt: null, limit: "daily" }, "en")).toEqual({ text: en.already_today });
    expect(claimOutcome(id, { awarded: false, points: 0, availableAt: null, limit: "once" }, "id")).toEqual({ text: id.already });
  });

  it("lists issued rewards once: the code in the status line is not repeated", () => {
    const code = { id: "x1", rewardName: "Rp 50.000 off", code: "KMB-7Q2", status: "issued", expiresAt: null };
    const credit = { ...code, id: "x2", rewardName: "Rp 20.000 store credit", code: null };
    expect(issuedBesides([code, credit], undefined)).toEqual([code, credit]);
    expect(issuedBesides([code, credit], "KMB-7Q2")).toEqual([credit]);
  });

  it("leaves the welcome gift's code out of the list too (it has its own section)", () => {
    const code = { id: "x1", rewardName: "Rp 50.000 off", code: "KMB-7Q2", status: "issued", expiresAt: null };
    const gift = { ...code, id: "x3", rewardName: "Welcome", code: "KMB-W3L" };
    const credit = { ...code, id: "x2", rewardName: "Rp 20.000 store credit", code: null };
    expect(issuedBesides([code, gift, credit], undefined, "KMB-W3L")).toEqual([code, credit]);
    expect(issuedBesides([code, gift, credit], "KMB-7Q2", "KMB-W3L")).toEqual([credit]);
  });

  it("says where the stamp card stands, in en and id", () => {
    expect(stampsText(en, { count: 3, target: 5, rewardPoints: 1500 }, "en")).toBe("Stamp card: 3 of 5 — collect 2 more for 1,500 points");
    expect(stampsText(id, { count: 0, target: 10, rewardPoints: 1500 }, "id")).toBe(
      "Kartu stempel: 0 dari 10 — kumpulkan 10 lagi untuk 1.500 poin",
    );
  });

  it("explains the API's errors, or apologises", () => {
    expect(errorText(en, "INSUFFICIENT_POINTS")).toBe(en.err_INSUFFICIENT_POINTS);
    expect(errorText(id, "RATE_LIMITED")).toBe(id.err_RATE_LIMITED);
    expect(errorText(en, "SHOPIFY_UNAVAILABLE")).toBe(en.oops);
    expect(errorText(en, undefined)).toBe(en.oops);
  });
});

describe("tiers", () => {
  it("says how far the next tier is, in points or in money", () => {
    expect(nextTierText(en, { name: "Gold", remaining: 1200, basis: "points_earned" }, "IDR", "en")).toBe("1,200 points to Gold");
    expect(plain(nextTierText(id, { name: "Gold", remaining: 50_000_000, basis: "amount_spent" }, "IDR", "id"))).toBe(
      "Belanja Rp 500.000 lagi untuk mencapai Gold",
    );
  });

  it("draws progress only when it knows where the tier starts", () => {
    expect(tierProgress({ name: "Gold", remaining: 1200, basis: "points_earned", threshold: 2000 })).toBe(40);
    expect(tierProgress({ name: "Gold", remaining: 0, basis: "points_earned", threshold: 2000 })).toBe(100);
    expect(tierProgress({ name: "Gold", remaining: 1200, basis: "points_earned" })).toBeNull();
  });
});

describe("ways to earn", () => {
  const ways: Way[] = [
    { key: "signup", kind: "signup", label: null, points: 200 },
    { key: "birthday", kind: "birthday", label: null, points: 100 },
    { key: "newsletter", kind: "action", label: "Join the <b>newsletter</b>", points: 50 },
    { key: "follow", kind: "action", label: null, points: 20 },
  ];

  it("shows guests every way, members what is left to do", () => {
    expect(waysFor(ways, false)).toBe(ways);
    expect(waysFor(ways, true).map((w) => w.key)).toEqual(["birthday", "newsletter", "follow"]);
  });

  it("names the ways: the merchant's text for actions, translations for the others", () => {
    expect(ways.map((w) => wayLabel(id, w))).toEqual(["Buat akun", "Hadiah ulang tahun", "Join the <b>newsletter</b>", "follow"]);
  });
});

describe("referrals", () => {
  it("formats the friend's reward", () => {
    expect(friendReward({ type: "percentage", value: 10 }, "IDR", "id")).toBe("10%");
    expect(plain(friendReward({ type: "fixed_amount", value: 5_000_000 }, "IDR", "id"))).toBe("Rp 50.000");
  });

  it("shares the link on WhatsApp and by email with the offer", () => {
    const [whatsapp, email] = shareLinks(en, "https://kopi.example/?ref=ANDI-7K2", "10%", "en");
    const message = "Here’s 10% off your first order: https://kopi.example/?ref=ANDI-7K2";
    expect(whatsapp).toBe(`https://wa.me/?text=${encodeURIComponent(message)}`);
    expect(email).toBe(`mailto:?subject=${encodeURIComponent("A gift for you")}&body=${encodeURIComponent(message)}`);
    expect(new URL(whatsapp).searchParams.get("text")).toBe(message);
  });
});
