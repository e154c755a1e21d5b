// The pure half of referrals: codes, how a friend's contact details are normalised, which
// signal attributes an order, and the fraud rules. Each rule looks at facts gathered by the
// caller and returns a reason the merchant can read, with a score; the score decides.
import type { OrderAttribution } from "../earning/order";
import type { ProgramSettings } from "../earning/program";

export type ReferralSettings = ProgramSettings["referral"];
export type FraudSettings = ReferralSettings["fraud"];

/** The cart attribute the storefront widget writes from a `?ref=CODE` link. */
export const REF_ATTRIBUTE = "kembali_ref";

/** Without look-alikes (0/O, 1/I), so a code read aloud or copied by hand still works. */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 8;
const CODE = /^[A-HJ-NP-Z2-9]{8}$/;

/** A typed or linked code in its stored form, or null when it cannot be one of ours. */
export function normaliseCode(raw: string | null | undefined): string | null {
  const code = raw?.trim().toUpperCase() ?? "";
  return CODE.test(code) ? code : null;
}

// ---------------------------------------------------------------------------------------
// Attribution

/**
 * How the order reached its referrer, strongest first: the friend's welcome code used at
 * checkout; the member's own code typed at checkout (decision 020); the link's code carried in
 * the cart attribute; the logged-in friend having claimed a welcome reward from the link
 * (survives another browser); an invite to the friend's email.
 */
export const ATTRIBUTION_ORDER = ["code", "typed_code", "cart_attribute", "link", "email"] as const;
export type AttributionMethod = (typeof ATTRIBUTION_ORDER)[number];

export function chooseAttribution<T>(
  candidates: Partial<Record<AttributionMethod, T | null>>,
): { method: AttributionMethod; found: T } | null {
  for (const method of ATTRIBUTION_ORDER) {
    const found = candidates[method];
    if (found != null) return { method, found };
  }
  return null;
}

/** What an order carries that may name a referral, in stored form. */
export function attributionSignals(a: OrderAttribution | undefined) {
  return {
    discountCodes: [...new Set((a?.discountCodes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean))],
    refCode: normaliseCode(a?.cartAttributes[REF_ATTRIBUTE]),
  };
}

// ---------------------------------------------------------------------------------------
// Normalising contact details

const GMAIL = new Set(["gmail.com", "googlemail.com"]);

/** Lower case, without a `+tag`; Gmail also ignores dots and answers on googlemail.com. */
export function normaliseEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim().toLowerCase() ?? "";
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return null;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus >= 0) local = local.slice(0, plus);
  if (GMAIL.has(domain)) {
    domain = "gmail.com";
    local = local.replaceAll(".", "");
  }
  return local ? `${local}@${domain}` : null;
}

/** The last 9 digits, so "+62 812-3456-7890" and "0812 3456 7890" compare equal. */
export function normalisePhone(raw: string | null | undefined): string | null {
  const digits = (raw ?? "").replace(/\D/g, "");
  return digits.length >= 6 ? digits.slice(-9) : null;
}

const ABBREVIATIONS: Record<string, string> = {
  street: "st",
  road: "rd",
  avenue: "ave",
  drive: "dr",
  lane: "ln",
  apartment: "apt",
  unit: "apt",
  number: "no",
  nomor: "no",
  jalan: "jl",
  jln: "jl",
  gang: "gg",
  blok: "blk",
  block: "blk",
};

export interface AddressInput {
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  countryCode: string | null;
}

