// What the post-purchase surfaces and the app agree on: the checkout extension (thank-you and
// order-status pages), the customer-account extension (a full page and an order-status block)
// and the storefront widget's survey card. Types only: nothing here reaches any bundle.
//
// Routes (every answer JSON, errors as { error: { code, message } }):
//   checkout extension, Authorization: Bearer <checkout session token>, CORS on every answer:
//     GET  /api/checkout/order?order=<numeric order id>   → OrderSummary
//     POST /api/checkout/survey  body SurveyAnswerBody      → SurveyAnswerResult
//   customer-account extension, Authorization: Bearer <customer-account session token>, CORS:
//     GET  /api/account/summary                            → the widget's ShopperState (app/domain/storefront.ts)
//     GET  /api/account/order?order=<numeric order id>     → OrderSummary
//     POST /api/account/survey   body SurveyAnswerBody      → SurveyAnswerResult
//   storefront widget, through the signed App Proxy (customer from logged_in_customer_id):
//     GET  /apps/kembali/survey                           → { survey: DueSurvey & { order: string } | null }
//     POST /apps/kembali/survey  body SurveyAnswerBody      → SurveyAnswerResult
// The customer always comes from the verified token or the signed request, never from a body.
// A survey POST for an order that is not the shopper's is 404; one whose survey is off, not
// due, throttled, cancelled or already answered (from any channel) is 409 SURVEY_NOT_DUE with
// details.reason (a NoSurveyReason); a score off the scale or a bad comment is 400.

export type SurveyKind = "nps" | "csat" | "ces";
export type SurveyChannel = "checkout" | "account" | "storefront";

/** A survey the shopper may answer now for this order. */
export interface DueSurvey {
  kind: SurveyKind;
  /** The merchant's wording in the shopper's language, or null for the built-in question. */
  question: string | null;
  min: number;
  max: number;
  /** Points for answering (0: none), whatever the score. */
  pointsForAnswer: number;
}

/** Why there is no survey for this order now. */
export type NoSurveyReason = "off" | "answered" | "throttled" | "not_yet" | "unknown_order" | "cancelled";

export interface OrderSummary {
  order: {
    id: string;
    /** Points this order earns (0 when none), and whether they are still pending. */
    points: number;
    pending: boolean;
    /** When pending points become spendable (ISO), if pending. */
    availableAt: string | null;
  } | null;
  /** A guest's order: the points an account would have claimed (null when none or a member). */
  claim: { points: number } | null;
  survey: DueSurvey | null;
  /** Why `survey` is null. */
  noSurvey: NoSurveyReason | null;
}

export interface SurveyAnswerBody {
  /** Shopify's numeric order id (the order must be the shopper's own: checked by the app). */
  order: string;
  score: number;
  /** Optional, at most 1,000 characters; stored and shown as text. */
  comment?: string | null;
}

export interface SurveyAnswerResult {
  group: "detractor" | "passive" | "promoter";
  /** Points paid for answering (0 when none, or already paid for this order). */
  pointsAwarded: number;
  /** A promoter's referral link to share right away (null otherwise, or when referrals are off). */
  referral: { code: string; url: string } | null;
}
