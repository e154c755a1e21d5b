// Demo mode serves this computer only. These checks run twice: in the server before Remix
// (server.js, on the raw socket) and in the app's demo guard (app/demo.server.ts, on the load
// context). Plain JavaScript so that server.js can import it without a build step.
import { isIPv4 } from "node:net";

export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/**
 * True for 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (what a dual-stack socket reports).
 * @param {unknown} address
 */
export function isLoopbackAddress(address) {
  if (typeof address !== "string") return false;
  const v4 = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
  return address === "::1" || (isIPv4(v4) && v4.startsWith("127."));
}

/**
 * Headers a reverse proxy or load balancer adds. Behind one, the socket's peer is the proxy
 * (often on this computer), so a request carrying any of them is refused in demo mode.
 */
const FORWARDING_HEADERS = new Set([
  "forwarded",
  "via",
  "x-real-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
  "x-original-forwarded-for",
  "x-original-host",
]);

/** @param {string} name */
export function isForwardingHeader(name) {
  const lower = name.toLowerCase();
  return lower.startsWith("x-forwarded") || FORWARDING_HEADERS.has(lower);
}

/**
 * Why demo mode refuses a request, or null when it may be answered.
 * @param {{ remoteAddress: unknown; hostname: string | null | undefined; headerNames: Iterable<string>; httpVersion?: string }} request
 *   hostname as a URL writes it ("[::1]" for IPv6); httpVersion only where the server knows it.
 * @returns {string | null}
 */
export function demoRefusal({ remoteAddress, hostname, headerNames, httpVersion }) {
  if (!isLoopbackAddress(remoteAddress)) return "Demo mode only answers requests from this computer.";
  for (const name of headerNames) {
    if (isForwardingHeader(name)) return `Demo mode refuses proxied requests (${name.toLowerCase()}).`;
  }
  // A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
  if (!LOOPBACK_HOSTS.has(hostname ?? "")) return "Demo mode only answers on a loopback host name.";
  // What nginx speaks to its upstream unless told otherwise; browsers and local tools use 1.1 or 2.
  if (httpVersion === "1.0") return "Demo mode refuses HTTP/1.0 (a reverse proxy's default).";
  return null;
}

/**
 * A POST (any unsafe method) must come from a page of the app itself: its Origin is the request's own.
 * @param {{ method: string; origin: string | null | undefined; url: string }} request
 * @returns {string | null}
 */
export function crossSiteRefusal({ method, origin, url }) {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  if (origin && origin === new URL(url).origin) return null;
  return "Demo mode refuses a form sent from another site (Origin missing or foreign).";
}
