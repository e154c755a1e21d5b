// What the admin Messages page shows and does: every message with its switch, kind, texts
// (the built-in ones as placeholders), the last sends of the message being edited, the customer
// a preview is made for, the sender settings; the live preview and the test send, both composed
// by composeEmail with a real customer's data.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Deps } from "~/domain/deps";
import { KembaliError } from "~/domain/errors";
import { findShop } from "~/domain/shop/shops";
import { merchantText, parseInput } from "~/domain/validation";
import { MESSAGE_KEYS, MESSAGES, TEMPLATE_VARIABLES, type MessageKey } from "~/domain/messages/catalog";
import {
  BODY_MAX,
  SUBJECT_MAX,
  messagesSettingsSchema,
  readMessagesSettings,
  saveMessagesSettings,
  type MessagesSettings,
} from "~/domain/messages/settings";
import {
  MESSAGE_LOCALES,
  composeEmail,
  defaultTemplate,
  samplePayload,
  unknownVariables,
  type ComposedEmail,
  type MessageLocale,
} from "~/domain/messages/compose";
import { searchMembers } from "./members";
import type { OutgoingMail } from "~/mail.server";

/** Last sends shown for the message being edited. */
export const SENDS_SHOWN = 20;
/** Customers offered for the preview. */
export const MEMBERS_SHOWN = 10;

export interface MessageView {
  key: MessageKey;
  kind: "marketing" | "transactional";
  to: "customer" | "merchant";
  enabled: boolean;
  subject: Record<MessageLocale, string | null>;
  body: Record<MessageLocale, string | null>;
  /** The built-in texts, shown as placeholders (used when the merchant's are empty). */
  defaults: Record<MessageLocale, { subject: string; body: string }>;
}

export interface SendView {
  id: string;
  /** ISO instant: when it was sent, else when it was recorded. */
  at: string;
  /** The address, masked (j***@example.com); null when none. */
  recipient: string | null;
  status: string;
  reason: string | null;
  channel: string;
  /** A test send from this page. */
  test: boolean;
}

export interface MemberOption {
  id: string;
  label: string;
}

export interface MessagesPage {
  settings: MessagesSettings;
  messages: MessageView[];
  selected: MessageKey;
  variables: readonly string[];
  sends: SendView[];
  members: { query: string; options: MemberOption[]; selected: string | null };
  rewards: Array<{ id: string; name: string }>;
  timezone: string;
}

/** "jane@example.com" -> "j***@example.com": enough to recognise, not to copy. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

/** An error text with every address in it masked (a mail server's refusal names the recipient). */
function maskAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, (m) => maskEmail(m) ?? "***");
}

export function isMessageKey(value: string | null | undefined): value is MessageKey {
  return (MESSAGE_KEYS as readonly string[]).includes(value ?? "");
}

