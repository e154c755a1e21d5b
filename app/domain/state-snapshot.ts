// The storefront state call's stored answers (docs/decisions/040-storefront-state-snapshot.md).
// A call that finds none current builds the answer and stores it here, so that the next one is
// one prepared read (app/state-fast-path.server.ts). What makes a stored answer stale is
// counted by the database itself: triggers raise Customer.stateVersion (the member's row,
// ledger entries, redemptions, referral code, orders, refunds) and Shop.stateVersion
// (settings, currency, rewards, tier programs) in the same transaction as the write. The
// versions are read BEFORE anything the answer is built from and stored with it; the answer
// is served only while they are still the current ones.
import type { Tx } from "../db-types";
import { isUniqueViolation } from "./db-errors";

/** The longest a stored answer holds: what time alone moves (a rolling tier window) shows at most this late. */
export const STATE_MAX_AGE_MS = 60 * 60 * 1000;

/** The widget languages a member's answer is stored per ("" when the call named none). */
export function stateLang(lang: string | null): "en" | "id" | "" {
  return lang === "en" || lang === "id" ? lang : "";
}

export type SnapshotAt =
  | { kind: "member"; customerId: string; shopId: string; shopifyCustomerId: string; customerVersion: number; shopVersion: number }
  | { kind: "guest"; shopId: string; shopVersion: number };

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
    select: { id: true, shopId: true, stateVersion: true, shop: { select: { stateVersion: true } } },
  });
  return (
    customer && {
      kind: "member",
      customerId: customer.id,
      shopId: customer.shopId,
      shopifyCustomerId,
      customerVersion: customer.stateVersion,
      shopVersion: customer.shop.stateVersion,
    }
  );
}

/**
 * Stores the answer built at `at`, labelled with the versions it was built at: it is served
 * only while they are the current ones, so a write that landed while it was being built (or a
 * slower build overwriting a newer answer) leaves nothing servable, only a miss. `build`
 * names the app's build: an answer is only ever served by the build that made it.
 */
export async function storeSnapshot(
  db: Tx,
  at: SnapshotAt,
  answer: { body: string; lang: string; build: string; validUntil: Date },
): Promise<void> {
  const validUntilMs = BigInt(answer.validUntil.getTime());
  if (at.kind === "guest") {
    await db.shop.update({
      where: { id: at.shopId },
      data: { guestState: answer.body, guestStateVersion: at.shopVersion, guestStateBuild: answer.build, guestStateUntilMs: validUntilMs },
    });
    return;
  }
  const data = {
    customerVersion: at.customerVersion,
    shopVersion: at.shopVersion,
    lang: answer.lang,
    build: answer.build,
    body: answer.body,
    validUntilMs,
  };
  const key = { customerId: at.customerId };
  try {
    await db.memberState.upsert({
      where: key,
      create: { ...key, shopId: at.shopId, shopifyCustomerId: at.shopifyCustomerId, ...data },
      update: data,
    });
  } catch (error) {
    // Two first calls at once: the other one stored its answer, as good as this one.
    if (!isUniqueViolation(error)) throw error;
  }
}
