// One error family for the domain, each with a stable code. Only routes turn these into
// responses (app/http.server.ts): a KembaliError becomes a 4xx with its code; anything
// else is logged and answered with a bare 500.
export type ErrorCode =
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "NOT_A_MEMBER"
  | "NOT_IN_PROGRAM"
  | "INSUFFICIENT_POINTS"
  | "TIER_REQUIRED"
  | "IDEMPOTENCY_CONFLICT"
  | "SURVEY_NOT_DUE"
  | "RATE_LIMITED"
  | "SHOPIFY_REJECTED"
  | "SHOPIFY_UNAVAILABLE";

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  NOT_FOUND: 404,
  NOT_A_MEMBER: 403,
  // A customer in the shop's holdout group (app/domain/shop/holdout.ts).
  NOT_IN_PROGRAM: 403,
  INSUFFICIENT_POINTS: 409,
  // A reward exclusive to VIP tiers the member is not in (decision 025): the member is known
  // and may not have it, as NOT_IN_PROGRAM; earning their way up changes that, asking again does not.
  TIER_REQUIRED: 403,
  IDEMPOTENCY_CONFLICT: 409,
  // A survey answer for an order whose survey is off, not due yet, throttled, cancelled or
  // already answered (details.reason): asking again will not help until that changes.
  SURVEY_NOT_DUE: 409,
  RATE_LIMITED: 429,
  SHOPIFY_REJECTED: 422,
  SHOPIFY_UNAVAILABLE: 503,
};

export class KembaliError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    Object.setPrototypeOf(this, new.target.prototype);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export class InsufficientPoints extends KembaliError {
  constructor(
    readonly available: number,
    readonly requested: number,
  ) {
    super("INSUFFICIENT_POINTS", `Not enough points: ${available} available, ${requested} needed`, {
      available,
      requested,
    });
  }
}
