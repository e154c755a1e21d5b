// The app's post-purchase routes (common/survey-api.ts), called with the extension's session
// token. APP_URL is inlined by the Shopify CLI at build time (scripts/build-extensions.js).
import type { OrderSummary, SurveyAnswerBody, SurveyAnswerResult } from "../../common/survey-api";

export type Answer<T> = { ok: true; data: T } | { ok: false; status: number | null };

export interface PostPurchaseApi {
  /** `locale`: the shopper's language (a BCP 47 tag); the merchant's question comes in it. */
  order(order: string, locale: string): Promise<Answer<OrderSummary>>;
  survey(body: SurveyAnswerBody): Promise<Answer<SurveyAnswerResult>>;
  get<T>(path: string): Promise<Answer<T>>;
  post<T>(path: string, body: unknown): Promise<Answer<T>>;
}

/** `surface`: "checkout" (thank-you page) or "account" (customer accounts). */
export function postPurchaseApi(surface: "checkout" | "account", token: () => Promise<string>): PostPurchaseApi {
  const call = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<Answer<T>> => {
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${await token()}` };
      if (init.body !== undefined) headers["Content-Type"] = "application/json";
      const res = await fetch(`${process.env.APP_URL}${path}`, {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      if (!res.ok) return { ok: false, status: res.status };
      return { ok: true, data: (await res.json()) as T };
    } catch {
      return { ok: false, status: null };
    }
  };
  return {
    order: (order, locale) =>
      call<OrderSummary>(`/api/${surface}/order?order=${encodeURIComponent(order)}&locale=${/^id\b/i.test(locale) ? "id" : "en"}`),
    survey: (body) => call<SurveyAnswerResult>(`/api/${surface}/survey`, { method: "POST", body }),
    get: (path) => call(path),
    post: (path, body) => call(path, { method: "POST", body }),
  };
}
