// GET /apps/kembali/survey[?lang=id]: the survey the logged-in member may answer now in the
// widget's card ({ survey: null } when none); POST /apps/kembali/survey {order, score, comment?}:
// their answer (common/survey-api.ts). The shopper is the signed logged_in_customer_id; the body
// only names the order (which must be theirs), the score and the comment. The rules (one answer
// per order across channels, points once, throttle, detractor alert) live in
// app/domain/surveys/responses.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleProxy } from "~/proxy.server";
import { answerSurvey, dueStorefrontSurvey } from "~/domain/surveys/responses";
import { COMMENT_MAX } from "~/domain/surveys/settings";
import { storefrontLimits } from "~/domain/rate-limit";

const MEMBERS = "Sign in to answer the survey";

export const loader = ({ request }: LoaderFunctionArgs) =>
  handleProxy(
    request,
    null,
    async ({ deps, shop, customerId }) => ({
      survey: await dueStorefrontSurvey(deps, shop, customerId!, new URL(request.url).searchParams.get("lang") === "id" ? "id" : "en"),
    }),
    { members: MEMBERS },
  );

// Any score of any kind's scale (0–10 covers them all); the shop's kind's own (CSAT 1–5, CES
// 1–7) is answerSurvey's check, as is the comment's exact length in characters once trimmed:
// this only bounds it.
const body = z.object({
  order: z.string().regex(/^\d{1,20}$/),
  score: z.number().int().min(0).max(10),
  comment: z
    .string()
    .max(COMMENT_MAX * 2)
    .nullish(),
});

export const action = ({ request }: ActionFunctionArgs) =>
  handleProxy(
    request,
    body,
    ({ deps, shop, customerId }, input) =>
      answerSurvey(deps, shop, {
        channel: "storefront",
        order: input.order,
        shopifyCustomerId: customerId!,
        score: input.score,
        comment: input.comment,
      }),
    {
      members: MEMBERS,
      badInput: "order (a numeric order id) and score (a whole number) are required; comment is optional text",
      limits: ({ shop, customerId, ipHash }) => storefrontLimits(shop, "survey", customerId, ipHash),
    },
  );