/** Country, postcode (or city without one) and street words in one spelling; null without a street. */
export function normaliseAddress(a: AddressInput | null | undefined): string | null {
  const words = (s: string | null) =>
    (s ?? "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .map((w) => ABBREVIATIONS[w] ?? w);
  const street = [...words(a?.address1 ?? null), ...words(a?.address2 ?? null)].join(" ");
  if (!a || !street) return null;
  const zip = (a.zip ?? "").replace(/\s+/g, "").toLowerCase();
  return [(a.countryCode ?? "").trim().toUpperCase(), zip || words(a.city).join(" "), street].join("|");
}

// ---------------------------------------------------------------------------------------
// Fraud rules

export type RiskCode =
  | "self_referral"
  | "same_email"
  | "same_phone"
  | "same_address"
  | "existing_customer"
  | "referrer_velocity"
  | "ip_velocity"
  | "coupon_leak"
  | "below_minimum"
  | "referrer_held_out";

// A type alias (not an interface) so that a list of them is a Prisma Json value.
export type RiskReason = {
  code: RiskCode;
  /** Added up across reasons, capped at 100. */
  score: number;
  text: string;
};

/** One side of a referral: its customer and its normalised (possibly hashed) contact keys. */
export interface Party {
  customerId: string | null;
  emails: string[];
  phones: string[];
  addresses: string[];
}

const overlaps = (a: string[], b: string[]) => a.some((x) => b.includes(x));

// A shared address is often a household (a partner, a flatmate): worth a look, not a rejection.
export const SCORES: Record<RiskCode, number> = {
  self_referral: 100,
  same_email: 90,
  same_phone: 80,
  same_address: 50,
  existing_customer: 100,
  referrer_velocity: 40,
  ip_velocity: 40,
  coupon_leak: 60,
  below_minimum: 100,
  // Out of the program (decision 010): never rewarded, whatever the thresholds.
  referrer_held_out: 100,
};

const reason = (code: RiskCode, text: string): RiskReason => ({ code, score: SCORES[code], text });

export function sameCustomer(referrer: Party, friend: Party): RiskReason | null {
  return referrer.customerId && referrer.customerId === friend.customerId
    ? reason("self_referral", "The friend is the referrer: the same customer account.")
    : null;
}

export function sameEmail(referrer: Party, friend: Party): RiskReason | null {
  return overlaps(referrer.emails, friend.emails)
    ? reason("same_email", "The friend's email is the referrer's once letter case, \"+\" aliases and Gmail dots are ignored.")
    : null;
}

export function samePhone(referrer: Party, friend: Party): RiskReason | null {
  return overlaps(referrer.phones, friend.phones)
    ? reason("same_phone", "The friend's phone number is one the referrer ordered with.")
    : null;
}

export function sameAddress(referrer: Party, friend: Party): RiskReason | null {
  return overlaps(referrer.addresses, friend.addresses)
    ? reason("same_address", "The friend's order ships to an address the referrer ordered to (possibly one household).")
    : null;
}

export function existingCustomer(paidOrdersBefore: number): RiskReason | null {
  return paidOrdersBefore > 0
    ? reason(
        "existing_customer",
        `The friend already had ${paidOrdersBefore} paid order${paidOrdersBefore === 1 ? "" : "s"} before this one: not a new customer.`,
      )
    : null;
}

/** `count` includes this referral. */
export function referrerVelocity(count: number, max: number): RiskReason | null {
  return count > max ? reason("referrer_velocity", `${count} referrals for this referrer within 24 hours (more than ${max}).`) : null;
}

/** `count` includes this referral: friends' orders from one (hashed) IP address. */
export function ipVelocity(count: number, max: number): RiskReason | null {
  return count > max ? reason("ip_velocity", `${count} referred orders from one IP address within 24 hours (more than ${max}).`) : null;
}

/** `count` includes this referral: friends the referrer did not invite, on one code in 7 days. */
export function couponLeak(count: number, threshold: number): RiskReason | null {
  return count >= threshold
    ? reason("coupon_leak", `${count} friends the referrer never invited used this code within 7 days: it may be posted on a coupon site.`)
    : null;
}

export function belowMinimum(subtotal: number, minimum: number): RiskReason | null {
  return subtotal < minimum ? reason("below_minimum", "The friend's order is below the program's minimum order for a referral.") : null;
}

/** The referrer is in the shop's holdout group (decision 010): out of the program, so no referral reward. */
export function referrerHeldOut(heldOut: boolean): RiskReason | null {
  return heldOut
    ? reason(
        "referrer_held_out",
        "The referrer is in the shop's holdout group: kept out of the program, so they earn nothing for referrals.",
      )
    : null;
}

export const COUPON_LEAK_DAYS = 7;

export interface RiskFacts {
  referrer: Party;
  friend: Party;
  paidOrdersBefore: number;
  referralsByReferrerToday: number;
  /** null when the order carried no IP address. */
  referralsFromIpToday: number | null;
  unrelatedFriendsThisWeek: number;
  subtotal: number;
  /** The referrer is held out (decision 010). */
  referrerHeldOut: boolean;
}

export function riskReasons(facts: RiskFacts, settings: ReferralSettings): RiskReason[] {
  const { fraud } = settings;
  return [
    sameCustomer(facts.referrer, facts.friend),
    sameEmail(facts.referrer, facts.friend),
    samePhone(facts.referrer, facts.friend),
    sameAddress(facts.referrer, facts.friend),
    existingCustomer(facts.paidOrdersBefore),
    referrerVelocity(facts.referralsByReferrerToday, fraud.maxPerReferrerPerDay),
    facts.referralsFromIpToday === null ? null : ipVelocity(facts.referralsFromIpToday, fraud.maxPerIpPerDay),
    couponLeak(facts.unrelatedFriendsThisWeek, fraud.couponLeakFriends),
    belowMinimum(facts.subtotal, settings.minimumOrderSubtotal),
    referrerHeldOut(facts.referrerHeldOut),
  ].filter((r): r is RiskReason => r !== null);
}

export type RiskDecision = "approve" | "review" | "reject";

export function assessRisk(reasons: RiskReason[], fraud: FraudSettings): { score: number; decision: RiskDecision } {
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.score, 0),
  );
  const decision = score >= fraud.rejectScore ? "reject" : score >= fraud.reviewScore ? "review" : "approve";
  return { score, decision };
}
