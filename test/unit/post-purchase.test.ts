// What the checkout and customer-account extensions show (common/post-purchase.ts), and their
// locales files: every key the views use, in en and id, the same in both extensions.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  accountView,
  redeemOutcome,
  redeemRequestId,
  stampsView,
  withRedemption,
  answerBody,
  failureMessage,
  fill,
  formatDate,
  formatPoints,
  MESSAGE_KEYS,
  numericId,
  orderView,
  shopperLocale,
  type AccountSummary,
  type Msg,
  type Redemption,
} from "../../common/post-purchase";
import type { DueSurvey, OrderSummary, SurveyAnswerResult } from "../../common/survey-api";
import type { ShopperState } from "~/domain/storefront";

const EXTENSIONS = ["kembali-checkout", "kembali-account"] as const;
const messages = (ext: string, file: string): Record<string, string> =>
  JSON.parse(readFileSync(`extensions/${ext}/locales/${file}`, "utf8"));
const en = messages("kembali-checkout", "en.default.json");
const id = messages("kembali-checkout", "id.json");
const say = (msg: Msg | null, locale: "en" | "id" = "en") => (msg ? fill((locale === "en" ? en : id)[msg.key], msg.vars) : null);

const nps: DueSurvey = { kind: "nps", question: null, min: 0, max: 10, pointsForAnswer: 50 };
const summary = (over: Partial<OrderSummary> = {}): OrderSummary => ({
  order: { id: "6001", points: 120, pending: true, availableAt: "2027-01-12T00:00:00.000Z" },
  claim: null,
  survey: nps,
  noSurvey: null,
  ...over,
});
const result = (over: Partial<SurveyAnswerResult> = {}): SurveyAnswerResult => ({
  group: "passive",
  pointsAwarded: 0,
  referral: null,
  ...over,
});

describe("formatting", () => {
  test("points and dates in the shopper's language", () => {
    expect(formatPoints(1250, "en")).toBe("1,250");
    expect(formatPoints(1250, "id")).toBe("1.250");
    expect(formatDate("2027-01-12T00:00:00.000Z", "en")).toBe("January 12, 2027");
    expect(formatDate("2027-01-12T00:00:00.000Z", "id")).toBe("12 Januari 2027");
    expect(formatDate("not a date", "en")).toBe("");
  });

  test("a GID or a numeric id gives the numeric id; anything else null", () => {
    expect(numericId("gid://shopify/Order/820982911946154508")).toBe("820982911946154508");
    expect(numericId("gid://shopify/OrderIdentity/77?key=abc")).toBe("77");
    expect(numericId("6001")).toBe("6001");
    expect(numericId("gid://shopify/Order/abc")).toBeNull();
    expect(numericId(undefined)).toBeNull();
  });

  test("Bahasa Indonesia for id, English for everything else", () => {
    expect(shopperLocale("id")).toBe("id");
    expect(shopperLocale("ID")).toBe("id");
    expect(shopperLocale("en")).toBe("en");
    expect(shopperLocale("fr")).toBe("en");
    expect(shopperLocale(null)).toBe("en");
  });
});

