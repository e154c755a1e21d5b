// The storefront state call's stored answers (docs/decisions/040-storefront-state-snapshot.md).
// A call that finds none current builds the answer and stores it here, so that the next one is
// one prepared read (app/state-fast-path.server.ts). What makes a stored answer stale is
// counted by the database itself: triggers raise MemberState.version (the member's row, ledger
// entries, redemptions, referral code, orders, refunds) and Shop.stateVersion (settings,
// currency, rewards, tier programs) in the same transaction as the write. The versions are
// read BEFORE anything the answer is built from, and the answer is stored only where they
// still hold: a write that lands while it is being built leaves it unstored.
import type { Tx } from "../db-types";
import { isUniqueViolation } from "./db-errors";

/** The longest a stored answer holds: what time alone moves (a rolling tier window) shows at most this late. */
export const STATE_MAX_AGE_MS = 60 * 60 * 1000;

/** The widget languages a member's answer is stored per ("" when the call named none). */
export function stateLang(lang: string | null): "en" | "id" | "" {
  return lang === "en" || lang === "id" ? lang : "";
}

export type SnapshotAt =
  { kind: "member"; customerId: string; version: number; shopVersion: number } | { kind: "guest"; shopId: string; shopVersion: number };

/**
 * The versions an answer about to be built is built at, or null when there is no shop or
 * member to store it for. Call it after the call's own writes (signup, language).
 */
export async function snapshotAt(db: Tx, shopDomain: string, shopifyCustomerId: string | null): Promise<SnapshotAt | null> {
  if (!shopifyCustomerId) {
    const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, stateVersion: true } });
    return shop && { kind: "guest", shopId: shop.id, shopVersion: shop.stateVersion };
  }
  const customer = await db.customer.findFirst({
    where: { shop: { domain: shopDomain }, shopifyCustomerId },
    select: { id: true, shopId: true, shop: { select: { stateVersion: true } } },
  });
  if (!customer) return null;
  const key = { customerId: customer.id };
  let row = await db.memberState.findUnique({ where: key, select: { version: true } });
  if (!row) {
    try {
      row = await db.memberState.create({
        data: { ...key, shopId: customer.shopId, shopifyCustomerId },
        select: { version: true },
      });
    } catch (error) {
      // Two first calls at once: the other one made it.
      if (!isUniqueViolation(error)) throw error;
      row = await db.memberState.findUniqueOrThrow({ where: key, select: { version: true } });
    }
  }
  return { kind: "member", customerId: customer.id, version: row.version, shopVersion: customer.shop.stateVersion };
}

/**
 * Stores the answer built at `at`, only where nothing it was built from changed since (the
 * versions still match; otherwise the next call builds it again). `build` names the app's
 * build: an answer is only ever served by the build that made it.
 */
export async function storeSnapshot(
  db: Tx,
  at: SnapshotAt,
  answer: { body: string; lang: string; build: string; validUntil: Date },
): Promise<boolean> {
  const until = BigInt(answer.validUntil.getTime());
  if (at.kind === "guest") {
    const { count } = await db.shop.updateMany({
      where: { id: at.shopId, stateVersion: at.shopVersion },
      data: { guestState: answer.body, guestStateVersion: at.shopVersion, guestStateBuild: answer.build, guestStateUntilMs: until },
    });
    return count === 1;
  }
  const { count } = await db.memberState.updateMany({
    where: { customerId: at.customerId, version: at.version },
    data: {
      builtVersion: at.version,
      shopVersion: at.shopVersion,
      lang: answer.lang,
      build: answer.build,
      body: answer.body,
      validUntilMs: until,
    },
  });
  return count === 1;
}
