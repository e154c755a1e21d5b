// The merchant's outgoing webhooks: an https endpoint of theirs receives the events it asked
// for, as JSON signed with its own secret (X-Kembali-Hmac-Sha256: base64 HMAC-SHA256 of the raw
// body), retried with backoff like every channel (one MessageSend row per event and endpoint,
// channel webhook:<id>); those rows are its delivery log.
import { createHmac, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { parseInput } from "../validation";
import { EVENT_TYPES, type EventType } from "./catalog";
import type { ChannelSender } from "./channels";
import { judge, post, type FetchLike } from "./http-delivery";

export const WEBHOOK_URL_MAX = 500;
/** Endpoints per shop. */
export const WEBHOOKS_MAX = 10;
/** Delivery log rows shown per endpoint. */
export const DELIVERY_LOG_SIZE = 20;

export const WEBHOOK_CHANNEL_PREFIX = "webhook:";
export const webhookChannel = (webhookId: string) => `${WEBHOOK_CHANNEL_PREFIX}${webhookId}`;

/** The base64 HMAC-SHA256 of the raw body with the endpoint's secret (X-Kembali-Hmac-Sha256). */
export function signWebhookBody(secret: string, rawBody: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

// ---- the address ----------------------------------------------------------------------------

function ipv4Parts(host: string): number[] | null {
  if (isIP(host) !== 4) return null;
  return host.split(".").map(Number);
}

/** Loopback, private, link-local, shared (CGNAT), unspecified, multicast or reserved IPv4. */
function internalIpv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** Loopback, unspecified, unique-local, link-local, multicast IPv6, or an IPv4-mapped internal one. */
function internalIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "::" || h === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return internalIpv4(ipv4Parts(mapped[1]) ?? [0]);
  // The URL parser writes a mapped address in hex (::ffff:7f00:1).
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    return internalIpv4([hi >> 8, hi & 0xff]);
  }
  return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith("ff");
}

/**
 * Why an endpoint address is refused, or null. Production: https only, no credentials in it,
 * and not localhost or an internal IP literal. `insecure` (demo mode and tests) allows http and
 * local addresses, so a receiver on this computer can be tried.
 */
