// The one Prisma client. DATABASE_URL chooses the database: `file:...` (default
// `file:./prisma/dev.db`) is SQLite through better-sqlite3; `postgres://...` is PostgreSQL.
// Both generated clients share one model API (prisma/models.prisma).
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import Database from "better-sqlite3";
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
  return (await connect(url)).prisma;
}

/**
 * The storefront state call's stored answers (docs/decisions/040-storefront-state-snapshot.md),
 * read as one prepared statement each, outside Prisma: Prisma compiles every query on the main
 * thread (about 1 ms a call), the statement costs tens of microseconds. Each read answers the
 * stored JSON only while it is current (built at the member's and the shop's current versions,
 * by the same build, in the same widget language, before it runs out), else null.
 */
export interface StateReads {
  member(shopDomain: string, shopifyCustomerId: string, lang: string, build: string, nowMs: number): Promise<string | null>;
  guest(shopDomain: string, build: string, nowMs: number): Promise<string | null>;
}

const MEMBER_STATE_SQL = `SELECT m."body" AS "body" FROM "MemberState" m
  JOIN "Shop" s ON s."id" = m."shopId" JOIN "Customer" c ON c."id" = m."customerId"
  WHERE s."domain" = ? AND m."shopifyCustomerId" = ? AND m."lang" = ? AND m."build" = ? AND m."validUntilMs" > ?
    AND m."customerVersion" = c."stateVersion" AND m."shopVersion" = s."stateVersion"`;
const GUEST_STATE_SQL = `SELECT "guestState" AS "body" FROM "Shop"
  WHERE "domain" = ? AND "guestStateBuild" = ? AND "guestStateUntilMs" > ? AND "guestStateVersion" = "stateVersion"`;

/** `?` placeholders as PostgreSQL's $1, $2, ... */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function connect(url: string): Promise<{ prisma: Db; stateReads: StateReads }> {
  if (isPostgres(url)) {
    const { PrismaClient: PgClient } = require(path.resolve("generated/postgresql"));
    // One pool for Prisma and the prepared reads.
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const read = (name: string, text: string) => async (values: unknown[]) =>
      ((await pool.query<{ body: string | null }>({ name, text, values })).rows[0]?.body ?? null) as string | null;
    const member = read("kembali_member_state", numbered(MEMBER_STATE_SQL));
    const guest = read("kembali_guest_state", numbered(GUEST_STATE_SQL));
    return {
      prisma: new PgClient({ adapter: new PrismaPg(pool) }) as Db,
      stateReads: {
        member: (shop, customer, lang, build, now) => member([shop, customer, lang, build, now]),
        guest: (shop, build, now) => guest([shop, build, now]),
      },
    };
  }
  const { PrismaClient: SqliteClient } = require(path.resolve("generated/sqlite"));
  const client = new SqliteClient({
    adapter: new SerializedBetterSQLite3({ url, timeout: 5000 }),
  }) as Db;
  // WAL lets readers run beside the one writer; it is stored in the file.
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  // A connection of its own that only reads: it sees committed data only, never the inside of a
  // transaction Prisma's connection has open. Opened at the first read (the file exists by then).
  let statements: { member: Database.Statement; guest: Database.Statement } | null = null;
  const prepared = () => {
    if (!statements) {
      const reader = new Database(url.replace(/^file:/, ""), { readonly: true, fileMustExist: true, timeout: 5000 });
      statements = { member: reader.prepare(MEMBER_STATE_SQL).pluck(), guest: reader.prepare(GUEST_STATE_SQL).pluck() };
    }
    return statements;
  };
  return {
    prisma: client,
    stateReads: {
      member: async (shop, customer, lang, build, now) =>
        (prepared().member.get(shop, customer, lang, build, now) as string | null | undefined) ?? null,
      guest: async (shop, build, now) => (prepared().guest.get(shop, build, now) as string | null | undefined) ?? null,
    },
  };
}

/**
 * Runs `fn` in one interactive transaction. The waits are generous because on a hot customer
 * PostgreSQL queues transactions behind the row lock (its 2 s default gave up too early).
 */
export function transaction(db: Db) {
  return <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => db.$transaction(fn, { maxWait: 10_000, timeout: 10_000 });
}

const globalForPrisma = globalThis as unknown as { kembaliDatabase?: ReturnType<typeof connect> };
// One client per process, also across `remix dev` rebuilds.
const connection = await (globalForPrisma.kembaliDatabase ??= connect(databaseUrl()));
const prisma: Db = connection.prisma;

/** The storefront state's prepared reads, on this process's database. */
export const stateReads: StateReads = connection.stateReads;

export default prisma;
