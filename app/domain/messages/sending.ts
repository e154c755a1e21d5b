// Sending: due MessageSend rows (queued, runAfter passed) are claimed with a lease (a guarded
// update of lockedUntil, so several servers never take one row), checked again (consent, cap,
// quiet hours), composed and handed to the mail server or the channel's sender. Exactly once,
// as near as SMTP allows (docs/decisions/038-messages-exactly-once.md): the row is committed as
// "sending" right before the SMTP transaction and as "sent" after the server's 250; a row found
// "sending" after its lease ran out (the process died in between) is never sent again by
// itself: it becomes "unconfirmed", for the merchant to resend by hand.
import type { TxDeps } from "../deps";
import { KembaliError } from "../errors";
import { MESSAGE_KEYS, MESSAGES, type MessageKey } from "./catalog";
import { RETRY_DELAYS_MS, RetryLater, type ChannelDelivery, type ChannelSender } from "./channels";
import { readMessagesSettings } from "./settings";
import { AUDIENCE_CUSTOMER_SELECT, emailAudience, messageLocale, type SkipReason } from "./audience";
import { quietHoursEnd, knownTimeZone } from "./quiet-hours";
import { openToken, unsubscribeToken } from "./tokens";
import { composeEmail } from "./compose";
import type { OutgoingMail } from "../../mail.server";

/** What sending needs beyond the database and the clock (built in app/jobs.server.ts). */
export interface SendingDeps extends TxDeps {
  /** Resolves when the mail server accepted the message (250); throws a MailError otherwise. */
  sendMail: (mail: OutgoingMail) => Promise<void>;
  /** The From header for a display name (the address is the app's SMTP_FROM). */
  mailFrom: (displayName: string | null) => string;
  /** The app's public URL, for the unsubscribe link and the open pixel. */
  appUrl: string;
  /** Signs the links' tokens (the app's secret). */
  secret: string;
  /** The Message-ID of a send (the same on every attempt); default <id.shop@app host>. */
  messageIdFor?: (sendId: string) => string;
  /** The sender of a channel other than email (klaviyo, flow, webhook:<id>); null: none. */
  senders?: (channel: string) => ChannelSender | null;
}

/** A worker's hold on a row while it checks and composes it. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** A row "sending" longer than this was abandoned: longer than any SMTP transaction or HTTP call takes. */
export const SEND_LEASE_MS = 15 * 60_000;
export const SEND_BATCH = 50;
/** How long a welcome message waits for the member's welcome code before it goes without one. */
const WELCOME_CODE_WAIT_MS = 60 * 60_000;

const MARKETING = MESSAGE_KEYS.filter((k) => MESSAGES[k].kind === "marketing");

type Outcome = "sent" | "skipped" | "deferred" | "retry" | "failed" | "lost";

export interface SendResult {
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
  unconfirmed: number;
}

/**
 * Rows left "sending" by a process that stopped: an email becomes "unconfirmed" (the mail
 * server may have it; sending again could deliver it twice), another channel's delivery is
 * queued again (Klaviyo dedupes on the send key, a webhook carries its event id).
 */
export async function recoverAbandoned(deps: Pick<TxDeps, "db" | "clock">, { shopId }: { shopId?: string } = {}) {
  const now = deps.clock();
  const stale = await deps.db.messageSend.findMany({
    where: { status: "sending", lockedUntil: { lt: now }, ...(shopId ? { shopId } : {}) },
    select: { id: true, channel: true, lockedUntil: true },
    take: 500,
  });
  let unconfirmed = 0;
  for (const row of stale) {
    const email = row.channel === "email";
    const { count } = await deps.db.messageSend.updateMany({
      where: { id: row.id, status: "sending", lockedUntil: row.lockedUntil },
      data: email
        ? { status: "unconfirmed", lockedUntil: null, error: "Stopped while the mail server had it; not sent again (resend by hand)" }
        : { status: "queued", lockedUntil: null, runAfter: now, error: "Stopped while delivering; tried again" },
    });
    if (email) unconfirmed += count;
  }
  return unconfirmed;
}