async function shopOf(db: Deps["db"], shopDomain: string) {
  const shop = await findShop(db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const row = await db.shop.findUniqueOrThrow({ where: { id: shop.id }, select: { name: true, timezone: true, messages: true } });
  return { ...shop, name: row.name, timezone: row.timezone, settings: readMessagesSettings(row.messages) };
}

const memberLabel = (c: { firstName: string | null; lastName: string | null; email: string | null; shopifyCustomerId: string }) =>
  [[c.firstName, c.lastName].filter(Boolean).join(" "), c.email].filter(Boolean).join(" · ") || c.shopifyCustomerId;

/** The customers offered for the preview: a search's matches, or the newest; never redacted ones. */
async function memberOptions(db: Deps["db"], shopDomain: string, shopId: string, query: string): Promise<MemberOption[]> {
  const select = { id: true, firstName: true, lastName: true, email: true, shopifyCustomerId: true } as const;
  if (!query) {
    const rows = await db.customer.findMany({
      where: { shopId, redactedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: MEMBERS_SHOWN,
      select,
    });
    return rows.map((c) => ({ id: c.id, label: memberLabel(c) }));
  }
  const found = await searchMembers({ db }, shopDomain, { query, take: MEMBERS_SHOWN });
  const ids = found.members.filter((m) => !m.redacted).map((m) => m.shopifyCustomerId);
  const rows = await db.customer.findMany({ where: { shopId, shopifyCustomerId: { in: ids } }, select });
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows
    .sort((a, b) => order.get(a.shopifyCustomerId)! - order.get(b.shopifyCustomerId)!)
    .map((c) => ({ id: c.id, label: memberLabel(c) }));
}

export async function messagesPage(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  params: { message?: string | null; q?: string | null; customer?: string | null } = {},
): Promise<MessagesPage> {
  const shop = await shopOf(deps.db, shopDomain);
  const selected: MessageKey = isMessageKey(params.message) ? params.message : MESSAGE_KEYS[0];
  const query = (params.q ?? "").trim().slice(0, 100);
  const [sends, options, rewards] = await Promise.all([
    deps.db.messageSend.findMany({
      where: { shopId: shop.id, message: selected },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: SENDS_SHOWN,
      select: {
        id: true,
        createdAt: true,
        sentAt: true,
        recipient: true,
        status: true,
        reason: true,
        error: true,
        channel: true,
        key: true,
      },
    }),
    memberOptions(deps.db, shopDomain, shop.id, query),
    // The welcome reward is a discount code: store credit is not offered (saving would refuse it).
    deps.db.reward.findMany({
      where: { shopId: shop.id, active: true, type: { not: "store_credit" } },
      select: { id: true, name: true },
      orderBy: { pointsCost: "asc" },
    }),
  ]);
  // A customer asked for by id must be this shop's (a foreign id is simply not selected).
  let selectedMember = options[0]?.id ?? null;
  if (params.customer) {
    const own = await deps.db.customer.findFirst({
      where: { id: params.customer, shopId: shop.id, redactedAt: null },
      select: { id: true, firstName: true, lastName: true, email: true, shopifyCustomerId: true },
    });
    if (own) {
      selectedMember = own.id;
      if (!options.some((o) => o.id === own.id)) options.unshift({ id: own.id, label: memberLabel(own) });
    }
  }
  // The welcome reward may have been turned off since: still offered, so the select shows it.
  if (shop.settings.welcomeRewardId && !rewards.some((r) => r.id === shop.settings.welcomeRewardId)) {
    const chosen = await deps.db.reward.findFirst({
      where: { id: shop.settings.welcomeRewardId, shopId: shop.id },
      select: { id: true, name: true },
    });
    if (chosen) rewards.push(chosen);
  }
  return {
    settings: shop.settings,
    messages: MESSAGE_KEYS.map((key) => {
      const m = shop.settings.messages[key];
      return {
        key,
        kind: MESSAGES[key].kind,
        to: MESSAGES[key].to,
        enabled: m.enabled,
        subject: m.subject,
        body: m.body,
        defaults: { en: defaultTemplate(key, "en"), id: defaultTemplate(key, "id") },
      };
    }),
    selected,
    variables: TEMPLATE_VARIABLES,
    sends: sends.map((s) => ({
      id: s.id,
      at: (s.sentAt ?? s.createdAt).toISOString(),
      recipient: maskEmail(s.recipient),
      status: s.status,
      reason: s.reason ?? (s.status === "failed" && s.error ? maskAddresses(s.error).slice(0, 200) : null),
      channel: s.channel,
      test: s.key.startsWith("test:"),
    })),
    members: { query, options, selected: selectedMember },
    rewards,
    timezone: shop.timezone,
  };
}

/**
 * Saves the page's settings over the stored ones (what the page does not edit, such as the
 * Klaviyo and Flow switches, is kept). Bad input is a 400 with the issues' paths; nothing is saved.
 */
export async function saveMessagesPage(deps: Pick<Deps, "db">, shopDomain: string, input: unknown): Promise<MessagesSettings> {
  const shop = await shopOf(deps.db, shopDomain);
  if (!input || typeof input !== "object" || Array.isArray(input)) throw new KembaliError("BAD_INPUT", "Invalid message settings");
  const form = input as Record<string, unknown>;
  const stored = shop.settings as Record<string, unknown>;
  const messages: Record<string, unknown> = {};
  const edited = (form.messages && typeof form.messages === "object" ? form.messages : {}) as Record<string, unknown>;
  for (const key of MESSAGE_KEYS) messages[key] = { ...shop.settings.messages[key], ...((edited[key] as object | undefined) ?? {}) };
  const editable = Object.keys(messagesSettingsSchema.shape).filter((k) => k !== "messages" && k !== "klaviyo" && k !== "flow");
  const merged: Record<string, unknown> = { ...stored, messages };
  for (const key of editable) if (key in form) merged[key] = form[key];
  return saveMessagesSettings(deps, shopDomain, merged);
}

/** A text as the editor holds it: empty is the built-in one; an unknown {{variable}} is refused, as on save. */
const draftText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : v),
    merchantText(max)
      .superRefine((text, ctx) => {
        const unknown = unknownVariables(text);
        if (unknown.length) ctx.addIssue({ code: "custom", message: `Unknown variable: ${unknown.join(", ")}` });
      })
      .nullable()
      .default(null),
  );

