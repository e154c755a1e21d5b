// The settings form's fields as the domain's input, and a refusal's issues as per-field messages.
import type { KembaliError } from "~/domain/errors";
import type { MessageKey } from "~/i18n";

const WHOLE = /^-?\d+$/;
/** A whole number stays a number; anything else is passed on as typed, for the schema to refuse. */
const whole = (value: string) => (WHOLE.test(value) ? Number(value) : value);

export function settingsInput(text: (name: string) => string) {
  return {
    enabled: text("enabled") === "true",
    kind: text("kind"),
    question: { en: text("questionEn") || null, id: text("questionId") || null },
    pointsForAnswer: whole(text("pointsForAnswer")),
    delayDays: whole(text("delayDays")),
    throttleDays: whole(text("throttleDays")),
  };
}

const FIELD: Record<string, { field: string; message: MessageKey }> = {
  kind: { field: "kind", message: "surveys.error.kind" },
  "question.en": { field: "questionEn", message: "surveys.error.question" },
  "question.id": { field: "questionId", message: "surveys.error.question" },
  pointsForAnswer: { field: "pointsForAnswer", message: "surveys.error.points" },
  delayDays: { field: "delayDays", message: "surveys.error.delay" },
  throttleDays: { field: "throttleDays", message: "surveys.error.throttle" },
};

export function settingsFields(error: KembaliError): Record<string, MessageKey> {
  const fields: Record<string, MessageKey> = {};
  for (const issue of (error.details?.issues ?? []) as Array<{ path: string }>) {
    const known = FIELD[issue.path];
    if (known) fields[known.field] = known.message;
  }
  return fields;
}
