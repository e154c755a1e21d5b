// Demo only: the customer-account extension's Rewards page, played against the app's real backend.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo.server";
import { accountPage, redeemOnAccountPage } from "~/demo/account.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireDemo(request, context);
  return accountPage(request, context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireDemo(request, context);
  return redeemOnAccountPage(request, context);
}
