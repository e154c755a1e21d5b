// Shopify's email-marketing consent on the customer's row (Customer.emailMarketing and
// emailMarketingAt), kept current from the customer webhooks and the customer on a paid order.
// Webhooks arrive in any order: a consent older than the one kept never replaces it.
import type { Tx } from "../../db-types";
import type { EmailMarketingConsent } from "../earning/order";

/** Shopify's states (GraphQL's CustomerEmailMarketingState); another value is not kept. */
export const EMAIL_MARKETING_STATES = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "REDACTED", "INVALID"] as const;

/**
 * The consent a webhook's `email_marketing_consent` says, or null when it says nothing readable
 * (missing, another shape, an unknown state, a date that is not one): such a payload leaves the
 * kept consent alone. Pure.
 */
export function readEmailConsent(raw: unknown): EmailMarketingConsent | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const { state, consent_updated_at: updated } = raw as { state?: unknown; consent_updated_at?: unknown };
  if (typeof state !== "string") return null;
  const upper = state.trim().toUpperCase();
  if (!(EMAIL_MARKETING_STATES as readonly string[]).includes(upper)) return null;
  if (updated === null || updated === undefined) return { state: upper, updatedAt: null };
  if (typeof updated !== "string" || updated.length > 40) return null;
  const at = new Date(updated);
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1900 || at.getUTCFullYear() > 9999) return null;
  return { state: upper, updatedAt: at };
}

/**
 * Keeps `consent` on the customer unless the kept one is newer: a dated consent replaces an
 * undated or older one; an undated one only replaces an undated one (or none). `row` is the
 * customer as read in this transaction. Returns the row after the change, or null when nothing
 * changed (the same consent as kept writes nothing).
 */
export async function applyEmailConsent<R extends { id: string; emailMarketing: string | null; emailMarketingAt: Date | null }>(
  db: Tx,
  row: R,
  consent: EmailMarketingConsent,
): Promise<R | null> {
  if (row.emailMarketing === consent.state && row.emailMarketingAt?.getTime() === consent.updatedAt?.getTime()) return null;
  const { count } = await db.customer.updateMany({
    where: {
      id: row.id,
      ...(consent.updatedAt
        ? { OR: [{ emailMarketingAt: null }, { emailMarketingAt: { lte: consent.updatedAt } }] }
        : { emailMarketingAt: null }),
    },
    data: { emailMarketing: consent.state, emailMarketingAt: consent.updatedAt },
  });
  return count === 1 ? { ...row, emailMarketing: consent.state, emailMarketingAt: consent.updatedAt } : null;
}
