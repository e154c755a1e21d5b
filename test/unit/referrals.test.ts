import { describe, expect, test } from "vitest";
import {
  assessRisk,
  attributionSignals,
  belowMinimum,
  chooseAttribution,
  couponLeak,
  existingCustomer,
  ipVelocity,
  normaliseAddress,
  normaliseCode,
  normaliseEmail,
  normalisePhone,
  referrerVelocity,
  riskReasons,
  sameAddress,
  sameCustomer,
  sameEmail,
  samePhone,
  type AddressInput,
  type Party,
  type RiskFacts,
} from "~/domain/referrals/rules";
import { defaultSettings, parseSettings } from "~/domain/earning/program";
import { orderPayload, toPaidOrder } from "~/shopify/webhook-payloads";
import { KembaliError } from "~/domain/errors";
import { paidOrder } from "../helpers";

const settings = defaultSettings("IDR").referral;
const fraud = settings.fraud;

/** A party from raw contact details, normalised as the domain does before hashing. */
function party(
  customerId: string | null,
  { email, phone, address }: { email?: string; phone?: string; address?: AddressInput } = {},
): Party {
  const keep = (v: string | null) => (v === null ? [] : [v]);
  return {
    customerId,
    emails: keep(normaliseEmail(email)),
    phones: keep(normalisePhone(phone)),
    addresses: keep(normaliseAddress(address)),
  };
}

const address = (over: Partial<AddressInput> = {}): AddressInput => ({
  address1: "Jalan Sudirman No. 5",
  address2: null,
  city: "Jakarta",
  zip: "10220",
  countryCode: "ID",
  ...over,
});

describe("normalising a friend's email", () => {
  test.each([
    ["Ayu.Santoso@Example.com", "ayu.santoso@example.com"],
    ["ayu+shop@example.com", "ayu@example.com"],
    ["  AYU+a+b@example.com ", "ayu@example.com"],
    ["ayu.santoso@gmail.com", "ayusantoso@gmail.com"],
    ["A.y.u.Santoso+promo@GMAIL.com", "ayusantoso@gmail.com"],
    ["ayu.santoso@googlemail.com", "ayusantoso@gmail.com"],
    ["ayu.santoso@yahoo.co.id", "ayu.santoso@yahoo.co.id"],
  ])("%s → %s", (raw, expected) => {
    expect(normaliseEmail(raw)).toBe(expected);
  });

  test.each([null, undefined, "", "no-at-sign", "@example.com", "ayu@", "+tag@example.com"])("%s is no email", (raw) => {
    expect(normaliseEmail(raw)).toBeNull();
  });

  test("dots count outside Gmail: two different people at one provider stay different", () => {
    expect(normaliseEmail("a.yu@example.com")).not.toBe(normaliseEmail("ay.u@example.com"));
  });
});

describe("normalising phones and addresses", () => {
  test("a phone is its digits: the country code or trunk prefix and punctuation do not matter", () => {
    expect(normalisePhone("+62 812-3456-7890")).toBe(normalisePhone("0812 3456 7890"));
    expect(normalisePhone("(415) 555-0100")).toBe(normalisePhone("+1 415 555 0100"));
    expect(normalisePhone("0812 3456 7890")).not.toBe(normalisePhone("0812 3456 7891"));
    expect(normalisePhone("12-34")).toBeNull();
    expect(normalisePhone(null)).toBeNull();
  });

  test("one address written two ways is one address; another street or postcode is another", () => {
    const a = normaliseAddress(address());
    expect(a).toBe(normaliseAddress(address({ address1: "JL. SUDIRMAN NOMOR 5", zip: " 10220 ", countryCode: "id" })));
    expect(a).toBe(normaliseAddress(address({ address1: "Jln Sudirman", address2: "No 5" })));
    expect(a).not.toBe(normaliseAddress(address({ address1: "Jalan Sudirman No. 7" })));
    expect(a).not.toBe(normaliseAddress(address({ zip: "10110" })));
    expect(normaliseAddress(address({ address1: "12 Baker Street" }))).toBe(normaliseAddress(address({ address1: "12, baker st." })));
    expect(normaliseAddress(address({ address1: "Perumahan Citra Indah, Blok É-3" }))).toBe(
      normaliseAddress(address({ address1: "perumahan citra indah blk e 3" })),
    );
  });

  test("without a postcode the city stands in; without a street there is no address", () => {
    expect(normaliseAddress(address({ zip: null }))).toBe(normaliseAddress(address({ zip: "", city: " jakarta " })));
    expect(normaliseAddress(address({ zip: null }))).not.toBe(normaliseAddress(address({ zip: null, city: "Bandung" })));
    expect(normaliseAddress(address({ address1: " ", address2: null }))).toBeNull();
    expect(normaliseAddress(null)).toBeNull();
  });

  test("referral codes are read in any case, without spaces, and never with look-alike characters", () => {
    expect(normaliseCode(" abcd2345 ")).toBe("ABCD2345");
    expect(normaliseCode("ABCD0123")).toBeNull(); // 0 and 1 are never in a code
    expect(normaliseCode("ABCDEFG")).toBeNull();
    expect(normaliseCode(undefined)).toBeNull();
  });
});

