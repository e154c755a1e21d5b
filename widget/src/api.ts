// Calls to the App Proxy ({proxy}/…) and the Ajax Cart API: same origin, so the shopper's
// session goes along.

/** GET answers an error page with a rejection; a POST resolves to the JSON, `{ error }` included. */
export function api(proxy: string, path: string, body?: object): Promise<any> {
  return fetch(`${proxy}/${path}`, {
    method: body ? "POST" : "GET",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    credentials: "same-origin",
    body: body && JSON.stringify(body),
  }).then((r) => (r.ok || body ? r.json() : Promise.reject()));
}

/** 32 random hex digits. */
export function newId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join("");
}

/** A click's request: `key` names what it does ("redeem:<reward id>"), `id` goes to the server. */
export interface Pending {
  key: string;
  id: string;
}

/**
 * The request for a click. A request that got no answer (network error, or not our JSON) may
 * still have been done, so clicking the same thing again sends the same id and the server
 * answers the first outcome instead of spending twice. The caller drops it once answered.
 */
export function requestFor(unanswered: Pending | null, key: string, makeId = newId): Pending {
  return unanswered && unanswered.key == key ? unanswered : { key, id: makeId() };
}
