// The triggered messages' figures for the dashboard, over emails sent in [from, to):
// - sends: customer messages (not the merchant's own alerts, not the admin's test sends) sent
//   by email in the period (MessageSend.sentAt), in total and per message;
// - opens: of those, the ones whose open pixel was loaded (openedAt). A floor, not a rate to
//   trust: many mail apps block images, and some load them without a reader;
// - conversions: the customers messaged in the period who placed a paid (not cancelled) order
//   within settings.conversionDays after one of those messages (Order.orderedAt), over the
//   customers messaged;
// - the holdout: customers kept out of the program (Customer.holdout) get no messages, but
//   their events are recorded. Those who had an event of a kind messaged in the period are the
//   comparison group, converting the same way (an order within conversionDays after the event).
//   The difference of the two rates has a 95 % interval (Newcombe, stats.ts) and no verdict
//   below MIN_GROUP_CUSTOMERS customers a side; without held-out customers there is nothing to
//   compare with, and the report says so.
// Orders after `to` count for messages near its end (up to conversionDays later), so a
// period's figure is final conversionDays after it. Read live, only when the shop has ever
// sent a message (a shop that never did costs one indexed query). SQLite and PostgreSQL alike:
// dates compare column to column or to bound values, never through SQL date functions.
import { MESSAGES, messageForEvent, type MessageKey } from "../messages/catalog";
import { readMessagesSettings } from "../messages/settings";
import { DAY_MS, num, queryParts, round, shopOrThrow, toDate, type AnalyticsDeps } from "./common";
import { MIN_GROUP_CUSTOMERS } from "./impact";
import { proportionDifference } from "./stats";

export interface MessageFigures {
  message: MessageKey;
  sent: number;
  opened: number;
  /** Distinct customers this message was sent to in the period. */
  customers: number;
  /** Of those, with a paid order within conversionDays after it. */
  converted: number;
}

export interface ConversionGroup {
  customers: number;
  converted: number;
  /** Percent, one decimal; null without customers. */
  rate: number | null;
}

export type MessagesVerdict = "no_holdout" | "too_few_customers" | "no_clear_difference" | "higher" | "lower";

export interface MessagesReport {
  /** The shop has sent at least one message, ever (otherwise nothing below was queried). */
  anySent: boolean;
  conversionDays: number;
  sent: number;
  opened: number;
  /** opened ÷ sent × 100, one decimal; null without sends. */
  openRate: number | null;
  messaged: ConversionGroup;
  /** Held-out customers with an event of a kind messaged in the period. */
  holdout: ConversionGroup;
  /** messaged − holdout rate in percentage points with its 95 % interval; null when not computable. */
  difference: { points: number; low: number; high: number } | null;
  verdict: MessagesVerdict;
  minimumGroupCustomers: number;
  byMessage: MessageFigures[];
}

/** Customer messages only: the merchant's own alerts convert nobody. */
const CUSTOMER_MESSAGES = Object.values(MESSAGES)
  .filter((m) => m.to === "customer")
  .map((m) => m.key);

const share = (part: number, whole: number) => (whole > 0 ? round((part / whole) * 100, 1) : null);

function group(customers: Set<string>, converted: Set<string>): ConversionGroup {
  return { customers: customers.size, converted: converted.size, rate: share(converted.size, customers.size) };
}

