// The Surveys page's loader and action, on the server only (a .server module: the page's
// browser bundle never holds the domain code or its dependencies).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { surveysPage } from "~/admin/surveys";
import { parseResponseFilters, resolveAlert, sendApology } from "~/domain/surveys/admin";
import { saveSurveySettings } from "~/domain/surveys/settings";
import { KembaliError } from "~/domain/errors";
import { appDeps, shopDeps } from "~/deps.server";
import type { MessageKey } from "~/i18n";
import { settingsInput, settingsFields } from "./settings-form";

const INTENTS = ["settings", "apology", "resolve"] as const;
type Intent = (typeof INTENTS)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await adminContext(request, context);
  try {
    const filters = parseResponseFilters(new URL(request.url).searchParams);
    return await surveysPage({ db: prisma }, shop, filters);
  } catch (error) {
    throw errorResponse(error);
  }
}

export interface SurveysActionResult {
  intent: Intent;
  ok: boolean;
  /** The message for a refused or unsuccessful change, and the fields it belongs to. */
  error: MessageKey | null;
  fields: Record<string, MessageKey>;
  alertId?: string;
  /** An apology reward's code, once Shopify created it. */
  code?: string | null;
}

/** Each change is one intent; a refused one answers 400 with the message to show, and writes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) throw errorResponse(new KembaliError("BAD_INPUT", "Unknown intent"));
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const alertId = intent === "settings" ? undefined : text("alertId");
  const result = (ok: boolean, error: MessageKey | null = null, more: Partial<SurveysActionResult> = {}): SurveysActionResult => ({
    intent,
    ok,
    error,
    fields: {},
    alertId,
    ...more,
  });
  try {
    switch (intent) {
      case "settings":
        await saveSurveySettings(appDeps, shop, settingsInput(text));
        return result(true);
      case "resolve": {
        const { resolved } = await resolveAlert(appDeps, shop, alertId);
        return result(true, resolved ? null : "surveys.alerts.already");
      }
      case "apology": {
        const sent = await sendApology(await shopDeps(shop), shop, { alertId, rewardId: text("rewardId") });
        if (sent.sent) return result(true, null, { code: sent.code });
        if (sent.reason === "already_handled") return result(true, "surveys.alerts.already");
        return data(result(false, "surveys.alerts.failed"), { status: 422 });
      }
    }
  } catch (error) {
    if (error instanceof KembaliError && error.code === "BAD_INPUT") {
      const fields = intent === "settings" ? settingsFields(error) : ((error.details?.fields ?? {}) as Record<string, string>);
      const first =
        intent === "settings"
          ? "surveys.error.settings"
          : fields.alert === "guest"
            ? "surveys.error.guest"
            : fields.rewardId
              ? "surveys.error.reward"
              : "surveys.error.alert";
      return data(result(false, first as MessageKey, { fields: fields as Record<string, MessageKey> }), { status: 400 });
    }
    throw errorResponse(error);
  }
}
