// The links in an email: the one-click unsubscribe (RFC 8058's POST, or the link's page and
// its button) and the open pixel. Tokens are signed (tokens.ts); a forged one changes nothing.
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { readOpenToken, readUnsubscribeToken } from "./tokens";

/** Who a link's token unsubscribes (for the confirmation page), or a 400 for a forged token. */
export async function unsubscribeTarget(
  deps: Pick<Deps, "db">,
  secret: string,
  token: unknown,
): Promise<{ locale: "en" | "id" | null; shopName: string | null; unsubscribed: boolean }> {
  const target = readUnsubscribeToken(secret, token);
  if (!target) throw new KembaliError("BAD_INPUT", "This unsubscribe link is not valid");
  const customer = await deps.db.customer.findFirst({
    where: { id: target.customerId, shopId: target.shopId },
    select: { locale: true, unsubscribedAt: true, shop: { select: { name: true, domain: true } } },
  });
  return {
    locale: customer?.locale === "id" || customer?.locale === "en" ? customer.locale : null,
    shopName: customer ? (customer.shop.name ?? customer.shop.domain) : null,
    unsubscribed: customer ? customer.unsubscribedAt !== null : true,
  };
}

/**
 * Unsubscribes the token's customer from the shop's marketing messages (the first time counts;
 * again changes nothing). A forged token is a 400 and writes nothing; a customer since deleted
 * (the shop's data erased) is simply done.
 */
export async function unsubscribe(deps: Pick<Deps, "db" | "clock">, secret: string, token: unknown) {
  const target = readUnsubscribeToken(secret, token);
  if (!target) throw new KembaliError("BAD_INPUT", "This unsubscribe link is not valid");
  const { count } = await deps.db.customer.updateMany({
    where: { id: target.customerId, shopId: target.shopId, unsubscribedAt: null },
    data: { unsubscribedAt: deps.clock() },
  });
  return { changed: count === 1 };
}

/** The open pixel: the send's first open is recorded; anything else changes nothing. */
export async function recordOpen(deps: Pick<Deps, "db" | "clock">, secret: string, token: unknown): Promise<boolean> {
  const target = readOpenToken(secret, token);
  if (!target) return false;
  const { count } = await deps.db.messageSend.updateMany({
    where: { id: target.sendId, channel: "email", openedAt: null },
    data: { openedAt: deps.clock() },
  });
  return count === 1;
}
