// Shopper-facing strings live in the theme extension's locales (the "widget" section of
// locales/*.json); the app embed renders them into the element as JSON, so they cost the
// bundle nothing. Keys ending in _one/_other are chosen with Intl.PluralRules; {n} is a
// formatted number, the other {placeholders} are filled by the caller.

/** Every key the widget reads. Only the tests use the list at run time (the build drops it). */
export const KEYS = [
  "title",
  "close",
  "loading",
  "error",
  "retry",
  "balance",
  "pending",
  "points_one",
  "points_other",
  "earn_one",
  "earn_other",
  "join",
  "member",
  "sign_in",
  "register",
  "tier",
  "next_one",
  "next_other",
  "spend",
  "rewards",
  "minimum",
  "need_one",
  "need_other",
  "only",
  "redeem",
  "code",
  "credit",
  "preparing",
  "failed",
  "copy",
  "copied",
  "apply",
  "selected",
  "mine",
  "use_by",
  "ways",
  "way_signup",
  "way_birthday",
  "claim",
  "claimed",
  "already",
  "already_today",
  "month",
  "day",
  "save",
  "saved",
  "refer",
  "refer_offer",
  "refer_code",
  "whatsapp",
  "email",
  "share_subject",
  "share_body",
  "history",
  "no_history",
  "kind_earn",
  "kind_spend",
  "kind_reverse",
  "kind_expire",
  "kind_adjust",
  "src_order",
  "src_refund",
  "src_cancellation",
  "src_referral",
  "src_signup",
  "src_birthday",
  "src_survey",
  "src_stamps",
  "src_redemption_spend",
  "src_redemption_reverse",
  "src_referral_reverse",
  "src_expiry_after_earning",
  "src_expiry_inactive",
  "src_redemption_failed",
  "src_redemption_expired",
  "src_import",
  "welcome",
  "err_INSUFFICIENT_POINTS",
  "err_NOT_A_MEMBER",
  "err_TIER_REQUIRED",
  "err_RATE_LIMITED",
  "err_BAD_INPUT",
  "oops",
  "offline",
  "picked",
  "earn_product_one",
  "earn_product_other",
] as const;

export type Key = (typeof KEYS)[number];
/** A key with _one and _other forms, named without the suffix. */
export type PluralKey = Singular<Key>;
type Singular<K> = K extends `${infer Base}_one` ? Base : never;
export type Messages = Record<Key, string>;

/** The JSON the app embed rendered; a missing or broken one leaves every text empty, not the page broken. */
export function readMessages(json: string | null | undefined): Messages {
  try {
    return JSON.parse(json!) || {};
  } catch {
    return {} as Messages;
  }
}
