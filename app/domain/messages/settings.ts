// Triggered messages' settings, as the merchant sets them on the Messages page: stored on the
// shop (Shop.messages, one zod schema; missing or old data reads as the defaults, with every
// message off until the merchant turns it on) and read by the dispatcher and the senders.
import { z } from "zod";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { merchantText, parseInput } from "../validation";
import { MESSAGE_KEYS, unknownVariables, type MessageKey } from "./catalog";

export const SUBJECT_MAX = 150;
export const BODY_MAX = 5000;

/** Merchant text with {{variables}}: an unknown variable is refused, naming it. */
const templateText = (max: number) =>
  merchantText(max).superRefine((text, ctx) => {
    const unknown = unknownVariables(text);
    if (unknown.length) ctx.addIssue({ code: "custom", message: `Unknown variable: ${unknown.map((v) => `{{${v}}}`).join(", ")}` });
  });

const perLocale = (max: number) =>
  z
    .object({
      en: templateText(max).nullable().default(null),
      id: templateText(max).nullable().default(null),
    })
    .default({ en: null, id: null });

/** One message: on or off, and the merchant's own subject and body per language (null: built-in). */
export const messageSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  subject: perLocale(SUBJECT_MAX),
  body: perLocale(BODY_MAX),
});
export type MessageSettings = z.output<typeof messageSettingsSchema>;

const email = z.string().trim().max(320).email();

export const messagesSettingsSchema = z.object({
  messages: z
    .object(
      Object.fromEntries(MESSAGE_KEYS.map((k) => [k, messageSettingsSchema.default(messageSettingsSchema.parse({}))])) as {
        [K in MessageKey]: z.ZodDefault<typeof messageSettingsSchema>;
      },
    )
    .default(Object.fromEntries(MESSAGE_KEYS.map((k) => [k, messageSettingsSchema.parse({})])) as Record<MessageKey, MessageSettings>),
  /** The sender's display name (null: the shop's name); the address itself is SMTP_FROM. */
  fromName: merchantText(80).nullable().default(null),
  /** Where shoppers' replies go (null: no Reply-To). */
  replyTo: email.nullable().default(null),
  /** Where the merchant's own alerts go (a detractor's answer); null: none are sent. */
  alertEmail: email.nullable().default(null),
  /** Marketing messages per customer: at most `count` in any `days` days. */
  frequencyCap: z
    .object({ count: z.number().int().min(1).max(50).default(3), days: z.number().int().min(1).max(30).default(7) })
    .default({ count: 3, days: 7 }),
  /** No marketing message between `start` and `end` o'clock in the shop's time zone (it waits). */
  quietHours: z
    .object({
      enabled: z.boolean().default(true),
      start: z.number().int().min(0).max(23).default(21),
      end: z.number().int().min(0).max(23).default(8),
    })
    .default({ enabled: true, start: 21, end: 8 }),
  /** "Reward about to expire" is recorded this many days before the code's end date. */
  rewardExpiringDays: z.number().int().min(1).max(30).default(3),
  /** A product is repurchase-worthy once this many customers bought it again (its interval is known). */
  replenishmentMinRepeats: z.number().int().min(2).max(1000).default(5),
  /** Each member gets this reward (a Reward id) as a code once, on joining; null: no welcome reward. */
  welcomeRewardId: z.string().min(1).max(40).nullable().default(null),
  /**
   * Set by saveMessagesSettings, never taken from the merchant's input: members whose record was
   * created after this instant get the welcome reward (members from before it get none). It is
   * the moment the merchant turned the welcome reward on, as the members' own records tell time
   * (the newest member's createdAt then; see app/domain/messages/welcome.ts). null while off.
   */
  welcomeSince: z.string().datetime().nullable().default(null),
  /** The dashboard counts an order within this many days of a message as a conversion. */
  conversionDays: z.number().int().min(1).max(60).default(7),
  /** Send the events to Klaviyo (needs the shop's private key) and to Shopify Flow. */
  klaviyo: z.boolean().default(false),
  flow: z.boolean().default(false),
});

export type MessagesSettings = z.output<typeof messagesSettingsSchema>;

export const DEFAULT_MESSAGES_SETTINGS: MessagesSettings = messagesSettingsSchema.parse({});

/** Stored settings as they read today: anything unreadable is the defaults (every message off). */
export function readMessagesSettings(stored: unknown): MessagesSettings {
  const parsed = messagesSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_MESSAGES_SETTINGS;
}

/** The shop's messages settings. */
export async function messagesSettings(deps: Pick<Deps, "db">, shopDomain: string): Promise<MessagesSettings> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { messages: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return readMessagesSettings(shop.messages);
}

/**
 * Validates and saves the merchant's settings; bad input is a 400 and changes nothing. The
 * welcome reward must be one of the shop's active rewards that makes a discount code (not store
 * credit); `welcomeSince` is kept while it stays on and set afresh when it is turned on.
 */
export async function saveMessagesSettings(deps: Pick<Deps, "db">, shopDomain: string, input: unknown): Promise<MessagesSettings> {
  const settings = parseInput(messagesSettingsSchema, input, "Invalid message settings");
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, messages: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  if (settings.welcomeRewardId) {
    const reward = await deps.db.reward.findFirst({
      where: { id: settings.welcomeRewardId, shopId: shop.id, active: true },
      select: { id: true, type: true },
    });
    const message = !reward ? "No such reward in this shop" : reward.type === "store_credit" ? "Choose a reward that gives a code" : null;
    if (message) throw new KembaliError("BAD_INPUT", "Invalid message settings", { issues: [{ path: "welcomeRewardId", message }] });
  }
  const welcomeSince = await welcomeSinceFor(deps.db, shop.id, readMessagesSettings(shop.messages), settings.welcomeRewardId);
  const saved = { ...settings, welcomeSince };
  await deps.db.shop.update({ where: { id: shop.id }, data: { messages: saved } });
  return saved;
}

/**
 * When the welcome reward counts from. Off: null. Left on (whichever reward): unchanged. Turned
 * on: the newest member's createdAt (every member so far joined before it; anyone created after
 * it is new), or the epoch when the shop has no members yet. Taken from the members' records
 * rather than the clock so the comparison uses one time source (the demo's clock runs ahead).
 */
export async function welcomeSinceFor(
  db: Deps["db"],
  shopId: string,
  previous: MessagesSettings,
  welcomeRewardId: string | null,
): Promise<string | null> {
  if (!welcomeRewardId) return null;
  if (previous.welcomeRewardId && previous.welcomeSince) return previous.welcomeSince;
  const newest = await db.customer.findFirst({ where: { shopId }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  return (newest?.createdAt ?? new Date(0)).toISOString();
}
