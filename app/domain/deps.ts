import type { Tx } from "../db.server";

/** What domain functions need, passed in as one argument (no module singletons). */
export interface Deps {
  db: Tx;
  clock: () => Date;
}

export const systemClock = () => new Date();
