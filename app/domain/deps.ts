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

export const systemClock = () => new Date();