describe("the order's card", () => {
  test("GIVEN a member's order with a due NPS survey THEN the pending points with their date, the 0–10 question and the reward for answering", () => {
    const view = orderView(summary(), null, "en")!;
    expect(say(view.points)).toBe("This order earns 120 points, yours to spend from January 12, 2027.");
    expect(view.claim).toBeNull();
    expect(view.survey!.scores).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(say(view.survey!.question as Msg)).toBe("How likely are you to recommend us to a friend?");
    expect(say(view.survey!.low)).toBe("0 = not at all likely");
    expect(say(view.survey!.reward)).toBe("Answer and earn 50 points, whatever your score.");
    expect(view.answered).toBeNull();
  });

  test("GIVEN the same order in Bahasa Indonesia THEN the texts and numbers are Indonesian", () => {
    const view = orderView(summary({ order: { id: "1", points: 1500, pending: true, availableAt: "2027-01-12T00:00:00Z" } }), null, "id")!;
    expect(say(view.points, "id")).toBe("Pesanan ini memberi 1.500 poin, bisa dipakai mulai 12 Januari 2027.");
  });

  test("GIVEN points no longer pending THEN earned, without a date", () => {
    const view = orderView(summary({ order: { id: "1", points: 80, pending: false, availableAt: null } }), null, "en")!;
    expect(say(view.points)).toBe("This order earned you 80 points.");
  });

  test("GIVEN pending points without a known date THEN pending until the return window ends, never 'earned'", () => {
    const view = orderView(summary({ order: { id: "1", points: 80, pending: true, availableAt: null } }), null, "id")!;
    expect(say(view.points, "id")).toBe("Pesanan ini memberi 80 poin, bisa dipakai setelah masa pengembalian berakhir.");
  });

  test("GIVEN a guest's order THEN 'create an account to claim N points' and no points line", () => {
    const view = orderView(summary({ order: null, claim: { points: 120 } }), null, "en")!;
    expect(view.points).toBeNull();
    expect(say(view.claim)).toBe("Create an account to claim the 120 points this order earns.");
  });

  test("GIVEN CSAT or CES THEN their scale (1–5, 1–7) and their own question; the merchant's wording is kept as text", () => {
    const csat = orderView(summary({ survey: { kind: "csat", question: null, min: 1, max: 5, pointsForAnswer: 0 } }), null, "en")!;
    expect(csat.survey!.scores).toEqual([1, 2, 3, 4, 5]);
    expect(say(csat.survey!.high)).toBe("5 = very satisfied");
    expect(csat.survey!.reward).toBeNull();
    const ces = orderView(summary({ survey: { kind: "ces", question: "<b>Easy?</b>", min: 1, max: 7, pointsForAnswer: 0 } }), null, "en")!;
    expect(ces.survey!.scores).toHaveLength(7);
    expect(ces.survey!.question).toEqual({ text: "<b>Easy?</b>" });
  });

  test("GIVEN a promoter's answer THEN thanks with the points paid, the referral link to share, no survey any more", () => {
    const view = orderView(
      summary(),
      result({ group: "promoter", pointsAwarded: 50, referral: { code: "SITI-7K", url: "https://toko.example/?ref=SITI-7K" } }),
      "en",
    )!;
    expect(view.survey).toBeNull();
    expect(say(view.answered!.thanks)).toBe("Thank you for your answer! 50 points are on their way.");
    expect(view.answered!.sorry).toBeNull();
    expect(view.answered!.referral).toMatchObject({ url: "https://toko.example/?ref=SITI-7K", code: "SITI-7K" });
    expect(view.points).not.toBeNull();
  });

  test("GIVEN a detractor's answer THEN thanks and an apology, never the referral link", () => {
    const view = orderView(summary(), result({ group: "detractor", referral: { code: "X", url: "https://x.example" } }), "en")!;
    expect(say(view.answered!.thanks)).toBe("Thank you for your answer!");
    expect(say(view.answered!.sorry)).toBe("We're sorry it wasn't better. The shop will read your answer.");
    expect(view.answered!.referral).toBeNull();
  });

  test("GIVEN a passive's answer, or a promoter where referrals are off THEN thanks only", () => {
    expect(orderView(summary(), result(), "en")!.answered).toEqual({ thanks: { key: "thanks" }, sorry: null, referral: null });
    expect(orderView(summary(), result({ group: "promoter" }), "en")!.answered!.referral).toBeNull();
  });

  test("GIVEN an order already answered (no survey) THEN the points only; nothing at all when there is nothing to say", () => {
    const answered = orderView(summary({ survey: null, noSurvey: "answered" }), null, "en")!;
    expect(answered.survey).toBeNull();
    expect(answered.points).not.toBeNull();
    expect(orderView(summary({ order: null, survey: null, noSurvey: "off" }), null, "en")).toBeNull();
    expect(
      orderView(
        summary({ order: { id: "1", points: 0, pending: false, availableAt: null }, survey: null, noSurvey: "throttled" }),
        null,
        "en",
      ),
    ).toBeNull();
    expect(orderView(null, null, "en")).toBeNull();
  });
});

