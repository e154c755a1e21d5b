// An email's open pixel: records the send's first open, answers a 1x1 GIF whatever the token.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openPixel } from "~/messages-links.server";

export const loader = ({ request }: LoaderFunctionArgs) => openPixel(request);
