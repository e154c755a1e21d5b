// What the HTTP channels (Klaviyo, the merchant's webhooks) share: a POST with a time limit,
// and how an answer or a failure becomes done, retry later, or failed for good.
import { RetryLater } from "./channels";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How long one delivery may take before it counts as a timeout (retried later). */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** A Retry-After header as milliseconds from `now` (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Sends the request; resolves with the answer for the caller to read. A timeout or a network
 * failure is RetryLater; `label` names the other side in the message (never a secret).
 */
export async function post(fetchImpl: FetchLike, url: string, init: RequestInit, label: string, timeoutMs = DELIVERY_TIMEOUT_MS) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The time limit is our own, not only the signal's: a fetch that ignores the abort still ends.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RetryLater(`${label}: no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  const request = fetchImpl(url, { ...init, method: "POST", redirect: "manual", signal: controller.signal }).catch(() => {
    throw new RetryLater(`${label}: could not connect`);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
    // Whichever lost the race must not surface as an unhandled rejection.
    request.catch(() => {});
    timeout.catch(() => {});
  }
}

/** 2xx: done. 429 and 5xx: RetryLater (after Retry-After when given). Anything else: failed for good, with `detail`. */
export function judge(response: Response, label: string, now: Date, detail = ""): void {
  const status = response.status;
  if (status >= 200 && status < 300) return;
  const suffix = detail ? `: ${detail}` : "";
  if (status === 429 || status >= 500) {
    throw new RetryLater(`${label} answered ${status}${suffix}`, retryAfterMs(response.headers.get("retry-after"), now));
  }
  if (status >= 300 && status < 400) throw new Error(`${label} answered ${status} (a redirect, not followed)`);
  throw new Error(`${label} answered ${status}${suffix}`);
}
