// A shopper's customer row, made the first time Kembali sees them (a storefront request before
// any order: a bonus, a referral code, a friend's welcome).
import type { Tx } from "../../db-types";
import type { ShopRecord } from "../shop/shops";
import { isUniqueViolation } from "../db-errors";
import { firstSight } from "../shop/holdout";

/**
 * The shopper's customer row, created at first sight. Outside a transaction, two first requests
 * at once (on one server or two) both get the one row: Prisma runs an upsert with nothing to
 * update as a read and an insert, so the loser of the insert reads the winner's row. (A native
 * upsert would need an update, and any update of a customer raises its state version.)
 */
export async function memberRow(db: Tx, shop: ShopRecord, shopifyCustomerId: string) {
  const where = { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } };
  try {
    return await db.customer.upsert({
      where,
      create: { shopId: shop.id, shopifyCustomerId, ...firstSight(shop, shopifyCustomerId) },
      update: {},
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.customer.findUniqueOrThrow({ where });
  }
}
