// Recording the events messages act on (CustomerEvent rows, catalog.ts): one row per key, written
// in the caller's transaction next to what it reports. A replay, a second sweep or a second
// server records nothing more: the insert does nothing when the key is already there, without
// failing, so a concurrent duplicate never aborts the caller's transaction (on PostgreSQL a
// failed insert would). That insert is the only statement: no read of the key before it.
import { randomUUID } from "node:crypto";
import { dialectOf, type Tx } from "../../db-types";
import type { EventPayloads, EventType } from "./catalog";

/** Events the domain keeps for itself (no message): a stamp card's progress per order. */
export interface InternalEventPayloads {
  stamps_collected: { added: number; before: number };
}
export type RecordedPayloads = EventPayloads & InternalEventPayloads;
export type RecordedType = EventType | keyof InternalEventPayloads;

/**
 * Records the event once per (shop, key); true when this call wrote it. `at` is the event's time
 * (the caller's clock; the real time when left out).
 */
export async function recordEvent<T extends RecordedType>(
  db: Tx,
  shopId: string,
  customerId: string | null,
  type: T,
  key: string,
  payload: RecordedPayloads[T],
  at: Date = new Date(),
): Promise<boolean> {
  const json = JSON.stringify(payload);
  const id = randomUUID();
  const count =
    dialectOf(db) === "postgresql"
      ? await db.$executeRaw`INSERT INTO "CustomerEvent" ("id", "shopId", "customerId", "type", "key", "payload", "createdAt")
          VALUES (${id}, ${shopId}, ${customerId}, ${type}, ${key}, ${json}::jsonb, ${at})
          ON CONFLICT ("shopId", "key") DO NOTHING`
      : await db.$executeRaw`INSERT INTO "CustomerEvent" ("id", "shopId", "customerId", "type", "key", "payload", "createdAt")
          VALUES (${id}, ${shopId}, ${customerId}, ${type}, ${key}, ${json}, ${at})
          ON CONFLICT ("shopId", "key") DO NOTHING`;
  return count === 1;
}
