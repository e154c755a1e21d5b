// Referrals: invites. (index.ts says how referrals work.)
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { normaliseEmail } from "./rules";
import { enabledShop } from "./common";
import { memberRow } from "../members/member-row";

/** The member invites a friend by email; an order with that email attributes to them. Idempotent. */
export async function inviteFriend(
  deps: Deps,
  shopDomain: string,
  shopifyCustomerId: string,
  rawEmail: string,
): Promise<{ email: string }> {
  const shop = await enabledShop(deps.db, shopDomain);
  const email = normaliseEmail(rawEmail);
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new KembaliError("BAD_INPUT", "Not an email address");
  const referrer = await memberRow(deps.db, shop, shopifyCustomerId);
  if (normaliseEmail(referrer.email) === email)
    throw new KembaliError("BAD_INPUT", "You cannot invite yourself", { reason: "self_referral" });
  await deps.db.referralInvite.upsert({
    where: { shopId_referrerId_email: { shopId: shop.id, referrerId: referrer.id, email } },
    create: { shopId: shop.id, referrerId: referrer.id, email, createdAt: deps.clock() },
    update: { email }, // changes nothing: the database's own upsert, safe on two servers at once
  });
  return { email };
}
