// The Messages form as the page holds it (text fields as typed), the domain's input made from
// it, and a refusal's issues as per-field messages.
import type { KembaliError } from "~/domain/errors";
import { MESSAGE_KEYS, type MessageKey as Message } from "~/domain/messages/catalog";
import type { MessagesSettings } from "~/domain/messages/settings";
import type { MessageKey } from "~/i18n";

export interface MessageForm {
  enabled: boolean;
  subjectEn: string;
  subjectId: string;
  bodyEn: string;
  bodyId: string;
}

export interface FormState {
  messages: Record<Message, MessageForm>;
  fromName: string;
  replyTo: string;
  alertEmail: string;
  capCount: string;
  capDays: string;
  quietEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  rewardExpiringDays: string;
  replenishmentMinRepeats: string;
  conversionDays: string;
  welcomeRewardId: string;
}

export function asForm(s: MessagesSettings): FormState {
  return {
    messages: Object.fromEntries(
      MESSAGE_KEYS.map((k) => {
        const m = s.messages[k];
        return [
          k,
          {
            enabled: m.enabled,
            subjectEn: m.subject.en ?? "",
            subjectId: m.subject.id ?? "",
            bodyEn: m.body.en ?? "",
            bodyId: m.body.id ?? "",
          },
        ];
      }),
    ) as Record<Message, MessageForm>,
    fromName: s.fromName ?? "",
    replyTo: s.replyTo ?? "",
    alertEmail: s.alertEmail ?? "",
    capCount: String(s.frequencyCap.count),
    capDays: String(s.frequencyCap.days),
    quietEnabled: s.quietHours.enabled,
    quietStart: String(s.quietHours.start),
    quietEnd: String(s.quietHours.end),
    rewardExpiringDays: String(s.rewardExpiringDays),
    replenishmentMinRepeats: String(s.replenishmentMinRepeats),
    conversionDays: String(s.conversionDays),
    welcomeRewardId: s.welcomeRewardId ?? "",
  };
}

const WHOLE = /^-?\d+$/;
/** A whole number stays a number; anything else is passed on as typed, for the schema to refuse. */
const whole = (value: unknown) => (typeof value === "string" && WHOLE.test(value.trim()) ? Number(value.trim()) : value);
const text = (value: unknown) => (typeof value === "string" ? value.trim() || null : value);

/** The posted form (JSON of FormState) as saveMessagesPage's input; unreadable parts go on for the schema to refuse. */
export function settingsInput(raw: unknown): Record<string, unknown> {
  const form = (raw && typeof raw === "object" ? raw : {}) as Partial<Record<keyof FormState, unknown>>;
  const edited = (form.messages && typeof form.messages === "object" ? form.messages : {}) as Record<string, Partial<MessageForm>>;
  const messages: Record<string, unknown> = {};
  for (const key of MESSAGE_KEYS) {
    const m = edited[key];
    if (!m || typeof m !== "object") continue;
    messages[key] = {
      enabled: m.enabled,
      subject: { en: text(m.subjectEn), id: text(m.subjectId) },
      body: { en: text(m.bodyEn), id: text(m.bodyId) },
    };
  }
  return {
    messages,
    fromName: text(form.fromName),
    replyTo: text(form.replyTo),
    alertEmail: text(form.alertEmail),
    frequencyCap: { count: whole(form.capCount), days: whole(form.capDays) },
    quietHours: { enabled: form.quietEnabled, start: whole(form.quietStart), end: whole(form.quietEnd) },
    rewardExpiringDays: whole(form.rewardExpiringDays),
    replenishmentMinRepeats: whole(form.replenishmentMinRepeats),
    conversionDays: whole(form.conversionDays),
    welcomeRewardId: text(form.welcomeRewardId),
  };
}

const FIELD: Record<string, { field: string; message: MessageKey }> = {
  fromName: { field: "fromName", message: "messages.error.text" },
  replyTo: { field: "replyTo", message: "messages.error.email" },
  alertEmail: { field: "alertEmail", message: "messages.error.email" },
  "frequencyCap.count": { field: "capCount", message: "messages.error.capCount" },
  "frequencyCap.days": { field: "capDays", message: "messages.error.capDays" },
  "quietHours.start": { field: "quietStart", message: "messages.error.hour" },
  "quietHours.end": { field: "quietEnd", message: "messages.error.hour" },
  rewardExpiringDays: { field: "rewardExpiringDays", message: "messages.error.rewardExpiringDays" },
  replenishmentMinRepeats: { field: "replenishmentMinRepeats", message: "messages.error.replenishmentMinRepeats" },
  conversionDays: { field: "conversionDays", message: "messages.error.conversionDays" },
  welcomeRewardId: { field: "welcomeRewardId", message: "messages.error.welcomeReward" },
};

/** A message's text field: "welcome.subjectEn". */
export const textField = (message: Message, part: "subject" | "body", locale: "en" | "id") =>
  `${message}.${part}${locale === "en" ? "En" : "Id"}`;

export function settingsFields(error: KembaliError): Record<string, MessageKey> {
  const fields: Record<string, MessageKey> = {};
  for (const issue of (error.details?.issues ?? []) as Array<{ path: string }>) {
    const known = FIELD[issue.path];
    if (known) {
      fields[known.field] = known.message;
      continue;
    }
    const m = /^messages\.(\w+)\.(subject|body)\.(en|id)$/.exec(issue.path);
    if (m && (MESSAGE_KEYS as readonly string[]).includes(m[1])) {
      fields[textField(m[1] as Message, m[2] as "subject" | "body", m[3] as "en" | "id")] =
        m[2] === "subject" ? "messages.error.subject" : "messages.error.body";
    } else if (issue.path.startsWith("messages")) fields.messages = "messages.error.settings";
  }
  return fields;
}
