// Referrals: visits. (index.ts says how referrals work.)
import type { Deps } from "../deps";
import type { ShopRecord } from "../shop/shops";
import { codeRow } from "./codes";
import { DAY_MS, enabledShop } from "./common";

/** A click on a referral link. The same (hashed) IP counts once a day per code. */
export async function recordVisit(
  deps: Deps,
  shopDomain: string,
  code: string,
  ipHash: string | null,
): Promise<{ counted: boolean; friendReward: ShopRecord["settings"]["referral"]["friendReward"] }> {
  const shop = await enabledShop(deps.db, shopDomain);
  const row = await codeRow(deps.db, shop.id, code);
  const now = deps.clock();
  const seen = ipHash
    ? await deps.db.referralVisit.findFirst({
        where: { codeId: row.id, ipHash, createdAt: { gt: new Date(now.getTime() - DAY_MS) } },
        select: { id: true },
      })
    : null;
  if (!seen) await deps.db.referralVisit.create({ data: { shopId: shop.id, codeId: row.id, ipHash, createdAt: now } });
  return { counted: !seen, friendReward: shop.settings.referral.friendReward };
}
