// The one Prisma client. DATABASE_URL chooses the database: `file:...` (default
// `file:./prisma/dev.db`) is SQLite through better-sqlite3; `postgres://...` is PostgreSQL.
// Both generated clients share one model API (prisma/models.prisma).
import { createRequire } from "node:module";
import path from "node:path";
import type { Db, Tx } from "./db-types";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export type { Db, Tx };

const require = createRequire(import.meta.url);

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || "file:./prisma/dev.db";
}

export function isPostgres(url: string): boolean {
  return /^postgres(ql)?:/.test(url);
}

// better-sqlite3 (adapter 6.19.3) runs plain queries on the connection that holds an open
// interactive transaction, so they would join it and be undone by its rollback. Queue
// every query and transaction behind one lock. See docs/decisions/002-sqlite-adapter.md.
class SerializedBetterSQLite3 extends PrismaBetterSQLite3 {
  async connect() {
    const adapter: any = await super.connect();
    let tail: Promise<unknown> = Promise.resolve();
    const lock = () => {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      return previous.then(() => release);
    };
    for (const method of ["queryRaw", "executeRaw", "executeScript"]) {
      const fn = adapter[method].bind(adapter);
      adapter[method] = async (...args: unknown[]) => {
        const release = await lock();
        try {
          return await fn(...args);
        } finally {
          release();
        }
      };
    }
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel: unknown) => {
      const release = await lock();
      try {
        const tx = await startTransaction(isolationLevel);
        const commit = tx.commit.bind(tx);
        const rollback = tx.rollback.bind(tx);
        tx.commit = async () => {
          try {
            return await commit();
          } finally {
            release();
          }
        };
        tx.rollback = async () => {
          try {
            await rollback();
            // prisma/orm#29933: a failed COMMIT can leave the connection inside a transaction.
            if (tx.client?.inTransaction) tx.client.prepare("ROLLBACK").run();
          } finally {
            release();
          }
        };
        return tx;
      } catch (error) {
        release();
        throw error;
      }
    };
    return adapter;
  }
}

export async function createPrisma(url = databaseUrl()): Promise<Db> {
  if (isPostgres(url)) {
    const { PrismaClient: PgClient } = require(path.resolve("generated/postgresql"));
    return new PgClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as Db;
  }
  const { PrismaClient: SqliteClient } = require(path.resolve("generated/sqlite"));
  const client = new SqliteClient({
    adapter: new SerializedBetterSQLite3({ url, timeout: 5000 }),
  }) as Db;
  // WAL lets readers run beside the one writer; it is stored in the file.
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  return client;
}

/**
 * Runs `fn` in one interactive transaction. The waits are generous because on a hot customer
 * PostgreSQL queues transactions behind the row lock (its 2 s default gave up too early).
 */
export function transaction(db: Db) {
  return <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => db.$transaction(fn, { maxWait: 10_000, timeout: 10_000 });
}

const globalForPrisma = globalThis as unknown as { kembaliPrisma?: Promise<Db> };
// One client per process, also across `remix dev` rebuilds.
const prisma: Db = await (globalForPrisma.kembaliPrisma ??= createPrisma());

export default prisma;
