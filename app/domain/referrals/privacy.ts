// Referrals: privacy. (index.ts says how referrals work.)
import { findShop } from "../shop/shops";
import { normaliseEmail } from "./rules";
import type { ReferralDeps } from "./common";

/**
 * customers/redact, before the customer's email is erased: forgets the contact hashes of
 * their orders, their invites (sent and received) and the email kept on referrals to them.
 */
export async function forgetReferralContacts(deps: ReferralDeps, shopDomain: string, shopifyCustomerId: string): Promise<void> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) return;
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } },
  });
  if (!customer) return;
  const email = normaliseEmail(customer.email);
  const emailHash = email ? deps.fingerprint(`email:${email}`) : null;
  await deps.db.orderContact.deleteMany({
    where: { shopId: shop.id, OR: [{ customerId: customer.id }, ...(emailHash ? [{ emailHash }] : [])] },
  });
  await deps.db.referralInvite.deleteMany({
    where: { shopId: shop.id, OR: [{ referrerId: customer.id }, ...(email ? [{ email }] : [])] },
  });
  await deps.db.referral.updateMany({
    where: { shopId: shop.id, OR: [{ friendId: customer.id }, ...(email ? [{ friendEmail: email }] : [])] },
    data: { friendEmail: null },
  });
}
