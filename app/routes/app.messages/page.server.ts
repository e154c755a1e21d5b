// The Messages page's loader and action, on the server only.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { appDeps } from "~/deps.server";
import { mailFrom, messageIdFor, sendMail } from "~/mail.server";
import { messagesPage, previewMessage, saveMessagesPage, sendTestMessage } from "~/admin/messages";
import { KembaliError } from "~/domain/errors";
import type { ComposedEmail } from "~/domain/messages/compose";
import type { MessageKey } from "~/i18n";
import { settingsFields, settingsInput } from "./settings-form";

const INTENTS = ["settings", "preview", "test"] as const;
type Intent = (typeof INTENTS)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const url = new URL(request.url);
  try {
    return await messagesPage({ db: prisma }, shop, {
      message: url.searchParams.get("message"),
      q: url.searchParams.get("q"),
      customer: url.searchParams.get("customer"),
    });
  } catch (error) {
    throw errorResponse(error);
  }
}

export interface MessagesActionResult {
  intent: Intent;
  ok: boolean;
  /** The message for a refused or unsuccessful change, and the fields it belongs to. */
  error: MessageKey | null;
  fields: Record<string, MessageKey>;
  preview?: ComposedEmail & { locale: string };
  test?: { status: "sent" | "failed"; to: string };
}

const PREVIEW_FIELDS: Record<string, MessageKey> = {
  message: "messages.error.message",
  customerId: "messages.error.member",
  subject: "messages.error.subject",
  body: "messages.error.body",
  to: "messages.error.email",
  locale: "messages.error.settings",
};

/** Each change is one intent; refused input answers 400 with the message to show, and writes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) throw errorResponse(new KembaliError("BAD_INPUT", "Unknown intent"));
  const text = (name: string) => String(form.get(name) ?? "");
  const result = (ok: boolean, error: MessageKey | null = null, more: Partial<MessagesActionResult> = {}): MessagesActionResult => ({
    intent,
    ok,
    error,
    fields: {},
    ...more,
  });
  const draft = () => ({
    message: text("message"),
    locale: text("locale"),
    customerId: text("customerId"),
    subject: text("subject"),
    body: text("body"),
    to: text("to"),
  });
  try {
    switch (intent) {
      case "settings": {
        let posted: unknown;
        try {
          posted = JSON.parse(text("settings"));
        } catch {
          throw new KembaliError("BAD_INPUT", "Invalid message settings");
        }
        await saveMessagesPage({ db: prisma }, shop, settingsInput(posted));
        return result(true);
      }
      case "preview":
        return result(true, null, { preview: await previewMessage(appDeps, shop, draft()) });
      case "test": {
        const sent = await sendTestMessage(appDeps, { sendMail, mailFrom, messageIdFor }, shop, draft());
        if (sent.status === "sent") return result(true, null, { test: sent });
        return data(result(false, "messages.test.failed", { test: sent }), { status: 422 });
      }
    }
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      let fields: Record<string, MessageKey>;
      if (intent === "settings") fields = settingsFields(error);
      else {
        fields = {};
        for (const issue of (error.details?.issues ?? []) as Array<{ path: string }>) {
          const known = PREVIEW_FIELDS[issue.path];
          if (known) fields[issue.path] = known;
        }
      }
      const first: MessageKey = intent === "settings" ? "messages.error.settings" : (Object.values(fields)[0] ?? "messages.preview.failed");
      return data(result(false, first, { fields }), { status: 400 });
    }
    throw errorResponse(error);
  }
}
