// Who an email goes to, and why it does not: read when an event is routed and again right
// before it is sent (a customer may unsubscribe, lose consent or change address in between).
import { readAppearance } from "../shop/appearance";
import { MESSAGES, type MessageKey } from "./catalog";
import type { MessagesSettings } from "./settings";

/** Why a send is "skipped" (MessageSend.reason), as the admin's log shows it. */
export type SkipReason = "off" | "no_email" | "holdout" | "consent" | "unsubscribed" | "cap" | "uninstalled";

export interface AudienceCustomer {
  email: string | null;
  holdout: boolean;
  emailMarketing: string | null;
  unsubscribedAt: Date | null;
  locale: string | null;
}

export interface AudienceShop {
  uninstalledAt: Date | null;
  appearance: unknown;
}

export const AUDIENCE_CUSTOMER_SELECT = {
  id: true,
  email: true,
  holdout: true,
  emailMarketing: true,
  unsubscribedAt: true,
  locale: true,
} as const;

/** The address an email message goes to, or why it goes nowhere. */
export function emailAudience(
  message: MessageKey,
  shop: AudienceShop,
  settings: MessagesSettings,
  customer: AudienceCustomer | null,
): { recipient: string | null; reason: SkipReason | null } {
  const definition = MESSAGES[message];
  if (shop.uninstalledAt) return { recipient: null, reason: "uninstalled" };
  if (!settings.messages[message].enabled) return { recipient: null, reason: "off" };
  if (definition.to === "merchant") {
    return settings.alertEmail ? { recipient: settings.alertEmail, reason: null } : { recipient: null, reason: "no_email" };
  }
  const recipient = customer?.email?.trim() || null;
  if (!customer || !recipient) return { recipient: null, reason: "no_email" };
  if (customer.holdout) return { recipient, reason: "holdout" };
  if (definition.kind === "marketing") {
    if (customer.unsubscribedAt) return { recipient, reason: "unsubscribed" };
    if (customer.emailMarketing !== "SUBSCRIBED") return { recipient, reason: "consent" };
  }
  return { recipient, reason: null };
}

/** The customer's language, else the storefront widget's default language, else English. */
export function messageLocale(shop: AudienceShop, customer: Pick<AudienceCustomer, "locale"> | null): "en" | "id" {
  if (customer?.locale === "en" || customer?.locale === "id") return customer.locale;
  return shop.appearance ? readAppearance(shop.appearance).defaultLanguage : "en";
}
