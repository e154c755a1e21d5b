// POST /api/account/survey: the customer-account extension's survey answer (common/survey-api.ts
// SurveyAnswerBody → SurveyAnswerResult) for the member's own order. Customer-account token only.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionMethodNotAllowed, handleExtension } from "~/shopify/extension-auth.server";
import { extensionSurveyAnswer, surveyAnswerBody } from "~/shopify/extension-order.server";

export const action = ({ request }: ActionFunctionArgs) =>
  request.method === "POST" || request.method === "OPTIONS"
    ? handleExtension(request, "customerAccount", "account-survey", surveyAnswerBody, (ctx, input) =>
        extensionSurveyAnswer(ctx, input, "account"),
      )
    : extensionMethodNotAllowed("POST");

// Remix hands a resource route's OPTIONS requests (the browser's preflight) to its loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS"
    ? handleExtension(request, "customerAccount", "account-survey", null, async () => null)
    : extensionMethodNotAllowed("POST");