describe("attribution", () => {
  test("the strongest signal wins: welcome code, then cart attribute, then claimed link, then invite", () => {
    const all = { code: "A", cart_attribute: "B", link: "C", email: "D" };
    expect(chooseAttribution(all)).toEqual({ method: "code", found: "A" });
    expect(chooseAttribution({ ...all, code: null })).toEqual({ method: "cart_attribute", found: "B" });
    expect(chooseAttribution({ link: "C", email: "D" })).toEqual({ method: "link", found: "C" });
    expect(chooseAttribution({ email: "D", code: undefined })).toEqual({ method: "email", found: "D" });
    expect(chooseAttribution({})).toBeNull();
  });

  test("an order's signals: discount codes upper-cased, the kembali_ref cart attribute read as a code", () => {
    expect(
      attributionSignals({
        cartAttributes: { kembali_ref: " abcd2345", gift_note: "Selamat" },
        discountCodes: ["ref-abcdefghjk", "REF-ABCDEFGHJK", " "],
        email: null,
        phone: null,
        shippingAddress: null,
        browserIp: null,
      }),
    ).toEqual({ discountCodes: ["REF-ABCDEFGHJK"], refCode: "ABCD2345" });
    expect(attributionSignals(undefined)).toEqual({ discountCodes: [], refCode: null });
    expect(
      attributionSignals({
        cartAttributes: { kembali_ref: "<script>" },
        discountCodes: [],
        email: null,
        phone: null,
        shippingAddress: null,
        browserIp: null,
      }).refCode,
    ).toBeNull();
  });

  test("the orders/paid payload carries the attribution fields into the paid order", () => {
    const body = {
      ...paidOrder("6001", "7001"),
      email: "Dewi+shop@Example.com",
      phone: null,
      note_attributes: [
        { name: "kembali_ref", value: "ABCD2345" },
        { name: "count", value: 2 },
        { name: "empty", value: null },
      ],
      discount_codes: [{ code: "REF-ABCDEFGHJK", amount: "10.00", type: "percentage" }],
      shipping_address: {
        address1: "Jl. Sudirman 5",
        address2: "",
        city: "Jakarta",
        zip: "10220",
        country_code: "ID",
        phone: "0812 3456 7890",
      },
      client_details: { browser_ip: "203.0.113.7", user_agent: "x" },
    };
    const order = toPaidOrder(orderPayload.parse(body), new Date("2026-11-20T10:00:00Z"));
    expect(order.attribution).toEqual({
      cartAttributes: { kembali_ref: "ABCD2345", count: "2" },
      discountCodes: ["REF-ABCDEFGHJK"],
      email: "Dewi+shop@Example.com",
      phone: "0812 3456 7890",
      shippingAddress: { address1: "Jl. Sudirman 5", address2: "", city: "Jakarta", zip: "10220", countryCode: "ID" },
      browserIp: "203.0.113.7",
    });
  });

  test("an attribution field in a shape we do not expect is dropped, and the order still parses (its points are not lost)", () => {
    const body = { ...paidOrder("6002", "7001"), discount_codes: "REF-X", note_attributes: [{ value: "no name" }], client_details: 5 };
    const parsed = orderPayload.safeParse(body);
    expect(parsed.success).toBe(true);
    const order = toPaidOrder(parsed.data!, new Date());
    expect(order.attribution).toMatchObject({ cartAttributes: {}, discountCodes: [], browserIp: null, email: "customer-7001@example.com" });
  });
});

