// POST /app/appearance: saves the widget's appearance from the Settings card, then writes the
// shop's kembali.appearance metafield at once; if Shopify does not take it now, the background
// work retries it (app/jobs.server.ts) and the card says it is pending.
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { log } from "~/log.server";
import {
  appearanceErrorFields,
  appearanceInput,
  loadAppearance,
  saveAppearance,
  syncAppearance,
  type AppearanceField,
} from "~/domain/shop/appearance";
import { KembaliError } from "~/domain/errors";
import { appDeps } from "~/deps.server";
import type { MessageKey } from "~/i18n";

const FIELD_MESSAGE: Record<AppearanceField, MessageKey> = {
  position: "appearance.error.position",
  accent: "appearance.error.accent",
  titleEn: "appearance.error.title",
  titleId: "appearance.error.title",
  languages: "appearance.error.languages",
  defaultLanguage: "appearance.error.defaultLanguage",
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await adminContext(request, context);
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  try {
    const input = appearanceInput({
      position: text("position"),
      accent: text("accent"),
      titleEn: text("titleEn"),
      titleId: text("titleId"),
      languages: form.getAll("languages").map(String),
      defaultLanguage: text("defaultLanguage"),
    });
    try {
      await saveAppearance({ db: prisma }, shop, input);
    } catch (error) {
      if (!(error instanceof KembaliError) || error.code !== "BAD_INPUT") throw error;
      const issues = (error.details?.issues ?? []) as Array<{ path: string }>;
      const fields: Partial<Record<AppearanceField, MessageKey>> = {};
      for (const field of appearanceErrorFields(issues)) fields[field] = FIELD_MESSAGE[field];
      return { ok: false as const, fields, syncPending: false };
    }
    const { failed } = await syncAppearance(appDeps, { shopDomain: shop });
    for (const f of failed) {
      log("warn", "appearance metafield not written; retried in the background", {
        shop,
        error: f.error instanceof Error ? f.error.message : String(f.error),
      });
    }
    const { syncPending } = await loadAppearance({ db: prisma }, shop);
    return { ok: true as const, fields: {} as Partial<Record<AppearanceField, MessageKey>>, syncPending };
  } catch (error) {
    throw errorResponse(error);
  }
}