/** Sends what is due (of one shop when `shopId` is given, for tests and the demo). */
export async function sendDueMessages(
  deps: SendingDeps,
  { limit = SEND_BATCH, shopId }: { limit?: number; shopId?: string } = {},
): Promise<SendResult> {
  const result: SendResult = { sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0, unconfirmed: 0 };
  result.unconfirmed = await recoverAbandoned(deps, { shopId });
  const now = deps.clock();
  const due = await deps.db.messageSend.findMany({
    where: {
      status: "queued",
      runAfter: { lte: now },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      ...(shopId ? { shopId } : {}),
    },
    orderBy: [{ runAfter: "asc" }, { id: "asc" }],
    take: limit,
  });
  for (const row of due) {
    const lease = new Date(deps.clock().getTime() + CLAIM_LEASE_MS);
    const { count } = await deps.db.messageSend.updateMany({
      where: { id: row.id, status: "queued", lockedUntil: row.lockedUntil },
      data: { lockedUntil: lease },
    });
    if (count !== 1) continue; // another server took it
    const outcome = row.channel === "email" ? await sendEmail(deps, row.id, lease) : await sendChannel(deps, row.id, lease);
    if (outcome === "sent") result.sent++;
    else if (outcome === "skipped") result.skipped++;
    else if (outcome === "deferred") result.deferred++;
    else if (outcome === "retry") result.retried++;
    else if (outcome === "failed") result.failed++;
  }
  return result;
}

async function skip(deps: Pick<TxDeps, "db">, id: string, lease: Date, reason: SkipReason, extra: { recipient?: string | null } = {}) {
  const { count } = await deps.db.messageSend.updateMany({
    where: { id, status: "queued", lockedUntil: lease },
    data: { status: "skipped", reason, lockedUntil: null, ...extra },
  });
  return count === 1 ? "skipped" : "lost";
}

async function fail(deps: Pick<TxDeps, "db">, id: string, status: string, error: string): Promise<Outcome> {
  await deps.db.messageSend.updateMany({
    where: { id, status },
    data: { status: "failed", lockedUntil: null, error: error.slice(0, 500) },
  });
  return "failed";
}

/** After a failure worth retrying: the next try after the backoff, or failed once tries are used up. */
async function retryOrFail(deps: Pick<TxDeps, "db" | "clock">, id: string, attempts: number, error: string, afterMs = 0): Promise<Outcome> {
  if (attempts > RETRY_DELAYS_MS.length) return fail(deps, id, "sending", error);
  const delay = Math.max(RETRY_DELAYS_MS[attempts - 1], afterMs);
  await deps.db.messageSend.updateMany({
    where: { id, status: "sending" },
    data: { status: "queued", lockedUntil: null, runAfter: new Date(deps.clock().getTime() + delay), error: error.slice(0, 500) },
  });
  return "retry";
}

