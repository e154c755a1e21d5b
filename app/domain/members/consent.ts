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
 * undated or older one; an undated one only replaces an undated one (or none). Returns the row
 * after the change, or null when nothing changed.
 */
export async function applyEmailConsent(db: Tx, customerId: string, consent: EmailMarketingConsent) {
  const { count } = await db.customer.updateMany({
    where: {
      id: customerId,
      ...(consent.updatedAt
        ? { OR: [{ emailMarketingAt: null }, { emailMarketingAt: { lte: consent.updatedAt } }] }
        : { emailMarketingAt: null }),
    },
    data: { emailMarketing: consent.state, emailMarketingAt: consent.updatedAt },
  });
  return count === 1 ? db.customer.findUniqueOrThrow({ where: { id: customerId } }) : null;
}