describe("sending an answer", () => {
  test("a score on the scale and the trimmed comment (empty: null); the order is the page's", () => {
    expect(answerBody("6001", nps, 9, "  Fast delivery ")).toEqual({ body: { order: "6001", score: 9, comment: "Fast delivery" } });
    expect(answerBody("6001", nps, 0, "   ")).toEqual({ body: { order: "6001", score: 0, comment: null } });
  });

  test("no score, a score off the scale or a comment over 1,000 characters: a message, nothing to send", () => {
    expect(answerBody("6001", nps, null, "")).toEqual({ error: { key: "error_score" } });
    expect(answerBody("6001", nps, 11, "")).toEqual({ error: { key: "error_score" } });
    expect(answerBody("6001", { ...nps, kind: "csat", min: 1, max: 5 }, 0, "")).toEqual({ error: { key: "error_score" } });
    expect(answerBody("6001", nps, 7.5, "")).toEqual({ error: { key: "error_score" } });
    const long = answerBody("6001", nps, 7, "x".repeat(1001));
    expect("error" in long && say(long.error)).toBe("Your comment is too long (at most 1,000 characters).");
    expect(answerBody("6001", nps, 7, "x".repeat(1000))).toHaveProperty("body");
  });

  test("a refused session asks for a reload; anything else to try again", () => {
    expect(failureMessage(401)).toEqual({ key: "error_session" });
    expect(failureMessage(500)).toEqual({ key: "error_network" });
    expect(failureMessage(null)).toEqual({ key: "error_network" });
  });
});

