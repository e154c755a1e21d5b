// What domain functions need, passed in as one argument (no module singletons). The app builds
// them once, in app/deps.server.ts; tests build their own (a fixed clock, a flaky Shopify).
import type { Tx } from "../db-types";
import type { ShopifyAdmin } from "../shopify/admin/port";

export type { Tx };

/** The time now. The app's is real time, or the demo's clock that time travel moves forward. */
export type Clock = () => Date;

/** A structured log line: ids and counts only, never secrets or personal data. */
export type Log = (level: "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** The Admin API of one shop (the port: GraphQL in production, a local store in demo and tests). */
export type ShopifyFor = (shop: string) => Promise<ShopifyAdmin>;

export interface Deps {
  db: Tx;
  clock: Clock;
}

/** For domain functions that open their own transactions (db is then the root client). */
export interface TxDeps extends Deps {
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
}
