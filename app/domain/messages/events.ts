// Recording the events messages act on (CustomerEvent rows, catalog.ts): one row per key, written
// in the caller's transaction next to what it reports. A replay, a second sweep or a second
// server records nothing more: the insert does nothing when the key is already there, without
// failing, so a concurrent duplicate never aborts the caller's transaction (on PostgreSQL a
// failed insert would). That insert is the only statement: no read of the key before it.
import { randomUUID } from "node:crypto";
import { dialectOf, type Tx } from "../../db-types";
import { queryParts } from "../analytics/common";
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

/** Events per multi-row insert: 7 bound values each, under SQLite's 999 a statement. */
export const EVENTS_PER_INSERT = 100;

/**
 * Records many events of one shop at `at`, each once per (shop, key) like recordEvent, in
 * multi-row inserts instead of two statements each (the dashboard job's win_back moves: hundreds
 * a day in a large shop). Returns how many it wrote.
 */
export async function recordEvents<T extends RecordedType>(
  db: Tx,
  shopId: string,
  events: ReadonlyArray<{ customerId: string | null; type: T; key: string; payload: RecordedPayloads[T] }>,
  at: Date,
): Promise<number> {
  const jsonb = dialectOf(db) === "postgresql" ? "::jsonb" : "";
  let written = 0;
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
    const parts = ['INSERT INTO "CustomerEvent" ("id", "shopId", "customerId", "type", "key", "payload", "createdAt") VALUES '];
    const values: unknown[] = [];
    events.slice(i, i + EVENTS_PER_INSERT).forEach((e, k) => {
      const row = [randomUUID(), shopId, e.customerId, e.type, e.key, JSON.stringify(e.payload), at];
      row.forEach((value, c) => {
        parts[parts.length - 1] += c === 0 ? `${k ? ", " : ""}(` : ", ";
        values.push(value);
        parts.push(c === 5 ? jsonb : "");
      });
      parts[parts.length - 1] += ")";
    });
    parts[parts.length - 1] += ' ON CONFLICT ("shopId", "key") DO NOTHING RETURNING "id"';
    written += (await queryParts<Array<{ id: string }>>(db, parts, values)).length;
  }
  return written;
}
