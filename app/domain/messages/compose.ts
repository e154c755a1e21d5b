// Builds one email from a message's template (the merchant's or the built-in one), the event's
// payload and the customer's data as it is now. Everything a template puts in is text: names,
// reward names, comments, codes and the template's own words (the merchant types them) are
// escaped in the HTML part, and links must be http(s).
// A paragraph whose variable has no value (no code, no comment, no referral link) is left out.
import { formatMoney } from "../../../common/money";
import type { Deps } from "../deps";
import { KembaliError } from "../errors";
import { readSettings } from "../earning/program";
import { referralUrl } from "../referrals/codes";
import { currentTierProgram } from "../tiers";
import { MESSAGES, TEMPLATE_VARIABLES, VARIABLE, type EventPayloads, type MessageKey, type TemplateVariable } from "./catalog";
import type { MessagesSettings } from "./settings";
import { DEFAULT_TEMPLATES, FRAME_TEXTS, type MessageLocale } from "./templates";

export { type MessageLocale, MESSAGE_LOCALES } from "./templates";
export { unknownVariables } from "./catalog";

export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface MessageLinks {
  unsubscribe: string | null;
  open: string | null;
}

export interface ComposeShop {
  id: string;
  domain: string;
  name: string | null;
  currency: string;
  timezone: string;
}

export interface ComposeInput {
  shop: ComposeShop;
  message: MessageKey;
  locale: MessageLocale;
  customerId: string | null;
  payload: unknown;
  settings: MessagesSettings;
  links: MessageLinks;
}

export interface ProductCard {
  title: string;
  url: string;
  imageUrl: string | null;
  price: string | null;
}

/** A variable's value: text, a link, or product cards; "" or [] when there is none. */
export type VariableValue = string | { href: string; label: string } | ProductCard[];
export type Variables = Record<TemplateVariable, VariableValue>;

export function defaultTemplate(message: MessageKey, locale: MessageLocale): { subject: string; body: string } {
  return DEFAULT_TEMPLATES[message][locale];
}

/** The template in use: the merchant's subject and body for that language, else the built-in ones. */
export function templateFor(settings: MessagesSettings, message: MessageKey, locale: MessageLocale) {
  const own = settings.messages[message];
  const builtIn = defaultTemplate(message, locale);
  return { subject: own.subject[locale] ?? builtIn.subject, body: own.body[locale] ?? builtIn.body };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Only absolute http(s) URLs become links; anything else is dropped. */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

const isEmpty = (v: VariableValue) => (Array.isArray(v) ? v.length === 0 : typeof v === "string" ? v.trim() === "" : !v.href);

function asText(v: VariableValue): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((p) => [p.price ? `${p.title} (${p.price})` : p.title, p.url].join("\n")).join("\n\n");
  return v.href;
}

function asHtml(name: TemplateVariable, v: VariableValue): string {
  if (typeof v === "string") {
    return name === "code"
      ? `<strong style="font-family:monospace;font-size:16px;letter-spacing:1px">${escapeHtml(v)}</strong>`
      : escapeHtml(v);
  }
  if (Array.isArray(v)) return productCards(v);
  return `<a href="${escapeHtml(v.href)}" style="color:#2c6ecb">${escapeHtml(v.label)}</a>`;
}