describe("the account page", () => {
  const state: AccountSummary = {
    shop: { currency: "IDR", domain: "toko.myshopify.com" },
    rewards: [
      { id: "r1", name: "Rp 50.000 off", pointsCost: 500 },
      { id: "r2", name: "Free tote", pointsCost: 2000 },
      { id: "r3", name: "Gold gift", pointsCost: 100, tiers: ["Gold"], available: false },
    ],
    customer: {
      balance: 1250,
      pending: 120,
      history: [
        { kind: "earn", points: 120, reason: null, at: "2026-12-01T10:00:00Z" },
        { kind: "redeem", points: -500, reason: "Rp 50.000 off", at: "2026-11-20T10:00:00Z" },
      ],
      referral: { code: "SITI-7K", url: "https://toko.example/?ref=SITI-7K" },
      tier: { name: "Silver" },
      nextTier: { name: "Gold", threshold: 5_000_000_00, remaining: 1_250_000_00, basis: "amount_spent" },
      redemptions: [
        { id: "d1", rewardName: "Rp 50.000 off", code: "KMB-AB12", expiresAt: "2027-02-01T00:00:00Z" },
        { id: "d2", rewardName: "Store credit", code: null, expiresAt: null },
      ],
    },
  };

  test("balance, pending, tier with progress to the next, rewards with what can be redeemed, codes, history, referral", () => {
    const view = accountView(state, "en");
    expect(view.member).toBe(true);
    expect(say(view.balance)).toBe("1,250 points");
    expect(say(view.pending)).toBe("120 points pending");
    expect(view.tier!.name).toBe("Silver");
    expect(view.progress!.ratio).toBe(0.75);
    expect(say(view.progress!.label)).toBe("Spend IDR 1,250,000 more to reach Gold".replace("IDR ", "IDR\u00a0"));
    // Within the balance: a Redeem button, no status line.
    expect(view.rewards.map((r) => [r.id, say(r.status), r.redeemable])).toEqual([
      ["r1", null, true],
      ["r2", "750 more points needed", false],
      ["r3", "For Gold members", false],
    ]);
    expect(view.codes).toEqual([
      {
        id: "d1",
        name: "Rp 50.000 off",
        code: "KMB-AB12",
        expires: { key: "code_expires", vars: { date: "February 1, 2027" } },
        // Shopify's discount permalink puts the code on the shopper's cart.
        applyUrl: "https://toko.myshopify.com/discount/KMB-AB12",
      },
    ]);
    // An app answering without the shop's domain: the code is shown without the link.
    expect(accountView({ ...state, shop: { currency: "IDR" } }, "en").codes[0].applyUrl).toBeNull();
    expect(view.history.map((h) => [h.points, say(h.label), h.text, h.date])).toEqual([
      ["+120", "Points earned", null, "December 1, 2026"],
      ["−500", "Points spent", "Rp 50.000 off", "November 20, 2026"],
    ]);
    expect(view.referral).toEqual({ code: "SITI-7K", url: "https://toko.example/?ref=SITI-7K" });
  });

  test("progress in points; the top tier has no progress", () => {
    const c = state.customer!;
    const points = accountView(
      { ...state, customer: { ...c, nextTier: { name: "Gold", threshold: 1000, remaining: 400, basis: "points_earned" } } },
      "id",
    );
    expect(points.progress!.ratio).toBe(0.6);
    expect(say(points.progress!.label, "id")).toBe("400 poin lagi untuk mencapai Gold");
    const top = accountView({ ...state, customer: { ...c, nextTier: null } }, "en");
    expect(top.progress).toBeNull();
    expect(say(top.tier!.label)).toBe("Your tier (the highest)");
  });

  test("a shopper without a record yet: zero, no pending, no codes, every reward shown as redeemable in the store", () => {
    const view = accountView({ ...state, customer: null }, "en");
    expect(view.member).toBe(false);
    expect(say(view.balance)).toBe("0 points");
    expect([view.pending, view.tier, view.progress, view.referral]).toEqual([null, null, null, null]);
    expect(view.codes).toEqual([]);
    expect(view.rewards.map((r) => [say(r.status), r.redeemable])).toEqual([
      ["Redeem it in the store's rewards panel.", false],
      ["Redeem it in the store's rewards panel.", false],
      ["For Gold members", false],
    ]);
  });

  test("the welcome gift: its own section with the Apply to cart link, left out of the other codes; absent: none", () => {
    const c = state.customer!;
    const welcome = { code: "KMB-WELC0ME", rewardName: "Rp 20.000 welcome", expiresAt: "2027-01-06T09:00:00Z" };
    const redemptions = [
      ...c.redemptions,
      { id: "w1", rewardName: "Rp 20.000 welcome", code: "KMB-WELC0ME", expiresAt: welcome.expiresAt },
    ];
    const view = accountView({ ...state, customer: { ...c, redemptions, welcome } }, "id");
    expect(view.welcome).toEqual({
      heading: { key: "welcome" },
      name: "Rp 20.000 welcome",
      code: "KMB-WELC0ME",
      expires: { key: "code_expires", vars: { date: "6 Januari 2027" } },
      applyUrl: "https://toko.myshopify.com/discount/KMB-WELC0ME",
    });
    expect(say(view.welcome!.heading, "id")).toBe("Hadiah selamat datang Anda");
    expect(view.codes.map((x) => x.code)).toEqual(["KMB-AB12"]);
    expect(accountView(state, "en").welcome).toBeNull();
    expect(accountView({ ...state, customer: { ...c, welcome: null } }, "en").welcome).toBeNull();
  });

  test("the stamp card: how many of the card, what is left and what a full card pays, in en and id", () => {
    const c = state.customer!;
    const view = accountView({ ...state, customer: { ...c, stamps: { count: 3, target: 5, rewardPoints: 1500 } } }, "en");
    expect(view.stamps!.ratio).toBe(0.6);
    expect(say(view.stamps!.label)).toBe("3 of 5 stamps — collect 2 more for 1,500 points");
    const indo = accountView({ ...state, customer: { ...c, stamps: { count: 0, target: 10, rewardPoints: 1500 } } }, "id");
    expect(say(indo.stamps!.label, "id")).toBe("0 dari 10 stempel — kumpulkan 10 lagi untuk 1.500 poin");
    expect(accountView(state, "en").stamps).toBeNull();
    expect(stampsView({ count: 9, target: 5, rewardPoints: 1 }, "en")!.ratio).toBe(1);
  });

  test("the app's ShopperState is what the page reads (GET /api/account/summary)", () => {
    const fromServer = (s: ShopperState): AccountSummary => s;
    expect(typeof fromServer).toBe("function");
  });
});

