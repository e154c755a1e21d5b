// POST /api/checkout/survey: the checkout extension's survey answer (common/survey-api.ts
// SurveyAnswerBody → SurveyAnswerResult). Checkout session token only; a guest only for a
// recent order without a customer (decision 035).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { extensionSurveyAnswer, surveyAnswerBody } from "~/shopify/extension-order.server";

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "POST" || request.method === "OPTIONS"
    ? handleExtension(request, "checkout", "checkout-survey", surveyAnswerBody, (ctx, input) =>
        extensionSurveyAnswer(ctx, input, "checkout"),
      )
    : extensionMethodNotAllowed("POST");

// Remix hands a resource route's OPTIONS requests (the browser's preflight) to its loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "checkout", "checkout-survey", null, async () => null)
    : extensionMethodNotAllowed("POST");
