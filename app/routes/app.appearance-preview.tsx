// GET /app/appearance-preview: the page in the Settings card's live preview frame (the shop's
// saved appearance first; the card then sends the values being edited, unsaved).
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { adminContext } from "~/admin-context.server";
import { errorResponse } from "~/http.server";
import { loadAppearance, previewState, WIDGET_STRINGS } from "~/domain/shop/appearance";
import { appDeps } from "~/deps.server";
import { pickLocale, translate } from "~/i18n";
import { previewHtml } from "~/appearance-preview.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, demo } = await adminContext(request, context);
  try {
    const [{ appearance }, state] = await Promise.all([loadAppearance({ db: prisma }, shop), previewState(appDeps, shop)]);
    const locale = pickLocale(request);
    return previewHtml({
      appearance,
      language: locale,
      state,
      strings: WIDGET_STRINGS,
      label: translate(locale, "appearance.preview.label", { points: state.customer?.balance ?? 0 }),
      badge: translate(locale, "appearance.preview.badge"),
      frameAncestors: demo ? [] : [`https://${shop}`, "https://admin.shopify.com"],
    });
  } catch (error) {
    throw errorResponse(error);
  }
}