function productCards(products: ProductCard[]): string {
  const cells = products.map((p) => {
    const image = p.imageUrl
      ? `<img src="${escapeHtml(p.imageUrl)}" alt="" width="160" style="display:block;width:160px;max-width:100%;border-radius:6px">`
      : "";
    const price = p.price ? `<div style="color:#616161">${escapeHtml(p.price)}</div>` : "";
    return `<td style="padding:6px;vertical-align:top;width:33%"><a href="${escapeHtml(p.url)}" style="color:#202223;text-decoration:none">${image}<div style="margin-top:6px">${escapeHtml(p.title)}</div>${price}</a></td>`;
  });
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="width:100%"><tr>${cells.join("")}</tr></table>`;
}

function fill(text: string, vars: Variables, render: (name: TemplateVariable, v: VariableValue) => string): string {
  return text.replace(VARIABLE, (whole, name: string) =>
    (TEMPLATE_VARIABLES as readonly string[]).includes(name) ? render(name as TemplateVariable, vars[name as TemplateVariable]) : whole,
  );
}

/** Paragraphs of the body (blank-line separated), without those that use a variable with no value. */
function paragraphs(body: string, vars: Variables): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .filter((p) => ![...p.matchAll(VARIABLE)].some((m) => m[1]! in vars && isEmpty(vars[m[1]! as TemplateVariable])));
}

/** Renders a template with its variables: pure, so the admin's preview is exactly what is sent. */
export function renderEmail(
  template: { subject: string; body: string },
  vars: Variables,
  frame: { locale: MessageLocale; shopName: string; links: MessageLinks; toMerchant: boolean },
): ComposedEmail {
  const subject = fill(template.subject, vars, (_n, v) => asText(v))
    .replace(/\s+/g, " ")
    .trim();
  const parts = paragraphs(template.body, vars);
  const texts = FRAME_TEXTS[frame.locale];
  const why = texts.why.replace("{{shop_name}}", frame.shopName);
  const unsubscribe = frame.links.unsubscribe ? safeUrl(frame.links.unsubscribe) : null;
  const open = frame.links.open ? safeUrl(frame.links.open) : null;

  const text = [
    ...parts.map((p) => fill(p, vars, (_n, v) => asText(v))),
    ...(frame.toMerchant ? [] : ["--", why, ...(unsubscribe ? [`${texts.unsubscribe}: ${unsubscribe}`] : [])]),
  ].join("\n\n");

  const body = parts
    .map((p) =>
      /^\{\{\s*products\s*\}\}$/.test(p)
        ? asHtml("products", vars.products)
        : `<p style="margin:0 0 16px;line-height:1.5">${fill(escapeHtml(p), vars, asHtml).split("\n").join("<br>")}</p>`,
    )
    .join("\n");
  const footer = frame.toMerchant
    ? ""
    : `<hr style="border:0;border-top:1px solid #e3e3e3;margin:24px 0 12px"><p style="margin:0;font-size:12px;color:#616161">${escapeHtml(why)}${
        unsubscribe ? ` <a href="${escapeHtml(unsubscribe)}" style="color:#616161">${escapeHtml(texts.unsubscribe)}</a>` : ""
      }</p>`;
  const pixel = open ? `<img src="${escapeHtml(open)}" width="1" height="1" alt="" style="display:block;border:0">` : "";
  const html = `<!doctype html>
<html lang="${frame.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f6f6f7">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;color:#202223;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px">
<p style="margin:0 0 20px;font-size:18px;font-weight:600">${escapeHtml(frame.shopName)}</p>
${body}
${footer}${pixel}
</div></body></html>`;
  return { subject, html, text };
}

const numberLocale = (locale: MessageLocale) => (locale === "id" ? "id-ID" : "en-US");

function formatDate(iso: string | null | undefined, locale: MessageLocale, timeZone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(numberLocale(locale), { dateStyle: "long", timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(numberLocale(locale), { dateStyle: "long", timeZone: "UTC" }).format(date);
  }
}

type Db = Pick<Deps, "db">["db"];

/** Up to three products as cards: those named, in order, that exist, are available and not excluded. */
async function cards(db: Db, shop: ComposeShop, productIds: string[], locale: MessageLocale): Promise<ProductCard[]> {
  if (productIds.length === 0) return [];
  const rows = await db.product.findMany({
    where: { shopId: shop.id, productId: { in: productIds }, available: true, excluded: false, deletedAt: null, handle: { not: null } },
    select: { productId: true, title: true, handle: true, imageUrl: true, priceMinor: true },
  });
  const byId = new Map(rows.map((r) => [r.productId, r]));
  return productIds
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .slice(0, 3)
    .map((r) => ({
      title: r.title ?? r.handle!,
      url: `https://${shop.domain}/products/${encodeURIComponent(r.handle!)}`,
      imageUrl: r.imageUrl && safeUrl(r.imageUrl) ? r.imageUrl : null,
      price: r.priceMinor !== null ? formatMoney({ amount: Number(r.priceMinor), currency: shop.currency }, numberLocale(locale)) : null,
    }));
}

