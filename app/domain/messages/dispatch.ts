// The messages dispatcher, run by the background tick: routes recorded events into their
// MessageSend rows (routing.ts), then sends what is due (sending.ts). Safe with several
// servers: events are claimed by a guarded update of routedAt, rows by a lease.
import { routeEvents, ROUTE_BATCH } from "./routing";
import { sendDueMessages, SEND_BATCH, type SendingDeps, type SendResult } from "./sending";

export { routeEvents, sendKey, otherChannels } from "./routing";
export { sendDueMessages, recoverAbandoned, resendMessage, isTemporaryMailError, type SendingDeps } from "./sending";

/** Rounds per tick: at most this many batches are routed and sent before the next tick. */
const MAX_ROUNDS = 20;

export async function dispatchMessages(
  deps: SendingDeps,
  { shopId }: { shopId?: string } = {},
): Promise<{ routed: number; sends: number } & SendResult> {
  let routed = 0;
  let sends = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = await routeEvents(deps, { limit: ROUTE_BATCH, shopId });
    routed += r.events;
    sends += r.sends;
    if (r.events < ROUTE_BATCH) break;
  }
  const total: SendResult = { sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0, unconfirmed: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = await sendDueMessages(deps, { limit: SEND_BATCH, shopId });
    for (const k of Object.keys(total) as (keyof SendResult)[]) total[k] += r[k];
    if (r.sent + r.skipped + r.deferred + r.retried + r.failed < SEND_BATCH) break;
  }
  return { routed, sends, ...total };
}