const draftSchema = z.object({
  message: z.enum(MESSAGE_KEYS),
  locale: z.enum(MESSAGE_LOCALES),
  customerId: z.string().min(1).max(40),
  subject: draftText(SUBJECT_MAX),
  body: draftText(BODY_MAX),
});
export type MessageDraft = z.input<typeof draftSchema>;

/** The message as the customer would get it now, with the texts as the editor holds them (not yet saved). */
export async function previewMessage(
  deps: Pick<Deps, "db" | "clock">,
  shopDomain: string,
  input: unknown,
): Promise<ComposedEmail & { locale: MessageLocale }> {
  const draft = parseInput(draftSchema, input, "Invalid preview");
  const shop = await shopOf(deps.db, shopDomain);
  const customer = await deps.db.customer.findFirst({
    where: { id: draft.customerId, shopId: shop.id, redactedAt: null },
    select: { id: true },
  });
  if (!customer) throw new KembaliError("BAD_INPUT", "No such customer", { issues: [{ path: "customerId", message: "No such customer" }] });
  const current = shop.settings.messages[draft.message];
  const settings: MessagesSettings = {
    ...shop.settings,
    messages: {
      ...shop.settings.messages,
      [draft.message]: {
        ...current,
        subject: { ...current.subject, [draft.locale]: draft.subject },
        body: { ...current.body, [draft.locale]: draft.body },
      },
    },
  };
  const payload = await samplePayload(deps, shop.id, draft.message, customer.id);
  const email = await composeEmail(deps, {
    shop: { id: shop.id, domain: shopDomain, name: shop.name, currency: shop.currency, timezone: shop.timezone },
    message: draft.message,
    locale: draft.locale,
    customerId: customer.id,
    payload,
    settings,
    links: { unsubscribe: null, open: null },
  });
  return { ...email, locale: draft.locale };
}

const testSchema = z.object({ to: z.string().trim().max(320).email() });

export interface TestSendPorts {
  sendMail: (mail: OutgoingMail) => Promise<void>;
  mailFrom: (displayName: string | null) => string;
  messageIdFor: (sendId: string) => string;
}

/**
 * Sends the message as previewed to an address the merchant typed, now: a test is
 * transactional (no switch, consent, cap or quiet hours). Recorded as a MessageSend (key
 * test:<uuid>, channel email, no customer: it counts against nobody's cap) that reads sent or
 * failed.
 */
export async function sendTestMessage(
  deps: Pick<Deps, "db" | "clock">,
  ports: TestSendPorts,
  shopDomain: string,
  input: unknown,
): Promise<{ id: string; status: "sent" | "failed"; to: string }> {
  const { to } = parseInput(testSchema, input, "Invalid test address");
  const draft = parseInput(draftSchema, input, "Invalid test message");
  const email = await previewMessage(deps, shopDomain, draft);
  const shop = await shopOf(deps.db, shopDomain);
  const uuid = randomUUID();
  const messageId = ports.messageIdFor(`test.${uuid}`);
  const row = await deps.db.messageSend.create({
    data: {
      shopId: shop.id,
      channel: "email",
      message: draft.message,
      key: `test:${uuid}`,
      recipient: to,
      subject: email.subject,
      locale: email.locale,
      status: "sending",
      attempts: 1,
      messageId,
      runAfter: deps.clock(),
    },
  });
  try {
    await ports.sendMail({
      from: ports.mailFrom(shop.settings.fromName ?? shop.name),
      to,
      replyTo: shop.settings.replyTo,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId,
      headers: {},
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.messageSend.update({ where: { id: row.id }, data: { status: "failed", error: maskAddresses(message).slice(0, 500) } });
    return { id: row.id, status: "failed", to };
  }
  await deps.db.messageSend.update({ where: { id: row.id }, data: { status: "sent", sentAt: deps.clock() } });
  return { id: row.id, status: "sent", to };
}