/** Where a raw row's JSON payload comes back as text (SQLite) or already parsed (PostgreSQL). */
function json(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function emptyReport(conversionDays: number): MessagesReport {
  const none = { customers: 0, converted: 0, rate: null };
  return {
    anySent: false,
    conversionDays,
    sent: 0,
    opened: 0,
    openRate: null,
    messaged: none,
    holdout: none,
    difference: null,
    verdict: "no_holdout",
    minimumGroupCustomers: MIN_GROUP_CUSTOMERS,
    byMessage: [],
  };
}

export async function messagesReport(deps: AnalyticsDeps, input: { shopDomain: string; from: Date; to: Date }): Promise<MessagesReport> {
  const { db } = deps;
  const { from, to } = input;
  if (!(from.getTime() < to.getTime())) throw new RangeError("messagesReport needs from < to");
  const shop = await shopOrThrow(db, input.shopDomain);
  const [row, anySend] = await Promise.all([
    db.shop.findUnique({ where: { id: shop.id }, select: { messages: true } }),
    db.messageSend.findFirst({
      where: { shopId: shop.id, channel: "email", status: "sent", eventId: { not: null } },
      select: { id: true },
    }),
  ]);
  const conversionDays = readMessagesSettings(row?.messages).conversionDays;
  if (!anySend) return emptyReport(conversionDays);

  const windowMs = conversionDays * DAY_MS;
  const horizon = new Date(to.getTime() + windowMs);
  const keys = CUSTOMER_MESSAGES;
  const marks = keys.map(() => ", ");
  // Each send of the period with the customer's first paid order after it (before the horizon).
  const sends = await queryParts<
    Array<{ id: string; customerId: string | null; message: string; sentAt: unknown; opened: unknown; firstOrder: unknown }>
  >(
    db,
    [
      `SELECT s."id" AS id, s."customerId" AS "customerId", s."message" AS message, s."sentAt" AS "sentAt",
         CASE WHEN s."openedAt" IS NULL THEN 0 ELSE 1 END AS opened, MIN(o."orderedAt") AS "firstOrder"
       FROM "MessageSend" s
       LEFT JOIN "Order" o ON o."shopId" = s."shopId" AND o."customerId" = s."customerId"
         AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o."orderedAt" > s."sentAt" AND o."orderedAt" < `,
      `
       WHERE s."shopId" = `,
      ` AND s."channel" = 'email' AND s."status" = 'sent' AND s."eventId" IS NOT NULL
         AND s."sentAt" >= `,
      ` AND s."sentAt" < `,
      ` AND s."message" IN (`,
      ...marks.slice(1),
      `)
       GROUP BY s."id", s."customerId", s."message", s."sentAt", s."openedAt"`,
    ],
    [horizon, shop.id, from, to, ...keys],
  );

  const converts = (at: unknown, first: unknown) =>
    first !== null && first !== undefined && toDate(first).getTime() - toDate(at).getTime() <= windowMs;
  const byMessage = new Map<MessageKey, { sent: number; opened: number; customers: Set<string>; converted: Set<string> }>();
  const messagedCustomers = new Set<string>();
  const convertedCustomers = new Set<string>();
  let sent = 0;
  let opened = 0;
  for (const s of sends) {
    const key = s.message as MessageKey;
    const m = byMessage.get(key) ?? { sent: 0, opened: 0, customers: new Set<string>(), converted: new Set<string>() };
    byMessage.set(key, m);
    sent++;
    m.sent++;
    if (num(s.opened) > 0) {
      opened++;
      m.opened++;
    }
    if (!s.customerId) continue;
    m.customers.add(s.customerId);
    messagedCustomers.add(s.customerId);
    if (converts(s.sentAt, s.firstOrder)) {
      m.converted.add(s.customerId);
      convertedCustomers.add(s.customerId);
    }
  }

  // The held-out customers' events of the kinds messaged in the period, with their first paid order after each.
  const types = [...new Set([...byMessage.keys()].map((k) => MESSAGES[k].event))];
  const heldOut = new Set<string>();
  const heldOutConverted = new Set<string>();
  if (types.length > 0) {
    const events = await queryParts<Array<{ customerId: string; type: string; payload: unknown; at: unknown; firstOrder: unknown }>>(
      db,
      [
        `SELECT e."customerId" AS "customerId", e."type" AS type, e."payload" AS payload, e."createdAt" AS at, MIN(o."orderedAt") AS "firstOrder"
         FROM "CustomerEvent" e
         JOIN "Customer" c ON c."id" = e."customerId"
         LEFT JOIN "Order" o ON o."shopId" = e."shopId" AND o."customerId" = e."customerId"
           AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL AND o."orderedAt" > e."createdAt" AND o."orderedAt" < `,
        `
         WHERE e."shopId" = `,
        ` AND c."holdout" AND e."createdAt" >= `,
        ` AND e."createdAt" < `,
        ` AND e."type" IN (`,
        ...types.slice(1).map(() => ", "),
        `)
         GROUP BY e."id", e."customerId", e."type", e."payload", e."createdAt"`,
      ],
      [horizon, shop.id, from, to, ...types],
    );
    for (const e of events) {
      const message = messageForEvent(e.type, json(e.payload));
      if (!message || !byMessage.has(message)) continue;
      heldOut.add(e.customerId);
      if (converts(e.at, e.firstOrder)) heldOutConverted.add(e.customerId);
    }
  }

  const messaged = group(messagedCustomers, convertedCustomers);
  const holdout = group(heldOut, heldOutConverted);
  let difference: MessagesReport["difference"] = null;
  let verdict: MessagesVerdict = "no_holdout";
  if (holdout.customers > 0) {
    verdict = "too_few_customers";
    if (messaged.customers >= 2 && holdout.customers >= 2) {
      const d = proportionDifference(messaged.converted, messaged.customers, holdout.converted, holdout.customers);
      difference = { points: round(d.estimate * 100, 1), low: round(d.low * 100, 1), high: round(d.high * 100, 1) };
      if (messaged.customers >= MIN_GROUP_CUSTOMERS && holdout.customers >= MIN_GROUP_CUSTOMERS) {
        verdict = d.low > 0 ? "higher" : d.high < 0 ? "lower" : "no_clear_difference";
      }
    }
  }

  return {
    anySent: true,
    conversionDays,
    sent,
    opened,
    openRate: share(opened, sent),
    messaged,
    holdout,
    difference,
    verdict,
    minimumGroupCustomers: MIN_GROUP_CUSTOMERS,
    byMessage: keys
      .filter((k) => byMessage.has(k))
      .map((k) => {
        const m = byMessage.get(k)!;
        return { message: k, sent: m.sent, opened: m.opened, customers: m.customers.size, converted: m.converted.size };
      }),
  };
}
