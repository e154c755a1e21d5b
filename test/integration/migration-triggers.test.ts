// The stored storefront answers (decision 040) and the kept dashboard months (decision 039)
// are only right while their triggers exist. A later migration can drop one without saying
// so: on SQLite, Prisma changes a column by rebuilding the table (create, copy, drop, rename),
// and the old table's triggers go with it. Every trigger the migrations create (and do not
// drop by name later) must be in the migrated database, on the table it was created on.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import prisma from "~/db.server";

const postgres = /^postgres/.test(process.env.DATABASE_URL ?? "");
const dir = path.join("prisma", postgres ? "postgresql" : "sqlite", "migrations");

/**
 * trigger name -> table, replaying every migration's CREATE TRIGGER and DROP TRIGGER in order. A
 * table a migration rebuilds or drops is not a reason to forget its triggers: the migration
 * that does it recreates them, or drops them by name when they are meant to go.
 */
function triggersTheMigrationsLeave(): Map<string, string> {
  const triggers = new Map<string, string>();
  for (const migration of readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort()) {
    const sql = readFileSync(path.join(dir, migration, "migration.sql"), "utf8");
    const statements = /\b(CREATE(?:\s+OR\s+REPLACE)?\s+TRIGGER|DROP\s+TRIGGER(?:\s+IF\s+EXISTS)?)\s+"?(\w+)"?([^;]*)/gi;
    for (const [, verb, name, rest] of sql.matchAll(statements)) {
      if (/^DROP/i.test(verb)) triggers.delete(name);
      else triggers.set(name, /\bON\s+"?(\w+)"?/i.exec(rest)![1]);
    }
  }
  return triggers;
}

async function triggersInTheDatabase(): Promise<Map<string, string>> {
  const rows = postgres
    ? await prisma.$queryRaw<Array<{ name: string; tbl: string }>>`
        SELECT t.tgname::text AS name, c.relname::text AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = current_schema()`
    : await prisma.$queryRaw<Array<{ name: string; tbl: string }>>`SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger'`;
  return new Map(rows.map((r) => [r.name, r.tbl]));
}

test("every trigger the migrations create is in the migrated database, on its table", async () => {
  const expected = triggersTheMigrationsLeave();
  // The state snapshot's and the dashboard months' triggers, at least (a parser that finds none would pass anything).
  expect([...expected.keys()].filter((n) => n.endsWith("_state") || n.includes("_state_")).length).toBeGreaterThanOrEqual(9);
  expect([...expected.keys()].filter((n) => n.includes("analytics_months")).length).toBeGreaterThanOrEqual(3);
  expect(Object.fromEntries(await triggersInTheDatabase())).toEqual(Object.fromEntries(expected));
});
