// An email's unsubscribe link: GET shows a confirmation page with a button, POST (the button,
// or a mail provider's RFC 8058 one-click request) unsubscribes. Token signed by the app.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { unsubscribeAction, unsubscribePage } from "~/messages-links.server";

export const loader = ({ request }: LoaderFunctionArgs) => unsubscribePage(request);

export const action = ({ request }: ActionFunctionArgs) => unsubscribeAction(request);