describe("fraud rules", () => {
  const referrer = party("c1", { email: "ayu.santoso@gmail.com", phone: "+62 812 3456 7890", address: address() });
  const stranger = party("c2", { email: "budi@example.com", phone: "0813 0000 1111", address: address({ address1: "Jalan Thamrin 9" }) });

  test("self-referral: the same customer account", () => {
    expect(sameCustomer(referrer, party("c1"))).toMatchObject({ code: "self_referral", score: 100 });
    expect(sameCustomer(referrer, stranger)).toBeNull();
    expect(sameCustomer(party(null), party(null))).toBeNull(); // two guests are not one customer
  });

  test("self-referral: the same email once aliases and Gmail dots are ignored", () => {
    expect(sameEmail(referrer, party("c3", { email: "Ayu.Santoso+friend@googlemail.com" }))).toMatchObject({
      code: "same_email",
      score: 90,
      text: expect.stringContaining('"+" aliases'),
    });
    expect(sameEmail(referrer, party("c3", { email: "a.yu.santoso@gmail.com" }))?.code).toBe("same_email");
    expect(sameEmail(referrer, stranger)).toBeNull();
  });

  test("self-referral: the same phone digits", () => {
    expect(samePhone(referrer, party("c3", { phone: "0812-3456-7890" }))).toMatchObject({ code: "same_phone", score: 80 });
    expect(samePhone(referrer, stranger)).toBeNull();
    expect(samePhone(party("c1"), party("c3"))).toBeNull();
  });

  test("self-referral: the same shipping address, normalised, is held for review rather than rejected (households)", () => {
    const housemate = party("c3", { email: "partner@example.com", address: address({ address1: "Jl Sudirman Nomor 5" }) });
    const reason = sameAddress(referrer, housemate);
    expect(reason).toMatchObject({ code: "same_address", score: 50 });
    expect(reason!.score).toBeGreaterThanOrEqual(fraud.reviewScore);
    expect(reason!.score).toBeLessThan(fraud.rejectScore);
    expect(sameAddress(referrer, stranger)).toBeNull();
  });

  test("the friend is already a customer", () => {
    expect(existingCustomer(0)).toBeNull();
    expect(existingCustomer(1)).toMatchObject({
      code: "existing_customer",
      score: 100,
      text: expect.stringContaining("1 paid order before"),
    });
    expect(existingCustomer(3)!.text).toContain("3 paid orders");
  });

  test("velocity per referrer and per hashed IP: more than the daily maximum", () => {
    expect(referrerVelocity(10, 10)).toBeNull();
    expect(referrerVelocity(11, 10)).toMatchObject({ code: "referrer_velocity", score: 40, text: expect.stringContaining("11 referrals") });
    expect(ipVelocity(5, 5)).toBeNull();
    expect(ipVelocity(6, 5)).toMatchObject({ code: "ip_velocity", score: 40 });
  });

  test("a coupon-site leak: this many unrelated friends on one code in a week", () => {
    expect(couponLeak(19, 20)).toBeNull();
    expect(couponLeak(20, 20)).toMatchObject({ code: "coupon_leak", score: 60, text: expect.stringContaining("coupon site") });
  });

  test("an order below the program's minimum", () => {
    expect(belowMinimum(5_000_000, 0)).toBeNull();
    expect(belowMinimum(4_999_999, 5_000_000)).toMatchObject({ code: "below_minimum", score: 100 });
    expect(belowMinimum(5_000_000, 5_000_000)).toBeNull();
  });

  const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
    referrer,
    friend: stranger,
    paidOrdersBefore: 0,
    referralsByReferrerToday: 1,
    referralsFromIpToday: 1,
    unrelatedFriendsThisWeek: 1,
    subtotal: 25_000_000,
    referrerHeldOut: false,
    ...over,
  });

  test("the score decides: under reviewScore approve, from it hold for review, from rejectScore reject", () => {
    const decide = (f: RiskFacts) => assessRisk(riskReasons(f, settings), fraud);
    expect(decide(facts())).toEqual({ score: 0, decision: "approve" });
    expect(decide(facts({ referralsByReferrerToday: 11 }))).toEqual({ score: 40, decision: "review" });
    expect(decide(facts({ friend: party("c3", { address: address() }) }))).toEqual({ score: 50, decision: "review" });
    expect(decide(facts({ referralsByReferrerToday: 11, referralsFromIpToday: 6 }))).toEqual({ score: 80, decision: "reject" });
    expect(decide(facts({ friend: party("c1", { email: "ayu.santoso@gmail.com" }) }))).toEqual({ score: 100, decision: "reject" });
    expect(decide(facts({ referralsFromIpToday: null }))).toEqual({ score: 0, decision: "approve" });
    // A held-out referrer is out of the program: rejected even at the loosest thresholds.
    expect(assessRisk(riskReasons(facts({ referrerHeldOut: true }), settings), { ...fraud, reviewScore: 100, rejectScore: 100 })).toEqual({
      score: 100,
      decision: "reject",
    });
  });

  test("every reason says why in words and names its stable code", () => {
    const reasons = riskReasons(
      facts({
        friend: party("c1", { email: "ayusantoso+x@gmail.com", phone: "081234567890", address: address() }),
        paidOrdersBefore: 2,
        referralsByReferrerToday: 11,
        referralsFromIpToday: 6,
        unrelatedFriendsThisWeek: 20,
        subtotal: 1,
        referrerHeldOut: true,
      }),
      { ...settings, minimumOrderSubtotal: 100 },
    );
    expect(reasons.map((r) => r.code)).toEqual([
      "self_referral",
      "same_email",
      "same_phone",
      "same_address",
      "existing_customer",
      "referrer_velocity",
      "ip_velocity",
      "coupon_leak",
      "below_minimum",
      "referrer_held_out",
    ]);
    for (const r of reasons) expect(r.text.length).toBeGreaterThan(20);
    expect(assessRisk(reasons, fraud).score).toBe(100);
  });

  test("the merchant's thresholds apply", () => {
    const strict = { ...fraud, reviewScore: 30, rejectScore: 50 };
    expect(assessRisk([{ code: "same_address", score: 50, text: "" }], strict).decision).toBe("reject");
    expect(assessRisk([{ code: "referrer_velocity", score: 40, text: "" }], strict).decision).toBe("review");
  });
});

describe("referral settings", () => {
  test("defaults: on, 500 points, 10 % for the friend, the hold follows the pending period", () => {
    expect(settings).toMatchObject({ enabled: true, referrerPoints: 500, friendReward: { type: "percentage", value: 10 }, holdDays: null });
  });

  test("a percentage above 100 and a reject threshold below the review one are refused", () => {
    const paths = (referral: unknown) => {
      try {
        parseSettings({ earning: { points: 1, perAmount: 100 }, referral });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(KembaliError);
        return ((error as KembaliError).details!.issues as Array<{ path: string }>).map((i) => i.path);
      }
    };
    expect(paths({ friendReward: { type: "percentage", value: 101 } })).toEqual(["referral.friendReward.value"]);
    expect(paths({ friendReward: { type: "fixed_amount", value: 5_000_000 } })).toEqual([]);
    expect(paths({ fraud: { reviewScore: 60, rejectScore: 50 } })).toEqual(["referral.fraud.rejectScore"]);
    expect(paths({ holdDays: 366 })).toEqual(["referral.holdDays"]);
    expect(paths({ holdDays: 14 })).toEqual([]);
  });
});
