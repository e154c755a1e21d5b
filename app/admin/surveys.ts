// What the admin Surveys page shows: the settings, one page of filtered responses (each order
// linked to its page in the Shopify admin), the open detractor alerts and the rewards an apology
// can give.
import type { Deps } from "~/domain/deps";
import { surveySettings, SCALES, type SurveySettings } from "~/domain/surveys/settings";
import {
  listResponses,
  openAlerts,
  type AlertView,
  type ResponseFilters,
  type ResponseRow,
  type ResponsesPage,
} from "~/domain/surveys/admin";
import { findShop } from "~/domain/shop/shops";
import { KembaliError } from "~/domain/errors";
import { adminOrderUrl } from "./members";

export type SurveyResponseView = ResponseRow & { orderUrl: string };

export interface SurveysPage {
  settings: SurveySettings;
  scales: typeof SCALES;
  filters: ResponseFilters;
  responses: Omit<ResponsesPage, "rows"> & { rows: SurveyResponseView[] };
  alerts: { total: number; list: Array<Omit<AlertView, "response"> & { response: SurveyResponseView }> };
  /** The shop's active rewards, for "Send apology reward". */
  rewards: Array<{ id: string; name: string }>;
}

export async function surveysPage(deps: Pick<Deps, "db">, shopDomain: string, filters: ResponseFilters): Promise<SurveysPage> {
  const shop = await findShop(deps.db, shopDomain);
  if (!shop) throw new KembaliError("NOT_FOUND", `Shop ${shopDomain} is not installed`);
  const withUrl = (r: ResponseRow): SurveyResponseView => ({ ...r, orderUrl: adminOrderUrl(shopDomain, r.shopifyOrderId) });
  const [settings, responses, alerts, rewards] = await Promise.all([
    surveySettings(deps, shopDomain),
    listResponses(deps, shopDomain, filters),
    openAlerts(deps, shopDomain),
    deps.db.reward.findMany({ where: { shopId: shop.id, active: true }, select: { id: true, name: true }, orderBy: { pointsCost: "asc" } }),
  ]);
  return {
    settings,
    scales: SCALES,
    filters,
    responses: { ...responses, rows: responses.rows.map(withUrl) },
    alerts: { total: alerts.total, list: alerts.alerts.map((a) => ({ ...a, response: withUrl(a.response) })) },
    rewards,
  };
}