export function webhookUrlProblem(value: string, opts: { insecure?: boolean } = {}): string | null {
  if ([...value].length > WEBHOOK_URL_MAX) return `At most ${WEBHOOK_URL_MAX} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Not a URL";
  }
  if (url.username || url.password) return "No user name or password in the address";
  if (url.protocol !== "https:" && !(opts.insecure && url.protocol === "http:")) return "Must start with https://";
  if (opts.insecure) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  // localhost, mDNS names and single-label (intranet) names are not on the internet.
  const singleLabel = !host.includes(".") && isIP(host) === 0;
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || singleLabel) return "Not a public address";
  const v4 = ipv4Parts(host);
  if (v4 && internalIpv4(v4)) return "Not a public address";
  if (isIP(host) === 6 && internalIpv6(host)) return "Not a public address";
  return null;
}

// ---- create, list, delete -------------------------------------------------------------------

const webhookInput = z.object({
  url: z.string().trim().min(1),
  events: z
    .array(z.enum(EVENT_TYPES))
    .min(1, "Choose at least one event")
    .transform((events) => EVENT_TYPES.filter((e) => events.includes(e))),
});

export interface OutgoingWebhookView {
  id: string;
  url: string;
  events: EventType[];
  active: boolean;
  createdAt: Date;
}

const readEvents = (stored: unknown): EventType[] =>
  Array.isArray(stored) ? EVENT_TYPES.filter((e) => (stored as unknown[]).includes(e)) : [];

async function shopIdOf(deps: Pick<Deps, "db">, shopDomain: string): Promise<string> {
  const shop = await deps.db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  return shop.id;
}

/**
 * Adds an endpoint. Bad input is a 400 (issues by field: url, events) and changes nothing. The
 * secret comes back only here: the merchant copies it now to check the signatures.
 */
export async function createOutgoingWebhook(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  input: unknown,
  opts: { insecure?: boolean } = {},
): Promise<{ webhook: OutgoingWebhookView; secret: string }> {
  const { url, events } = parseInput(webhookInput, input, "Invalid webhook");
  const problem = webhookUrlProblem(url, opts);
  if (problem) throw new KembaliError("BAD_INPUT", "Invalid webhook", { issues: [{ path: "url", message: problem }] });
  const shopId = await shopIdOf(deps, shopDomain);
  if ((await deps.db.outgoingWebhook.count({ where: { shopId } })) >= WEBHOOKS_MAX) {
    throw new KembaliError("BAD_INPUT", "Invalid webhook", { issues: [{ path: "url", message: `At most ${WEBHOOKS_MAX} webhooks` }] });
  }
  const secret = randomBytes(32).toString("base64url");
  const row = await deps.db.outgoingWebhook.create({ data: { shopId, url, secret, events } });
  return { webhook: { id: row.id, url: row.url, events, active: row.active, createdAt: row.createdAt }, secret };
}

/** The shop's endpoints, oldest first, without their secrets. */
export async function listOutgoingWebhooks(deps: Pick<Deps, "db">, shopDomain: string): Promise<OutgoingWebhookView[]> {
  const shopId = await shopIdOf(deps, shopDomain);
  const rows = await deps.db.outgoingWebhook.findMany({ where: { shopId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ id: r.id, url: r.url, events: readEvents(r.events), active: r.active, createdAt: r.createdAt }));
}

/** Deletes one of the shop's endpoints (another shop's id is NOT_FOUND); its queued deliveries then fail. */
export async function deleteOutgoingWebhook(deps: Pick<Deps, "db">, shopDomain: string, webhookId: string): Promise<void> {
  const shopId = await shopIdOf(deps, shopDomain);
  const { count } = await deps.db.outgoingWebhook.deleteMany({ where: { id: webhookId, shopId } });
  if (count === 0) throw new KembaliError("NOT_FOUND", "No such webhook");
}

export interface WebhookDelivery {
  id: string;
  message: string;
  status: string;
  attempts: number;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** When it is tried next (queued after a failure). */
  runAfter: Date;
}

/** An endpoint's delivery log: its MessageSend rows, newest first. */
export async function webhookDeliveries(
  deps: Pick<Deps, "db">,
  shopDomain: string,
  webhookId: string,
  limit = DELIVERY_LOG_SIZE,
): Promise<WebhookDelivery[]> {
  const shopId = await shopIdOf(deps, shopDomain);
  return deps.db.messageSend.findMany({
    where: { shopId, channel: webhookChannel(webhookId) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(1, limit), 100),
    select: { id: true, message: true, status: true, attempts: true, error: true, createdAt: true, sentAt: true, runAfter: true },
  });
}

// ---- the sender -----------------------------------------------------------------------------

/** The JSON an endpoint receives. */
export interface WebhookBody {
  /** The event's id: the same on every retry (also X-Kembali-Event-Id), so the receiver can dedupe. */
  id: string;
  type: string;
  shop: string;
  occurred_at: string;
  customer: { id: string; email: string | null } | null;
  data: unknown;
}

/**
 * Posts the event to the endpoint of the row's channel (webhook:<id>, of the delivery's shop).
 * 2xx: done. 429, 5xx, a timeout, no connection: RetryLater. Any other answer (a redirect
 * included: it is not followed), or an endpoint deleted or switched off since: failed for good.
 */
export function webhookSender(deps: Pick<Deps, "db" | "clock">, opts: { fetchImpl?: FetchLike; timeoutMs?: number } = {}): ChannelSender {
  const fetchImpl = opts.fetchImpl ?? fetch;
  return async (delivery) => {
    const { shop, event, send } = delivery;
    if (!send.channel.startsWith(WEBHOOK_CHANNEL_PREFIX)) throw new Error(`Not a webhook channel: ${send.channel}`);
    const webhookId = send.channel.slice(WEBHOOK_CHANNEL_PREFIX.length);
    const hook = await deps.db.outgoingWebhook.findFirst({ where: { id: webhookId, shopId: shop.id } });
    if (!hook) throw new Error("The webhook was deleted");
    if (!hook.active) throw new Error("The webhook is switched off");
    const body: WebhookBody = {
      id: event.id,
      type: event.type,
      shop: shop.domain,
      occurred_at: event.createdAt.toISOString(),
      customer: event.customer ? { id: event.customer.shopifyCustomerId, email: event.customer.email } : null,
      data: event.payload,
    };
    const raw = JSON.stringify(body);
    const response = await post(
      fetchImpl,
      hook.url,
      {
        headers: {
          "content-type": "application/json",
          "user-agent": "Kembali-Webhooks/1",
          "X-Kembali-Topic": event.type,
          "X-Kembali-Event-Id": event.id,
          "X-Kembali-Shop-Domain": shop.domain,
          "X-Kembali-Hmac-Sha256": signWebhookBody(hook.secret, raw),
        },
        body: raw,
      },
      "The endpoint",
      opts.timeoutMs,
    );
    // The answer's body is the merchant's own: it is not read or kept (nor waited for).
    response.body?.cancel().catch(() => {});
    judge(response, "The endpoint", deps.clock());
  };
}
