// Demo only: the thank-you page's checkout extension, played against the app's real backend.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { answerThankYouSurvey, thankYouPage } from "~/demo/thank-you.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return thankYouPage(request, context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  return answerThankYouSurvey(request, context);
}