describe("redeeming from the account page", () => {
  const state: AccountSummary = {
    shop: { currency: "IDR", domain: "toko.myshopify.com" },
    rewards: [
      { id: "r1", name: "Rp 50.000 off", pointsCost: 500 },
      { id: "r2", name: "Free tote", pointsCost: 1000 },
    ],
    customer: {
      balance: 1250,
      pending: 0,
      history: [],
      referral: null,
      tier: null,
      nextTier: null,
      redemptions: [{ id: "d1", rewardName: "Old", code: "KMB-OLD", expiresAt: null }],
    },
  };
  const issued: Redemption = {
    id: "d2",
    status: "issued",
    rewardName: "Rp 50.000 off",
    code: "KMB-NEW",
    expiresAt: "2027-02-01T00:00:00Z",
    balance: 750,
  };

  test("a redeemed reward: the code first among the codes with its Apply to cart link, the balance the server answered, and what can still be redeemed", () => {
    const after = withRedemption(state, issued);
    const view = accountView(after, "en");
    expect(say(view.balance)).toBe("750 points");
    expect(view.codes.map((c) => [c.code, c.applyUrl])).toEqual([
      ["KMB-NEW", "https://toko.myshopify.com/discount/KMB-NEW"],
      ["KMB-OLD", "https://toko.myshopify.com/discount/KMB-OLD"],
    ]);
    expect(view.rewards.map((r) => [r.redeemable, say(r.status)])).toEqual([
      [true, null],
      [false, "250 more points needed"],
    ]);
    // The same answer again (a retry answered the first result): the code once.
    expect(accountView(withRedemption(after, issued), "en").codes.map((c) => c.code)).toEqual(["KMB-NEW", "KMB-OLD"]);
  });

  test("store credit (no code), a refused or a pending code: the balance only; the page of a shopper without a record is left as it is", () => {
    expect(withRedemption(state, { ...issued, code: null }).customer!.redemptions.map((r) => r.code)).toEqual(["KMB-OLD"]);
    const failed = withRedemption(state, { ...issued, status: "failed", balance: 1250 });
    expect(failed.customer!.redemptions.map((r) => r.code)).toEqual(["KMB-OLD"]);
    expect(failed.customer!.balance).toBe(1250);
    const guest = { ...state, customer: null };
    expect(withRedemption(guest, issued)).toBe(guest);
  });

  test("what the reward's row says after each answer, and when a retry keeps the request id", () => {
    const ok = (r: Redemption) => redeemOutcome({ ok: true, data: { redemption: r } });
    expect(ok(issued)).toEqual({ msg: { key: "redeem_done" }, code: "KMB-NEW", retrySameRequest: false });
    expect(say(ok(issued).msg, "id")).toBe("Berhasil ditukar! Kode Anda:");
    expect(ok({ ...issued, status: "pending" })).toMatchObject({ msg: { key: "redeem_pending" }, code: null });
    expect(say(ok({ ...issued, status: "failed" }).msg)).toBe(
      "The shop could not create your code, so your points are back. Please try again later.",
    );
    const no = (status: number | null) => redeemOutcome({ ok: false, status });
    expect([409, 404, 403].map((s) => [say(no(s).msg), no(s).retrySameRequest])).toEqual(
      Array(3).fill(["This reward cannot be redeemed right now.", false]),
    );
    // No answer, the server busy or a session to renew: the spend may have happened; the same id answers it.
    for (const status of [null, 429, 500, 401]) expect(no(status).retrySameRequest).toBe(true);
    expect(say(no(401).msg)).toBe("Your session has expired. Reload the page and try again.");
    expect(say(no(null).msg, "id")).toBe(id.error_network);
  });

  test("a request id is fresh per click and within the server's rules (8-64 letters, digits, - or _)", () => {
    const a = redeemRequestId();
    expect(a).toMatch(/^acct-[0-9a-f]{24}$/);
    expect(redeemRequestId()).not.toBe(a);
    expect(redeemRequestId((b) => b.fill(255))).toBe(`acct-${"ff".repeat(12)}`);
  });
});

describe("locales files", () => {
  test.each(EXTENSIONS)("%s has every message in en and id, and nothing else", (ext) => {
    for (const file of ["en.default.json", "id.json"]) expect(Object.keys(messages(ext, file)).sort()).toEqual([...MESSAGE_KEYS].sort());
  });

  test("both extensions say the same things", () => {
    for (const file of ["en.default.json", "id.json"])
      expect(messages("kembali-account", file)).toEqual(messages("kembali-checkout", file));
  });

  test("the Indonesian texts are translated and keep the placeholders", () => {
    for (const key of MESSAGE_KEYS) {
      const holes = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(holes(id[key]), key).toEqual(holes(en[key]));
      if (!/^\d/.test(en[key]) && en[key] !== "{{points}} points") expect(id[key], key).not.toBe(en[key]);
    }
  });
});
