// Prepares the test database once per run: SQLite (default) in .tmp/, or the PostgreSQL
// database in TEST_DATABASE_URL when TEST_DB=postgresql (npm test finds one on this computer
// when it is unset: scripts/test-database.js). Tests use a fresh shop each, so they never see
// each other's rows.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { postgresUrlProblem } from "../../scripts/test-database.js";

export default function setup() {
  const url = testDatabaseUrl();
  if (!/^postgres/.test(url)) {
    mkdirSync(".tmp", { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`.tmp/test.db${suffix}`, { force: true });
  }
  execFileSync("npx", ["prisma", "migrate", "reset", "--force", "--skip-generate", "--skip-seed"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
  process.env.DATABASE_URL = url;
}

export function testDatabaseUrl(): string {
  if (process.env.TEST_DB === "postgresql") {
    if (!process.env.TEST_DATABASE_URL) throw new Error("TEST_DB=postgresql needs TEST_DATABASE_URL");
    // Anything else would run the SQLite suite a second time and call it PostgreSQL.
    const problem = postgresUrlProblem(process.env.TEST_DATABASE_URL);
    if (problem) throw new Error(problem);
    return process.env.TEST_DATABASE_URL;
  }
  return "file:./.tmp/test.db";
}
