// A paid order that used a member's reward code marks that redemption used at once, so the
// panel and the account page stop offering it (the expiry sweep would only notice at its end date).
import type { Deps } from "../deps";

/** Marks the customer's issued redemptions whose code the order used as used; returns how many. */
export async function markCodesUsed(db: Deps["db"], shopId: string, customerId: string, discountCodes: string[]): Promise<number> {
  const codes = [...new Set(discountCodes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (codes.length === 0) return 0;
  const { count } = await db.redemption.updateMany({
    where: { shopId, customerId, status: "issued", code: { in: codes } },
    data: { status: "used" },
  });
  return count;
}
