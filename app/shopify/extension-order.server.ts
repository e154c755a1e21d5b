// What both extensions ask about one order (common/survey-api.ts): the order's points or a
// guest's claim (app/domain/surveys/order-summary.ts) with the survey due or why not, and the
// survey answer (app/domain/surveys/responses.ts), the shopper always from the verified token.
import { z } from "zod";
import type { OrderSummary, SurveyAnswerResult, SurveyChannel } from "../../common/survey-api";
import { KembaliError } from "~/domain/errors";
import { orderPoints } from "~/domain/surveys/order-summary";
import { answerSurvey, surveyDue } from "~/domain/surveys/responses";
import { extensionLocale, type ExtensionContext } from "./extension-auth.server";

export async function extensionOrderSummary(ctx: ExtensionContext, request: Request, channel: SurveyChannel): Promise<OrderSummary> {
  const order = new URL(request.url).searchParams.get("order") ?? "";
  if (!order) throw new KembaliError("BAD_INPUT", "order is required (Shopify's numeric order id)");
  const points = await orderPoints(ctx.deps, ctx.shopDomain, ctx.shopifyCustomerId, order);
  const due = await surveyDue(ctx.deps, ctx.shopDomain, {
    channel,
    order,
    shopifyCustomerId: ctx.shopifyCustomerId,
    locale: extensionLocale(request),
  });
  return { ...points, survey: due.survey, noSurvey: due.noSurvey };
}

/** common/survey-api.ts SurveyAnswerBody; the score's scale and the comment's rules are the survey's. */
export const surveyAnswerBody = z.object({
  order: z.string().regex(/^\d{1,20}$/),
  score: z.number(),
  comment: z.string().nullish(),
});

export async function extensionSurveyAnswer(
  ctx: ExtensionContext,
  input: z.output<typeof surveyAnswerBody>,
  channel: SurveyChannel,
): Promise<SurveyAnswerResult> {
  // A guest may reach only what the order summary shows them (a recent order without a
  // customer, decision 035): the same check, the same 404 otherwise.
  if (ctx.shopifyCustomerId === null) await orderPoints(ctx.deps, ctx.shopDomain, null, input.order);
  return answerSurvey(ctx.deps, ctx.shopDomain, {
    channel,
    order: input.order,
    shopifyCustomerId: ctx.shopifyCustomerId,
    score: input.score,
    comment: input.comment,
  });
}