function bestSellerIds(stored: string | null): string[] {
  try {
    const ids: unknown = JSON.parse(stored ?? "[]");
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** Every variable's value for this message, from the payload and the customer's data now. */
export async function messageVariables(deps: Pick<Deps, "db">, input: Omit<ComposeInput, "settings" | "links">): Promise<Variables> {
  const { db } = deps;
  const { shop, message, locale, customerId } = input;
  const p = (input.payload ?? {}) as Partial<EventPayloads[keyof EventPayloads]> & Record<string, unknown>;
  const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? new Intl.NumberFormat(numberLocale(locale)).format(x) : "");
  const s = (x: unknown) => (typeof x === "string" ? x : "");

  const shopRow = await db.shop.findUnique({ where: { id: shop.id }, select: { settings: true, bestSellersWritten: true } });
  if (!shopRow) throw new KembaliError("NOT_FOUND", "Shop not found");
  const customer = customerId
    ? await db.customer.findFirst({
        where: { id: customerId, shopId: shop.id },
        select: { id: true, firstName: true, balance: true, tier: true, stamps: true, referralCode: { select: { code: true } } },
      })
    : null;
  if (customerId && !customer) throw new KembaliError("NOT_FOUND", "Customer not found");

  let tierName = s(p.toName);
  if (!tierName && customer?.tier) {
    const program = await currentTierProgram(db, shop.id);
    tierName = program?.tiers.find((t) => t.key === customer.tier)?.name ?? "";
  }

  // The reward a message is about: the event's, or for the welcome message the member's welcome code.
  let reward = { name: s(p.rewardName), code: s(p.code), expiresAt: s(p.expiresAt) };
  if (message === "welcome" && customer) {
    const welcome = await db.redemption.findFirst({
      where: { shopId: shop.id, customerId: customer.id, requestId: `welcome:${customer.id}`, status: "issued" },
      select: { code: true, expiresAt: true, reward: { select: { name: true } } },
    });
    reward = welcome
      ? { name: welcome.reward.name, code: welcome.code ?? "", expiresAt: welcome.expiresAt?.toISOString() ?? "" }
      : { name: "", code: "", expiresAt: "" };
  }

  const productIds =
    message === "replenishment"
      ? [s(p.productId)]
      : ["welcome", "win_back", "points_expiring", "reward_expiring", "friend_rewarded"].includes(message)
        ? bestSellerIds(shopRow.bestSellersWritten)
        : [];
  const stampTarget = readSettings(shopRow.settings, shop.currency).stamps.target;
  const texts = FRAME_TEXTS[locale];
  const score = typeof p.score === "number" ? String(p.score) : "";

  return {
    name: customer?.firstName?.trim() || (MESSAGES[message].to === "merchant" ? texts.customer : texts.someone),
    shop_name: shop.name ?? shop.domain,
    balance: customer ? n(customer.balance) : "",
    points: n(p.points),
    reward_name: reward.name,
    code: reward.code,
    expires_on: formatDate(reward.expiresAt || s(p.expiresAt), locale, shop.timezone),
    tier: tierName,
    referral_link: customer?.referralCode
      ? { href: referralUrl(shop.domain, customer.referralCode.code), label: referralUrl(shop.domain, customer.referralCode.code) }
      : "",
    survey_link: message === "survey_due" ? { href: `https://${shop.domain}/account`, label: texts.answer } : "",
    order_name: s(p.orderName) || (s(p.shopifyOrderId) ? `#${s(p.shopifyOrderId)}` : ""),
    products: await cards(db, shop, productIds, locale),
    stamps:
      message === "stamp_reward"
        ? n(typeof p.target === "number" ? p.target : stampTarget)
        : customer
          ? `${n(customer.stamps)}/${n(stampTarget)}`
          : "",
    score,
    comment: s(p.comment),
  };
}

/** The email for one message to one customer (or the merchant), ready for sendMail. */
export async function composeEmail(deps: Pick<Deps, "db" | "clock">, input: ComposeInput): Promise<ComposedEmail> {
  const vars = await messageVariables(deps, input);
  const toMerchant = MESSAGES[input.message].to === "merchant";
  return renderEmail(templateFor(input.settings, input.message, input.locale), vars, {
    locale: input.locale,
    shopName: input.shop.name ?? input.shop.domain,
    links: toMerchant ? { unsubscribe: null, open: input.links.open } : input.links,
    toMerchant,
  });
}

/**
 * A realistic payload for the admin's preview and test send, from the real customer's data:
 * their latest order, their balance, their tier, their latest reward.
 */
export async function samplePayload(
  deps: Pick<Deps, "db" | "clock">,
  shopId: string,
  message: MessageKey,
  customerId: string,
): Promise<unknown> {
  const { db } = deps;
  const now = deps.clock();
  const customer = await db.customer.findFirst({ where: { id: customerId, shopId }, select: { id: true, balance: true, tier: true } });
  if (!customer) throw new KembaliError("NOT_FOUND", "Customer not found");
  const [order, earned, redemption, line] = await Promise.all([
    db.order.findFirst({ where: { shopId, customerId }, orderBy: { orderedAt: "desc" }, select: { shopifyOrderId: true } }),
    db.pointsEntry.findFirst({ where: { shopId, customerId, kind: "earn" }, orderBy: { createdAt: "desc" }, select: { points: true } }),
    db.redemption.findFirst({
      where: { shopId, customerId, code: { not: null } },
      orderBy: { createdAt: "desc" },
      select: { id: true, code: true, expiresAt: true, reward: { select: { name: true } } },
    }),
    db.orderLine.findFirst({
      where: { order: { shopId, customerId } },
      orderBy: { order: { orderedAt: "desc" } },
      select: { productId: true },
    }),
  ]);
  const points = earned?.points ?? 100;
  const orderId = order?.shopifyOrderId ?? "1001";
  const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();
  const sampleReward = redemption
    ? {
        redemptionId: redemption.id,
        rewardName: redemption.reward.name,
        code: redemption.code,
        expiresAt: redemption.expiresAt?.toISOString() ?? inDays(3),
      }
    : { redemptionId: "sample", rewardName: "10% off", code: "KEMBALI-SAMPLE", expiresAt: inDays(3) };
  const payloads: { [K in MessageKey]: unknown } = {
    welcome: {},
    points_earned: { shopifyOrderId: orderId, orderName: `#${orderId}`, points, availableAt: null },
    points_available: { points },
    points_expiring: { points: Math.max(customer.balance, points), expiresAt: inDays(14) },
    reward_issued: { ...sampleReward, source: "redemption" },
    reward_expiring: sampleReward,
    tier_up: { from: null, to: customer.tier, toName: null, direction: "up", version: 1, reason: "order" },
    referral_rewarded: { referralId: "sample", points },
    friend_rewarded: { referralId: "sample", code: sampleReward.code },
    stamp_reward: { shopifyOrderId: orderId, points, target: 5 },
    survey_due: { shopifyOrderId: orderId, orderName: `#${orderId}` },
    detractor_alert: { responseId: "sample", shopifyOrderId: orderId, score: 4, kind: "nps", comment: "The parcel arrived late." },
    win_back: { from: "active", to: "at_risk" },
    replenishment: { productId: line?.productId ?? "", lastBoughtAt: inDays(-30), intervalDays: 30 },
  };
  return payloads[message];
}
