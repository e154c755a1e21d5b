// npm run setup: generate both Prisma clients, then apply migrations to DATABASE_URL
// (default: the SQLite file prisma/dev.db).
import { execFileSync } from "node:child_process";

const run = (args, env = {}) =>
  execFileSync("npx", ["prisma", ...args], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ...env } });

run(["generate"], { DATABASE_URL: "file:./prisma/dev.db" });
run(["generate"], { DATABASE_URL: "postgresql://generate@127.0.0.1:5432/generate" });
if (!process.argv.includes("--generate-only")) {
  run(["migrate", "deploy"]);
  console.log(
    `Database ready: ${/^postgres/.test(process.env.DATABASE_URL ?? "") ? "PostgreSQL" : process.env.DATABASE_URL || "file:./prisma/dev.db"}`,
  );
}
