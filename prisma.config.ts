// Prisma CLI configuration (migrate, generate). The app itself builds its client in
// app/db.server.ts; the patches below run only inside the Prisma CLI process.
// DATABASE_URL chooses the provider: `file:...` is SQLite (default), `postgres...` PostgreSQL.
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

process.env.DATABASE_URL ??= "file:./prisma/dev.db";
const provider = /^postgres(ql)?:/.test(process.env.DATABASE_URL) ? "postgresql" : "sqlite";
// .env is not loaded when a prisma.config.ts exists, and an unresolved env() in a
// datasource makes the CLI try to download a native engine: always give both a value.
if (provider === "sqlite") process.env.SQLITE_URL = process.env.DATABASE_URL;
else process.env.SQLITE_URL ??= "file:./prisma/dev.db";

function pgMigrateAdapter() {
  // prisma/orm#27403: adapter-pg@6 cannot read pg_catalog types name (19) and "char" (18).
  const resultProto = pg.Result.prototype as unknown as { addFields: (fields: Array<{ dataTypeID: number }>) => void };
  const addFields = resultProto.addFields;
  resultProto.addFields = function (fields: Array<{ dataTypeID: number }>) {
    for (const f of fields) {
      if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
      else if (f.dataTypeID === 1002 || f.dataTypeID === 1003) f.dataTypeID = 1009;
    }
    return addFields.call(this, fields);
  };
  // Discrete fields: adapter-pg builds the shadow pool as { ...config, database }, which a
  // connectionString would override.
  const u = new URL(process.env.DATABASE_URL!);
  const cfg: pg.PoolConfig = {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
  // executeScript() splits on every ";": send a migration as one simple-protocol query.
  const wholeScript = <A extends { underlyingDriver(): any }>(a: A): A => {
    (a as any).executeScript = async (script: string) => {
      try {
        await a.underlyingDriver().query(script);
      } catch (e) {
        (a as any).onError(e);
      }
    };
    return a;
  };
  class PrismaPgMigrate extends PrismaPg {
    async connect() {
      return wholeScript(await super.connect());
    }
    // adapter-pg drops the shadow database before closing its pool: create it here,
    // close first, then DROP ... WITH (FORCE).
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(cfg);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const shadow = wholeScript(await new PrismaPg({ ...cfg, database: name }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const c = new pg.Client(cfg);
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      };
      return shadow;
    }
  }
  return new PrismaPgMigrate(cfg);
}

// The shadow-database replay sends a whole migration to executeRaw(); better-sqlite3's
// prepare() takes one statement. Route multi-statement SQL to executeScript().
function multiStatementSafe<T extends { executeRaw: Function; executeScript: Function }>(a: T): T {
  const executeRaw = a.executeRaw.bind(a);
  (a as any).executeRaw = async (q: { sql: string; args: unknown[] }) => {
    if (q.args.length === 0 && /;\s*\S/.test(q.sql.replace(/--[^\n]*/g, ""))) {
      await a.executeScript(q.sql);
      return 0;
    }
    return executeRaw(q);
  };
  return a;
}
class PrismaSqliteMigrate extends PrismaBetterSQLite3 {
  async connect() {
    return multiStatementSafe(await super.connect());
  }
  async connectToShadowDb() {
    return multiStatementSafe(await super.connectToShadowDb());
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider),
  migrations: { path: path.join("prisma", provider, "migrations") },
  adapter: async () => (provider === "postgresql" ? pgMigrateAdapter() : new PrismaSqliteMigrate({ url: process.env.SQLITE_URL! })),
});
