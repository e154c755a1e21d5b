// Messages tests' shop: every message on (or as given), an alert address, a customer with
// marketing consent, and events recorded as the producers record them.
import prisma, { transaction } from "~/db.server";
import { ensureShop } from "~/domain/shop/shops";
import { MESSAGE_KEYS, type EventType } from "~/domain/messages/catalog";
import { messagesSettingsSchema } from "~/domain/messages/settings";
import { newShopDomain } from "../../helpers";

export async function messagesShop({ timezone = "UTC", settings = {} as Record<string, unknown>, off = [] as string[] } = {}) {
  const domain = newShopDomain();
  const { id } = await ensureShop(prisma, domain, "IDR");
  const messages = messagesSettingsSchema.parse({
    messages: Object.fromEntries(MESSAGE_KEYS.map((k) => [k, { enabled: !off.includes(k) }])),
    alertEmail: "owner@example.com",
    quietHours: { enabled: false, start: 21, end: 8 },
    ...settings,
  });
  await prisma.shop.update({ where: { id }, data: { messages, timezone, name: "Toko Kopi" } });
  return { domain, shopId: id };
}

let n = 0;
export async function customerOf(
  shopId: string,
  data: {
    email?: string | null;
    firstName?: string;
    emailMarketing?: string | null;
    holdout?: boolean;
    unsubscribedAt?: Date;
    locale?: string;
  } = {},
) {
  n++;
  return prisma.customer.create({
    data: {
      shopId,
      shopifyCustomerId: String(900_000 + n),
      email: data.email === undefined ? `shopper${n}@example.com` : data.email,
      firstName: data.firstName ?? "Ayu",
      emailMarketing: data.emailMarketing === undefined ? "SUBSCRIBED" : data.emailMarketing,
      holdout: data.holdout ?? false,
      unsubscribedAt: data.unsubscribedAt ?? null,
      locale: data.locale ?? null,
    },
  });
}

const PAYLOADS: Partial<Record<EventType, unknown>> = {
  member_joined: {},
  points_earned: { shopifyOrderId: "5001", orderName: "#1001", points: 120, availableAt: null },
  points_expiring: { points: 300, expiresAt: "2027-01-01T00:00:00.000Z" },
  reward_issued: { redemptionId: "r1", rewardName: "Rp10.000 off", code: "KMB-TEST", expiresAt: null, source: "points" },
  tier_changed: { from: null, to: "gold", toName: "Gold", direction: "up", version: 1, reason: "order" },
  detractor_alert: { responseId: "resp1", shopifyOrderId: "5002", score: 2, kind: "nps", comment: "Late <b>again</b>" },
  win_back: { from: "active", to: "at_risk" },
};

export async function eventOf(
  shopId: string,
  customerId: string | null,
  type: EventType,
  key?: string,
  payload?: unknown,
  createdAt?: Date,
) {
  n++;
  return prisma.customerEvent.create({
    data: { shopId, customerId, type, key: key ?? `${type}:${n}`, payload: (payload ?? PAYLOADS[type] ?? {}) as never, createdAt },
  });
}

export const txDepsAt = (at: () => Date) => ({ db: prisma, clock: at, transaction: transaction(prisma) });

/** A clock the test moves. */
export function testClock(start: string) {
  let now = new Date(start).getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    set: (iso: string) => void (now = new Date(iso).getTime()),
    advance: (ms: number) => void (now += ms),
  });
}