/** A mail server's refusal with a 4xx, or no answer at all (a connection error, a timeout). */
export function isTemporaryMailError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return true;
  const e = error as { temporary?: unknown; responseCode?: unknown };
  if (typeof e.temporary === "boolean") return e.temporary;
  if (typeof e.responseCode === "number") return e.responseCode < 500;
  return true;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function sendEmail(deps: SendingDeps, id: string, lease: Date): Promise<Outcome> {
  const row = await deps.db.messageSend.findUniqueOrThrow({ where: { id } });
  const shop = await deps.db.shop.findUniqueOrThrow({
    where: { id: row.shopId },
    select: { id: true, domain: true, name: true, currency: true, timezone: true, messages: true, appearance: true, uninstalledAt: true },
  });
  const customer = row.customerId
    ? await deps.db.customer.findFirst({ where: { id: row.customerId, shopId: row.shopId }, select: AUDIENCE_CUSTOMER_SELECT })
    : null;
  const event = row.eventId ? await deps.db.customerEvent.findFirst({ where: { id: row.eventId, shopId: row.shopId } }) : null;
  if (!(MESSAGE_KEYS as readonly string[]).includes(row.message)) {
    return fail(deps, id, "queued", `Unknown message ${row.message}`);
  }
  const message = row.message as MessageKey;
  const definition = MESSAGES[message];
  const settings = readMessagesSettings(shop.messages);
  const timezone = knownTimeZone(shop.timezone);

  // Again at sending time: an unsubscribe, a lost consent or a new address since routing counts.
  const { recipient, reason } = emailAudience(message, shop, settings, definition.to === "customer" ? customer : null);
  if (reason || !recipient) return skip(deps, id, lease, reason ?? "no_email", { recipient });

  if (definition.kind === "marketing" && customer) {
    const now = deps.clock();
    const since = new Date(now.getTime() - settings.frequencyCap.days * 86_400_000);
    const recent = await deps.db.messageSend.count({
      where: {
        shopId: row.shopId,
        customerId: customer.id,
        channel: "email",
        message: { in: MARKETING },
        status: { in: ["sent", "sending", "unconfirmed"] },
        sentAt: { gt: since },
        id: { not: row.id },
      },
    });
    if (recent >= settings.frequencyCap.count) return skip(deps, id, lease, "cap", { recipient });
    const quietUntil = quietHoursEnd(now, timezone, settings.quietHours);
    if (quietUntil) {
      const { count } = await deps.db.messageSend.updateMany({
        where: { id, status: "queued", lockedUntil: lease },
        data: { runAfter: quietUntil, lockedUntil: null },
      });
      return count === 1 ? "deferred" : "lost";
    }
  }

  // The welcome message carries the member's welcome code: while the code is being made (the
  // welcome sweep, every tick), it waits a minute at a time, for an hour at most.
  if (message === "welcome" && settings.welcomeRewardId && customer) {
    const now = deps.clock();
    const code = await deps.db.redemption.findFirst({
      where: { shopId: row.shopId, customerId: customer.id, requestId: `welcome:${customer.id}` },
      select: { status: true },
    });
    if ((!code || code.status === "pending") && now.getTime() - row.createdAt.getTime() < WELCOME_CODE_WAIT_MS) {
      const { count } = await deps.db.messageSend.updateMany({
        where: { id, status: "queued", lockedUntil: lease },
        data: { runAfter: new Date(now.getTime() + 60_000), lockedUntil: null },
      });
      return count === 1 ? "deferred" : "lost";
    }
  }

  const locale = definition.to === "merchant" ? messageLocale(shop, null) : messageLocale(shop, customer);
  const base = deps.appUrl.replace(/\/+$/, "");
  const unsubscribe =
    definition.kind === "marketing" && customer
      ? `${base}/messages/unsubscribe?t=${encodeURIComponent(unsubscribeToken(deps.secret, row.shopId, customer.id))}`
      : null;
  const open = `${base}/messages/open?t=${encodeURIComponent(openToken(deps.secret, row.id))}`;
  let composed;
  try {
    composed = await composeEmail(deps, {
      shop: { id: shop.id, domain: shop.domain, name: shop.name, currency: shop.currency, timezone },
      message,
      locale,
      customerId: definition.to === "customer" ? (customer?.id ?? null) : (row.customerId ?? null),
      payload: event?.payload ?? {},
      settings,
      links: { unsubscribe, open },
    });
  } catch (error) {
    // A template that cannot be filled would fail the same way again.
    return fail(deps, id, "queued", `Not composed: ${errorText(error)}`);
  }
  const messageId = row.messageId ?? deps.messageIdFor?.(row.id) ?? `<${row.id}.${row.shopId}@${hostOf(base)}>`;

  // Committed before the SMTP transaction starts: from here a crash leaves "sending" behind.
  const attempts = row.attempts + 1;
  const sending = await deps.db.messageSend.updateMany({
    where: { id, status: "queued", lockedUntil: lease },
    data: {
      status: "sending",
      attempts,
      sentAt: deps.clock(),
      lockedUntil: new Date(deps.clock().getTime() + SEND_LEASE_MS),
      messageId,
      recipient,
      subject: composed.subject.slice(0, 500),
      locale,
      reason: null,
    },
  });
  if (sending.count !== 1) return "lost";

  const headers: Record<string, string> = { "Auto-Submitted": "auto-generated" };
  if (unsubscribe) {
    headers["List-Unsubscribe"] = `<${unsubscribe}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  try {
    await deps.sendMail({
      from: deps.mailFrom(settings.fromName ?? shop.name),
      to: recipient,
      replyTo: settings.replyTo,
      subject: composed.subject,
      html: composed.html,
      text: composed.text,
      messageId,
      headers,
    });
  } catch (error) {
    return isTemporaryMailError(error) ? retryOrFail(deps, id, attempts, errorText(error)) : fail(deps, id, "sending", errorText(error));
  }
  // The crash test's hook: the process dies between the server's 250 and the record of it.
  if (process.env.KEMBALI_TEST_CRASH_AFTER_SEND === "1") process.kill(process.pid, "SIGKILL");
  // The 250 is the truth: recorded even if the row was meanwhile taken for abandoned.
  await deps.db.messageSend.updateMany({
    where: { id, status: { in: ["sending", "unconfirmed"] } },
    data: { status: "sent", lockedUntil: null, error: null },
  });
  return "sent";
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || "kembali.invalid";
  } catch {
    return "kembali.invalid";
  }
}

async function sendChannel(deps: SendingDeps, id: string, lease: Date): Promise<Outcome> {
  const row = await deps.db.messageSend.findUniqueOrThrow({ where: { id } });
  const sender = deps.senders?.(row.channel) ?? null;
  if (!sender) return fail(deps, id, "queued", `No sender for channel ${row.channel}`);
  const shop = await deps.db.shop.findUniqueOrThrow({
    where: { id: row.shopId },
    select: { id: true, domain: true, name: true, currency: true, timezone: true, klaviyoKey: true, uninstalledAt: true },
  });
  if (shop.uninstalledAt) return skip(deps, id, lease, "uninstalled");
  const event = row.eventId ? await deps.db.customerEvent.findFirst({ where: { id: row.eventId, shopId: row.shopId } }) : null;
  if (!event) return fail(deps, id, "queued", "The event is gone");
  const customer = event.customerId
    ? await deps.db.customer.findFirst({
        where: { id: event.customerId, shopId: row.shopId },
        select: {
          id: true,
          shopifyCustomerId: true,
          email: true,
          firstName: true,
          lastName: true,
          balance: true,
          tier: true,
          holdout: true,
        },
      })
    : null;
  if (customer?.holdout) return skip(deps, id, lease, "holdout");

  const attempts = row.attempts + 1;
  const sending = await deps.db.messageSend.updateMany({
    where: { id, status: "queued", lockedUntil: lease },
    data: { status: "sending", attempts, sentAt: deps.clock(), lockedUntil: new Date(deps.clock().getTime() + SEND_LEASE_MS) },
  });
  if (sending.count !== 1) return "lost";
  const delivery: ChannelDelivery = {
    shop: {
      id: shop.id,
      domain: shop.domain,
      name: shop.name,
      currency: shop.currency,
      timezone: knownTimeZone(shop.timezone),
      klaviyoKey: shop.klaviyoKey,
    },
    send: { id: row.id, key: row.key, channel: row.channel, attempts },
    event: {
      id: event.id,
      type: event.type,
      key: event.key,
      payload: event.payload,
      createdAt: event.createdAt,
      customer: customer
        ? {
            id: customer.id,
            shopifyCustomerId: customer.shopifyCustomerId,
            email: customer.email,
            firstName: customer.firstName,
            lastName: customer.lastName,
            balance: customer.balance,
            tier: customer.tier,
          }
        : null,
    },
  };
  try {
    await sender(delivery);
  } catch (error) {
    if (error instanceof RetryLater) return retryOrFail(deps, id, attempts, error.message, error.afterMs ?? 0);
    return fail(deps, id, "sending", errorText(error));
  }
  await deps.db.messageSend.updateMany({
    where: { id, status: { in: ["sending", "queued"] } },
    data: { status: "sent", lockedUntil: null, error: null },
  });
  return "sent";
}

/**
 * The merchant sends an unconfirmed or failed email again, by hand: queued now, with the same
 * Message-ID (a mail system that already has it may drop the copy). Scoped to the shop.
 */
export async function resendMessage(deps: Pick<TxDeps, "db" | "clock">, shopId: string, sendId: string) {
  const { count } = await deps.db.messageSend.updateMany({
    where: { id: sendId, shopId, channel: "email", status: { in: ["unconfirmed", "failed"] } },
    data: { status: "queued", runAfter: deps.clock(), lockedUntil: null, attempts: 0, error: null, reason: null },
  });
  if (count !== 1) throw new KembaliError("NOT_FOUND", "No unconfirmed or failed email with that id");
}
