// Referral capture, on every page: a visit with ?ref=CODE is remembered in this browser for
// 30 days and written onto the cart as the kembali_ref attribute, so attribution survives to
// the order even days later. Following the link also asks for the friend's welcome code
// (guests too: the app knows a guest by the signed request, decision 006).
import { api, newId } from "./api";

const KEY = "kembali_ref";
const KEEP_MS = 30 * 86_400_000;

export interface Remembered {
  code: string;
  /** When the link was last followed (ms). */
  at: number;
  /** The visit was recorded with the app. */
  sent?: boolean;
}

const isCode = (code: unknown): code is string => typeof code == "string" && /^[A-Za-z0-9-]{1,32}$/.test(code);

/** The ?ref= code of a query string, when it could be one of ours. */
export function refFromQuery(search: string): string | null {
  const code = new URLSearchParams(search).get("ref");
  return isCode(code) ? code : null;
}

/** The remembered code, unless it is malformed or older than 30 days. */
export function readRemembered(raw: string | null, now: number): Remembered | null {
  try {
    const r = JSON.parse(raw!);
    return isCode(r.code) && now - r.at < KEEP_MS ? r : null;
  } catch {
    return null;
  }
}

/** Following a link (again) restarts the 30 days; its visit is recorded once per code. */
export function remember(old: Remembered | null, code: string | null, now: number): Remembered | null {
  return code ? { code, at: now, sent: old?.code == code && old.sent } : old;
}

const ignore = () => {};

/**
 * Never throws: storage may be blocked and the shop may be offline; the page must not care.
 * `welcome` gets the claim's answer when the link was followed now (the same code on a reload).
 */
export function capture(proxy: string, welcome: (answer: any) => void): void {
  try {
    const now = Date.now();
    const followed = refFromQuery(location.search);
    const r = remember(readRemembered(localStorage.getItem(KEY), now), followed, now);
    if (!r) return;
    const save = () => localStorage.setItem(KEY, JSON.stringify(r));
    const { code } = r;
    save();
    if (!r.sent)
      api(proxy, "referral/visit", { code })
        .then(() => {
          r.sent = true;
          save();
        })
        .catch(ignore);
    if (followed) api(proxy, "referral/claim", { code, requestId: newId() }).then(welcome).catch(ignore);
    // The Ajax Cart API, at the shop's root like the proxy.
    api("", "cart.js")
      .then((cart) => {
        if (cart.attributes?.[KEY] != code) return api("", "cart/update.js", { attributes: { [KEY]: code } });
      })
      .catch(ignore);
  } catch {
    // Nothing to do: attribution is a bonus, the page comes first.
  }
}
