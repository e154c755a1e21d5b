import type { Tx } from "../db.server";

/** What domain functions need, passed in as one argument (no module singletons). */
export interface Deps {
  db: Tx;
  clock: () => Date;
}

/** For domain functions that open their own transactions (db is then the root client). */
export interface TxDeps extends Deps {
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
}

let demoOffsetMs = 0;

/** The app's clock: real time, moved forward only by the demo's time travel (demo.clock route). */
export const systemClock = () => new Date(Date.now() + demoOffsetMs);

/** Demo mode only (the route checks): lets a demo or a browser test pass a hold window. */
export function advanceDemoClock(ms: number): Date {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError("The clock only moves forward");
  demoOffsetMs += ms;
  return systemClock();
}
