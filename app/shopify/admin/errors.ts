// The one error type of the Admin API port. Callers branch on `kind`:
// - rejected: Shopify refused the input (userErrors); retrying the same call will not help.
// - throttled: still rate limited after every retry; try again later.
// - failed: anything else (HTTP or GraphQL errors, an answer we cannot read).
// - not_found: the thing asked about does not exist (an unknown discount id).
export type ShopifyAdminErrorKind = "rejected" | "throttled" | "failed" | "not_found";

export interface ShopifyUserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export class ShopifyAdminError extends Error {
  readonly kind: ShopifyAdminErrorKind;
  /** The GraphQL operation, e.g. "KembaliDiscountCodeBasicCreate". */
  readonly operation: string;
  readonly userErrors: ShopifyUserError[];
  /** A mutation whose request may have reached Shopify: it may or may not have been applied. */
  readonly outcomeUnknown: boolean;

  constructor(
    kind: ShopifyAdminErrorKind,
    operation: string,
    message: string,
    opts: { userErrors?: ShopifyUserError[]; outcomeUnknown?: boolean } = {},
  ) {
    super(message);
    this.name = "ShopifyAdminError";
    this.kind = kind;
    this.operation = operation;
    this.userErrors = opts.userErrors ?? [];
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
  }
}

/** Shopify refused a code because another discount of the shop already has it (userError TAKEN). */
export function isCodeTaken(error: unknown): boolean {
  return error instanceof ShopifyAdminError && error.kind === "rejected" && error.userErrors.some((e) => e.code === "TAKEN");
}
